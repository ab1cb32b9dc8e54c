import json
import logging
from datetime import timedelta

from odoo import api, fields, models, tools
from odoo.tools import SQL

from . import risk_model

_logger = logging.getLogger(__name__)

MIN_INVOICES_TO_FIT = 20

# How each rate dimension of the risk model reads from a posted invoice ``m``;
# products and categories need the invoice lines ``l`` and templates ``t``.
RISK_KEYS = {
    "partner": SQL("m.commercial_partner_id"),
    "user": SQL("m.invoice_user_id"),
    "term": SQL("m.invoice_payment_term_id"),
    "product": SQL("l.product_id"),
    "categ": SQL("t.categ_id"),
}


class AccountDisputeRiskModel(models.Model):
    """The fitted dispute risk model of a company (one record per company).

    The maths live in ``risk_model.py``; this model feeds it the company's posted
    customer invoices, stores the fitted parameters as JSON and scores invoices
    and customers with them.
    """

    _name = "account.dispute.risk.model"
    _description = "Dispute Risk Model"
    _order = "company_id"
    _rec_name = "company_id"

    company_id = fields.Many2one("res.company", required=True, index=True)
    date_fitted = fields.Datetime(string="Fitted on", readonly=True)
    invoice_count = fields.Integer(string="Invoices Learnt From", readonly=True)
    dispute_count = fields.Integer(string="Disputed Invoices", readonly=True)
    parameters = fields.Text(readonly=True, help="Fitted coefficients, as JSON.")

    _sql_constraints = [
        (
            "company_uniq",
            "unique(company_id)",
            "A company has one dispute risk model.",
        ),
    ]

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()  # _company_has_model
        return records

    def write(self, vals):
        res = super().write(vals)
        if "company_id" in vals:
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res

    @api.model
    @tools.ormcache("company_id")
    def _company_has_model(self, company_id):
        """Whether the company has a fitted model. Cached: posting an invoice of a
        company without one must cost no query."""
        return bool(self.sudo().search_count([("company_id", "=", company_id)]))

    # ------------------------------------------------------------
    # FITTING
    # ------------------------------------------------------------

    @api.model
    def _fit_company(self, company):
        """Fit the model on all posted customer invoices of ``company``.

        Returns the stored model record, or an empty recordset when the history
        is too short (fewer than 20 invoices, or no dispute at all, or only
        disputes) to learn anything from.
        """
        rows = self._risk_rows(company)
        disputed = sum(1 for row in rows if row["disputed"])
        if len(rows) < MIN_INVOICES_TO_FIT or disputed in (0, len(rows)):
            _logger.info(
                "Dispute risk model of %s not fitted: %s invoices, %s disputed",
                company.name,
                len(rows),
                disputed,
            )
            return self.browse()

        matrix, labels = risk_model.training_set(rows)
        parameters = risk_model.fit(matrix, labels)
        values = {
            "date_fitted": fields.Datetime.now(),
            "invoice_count": len(rows),
            "dispute_count": disputed,
            "parameters": json.dumps(parameters),
        }
        record = self.search([("company_id", "=", company.id)], limit=1)
        if record:
            record.write(values)
        else:
            record = self.create({"company_id": company.id, **values})
        _logger.info(
            "Dispute risk model of %s fitted on %s invoices (%s disputed)",
            company.name,
            len(rows),
            disputed,
        )
        return record

    @api.model
    def _risk_rows(self, company, move_ids=None):
        """Posted customer invoices of ``company`` as rows of the risk model
        (all of them, or only ``move_ids``), oldest first."""
        self.env["account.move"].flush_model()
        self.env["account.move.line"].flush_model()
        self.env["account.dispute"].flush_model()
        self.env["account.dispute.line"].flush_model()
        only = SQL("AND m.id = ANY(%s)", list(move_ids)) if move_ids else SQL()
        self.env.cr.execute(
            SQL(
                """
                SELECT
                    m.id,
                    m.invoice_date,
                    m.commercial_partner_id,
                    m.invoice_user_id,
                    m.invoice_payment_term_id,
                    m.amount_total_signed,
                    ARRAY(
                        SELECT DISTINCT l.product_id FROM account_move_line l
                        WHERE l.move_id = m.id AND l.display_type = 'product'
                          AND l.product_id IS NOT NULL
                    ),
                    ARRAY(
                        SELECT DISTINCT t.categ_id FROM account_move_line l
                        JOIN product_product p ON p.id = l.product_id
                        JOIN product_template t ON t.id = p.product_tmpl_id
                        WHERE l.move_id = m.id AND l.display_type = 'product'
                    ),
                    (
                        SELECT MIN(d.date_open) FROM account_dispute_line dl
                        JOIN account_dispute d ON d.id = dl.dispute_id
                        WHERE dl.move_id = m.id
                    )
                FROM account_move m
                WHERE m.company_id = %(company)s
                  AND m.move_type = 'out_invoice'
                  AND m.state = 'posted'
                  AND m.invoice_date IS NOT NULL
                  %(only)s
                ORDER BY m.invoice_date, m.id
                """,
                company=company.id,
                only=only,
            )
        )
        return [
            {
                "id": move_id,
                "date": invoice_date,
                "partner": partner,
                "user": user,
                "term": term,
                "amount": amount or 0.0,
                "products": products,
                "categs": categs,
                "disputed": bool(dispute_date),
                "dispute_date": dispute_date and dispute_date.date(),
            }
            for (
                move_id,
                invoice_date,
                partner,
                user,
                term,
                amount,
                products,
                categs,
                dispute_date,
            ) in self.env.cr.fetchall()
        ]

    # ------------------------------------------------------------
    # SCORING
    # ------------------------------------------------------------

    def _parameters(self):
        self.ensure_one()
        return json.loads(self.parameters)

    @api.model
    def _score_rows(self, company, rows, exclude_ids=()):
        """(probability, reasons) for each row, against the company's history
        as it stands now (without the invoices ``exclude_ids``)."""
        record = self.search([("company_id", "=", company.id)], limit=1)
        if not record or not rows:
            return []
        parameters = record._parameters()

        counts = {}
        for dimension in risk_model.RATE_DIMENSIONS:
            keys = {key for row in rows for key in risk_model.row_keys(row, dimension)}
            counts[dimension] = self._risk_counts(company, dimension, keys, exclude_ids)
        recent = self._recent_product_disputes(
            company, {key for row in rows for key in row["products"]}
        )
        invoices, disputes = self._risk_totals(company, exclude_ids)
        prior_rate = (disputes + 1.0) / (invoices + 2.0)

        results = []
        for row in rows:
            vector = risk_model.features(
                row,
                lambda dimension, key: counts[dimension].get(key, (0, 0)),
                lambda product: recent.get(product, 0),
                prior_rate,
            )
            probability = float(risk_model.predict(parameters, vector)[0])
            results.append((probability, risk_model.explain(parameters, vector)))
        return results

    @api.model
    def _risk_counts(self, company, dimension, keys, exclude_ids=()):
        """{key: (invoices, disputed invoices)} of posted customer invoices."""
        if not keys:
            return {}
        join = SQL()
        if dimension in ("product", "categ"):
            join = SQL(
                """
                JOIN account_move_line l
                    ON l.move_id = m.id AND l.display_type = 'product'
                JOIN product_product p ON p.id = l.product_id
                JOIN product_template t ON t.id = p.product_tmpl_id
                """
            )
        key = RISK_KEYS[dimension]
        self.env.cr.execute(
            SQL(
                """
                SELECT %(key)s, COUNT(DISTINCT m.id), COUNT(DISTINCT m.id) FILTER (
                    WHERE EXISTS (
                        SELECT 1 FROM account_dispute_line dl WHERE dl.move_id = m.id
                    )
                )
                FROM account_move m
                %(join)s
                WHERE m.company_id = %(company)s
                  AND m.move_type = 'out_invoice' AND m.state = 'posted'
                  AND NOT m.id = ANY(%(exclude)s)
                  AND %(key)s = ANY(%(keys)s)
                GROUP BY %(key)s
                """,
                key=key,
                join=join,
                company=company.id,
                exclude=list(exclude_ids),
                keys=list(keys),
            )
        )
        return {
            key: (total, disputed) for key, total, disputed in self.env.cr.fetchall()
        }

    @api.model
    def _risk_totals(self, company, exclude_ids=()):
        self.env.cr.execute(
            SQL(
                """
                SELECT COUNT(*), COUNT(*) FILTER (
                    WHERE EXISTS (
                        SELECT 1 FROM account_dispute_line dl WHERE dl.move_id = m.id
                    )
                )
                FROM account_move m
                WHERE m.company_id = %(company)s
                  AND m.move_type = 'out_invoice' AND m.state = 'posted'
                  AND NOT m.id = ANY(%(exclude)s)
                """,
                company=company.id,
                exclude=list(exclude_ids),
            )
        )
        return self.env.cr.fetchone()

    @api.model
    def _recent_product_disputes(self, company, products):
        """{product: disputed invoices with it, disputes opened lately}."""
        if not products:
            return {}
        since = fields.Datetime.now() - timedelta(days=risk_model.RECENT_DAYS)
        self.env.cr.execute(
            SQL(
                """
                SELECT l.product_id, COUNT(DISTINCT dl.move_id)
                FROM account_dispute d
                JOIN account_dispute_line dl ON dl.dispute_id = d.id
                JOIN account_move_line l
                    ON l.move_id = dl.move_id AND l.display_type = 'product'
                WHERE d.company_id = %(company)s
                  AND d.date_open >= %(since)s
                  AND l.product_id = ANY(%(products)s)
                GROUP BY l.product_id
                """,
                company=company.id,
                since=since,
                products=list(products),
            )
        )
        return dict(self.env.cr.fetchall())

    # ------------------------------------------------------------
    # CRON
    # ------------------------------------------------------------

    @api.model
    def _cron_refit_risk_model(self):
        """Refit each company's model on its history, then score its customers."""
        companies = self.env["res.company"].search([])  # pylint: disable=no-search-all
        for done, company in enumerate(companies, start=1):
            if self._fit_company(company):
                self.env["res.partner"]._score_dispute_risk(company)
            self.env["ir.cron"]._notify_progress(
                done=done, remaining=len(companies) - done
            )
