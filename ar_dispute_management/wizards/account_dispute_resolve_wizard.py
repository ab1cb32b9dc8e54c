from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..models.account_dispute_stage import RESOLUTIONS

WIZARD_RESOLUTIONS = [
    (value, label)
    for value, label in RESOLUTIONS
    if value not in ("settled", "cancelled")
]


class AccountDisputeResolveWizard(models.TransientModel):
    """Gather how one or more disputes end; each dispute then books and closes
    itself (or asks for approval) through ``account.dispute._request_resolution``."""

    _name = "account.dispute.resolve.wizard"
    _description = "Resolve Disputes"

    dispute_ids = fields.Many2many("account.dispute", string="Disputes", required=True)
    dispute_count = fields.Integer(compute="_compute_dispute_count")
    resolution = fields.Selection(
        WIZARD_RESOLUTIONS, required=True, default="credit_note"
    )
    resolution_note = fields.Text(
        string="Reason",
        help="Recorded on the dispute; sent to the customer when "
        "the dispute is rejected.",
    )
    root_cause_id = fields.Many2one("account.dispute.root.cause", required=True)
    post_credit_note = fields.Boolean(
        string="Post and Reconcile",
        default=True,
        help="Post the credit notes and reconcile them with the invoices; "
        "otherwise they stay in draft for review.",
    )
    line_ids = fields.One2many(
        "account.dispute.resolve.wizard.line",
        "wizard_id",
        string="Amounts",
        compute="_compute_line_ids",
        store=True,
        readonly=False,
    )

    @api.depends("dispute_ids")
    def _compute_dispute_count(self):
        for wizard in self:
            wizard.dispute_count = len(wizard.dispute_ids)

    @api.depends("dispute_ids")
    def _compute_line_ids(self):
        for wizard in self:
            wizard.line_ids = [Command.clear()] + [
                Command.create(
                    {"dispute_line_id": line.id, "amount": line.amount_disputed}
                )
                for line in wizard.dispute_ids.line_ids
                if not line.currency_id.is_zero(line.amount_disputed)
            ]

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if "dispute_ids" not in values and context.get("active_model") == (
            "account.dispute"
        ):
            values["dispute_ids"] = [Command.set(context.get("active_ids", []))]
        return values

    def action_confirm(self):
        self.ensure_one()
        if not self.dispute_ids:
            raise UserError(self.env._("Select at least one dispute to resolve."))
        waiting = self.env["account.dispute"]
        for dispute in self.dispute_ids:
            amounts = {
                line.dispute_line_id: line.amount
                for line in self.line_ids
                if line.dispute_id == dispute
            }
            done = dispute._request_resolution(
                self.resolution,
                self.resolution_note,
                self.root_cause_id,
                amounts,
                post=self.post_credit_note,
            )
            if not done:
                waiting |= dispute
        if waiting:
            return {
                "type": "ir.actions.client",
                "tag": "display_notification",
                "params": {
                    "type": "warning",
                    "message": self.env._(
                        "Above your approval limit: %(disputes)s now await(s) "
                        "approval.",
                        disputes=", ".join(waiting.mapped("name")),
                    ),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        return {"type": "ir.actions.act_window_close"}


class AccountDisputeResolveWizardLine(models.TransientModel):
    _name = "account.dispute.resolve.wizard.line"
    _description = "Amount Credited or Written Off on a Disputed Item"

    wizard_id = fields.Many2one(
        "account.dispute.resolve.wizard", required=True, ondelete="cascade"
    )
    dispute_line_id = fields.Many2one(
        "account.dispute.line", required=True, ondelete="cascade"
    )
    dispute_id = fields.Many2one(related="dispute_line_id.dispute_id")
    move_id = fields.Many2one(related="dispute_line_id.move_id", string="Invoice")
    invoice_line_id = fields.Many2one(related="dispute_line_id.invoice_line_id")
    currency_id = fields.Many2one(related="dispute_line_id.currency_id")
    amount_remaining = fields.Monetary(
        related="dispute_line_id.amount_disputed", string="Remaining Disputed"
    )
    amount = fields.Monetary(
        string="To Credit / Write Off",
        help="Credit notes and write-offs use this amount; other outcomes ignore it.",
    )
