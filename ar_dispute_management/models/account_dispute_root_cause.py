from odoo import fields, models


class AccountDisputeRootCause(models.Model):
    """Cause found by the team, as opposed to the reason the customer gave."""

    _name = "account.dispute.root.cause"
    _description = "Dispute Root Cause"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The code of a root cause must be unique."),
    ]
