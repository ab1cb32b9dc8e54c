from odoo import fields, models

RISK_LEVELS = [("low", "Low"), ("medium", "Medium"), ("high", "High")]


class ResPartner(models.Model):
    _inherit = "res.partner"

    dispute_risk_score = fields.Float(
        string="Dispute Risk",
        digits=(16, 4),
        readonly=True,
        copy=False,
        help="Probability that this customer disputes an invoice like its latest "
        "one, from the risk model's last refit.",
    )
    dispute_risk_level = fields.Selection(RISK_LEVELS, readonly=True, copy=False)
    dispute_risk_reasons = fields.Text(readonly=True, copy=False)

    def _score_dispute_risk(self, company):
        """Score the customers of ``company`` as if their latest invoice were
        posted today (same products, salesperson, terms and amount), against
        their whole history.

        Low is below half the review threshold, high at or above it.
        """
        RiskModel = self.env["account.dispute.risk.model"].sudo()
        self.env.cr.execute(
            """
            SELECT DISTINCT ON (commercial_partner_id) id
            FROM account_move
            WHERE company_id = %s AND move_type = 'out_invoice' AND state = 'posted'
            ORDER BY commercial_partner_id, invoice_date DESC, id DESC
            """,
            [company.id],
        )
        latest_ids = [move_id for (move_id,) in self.env.cr.fetchall()]
        today = fields.Date.context_today(self)
        rows = [
            dict(row, date=today) for row in RiskModel._risk_rows(company, latest_ids)
        ]
        threshold = company.dispute_risk_threshold
        results = RiskModel._score_rows(company, rows)
        if not results:
            return
        for row, (probability, reasons) in zip(rows, results, strict=True):
            if probability >= threshold:
                level = "high"
            elif probability >= threshold / 2.0:
                level = "medium"
            else:
                level = "low"
            self.browse(row["partner"]).sudo().write(
                {
                    "dispute_risk_score": probability,
                    "dispute_risk_level": level,
                    "dispute_risk_reasons": "\n".join(reasons),
                }
            )
