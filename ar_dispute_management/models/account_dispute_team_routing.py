from odoo import fields, models


class AccountDisputeTeam(models.Model):
    _inherit = "account.dispute.team"

    resource_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Working Hours",
        default=lambda self: self.env.company.resource_calendar_id,
        check_company=True,
        help="Service level times are counted in these working hours.",
    )
    last_assigned_user_id = fields.Many2one(
        "res.users",
        readonly=True,
        copy=False,
        help="Member who received the last round-robin assignment.",
    )

    def _get_assignable_users(self, company):
        """Members who may handle a dispute of ``company``: active internal
        users allowed in that company, by id."""
        self.ensure_one()
        users = self.with_context(active_test=False).member_ids
        return users.filtered(
            lambda user: user.active and not user.share and company in user.company_ids
        ).sorted("id")
