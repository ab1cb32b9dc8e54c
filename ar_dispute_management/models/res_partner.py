from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    dispute_ids = fields.One2many("account.dispute", "partner_id", string="Disputes")
    dispute_count = fields.Integer(
        compute="_compute_dispute_totals",
        groups="ar_dispute_management.group_dispute_user",
    )
    dispute_open_count = fields.Integer(
        string="Open Disputes",
        compute="_compute_dispute_totals",
        groups="ar_dispute_management.group_dispute_user",
    )
    amount_disputed_open = fields.Monetary(
        string="Open Disputed Amount",
        compute="_compute_dispute_totals",
        groups="ar_dispute_management.group_dispute_user",
        help="Amount under open disputes in the current company, in its currency.",
    )

    def _compute_dispute_totals(self):
        commercial = self.commercial_partner_id
        totals = {
            (partner, is_closed): (count, amount)
            for partner, is_closed, count, amount in self.env[
                "account.dispute"
            ]._read_group(
                [
                    ("partner_id", "in", commercial.ids),
                    ("company_id", "=", self.env.company.id),
                ],
                groupby=["partner_id", "is_closed"],
                aggregates=["__count", "amount_disputed_company:sum"],
            )
        }
        for partner in self:
            entity = partner.commercial_partner_id
            open_count, open_amount = totals.get((entity, False), (0, 0.0))
            closed_count = totals.get((entity, True), (0, 0.0))[0]
            partner.dispute_count = open_count + closed_count
            partner.dispute_open_count = open_count
            partner.amount_disputed_open = open_amount

    def action_view_disputes(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Disputes"),
            "res_model": "account.dispute",
            "view_mode": "list,kanban,form",
            "domain": [("partner_id", "=", self.commercial_partner_id.id)],
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }
