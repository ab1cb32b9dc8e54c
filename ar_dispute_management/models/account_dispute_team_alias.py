from ast import literal_eval

from odoo import models


class AccountDisputeTeam(models.Model):
    """Each team gets an email alias: customer emails sent to it open disputes."""

    _name = "account.dispute.team"
    _inherit = ["account.dispute.team", "mail.alias.mixin"]

    def _alias_get_creation_values(self):
        values = super()._alias_get_creation_values()
        values["alias_model_id"] = self.env["ir.model"]._get_id("account.dispute")
        if self.id:
            defaults = literal_eval(self.alias_defaults or "{}")
            defaults["team_id"] = self.id
            values["alias_defaults"] = defaults
        return values
