from odoo import fields, models


class AccountDisputeTeam(models.Model):
    _name = "account.dispute.team"
    _description = "Dispute Team"
    _inherit = ["mail.thread"]
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", default=lambda self: self.env.company, index=True
    )
    leader_id = fields.Many2one(
        "res.users",
        string="Team Leader",
        tracking=True,
        domain=[("share", "=", False)],
    )
    member_ids = fields.Many2many(
        "res.users",
        "account_dispute_team_member_rel",
        "team_id",
        "user_id",
        string="Members",
        domain=[("share", "=", False)],
    )
    dispute_ids = fields.One2many("account.dispute", "team_id", string="Disputes")
    color = fields.Integer()
