from odoo import fields, models

from .account_dispute import PRIORITIES


class AccountDisputeCategory(models.Model):
    """Reason code given by the customer when a dispute is raised."""

    _name = "account.dispute.category"
    _description = "Dispute Reason"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    team_id = fields.Many2one(
        "account.dispute.team",
        string="Default Team",
        help="Team that receives disputes of this reason unless a rule says otherwise.",
    )
    priority = fields.Selection(PRIORITIES, string="Default Priority", default="1")
    description = fields.Text(translate=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The code of a dispute reason must be unique."),
    ]
