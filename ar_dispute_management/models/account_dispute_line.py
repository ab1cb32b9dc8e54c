from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import float_compare, float_is_zero
from odoo.tools.misc import formatLang


class AccountDisputeLine(models.Model):
    """One disputed item: a whole invoice, part of it, or one of its lines."""

    _name = "account.dispute.line"
    _description = "Disputed Item"
    _order = "dispute_id, id"
    _check_company_auto = True

    dispute_id = fields.Many2one(
        "account.dispute", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    is_closed = fields.Boolean(
        related="dispute_id.is_closed", store=True, precompute=True
    )
    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        domain=[("move_type", "=", "out_invoice"), ("state", "=", "posted")],
    )
    currency_id = fields.Many2one(related="move_id.currency_id", store=True)
    company_currency_id = fields.Many2one(related="move_id.company_currency_id")
    invoice_line_id = fields.Many2one(
        "account.move.line",
        index="btree_not_null",
        ondelete="set null",
        domain="[('move_id', '=', move_id), ('display_type', '=', 'product')]",
        help="Leave empty to dispute the invoice as a whole.",
    )
    product_id = fields.Many2one(related="invoice_line_id.product_id")
    quantity = fields.Float(
        digits="Product Unit of Measure",
        help="Disputed quantity of the invoice line.",
    )
    amount_disputed_original = fields.Monetary(
        string="Originally Disputed",
        compute="_compute_amount_disputed_original",
        store=True,
        readonly=False,
        precompute=True,
        help="Amount the customer disputed, in the invoice's currency. Defaults to "
        "what is still due, or to the invoice line's total for the disputed quantity.",
    )
    amount_disputed = fields.Monetary(
        string="Disputed Amount",
        compute="_compute_amount_disputed",
        store=True,
        help="What remains disputed, in the invoice's currency: the originally "
        "disputed amount, reduced when payments or credit notes bring the invoice "
        "below it. Writing it sets the originally disputed amount.",
    )
    amount_disputed_company = fields.Monetary(
        string="Disputed (Company Currency)",
        compute="_compute_amount_disputed_company",
        store=True,
        currency_field="company_currency_id",
        help="Disputed amount at the rate the invoice was booked with.",
    )

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains(
        "move_id", "invoice_line_id", "quantity", "amount_disputed_original"
    )
    def _check_disputed_item(self):
        self._check_move_matches_dispute()
        for line in self:
            rounding = line.currency_id.rounding
            if (
                float_compare(
                    line.amount_disputed_original, 0.0, precision_rounding=rounding
                )
                <= 0
            ):
                raise ValidationError(
                    self.env._(
                        "The disputed amount on %(invoice)s must be greater than zero.",
                        invoice=line.move_id.name,
                    )
                )
            if not line.invoice_line_id:
                continue
            inv_line = line.invoice_line_id
            if inv_line.move_id != line.move_id or inv_line.display_type != "product":
                raise ValidationError(
                    self.env._(
                        "The disputed line must be a product line of %(invoice)s.",
                        invoice=line.move_id.name,
                    )
                )
            if line.quantity < 0 or (
                float_compare(line.quantity, inv_line.quantity, precision_digits=6) > 0
            ):
                raise ValidationError(
                    self.env._(
                        "The disputed quantity of “%(line)s” must be between 0 and the "
                        "invoiced quantity (%(quantity)s).",
                        line=inv_line.name or inv_line.product_id.display_name,
                        quantity=inv_line.quantity,
                    )
                )
            line_total = abs(inv_line.price_total)
            if (
                float_compare(
                    line.amount_disputed_original,
                    line_total,
                    precision_rounding=rounding,
                )
                > 0
            ):
                raise ValidationError(
                    self.env._(
                        "You cannot dispute %(amount)s on “%(line)s” of %(invoice)s: "
                        "the line totals %(total)s.",
                        amount=formatLang(
                            self.env,
                            line.amount_disputed_original,
                            currency_obj=line.currency_id,
                        ),
                        line=inv_line.name or inv_line.product_id.display_name,
                        invoice=line.move_id.name,
                        total=formatLang(
                            self.env, line_total, currency_obj=line.currency_id
                        ),
                    )
                )
        self._check_amount_within_due()

    def _check_move_matches_dispute(self):
        """Each item is a posted customer invoice of the dispute's customer,
        company and currency."""
        for line in self:
            move, dispute = line.move_id, line.dispute_id
            if move.move_type != "out_invoice" or move.state != "posted":
                raise ValidationError(
                    self.env._(
                        "Only posted customer invoices can be disputed; "
                        "%(invoice)s is not one.",
                        invoice=move.display_name,
                    )
                )
            if move.commercial_partner_id != dispute.partner_id:
                raise ValidationError(
                    self.env._(
                        "Invoice %(invoice)s belongs to %(invoice_partner)s, not to "
                        "%(partner)s: a dispute covers the invoices of one customer.",
                        invoice=move.name,
                        invoice_partner=move.commercial_partner_id.display_name,
                        partner=dispute.partner_id.display_name,
                    )
                )
            if move.company_id != dispute.company_id:
                raise ValidationError(
                    self.env._(
                        "Invoice %(invoice)s belongs to the company "
                        "%(invoice_company)s, not to %(company)s.",
                        invoice=move.name,
                        invoice_company=move.company_id.name,
                        company=dispute.company_id.name,
                    )
                )
            if move.currency_id != dispute.currency_id:
                raise ValidationError(
                    self.env._(
                        "Invoice %(invoice)s is in %(invoice_currency)s while the "
                        "dispute is in %(currency)s: a dispute covers invoices of one "
                        "currency.",
                        invoice=move.name,
                        invoice_currency=move.currency_id.name,
                        currency=dispute.currency_id.name,
                    )
                )

    def _check_amount_within_due(self):
        """What is newly disputed on an invoice fits in what it still owes, next to
        what its other open disputes keep, compared in the invoice's currency.

        Only the items in ``self`` (created, edited or reopened) are checked at
        their original amount: the other items may already have shrunk with
        payments and keep their remaining amount.
        """
        if self.env.context.get("dispute_ledger_sync"):
            return
        for move in self.move_id:
            open_lines = move.dispute_line_ids.filtered(lambda line: not line.is_closed)
            checked = open_lines & self
            others = open_lines - checked
            kept = min(
                sum(others.mapped("amount_disputed_original")),
                max(move.amount_residual, 0.0),
            )
            total = kept + sum(checked.mapped("amount_disputed_original"))
            rounding = move.currency_id.rounding
            if (
                float_compare(total, move.amount_residual, precision_rounding=rounding)
                > 0
            ):
                raise ValidationError(
                    self.env._(
                        "Invoice %(invoice)s still owes %(due)s, but its open disputes "
                        "would total %(total)s.",
                        invoice=move.name,
                        due=formatLang(
                            self.env,
                            move.amount_residual,
                            currency_obj=move.currency_id,
                        ),
                        total=formatLang(
                            self.env, total, currency_obj=move.currency_id
                        ),
                    )
                )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("move_id", "invoice_line_id", "quantity")
    def _compute_amount_disputed_original(self):
        for line in self:
            inv_line = line.invoice_line_id
            if inv_line:
                if float_is_zero(line.quantity, precision_digits=6) or not (
                    inv_line.quantity
                ):
                    ratio = 1.0
                else:
                    ratio = min(line.quantity / inv_line.quantity, 1.0)
                line.amount_disputed_original = line.currency_id.round(
                    abs(inv_line.price_total) * ratio
                )
            elif line.move_id:
                already = line.move_id.dispute_line_ids.filtered(
                    lambda other, line=line: not other.is_closed and other != line
                )
                line.amount_disputed_original = max(
                    line.move_id.amount_residual
                    - sum(already.mapped("amount_disputed")),
                    0.0,
                )
            else:
                line.amount_disputed_original = 0.0

    @api.depends(
        "amount_disputed_original",
        "is_closed",
        "dispute_id.date_open",
        "move_id.state",
        "move_id.amount_residual",
        "move_id.dispute_line_ids.amount_disputed_original",
        "move_id.dispute_line_ids.is_closed",
    )
    def _compute_amount_disputed(self):
        """Share what each invoice still owes among its open items, oldest dispute
        first; a closed item keeps at most what the invoice still owes."""
        for line in self.filtered(lambda line: not line.move_id):
            line.amount_disputed = line.amount_disputed_original
        for move in self.move_id:
            due = max(move.amount_residual, 0.0) if move.state != "cancel" else 0.0
            lines = move.dispute_line_ids
            open_lines = lines.filtered(lambda line: not line.is_closed).sorted(
                lambda line: (line.dispute_id.date_open, line.dispute_id.id, line.id)
            )
            left = due
            for line in open_lines:
                line.amount_disputed = min(line.amount_disputed_original, left)
                left -= line.amount_disputed
            for line in lines - open_lines:
                line.amount_disputed = min(line.amount_disputed_original, due)
            for line in self.filtered(lambda line, move=move: line.move_id == move):
                if line not in lines:
                    # a new record not yet in the invoice's one2many
                    line.amount_disputed = min(line.amount_disputed_original, due)

    @api.depends("amount_disputed", "move_id")
    def _compute_amount_disputed_company(self):
        for line in self:
            move = line.move_id
            if move.currency_id == move.company_currency_id or not move.amount_total:
                line.amount_disputed_company = line.amount_disputed
            else:
                rate = abs(move.amount_total_signed) / move.amount_total
                line.amount_disputed_company = move.company_currency_id.round(
                    line.amount_disputed * rate
                )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model
    def _map_amount_disputed(self, vals):
        """Callers give the amount they dispute as ``amount_disputed``: it is the
        originally disputed amount, from which the remaining one is derived."""
        if "amount_disputed" in vals:
            amount = vals.pop("amount_disputed")
            vals.setdefault("amount_disputed_original", amount)
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        return super().create([self._map_amount_disputed(dict(v)) for v in vals_list])

    def write(self, vals):
        return super().write(self._map_amount_disputed(dict(vals)))
