from odoo import models


class ResUsers(models.Model):
    _inherit = "res.users"

    def write(self, vals):
        if "active" in vals and not vals["active"]:
            self._hand_over_disputes()
        return super().write(vals)

    def action_archive(self):
        # mail deletes the activities of archived users before archiving them:
        # hand the dispute ones over first.
        self._hand_over_disputes()
        return super().action_archive()

    def _hand_over_disputes(self):
        """Give the open disputes of these users, and their open activities on
        disputes, to each dispute's team leader."""
        leaving = self.filtered("active")
        if not leaving:
            return
        Dispute = self.env["account.dispute"].sudo()
        for dispute in Dispute.search(
            [("user_id", "in", leaving.ids), ("is_closed", "=", False)]
        ):
            leader = dispute._get_handover_user(leaving)
            if leader:
                # Reassigning moves the assignee's activities along.
                dispute.user_id = leader
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [("res_model", "=", "account.dispute"), ("user_id", "in", leaving.ids)]
            )
        )
        for activity in activities:
            dispute = Dispute.browse(activity.res_id)
            leader = dispute._get_handover_user(leaving)
            if leader:
                activity.user_id = leader
