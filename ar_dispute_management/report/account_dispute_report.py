from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.account_dispute import PRIORITIES
from ..models.account_dispute_stage import RESOLUTIONS

SLA_STATUSES = [
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("breached", "Breached"),
]


def create_report_view(report):
    """(Re)create the SQL view of ``report`` from its ``_select``, ``_from``,
    ``_where`` and ``_group_by`` pieces."""
    tools.drop_view_if_exists(report.env.cr, report._table)
    report.env.cr.execute(
        SQL(
            "CREATE OR REPLACE VIEW %s AS (%s %s %s %s)",
            SQL.identifier(report._table),
            report._select(),
            report._from(),
            report._where(),
            report._group_by(),
        )
    )


class AccountDisputeReport(models.Model):
    """One row per dispute, with its figures in the company's currency.

    The view is assembled from small pieces (``_select``, ``_from``, ``_where``,
    ``_group_by``) that other modules may extend.
    """

    _name = "account.dispute.report"
    _description = "Disputes Analysis"
    _auto = False
    _rec_name = "name"
    _order = "date_open desc"
    # Searching the report flushes these fields first.
    _depends = {
        "account.dispute": [
            "name",
            "date_open",
            "date_closed",
            "is_closed",
            "company_id",
            "partner_id",
            "category_id",
            "root_cause_id",
            "team_id",
            "user_id",
            "stage_id",
            "resolution",
            "priority",
            "amount_disputed_company",
            "amount_disputed_original_company",
            "credit_note_ids",
            "writeoff_move_ids",
            "first_response_date",
            "sla_deadline",
            "sla_status",
        ],
        "account.dispute.line": ["dispute_id", "move_id", "amount_disputed_company"],
        "account.move": ["amount_residual_signed", "amount_total_signed", "state"],
        "account.move.line": ["move_id", "account_id", "balance"],
        "res.company": ["currency_id", "dispute_cost_of_capital_rate"],
        "res.partner": ["country_id", "category_id"],
        "rating.rating": ["res_model", "res_id", "rating", "consumed"],
    }

    # dimensions
    name = fields.Char(string="Reference", readonly=True)
    dispute_id = fields.Many2one("account.dispute", readonly=True)
    date_open = fields.Datetime(string="Opened on", readonly=True)
    date_closed = fields.Datetime(string="Closed on", readonly=True)
    is_closed = fields.Boolean(string="Closed", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(
        "res.currency", string="Company Currency", readonly=True
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    country_id = fields.Many2one(
        "res.country", string="Customer Country", readonly=True
    )
    partner_category_id = fields.Many2one(
        "res.partner.category",
        string="Customer Tag",
        readonly=True,
        help="The customer's first tag (the oldest one): a dispute is counted once, "
        "under one tag, so that totals stay right.",
    )
    category_id = fields.Many2one(
        "account.dispute.category", string="Reason", readonly=True
    )
    root_cause_id = fields.Many2one("account.dispute.root.cause", readonly=True)
    team_id = fields.Many2one("account.dispute.team", readonly=True)
    user_id = fields.Many2one("res.users", string="Assigned to", readonly=True)
    stage_id = fields.Many2one("account.dispute.stage", readonly=True)
    resolution = fields.Selection(RESOLUTIONS, readonly=True)
    priority = fields.Selection(PRIORITIES, readonly=True)
    sla_status = fields.Selection(SLA_STATUSES, string="SLA Status", readonly=True)

    # measures
    dispute_count = fields.Integer(string="# Disputes", readonly=True)
    amount_disputed_company = fields.Monetary(
        string="Disputed", readonly=True, currency_field="currency_id"
    )
    amount_disputed_original_company = fields.Monetary(
        string="Originally Disputed", readonly=True, currency_field="currency_id"
    )
    amount_remaining_company = fields.Monetary(
        string="Still Disputed",
        readonly=True,
        currency_field="currency_id",
        help="Disputed amount still due on the invoices of open disputes.",
    )
    amount_credited_company = fields.Monetary(
        string="Credited", readonly=True, currency_field="currency_id"
    )
    amount_written_off_company = fields.Monetary(
        string="Written Off", readonly=True, currency_field="currency_id"
    )
    days_to_first_response = fields.Float(
        digits=(16, 2), readonly=True, aggregator="avg"
    )
    days_to_resolve = fields.Float(digits=(16, 2), readonly=True, aggregator="avg")
    days_open = fields.Integer(
        readonly=True,
        aggregator="avg",
        help="Days from opening to closing, or to today for open disputes.",
    )
    within_sla = fields.Float(
        string="Within SLA",
        digits=(16, 2),
        readonly=True,
        aggregator="avg",
        help="1 for a dispute closed (or still open) within its SLA deadline, 0 "
        "otherwise; averaged, the share of disputes within SLA.",
    )
    rating = fields.Float(digits=(16, 2), readonly=True, aggregator="avg")
    cost_of_dispute = fields.Monetary(
        readonly=True,
        currency_field="currency_id",
        help="Cost of the cash the dispute holds up: amount held x days open x "
        "the company's annual cost of capital / 365.",
    )

    # ------------------------------------------------------------
    # SQL VIEW
    # ------------------------------------------------------------

    def init(self):
        create_report_view(self)

    def _select(self):
        today = SQL("(now() AT TIME ZONE 'UTC')")
        days_open = SQL(
            "(COALESCE(d.date_closed, %s)::date - d.date_open::date)", today
        )
        held = SQL(
            "(CASE WHEN d.is_closed THEN d.amount_disputed_company "
            "ELSE COALESCE(remaining.amount, 0.0) END)"
        )
        return SQL(
            """
            SELECT
                d.id AS id,
                d.id AS dispute_id,
                d.name AS name,
                d.date_open AS date_open,
                d.date_closed AS date_closed,
                d.is_closed AS is_closed,
                d.company_id AS company_id,
                company.currency_id AS currency_id,
                d.partner_id AS partner_id,
                partner.country_id AS country_id,
                (
                    SELECT MIN(tag.category_id)
                    FROM res_partner_res_partner_category_rel tag
                    WHERE tag.partner_id = d.partner_id
                ) AS partner_category_id,
                d.category_id AS category_id,
                d.root_cause_id AS root_cause_id,
                d.team_id AS team_id,
                d.user_id AS user_id,
                d.stage_id AS stage_id,
                d.resolution AS resolution,
                d.priority AS priority,
                d.sla_status AS sla_status,
                1 AS dispute_count,
                d.amount_disputed_company AS amount_disputed_company,
                d.amount_disputed_original_company
                    AS amount_disputed_original_company,
                CASE WHEN d.is_closed THEN 0.0
                    ELSE COALESCE(remaining.amount, 0.0)
                END AS amount_remaining_company,
                COALESCE(%(credited)s, 0.0) AS amount_credited_company,
                COALESCE(%(written_off)s, 0.0) AS amount_written_off_company,
                EXTRACT(EPOCH FROM d.first_response_date - d.date_open) / 86400.0
                    AS days_to_first_response,
                EXTRACT(EPOCH FROM d.date_closed - d.date_open) / 86400.0
                    AS days_to_resolve,
                %(days_open)s AS days_open,
                CASE
                    WHEN d.sla_deadline IS NULL THEN NULL
                    WHEN COALESCE(d.date_closed, %(today)s) <= d.sla_deadline
                        THEN 1.0
                    ELSE 0.0
                END AS within_sla,
                rating.average AS rating,
                ROUND(
                    (%(held)s * %(days_open)s
                    * COALESCE(company.dispute_cost_of_capital_rate, 0.0)
                    / 100.0 / 365.0)::numeric,
                    2
                ) AS cost_of_dispute
            """,
            credited=SQL(
                """(
                SELECT SUM(ABS(move.amount_total_signed))
                FROM account_dispute_credit_note_rel rel
                JOIN account_move move ON move.id = rel.move_id
                WHERE rel.dispute_id = d.id AND move.state = 'posted'
            )"""
            ),
            # What the write-off entries took off the receivable
            written_off=SQL(
                """(
                SELECT -SUM(item.balance)
                FROM account_dispute_writeoff_move_rel rel
                JOIN account_move move ON move.id = rel.move_id
                JOIN account_move_line item ON item.move_id = move.id
                JOIN account_account account ON account.id = item.account_id
                WHERE rel.dispute_id = d.id
                    AND move.state = 'posted'
                    AND account.account_type = 'asset_receivable'
            )"""
            ),
            days_open=days_open,
            today=today,
            held=held,
        )

    def _from(self):
        return SQL(
            """
            FROM account_dispute d
            JOIN res_company company ON company.id = d.company_id
            JOIN res_partner partner ON partner.id = d.partner_id
            LEFT JOIN (
                SELECT line.dispute_id,
                    SUM(LEAST(
                        line.amount_disputed_company,
                        GREATEST(move.amount_residual_signed, 0.0)
                    )) AS amount
                FROM account_dispute_line line
                JOIN account_move move ON move.id = line.move_id
                GROUP BY line.dispute_id
            ) remaining ON remaining.dispute_id = d.id
            LEFT JOIN (
                SELECT res_id, AVG(rating) AS average
                FROM rating_rating
                WHERE res_model = 'account.dispute' AND consumed AND rating > 0
                GROUP BY res_id
            ) rating ON rating.res_id = d.id
            """
        )

    def _where(self):
        return SQL("")

    def _group_by(self):
        return SQL("")
