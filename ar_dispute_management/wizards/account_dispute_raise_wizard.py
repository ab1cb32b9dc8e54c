from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..models.account_dispute import PRIORITIES


class AccountDisputeRaiseWizard(models.TransientModel):
    """Gather what the accountant says about one or more invoices, then hand it to
    ``account.dispute.create()``, which does all the checking."""

    _name = "account.dispute.raise.wizard"
    _description = "Raise a Dispute"

    move_ids = fields.Many2many("account.move", string="Invoices", readonly=True)
    partner_id = fields.Many2one(
        "res.partner", compute="_compute_partner_id", string="Customer"
    )
    category_id = fields.Many2one(
        "account.dispute.category", string="Reason", required=True
    )
    priority = fields.Selection(
        PRIORITIES,
        compute="_compute_priority",
        store=True,
        readonly=False,
    )
    description = fields.Html(string="What is wrong?")
    line_ids = fields.One2many(
        "account.dispute.raise.wizard.line", "wizard_id", string="Disputed Items"
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") != "account.move":
            return values
        moves = self.env["account.move"].browse(self.env.context.get("active_ids", []))
        if not moves:
            raise UserError(self.env._("Select at least one customer invoice."))
        values["move_ids"] = [Command.set(moves.ids)]
        if "line_ids" in fields_list:
            values["line_ids"] = [
                Command.create({"move_id": move.id}) for move in moves
            ]
        return values

    @api.depends("move_ids")
    def _compute_partner_id(self):
        for wizard in self:
            wizard.partner_id = wizard.move_ids.commercial_partner_id[:1]

    @api.depends("category_id")
    def _compute_priority(self):
        for wizard in self:
            wizard.priority = wizard.category_id.priority or wizard.priority or "1"

    def _prepare_dispute_values(self):
        self.ensure_one()
        if not self.line_ids:
            raise UserError(self.env._("Add at least one disputed item."))
        return {
            "partner_id": self.line_ids.move_id.commercial_partner_id[:1].id,
            "company_id": self.line_ids.move_id.company_id[:1].id,
            "category_id": self.category_id.id,
            "priority": self.priority,
            "description": self.description,
            "line_ids": [
                Command.create(
                    {
                        "move_id": line.move_id.id,
                        "invoice_line_id": line.invoice_line_id.id,
                        "quantity": line.quantity,
                        "amount_disputed": line.amount_disputed,
                    }
                )
                for line in self.line_ids
            ],
        }

    def action_confirm(self):
        self.ensure_one()
        dispute = self.env["account.dispute"].create(self._prepare_dispute_values())
        return dispute._get_records_action(name=dispute.name)


class AccountDisputeRaiseWizardLine(models.TransientModel):
    _name = "account.dispute.raise.wizard.line"
    _description = "Raise a Dispute: Item"

    wizard_id = fields.Many2one(
        "account.dispute.raise.wizard", required=True, ondelete="cascade"
    )
    move_id = fields.Many2one("account.move", string="Invoice", required=True)
    currency_id = fields.Many2one(related="move_id.currency_id")
    amount_residual = fields.Monetary(related="move_id.amount_residual", string="Due")
    invoice_line_id = fields.Many2one(
        "account.move.line",
        domain="[('move_id', '=', move_id), ('display_type', '=', 'product')]",
        help="Leave empty to dispute the invoice as a whole.",
    )
    quantity = fields.Float(digits="Product Unit of Measure")
    amount_disputed = fields.Monetary(
        string="Disputed Amount",
        compute="_compute_amount_disputed",
        store=True,
        readonly=False,
    )

    @api.depends("move_id", "invoice_line_id", "quantity")
    def _compute_amount_disputed(self):
        for line in self:
            inv_line = line.invoice_line_id
            if not inv_line:
                move = line.move_id
                line.amount_disputed = max(
                    move.amount_residual - move.amount_disputed, 0.0
                )
                continue
            ratio = 1.0
            if line.quantity and inv_line.quantity:
                ratio = min(line.quantity / inv_line.quantity, 1.0)
            line.amount_disputed = line.currency_id.round(
                abs(inv_line.price_total) * ratio
            )
