from odoo import fields, models

from .account_dispute import PRIORITIES


class AccountDisputePriorityRule(models.Model):
    """Raises the priority of new disputes from their amount or customer."""

    _name = "account.dispute.priority.rule"
    _description = "Dispute Priority Criterion"
    _order = "priority desc, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", index=True, help="Leave empty to apply it in every company."
    )
    amount_min = fields.Float(
        string="Disputed from",
        help="Disputed amount in the company's currency from which the criterion "
        "applies (0: any amount).",
    )
    partner_category_ids = fields.Many2many(
        "res.partner.category",
        string="Customer Tags",
        help="The criterion applies only to customers with one of these tags.",
    )
    priority = fields.Selection(PRIORITIES, required=True, default="2")

    def _matches(self, dispute):
        self.ensure_one()
        if self.company_id and self.company_id != dispute.company_id:
            return False
        if self.amount_min and dispute.amount_disputed_company < self.amount_min:
            return False
        if self.partner_category_ids and not (
            dispute.partner_id.category_id & self.partner_category_ids
        ):
            return False
        return True
