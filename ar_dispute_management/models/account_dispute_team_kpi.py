from datetime import timedelta

from odoo import api, fields, models


class AccountDisputeTeam(models.Model):
    _inherit = "account.dispute.team"

    kpi_currency_id = fields.Many2one(
        "res.currency", compute="_compute_kpis", string="KPI Currency"
    )
    kpi_open_count = fields.Integer(string="Open Disputes", compute="_compute_kpis")
    kpi_open_amount = fields.Monetary(
        string="Open Disputed Amount",
        compute="_compute_kpis",
        currency_field="kpi_currency_id",
        help="Disputed amount of the open disputes, in the currency of the "
        "team's company (or of the current company for a shared team).",
    )
    kpi_sla_at_risk_count = fields.Integer(
        string="SLA at Risk", compute="_compute_kpis"
    )
    kpi_sla_breached_count = fields.Integer(
        string="SLA Breached", compute="_compute_kpis"
    )
    kpi_days_to_resolve = fields.Float(
        string="Days to Resolve (30 days)",
        digits=(16, 1),
        compute="_compute_kpis",
        help="Average days from opening to closing of the disputes closed in "
        "the last 30 days.",
    )
    kpi_rating = fields.Float(
        string="Satisfaction",
        digits=(16, 1),
        compute="_compute_kpis",
        help="Average rating given by customers on the team's disputes (1 to 5).",
    )
    kpi_has_sla = fields.Boolean(compute="_compute_kpis")

    @api.depends_context("company", "allowed_company_ids")
    def _compute_kpis(self):
        Dispute = self.env["account.dispute"]
        has_sla = "sla_status" in Dispute._fields
        open_domain = [("team_id", "in", self.ids), ("is_closed", "=", False)]
        open_counts = {
            team.id: (count, amount)
            for team, count, amount in Dispute._read_group(
                open_domain, ["team_id"], ["__count", "amount_disputed_company:sum"]
            )
        }
        sla_counts = {}
        if has_sla:
            for team, status, count in Dispute._read_group(
                open_domain + [("sla_status", "in", ("at_risk", "breached"))],
                ["team_id", "sla_status"],
                ["__count"],
            ):
                sla_counts[team.id, status] = count
        resolve_days = self._kpi_days_to_resolve()
        ratings = self._kpi_ratings()

        for team in self:
            count, amount = open_counts.get(team.id, (0, 0.0))
            team.kpi_currency_id = (team.company_id or self.env.company).currency_id
            team.kpi_open_count = count
            team.kpi_open_amount = amount
            team.kpi_has_sla = has_sla
            team.kpi_sla_at_risk_count = sla_counts.get((team.id, "at_risk"), 0)
            team.kpi_sla_breached_count = sla_counts.get((team.id, "breached"), 0)
            team.kpi_days_to_resolve = resolve_days.get(team.id, 0.0)
            team.kpi_rating = ratings.get(team.id, 0.0)

    def _kpi_days_to_resolve(self):
        since = fields.Datetime.now() - timedelta(days=30)
        days = {}
        for dispute in self.env["account.dispute"].search(
            [
                ("team_id", "in", self.ids),
                ("is_closed", "=", True),
                ("date_closed", ">=", since),
            ]
        ):
            days.setdefault(dispute.team_id.id, []).append(
                (dispute.date_closed - dispute.date_open).total_seconds() / 86400.0
            )
        return {team_id: sum(values) / len(values) for team_id, values in days.items()}

    def _kpi_ratings(self):
        """Average consumed rating per team, read through the report view so that
        the record rules of the current user apply."""
        return {
            team.id: rating
            for team, rating in self.env["account.dispute.report"]._read_group(
                [("team_id", "in", self.ids), ("rating", "!=", False)],
                ["team_id"],
                ["rating:avg"],
            )
        }

    def action_open_team_disputes(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "ar_dispute_management.account_dispute_action"
        )
        action["domain"] = [("team_id", "=", self.id)]
        action["context"] = {"default_team_id": self.id, "search_default_open": 1}
        return action
