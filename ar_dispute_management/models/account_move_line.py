from odoo import api, fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    dispute_hold = fields.Boolean(
        string="On Hold (Dispute)",
        compute="_compute_dispute_hold",
        search="_search_dispute_hold",
        help="A receivable item of an invoice that an open dispute puts on hold: "
        "it is not to be collected until the dispute is resolved.",
    )

    @api.depends("move_id.dispute_hold", "account_type")
    def _compute_dispute_hold(self):
        for line in self:
            line.dispute_hold = (
                line.move_id.dispute_hold and line.account_type == "asset_receivable"
            )

    def _search_dispute_hold(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise NotImplementedError(operator)
        held = [
            ("move_id.dispute_hold", "=", True),
            ("account_type", "=", "asset_receivable"),
        ]
        if (operator == "=") == value:
            return held
        return ["!", "&", *held]
