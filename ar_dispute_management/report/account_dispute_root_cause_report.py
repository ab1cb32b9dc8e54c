from odoo import fields, models
from odoo.tools import SQL

from .account_dispute_report import create_report_view


class AccountDisputeRootCauseReport(models.Model):
    """Pareto of root causes: one row per company and root cause.

    Root causes are ranked by number of disputes; each row carries its share of
    the company's disputes (by count and by amount) and the cumulative share of
    the causes ranked before it, so the few causes behind most disputes stand out.
    """

    _name = "account.dispute.root.cause.report"
    _description = "Dispute Root Cause Pareto"
    _auto = False
    _rec_name = "root_cause_id"
    _order = "company_id, rank"
    _depends = {
        "account.dispute": ["company_id", "root_cause_id", "amount_disputed_company"],
        "res.company": ["currency_id"],
    }

    rank = fields.Integer(readonly=True, aggregator="min")
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(
        "res.currency", string="Company Currency", readonly=True
    )
    root_cause_id = fields.Many2one("account.dispute.root.cause", readonly=True)
    dispute_count = fields.Integer(string="# Disputes", readonly=True)
    amount_disputed_company = fields.Monetary(
        string="Disputed", readonly=True, currency_field="currency_id"
    )
    share_count = fields.Float(
        string="Share (%)", digits=(16, 2), readonly=True, aggregator="sum"
    )
    cumulative_share_count = fields.Float(
        string="Cumulative Share (%)", digits=(16, 2), readonly=True, aggregator="max"
    )
    share_amount = fields.Float(
        string="Share of Amount (%)", digits=(16, 2), readonly=True, aggregator="sum"
    )
    cumulative_share_amount = fields.Float(
        string="Cumulative Share of Amount (%)",
        digits=(16, 2),
        readonly=True,
        aggregator="max",
        help="Cumulative share of the disputed amount, root causes taken by "
        "decreasing amount.",
    )

    def init(self):
        create_report_view(self)

    def _select(self):
        by_company = SQL("PARTITION BY d.company_id")
        return SQL(
            """
            SELECT
                MIN(d.id) AS id,
                ROW_NUMBER() OVER (
                    %(by_company)s ORDER BY COUNT(*) DESC, d.root_cause_id
                ) AS rank,
                d.company_id AS company_id,
                company.currency_id AS currency_id,
                d.root_cause_id AS root_cause_id,
                COUNT(*) AS dispute_count,
                SUM(d.amount_disputed_company) AS amount_disputed_company,
                100.0 * COUNT(*) / SUM(COUNT(*)) OVER (%(by_company)s)
                    AS share_count,
                100.0 * SUM(COUNT(*)) OVER (
                    %(by_company)s ORDER BY COUNT(*) DESC, d.root_cause_id
                    ROWS UNBOUNDED PRECEDING
                ) / SUM(COUNT(*)) OVER (%(by_company)s) AS cumulative_share_count,
                100.0 * SUM(d.amount_disputed_company) / NULLIF(
                    SUM(SUM(d.amount_disputed_company)) OVER (%(by_company)s), 0.0
                ) AS share_amount,
                100.0 * SUM(SUM(d.amount_disputed_company)) OVER (
                    %(by_company)s
                    ORDER BY SUM(d.amount_disputed_company) DESC, d.root_cause_id
                    ROWS UNBOUNDED PRECEDING
                ) / NULLIF(
                    SUM(SUM(d.amount_disputed_company)) OVER (%(by_company)s), 0.0
                ) AS cumulative_share_amount
            """,
            by_company=by_company,
        )

    def _from(self):
        return SQL(
            """
            FROM account_dispute d
            JOIN res_company company ON company.id = d.company_id
            """
        )

    def _where(self):
        return SQL("WHERE d.root_cause_id IS NOT NULL")

    def _group_by(self):
        return SQL("GROUP BY d.company_id, company.currency_id, d.root_cause_id")
