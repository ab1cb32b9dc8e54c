from odoo import api, fields, models
from odoo.tools.sql import column_exists, create_column, create_index


class AccountMove(models.Model):
    _inherit = "account.move"

    dispute_line_ids = fields.One2many(
        "account.dispute.line", "move_id", string="Disputed Items", copy=False
    )
    dispute_ids = fields.Many2many(
        "account.dispute",
        string="Disputes",
        compute="_compute_dispute_ids",
        search="_search_dispute_ids",
    )
    dispute_count = fields.Integer(compute="_compute_dispute_ids")
    dispute_hold = fields.Boolean(
        string="On Hold",
        compute="_compute_dispute_hold",
        store=True,
        precompute=True,
        copy=False,
        help="An open dispute covers this invoice: it is not to be collected "
        "until the dispute is resolved.",
    )
    amount_disputed = fields.Monetary(
        string="Disputed",
        compute="_compute_amount_disputed",
        help="Amount under open disputes, in the invoice's currency, never more "
        "than what is still due.",
    )
    amount_undisputed = fields.Monetary(
        string="Undisputed Due",
        compute="_compute_amount_disputed",
        help="Amount due that is not disputed: what may still be collected.",
    )

    def _auto_init(self):
        # No dispute exists when the addon installs: create the column empty (NULL
        # reads as False) instead of computing the hold of every existing invoice.
        if not column_exists(self.env.cr, "account_move", "dispute_hold"):
            create_column(self.env.cr, "account_move", "dispute_hold", "boolean")
        return super()._auto_init()

    def init(self):
        super().init()
        # Few invoices are on hold at any time: index only those.
        create_index(
            self.env.cr,
            indexname="account_move_dispute_hold_idx",
            tablename="account_move",
            expressions=["id"],
            where="dispute_hold IS TRUE",
        )
        return None

    @api.depends("dispute_line_ids.dispute_id")
    def _compute_dispute_ids(self):
        for move in self:
            move.dispute_ids = move.dispute_line_ids.dispute_id
            move.dispute_count = len(move.dispute_ids)

    def _search_dispute_ids(self, operator, value):
        return [("dispute_line_ids.dispute_id", operator, value)]

    @api.depends("dispute_line_ids.is_closed")
    def _compute_dispute_hold(self):
        for move in self:
            move.dispute_hold = any(
                not line.is_closed for line in move.dispute_line_ids
            )

    @api.depends(
        "dispute_line_ids.is_closed",
        "dispute_line_ids.amount_disputed",
        "amount_residual",
    )
    def _compute_amount_disputed(self):
        for move in self:
            open_lines = move.dispute_line_ids.filtered(lambda line: not line.is_closed)
            disputed = sum(open_lines.mapped("amount_disputed"))
            due = max(move.amount_residual, 0.0)
            move.amount_disputed = min(disputed, due)
            move.amount_undisputed = due - move.amount_disputed

    def action_raise_dispute(self):
        """Open the dispute wizard on the selected customer invoices."""
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Raise Dispute"),
            "res_model": "account.dispute.raise.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "active_model": "account.move",
                "active_ids": self.ids,
            },
        }

    def action_view_disputes(self):
        self.ensure_one()
        return self.dispute_ids._get_records_action(
            name=self.env._("Disputes of %(invoice)s", invoice=self.name),
            context={"create": False},
        )
