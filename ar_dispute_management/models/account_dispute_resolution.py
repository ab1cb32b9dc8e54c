import logging

from odoo import Command, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare
from odoo.tools.misc import formatLang

from .account_dispute_stage import RESOLUTIONS

_logger = logging.getLogger(__name__)

MONEY_RESOLUTIONS = ("credit_note", "write_off")

APPROVAL_STATES = [
    ("none", "Not Needed"),
    ("pending", "Awaiting Approval"),
    ("approved", "Approved"),
    ("refused", "Refused"),
]


class AccountDispute(models.Model):
    """Resolution of a dispute through the ledger, and the amounts that follow it."""

    _inherit = "account.dispute"

    amount_disputed_original = fields.Monetary(
        string="Originally Disputed",
        compute="_compute_amount_disputed_original",
        store=True,
        help="Total the customer disputed, in the invoices' currency; the disputed "
        "amount is what remains of it.",
    )
    credit_note_ids = fields.Many2many(
        "account.move",
        "account_dispute_credit_note_rel",
        "dispute_id",
        "move_id",
        string="Credit Notes",
        copy=False,
        readonly=True,
    )
    writeoff_move_ids = fields.Many2many(
        "account.move",
        "account_dispute_writeoff_move_rel",
        "dispute_id",
        "move_id",
        string="Write-offs",
        copy=False,
        readonly=True,
    )
    settled_from_stage_id = fields.Many2one(
        "account.dispute.stage",
        copy=False,
        readonly=True,
        help="Stage the dispute was in when payments settled it: it returns there "
        "if the settlement is undone in the ledger.",
    )
    approval_state = fields.Selection(
        APPROVAL_STATES,
        default="none",
        required=True,
        copy=False,
        tracking=True,
        index=True,
    )
    approval_user_id = fields.Many2one(
        "res.users", string="Approver", copy=False, readonly=True
    )
    approval_requested_by_id = fields.Many2one(
        "res.users", string="Approval Requested by", copy=False, readonly=True
    )
    pending_resolution = fields.Selection(
        RESOLUTIONS, string="Proposed Resolution", copy=False, readonly=True
    )
    pending_resolution_note = fields.Text(
        string="Proposed Resolution Note", copy=False, readonly=True
    )
    pending_root_cause_id = fields.Many2one(
        "account.dispute.root.cause",
        string="Proposed Root Cause",
        copy=False,
        readonly=True,
    )
    pending_amount = fields.Monetary(
        string="Amount to Approve", copy=False, readonly=True
    )
    pending_post = fields.Boolean(copy=False, readonly=True)

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("line_ids.amount_disputed_original")
    def _compute_amount_disputed_original(self):
        for dispute in self:
            dispute.amount_disputed_original = sum(
                dispute.line_ids.mapped("amount_disputed_original")
            )

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_resolve_wizard(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Resolve Dispute"),
            "res_model": "account.dispute.resolve.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_dispute_ids": [Command.set(self.ids)]},
        }

    def action_approve_resolution(self):
        """Approve the proposed resolution and carry it out."""
        for dispute in self:
            dispute._check_pending_approval()
            if not dispute._can_approve(dispute.pending_amount, self.env.user):
                raise UserError(
                    self.env._(
                        "Your approval limit does not cover %(amount)s on %(dispute)s.",
                        amount=dispute._format_company_amount(
                            dispute._company_amount(dispute.pending_amount)
                        ),
                        dispute=dispute.name,
                    )
                )
            amounts = {
                line: line.pending_amount
                for line in dispute.line_ids
                if line.pending_amount
            }
            values = dict(
                resolution=dispute.pending_resolution,
                note=dispute.pending_resolution_note,
                root_cause=dispute.pending_root_cause_id,
                amounts=amounts,
                post=dispute.pending_post,
            )
            dispute._close_approval("approved")
            # payments may have reduced what is disputed since the request
            dispute._check_resolvable(
                values["resolution"], values["root_cause"], amounts
            )
            dispute._execute_resolution(**values)
            dispute._notify_approval(
                self.env._(
                    "%(user)s approved the resolution (%(resolution)s).",
                    user=self.env.user.name,
                    resolution=dispute._resolution_label(values["resolution"]),
                )
            )
        return True

    def action_refuse_resolution(self):
        for dispute in self:
            dispute._check_pending_approval()
            resolution = dispute.pending_resolution
            dispute._close_approval("refused")
            dispute._notify_approval(
                self.env._(
                    "%(user)s refused the proposed resolution (%(resolution)s); "
                    "the dispute stays open.",
                    user=self.env.user.name,
                    resolution=dispute._resolution_label(resolution),
                )
            )
        return True

    def action_view_credit_notes(self):
        self.ensure_one()
        return (self.credit_note_ids | self.writeoff_move_ids)._get_records_action(
            name=self.env._("Entries of %(dispute)s", dispute=self.name),
            context={"create": False},
        )

    # ------------------------------------------------------------
    # BUSINESS METHODS: resolving
    # ------------------------------------------------------------

    def _request_resolution(self, resolution, note, root_cause, amounts, post=True):
        """Resolve the dispute now, or ask for approval when the amount exceeds the
        current user's limit. ``amounts`` maps dispute lines to the amount credited
        or written off on each (money outcomes only)."""
        self.ensure_one()
        self._check_resolvable(resolution, root_cause, amounts)
        total = sum(amounts.values()) if resolution in MONEY_RESOLUTIONS else 0.0
        if total and not self._can_approve(total, self.env.user):
            return self._ask_approval(resolution, note, root_cause, amounts, post)
        return self._execute_resolution(resolution, note, root_cause, amounts, post)

    def _check_resolvable(self, resolution, root_cause, amounts):
        if self.is_closed:
            raise UserError(
                self.env._("%(dispute)s is already closed.", dispute=self.name)
            )
        if self.approval_state == "pending":
            raise UserError(
                self.env._(
                    "%(dispute)s already awaits approval of a resolution.",
                    dispute=self.name,
                )
            )
        if not root_cause:
            raise UserError(
                self.env._(
                    "Set the root cause of %(dispute)s before closing it.",
                    dispute=self.name,
                )
            )
        if resolution not in MONEY_RESOLUTIONS:
            return
        for line, amount in amounts.items():
            rounding = line.currency_id.rounding
            if float_compare(amount, 0.0, precision_rounding=rounding) < 0 or (
                float_compare(amount, line.amount_disputed, precision_rounding=rounding)
                > 0
            ):
                raise UserError(
                    self.env._(
                        "On %(invoice)s you may credit or write off between 0 and "
                        "the remaining disputed %(remaining)s, not %(amount)s.",
                        invoice=line.move_id.name,
                        remaining=formatLang(
                            self.env,
                            line.amount_disputed,
                            currency_obj=line.currency_id,
                        ),
                        amount=formatLang(
                            self.env, amount, currency_obj=line.currency_id
                        ),
                    )
                )
        if not any(
            not line.currency_id.is_zero(amount) for line, amount in amounts.items()
        ):
            raise UserError(
                self.env._(
                    "Enter the amount to credit or write off on %(dispute)s.",
                    dispute=self.name,
                )
            )

    def _execute_resolution(self, resolution, note, root_cause, amounts, post=True):
        """Book the outcome in the ledger, then close the dispute in the stage that
        matches the resolution."""
        self.ensure_one()
        amounts = {
            line: amount
            for line, amount in amounts.items()
            if not line.currency_id.is_zero(amount)
        }
        resolving = self.with_context(
            dispute_resolving_ids=[
                *self.env.context.get("dispute_resolving_ids", []),
                self.id,
            ]
        )
        if resolution == "credit_note":
            resolving._create_credit_notes(amounts, post=post)
        elif resolution == "write_off":
            resolving._create_writeoff(amounts)
        elif resolution == "rejected":
            self.message_post(
                body=self.env._(
                    "We have reviewed your dispute %(dispute)s and the invoice "
                    "stands: %(reason)s",
                    dispute=self.name,
                    reason=note or "",
                ),
                partner_ids=self.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
                message_type="comment",
            )
        self._close_with_resolution(
            resolution, resolution_note=note, root_cause_id=root_cause.id
        )
        return True

    def _close_with_resolution(self, resolution, **values):
        stage = self._get_closing_stage(resolution)
        self.write(
            {
                "resolution": resolution,
                "stage_id": stage.id,
                "date_closed": fields.Datetime.now(),
                **values,
            }
        )

    @api.model
    def _get_closing_stage(self, resolution):
        """The closing stage whose default resolution matches, else the first
        closing stage."""
        stages = self.env["account.dispute.stage"]
        stage = stages.search(
            [("is_closed", "=", True), ("resolution", "=", resolution)], limit=1
        ) or stages.search([("is_closed", "=", True)], limit=1)
        if not stage:
            raise UserError(self.env._("No closing stage is configured for disputes."))
        return stage

    def _create_credit_notes(self, amounts, post=True):
        """One credit note per invoice, made by reversing it: the full reversal
        when the whole invoice is credited, otherwise one line per disputed item
        for the credited amount."""
        self.ensure_one()
        credit_notes = self.env["account.move"]
        today = fields.Date.context_today(self)
        for move in self.line_ids.move_id:
            lines = [line for line in amounts if line.move_id == move]
            if not lines:
                continue
            total = sum(amounts[line] for line in lines)
            credit_note = move._reverse_moves(
                [
                    {
                        "ref": self.env._(
                            "Dispute %(dispute)s on %(invoice)s",
                            dispute=self.name,
                            invoice=move.name,
                        ),
                        "date": today,
                        "invoice_date": today,
                        "invoice_date_due": today,
                        "invoice_payment_term_id": False,
                        "invoice_user_id": move.invoice_user_id.id,
                    }
                ]
            )
            if move.currency_id.compare_amounts(total, move.amount_total) != 0:
                credit_note.write(
                    {
                        "invoice_line_ids": [
                            Command.unlink(line.id)
                            for line in credit_note.invoice_line_ids
                        ]
                        + [
                            Command.create(
                                self._prepare_credit_line(line, amounts[line])
                            )
                            for line in lines
                        ]
                    }
                )
            self.credit_note_ids = [Command.link(credit_note.id)]
            if post:
                credit_note.action_post()
                self._reconcile_with_invoice(move, credit_note)
            credit_notes |= credit_note
        return credit_notes

    def _prepare_credit_line(self, dispute_line, amount):
        """A credit note line whose total, taxes included, is ``amount``."""
        move = dispute_line.move_id
        source = (
            dispute_line.invoice_line_id
            or move.invoice_line_ids.filtered(
                lambda line: line.display_type == "product"
            )[:1]
        )
        taxes = source.tax_ids
        per_unit = 1.0
        if taxes:
            per_unit = (
                taxes.compute_all(
                    1.0, currency=move.currency_id, partner=move.partner_id
                )["total_included"]
                or 1.0
            )
        return {
            "name": self.env._(
                "Credit for dispute %(dispute)s: %(item)s",
                dispute=self.name,
                item=source.name or move.name,
            ),
            "product_id": source.product_id.id,
            "account_id": source.account_id.id,
            "quantity": 1.0,
            "price_unit": amount / per_unit,
            "tax_ids": [Command.set(taxes.ids)],
            "analytic_distribution": source.analytic_distribution,
        }

    def _create_writeoff(self, amounts):
        """One ordinary journal entry per invoice, moving its amount from the
        customer's receivable to the write-off account, reconciled with that
        invoice. It is booked in the invoice currency at today's rate; the
        reconciliation books the exchange difference against the invoice's rate."""
        self.ensure_one()
        company = self.company_id
        journal = company.dispute_writeoff_journal_id
        account = (
            self.category_id.writeoff_account_id or company.dispute_writeoff_account_id
        )
        if not journal or not account:
            raise UserError(
                self.env._(
                    "Set the write-off journal and account of %(company)s in the "
                    "accounting settings before writing off a dispute.",
                    company=company.name,
                )
            )
        today = fields.Date.context_today(self)
        currency = self.currency_id
        writeoffs = self.env["account.move"]
        for move in self.line_ids.move_id:
            amount = sum(
                amount for line, amount in amounts.items() if line.move_id == move
            )
            if currency.is_zero(amount):
                continue
            receivable = move.line_ids.filtered(
                lambda line: line.account_id.account_type == "asset_receivable"
            )[:1]
            balance = currency._convert(
                amount, company.currency_id, company, today, round=True
            )
            writeoff = self.env["account.move"].create(
                {
                    "move_type": "entry",
                    "journal_id": journal.id,
                    "date": today,
                    "ref": self.env._(
                        "Dispute %(dispute)s: write-off of %(invoice)s",
                        dispute=self.name,
                        invoice=move.name,
                    ),
                    "line_ids": [
                        Command.create(
                            {
                                "name": self.env._(
                                    "Write-off of %(invoice)s (dispute %(dispute)s)",
                                    invoice=move.name,
                                    dispute=self.name,
                                ),
                                "account_id": receivable.account_id.id,
                                "partner_id": move.commercial_partner_id.id,
                                "currency_id": currency.id,
                                "amount_currency": -amount,
                                "balance": -balance,
                            }
                        ),
                        Command.create(
                            {
                                "name": self.env._(
                                    "Write-off of dispute %(dispute)s",
                                    dispute=self.name,
                                ),
                                "account_id": account.id,
                                "partner_id": self.partner_id.id,
                                "currency_id": currency.id,
                                "amount_currency": amount,
                                "balance": balance,
                            }
                        ),
                    ],
                }
            )
            writeoff.action_post()
            self.writeoff_move_ids = [Command.link(writeoff.id)]
            self._reconcile_with_invoice(move, writeoff)
            writeoffs |= writeoff
        return writeoffs

    @api.model
    def _reconcile_with_invoice(self, invoice, counterpart):
        receivables = (invoice.line_ids | counterpart.line_ids).filtered(
            lambda line: (
                line.account_id.account_type == "asset_receivable"
                and not line.reconciled
                and line.partner_id.commercial_partner_id
                == invoice.commercial_partner_id
            )
        )
        counter_lines = receivables.filtered(lambda line: line.move_id == counterpart)
        if counter_lines and receivables - counter_lines:
            receivables.reconcile()

    # ------------------------------------------------------------
    # BUSINESS METHODS: approval
    # ------------------------------------------------------------

    def _company_amount(self, amount):
        self.ensure_one()
        return self.currency_id._convert(
            amount,
            self.company_id.currency_id,
            self.company_id,
            fields.Date.context_today(self),
        )

    def _format_company_amount(self, amount):
        return formatLang(self.env, amount, currency_obj=self.company_id.currency_id)

    def _can_approve(self, amount, user):
        self.ensure_one()
        limit = user.with_company(self.company_id).dispute_approval_limit
        return (
            float_compare(
                self._company_amount(amount),
                limit,
                precision_rounding=self.company_id.currency_id.rounding,
            )
            <= 0
        )

    def _find_approver(self, amount):
        """The team leader if their limit covers the amount, else a dispute
        administrator of the company whose limit does."""
        self.ensure_one()
        leader = self.team_id.leader_id
        if leader.active and self._can_approve(amount, leader):
            return leader
        limits = (
            self.env["account.dispute.approval.limit"]
            .sudo()
            .search(
                [
                    ("company_id", "=", self.company_id.id),
                    ("user_id.active", "=", True),
                    ("user_id", "!=", self.env.user.id),
                ],
                order="amount, id",
            )
        )
        managers = self.env.ref("ar_dispute_management.group_dispute_manager")
        for limit in limits:
            user = limit.user_id
            if (
                user in managers.users
                and self.company_id in user.company_ids
                and self._can_approve(amount, user)
            ):
                return user
        return self.env["res.users"]

    def _ask_approval(self, resolution, note, root_cause, amounts, post):
        total = sum(amounts.values())
        approver = self._find_approver(total)
        if not approver:
            raise UserError(
                self.env._(
                    "%(amount)s exceeds your approval limit and no dispute "
                    "administrator has a limit that covers it.",
                    amount=self._format_company_amount(self._company_amount(total)),
                )
            )
        for line in self.line_ids:
            line.pending_amount = amounts.get(line, 0.0)
        self.write(
            {
                "approval_state": "pending",
                "approval_user_id": approver.id,
                "approval_requested_by_id": self.env.user.id,
                "pending_resolution": resolution,
                "pending_resolution_note": note,
                "pending_root_cause_id": root_cause.id,
                "pending_amount": total,
                "pending_post": post,
            }
        )
        self.activity_schedule(
            "ar_dispute_management.mail_activity_dispute_approval",
            user_id=approver.id,
            summary=self.env._(
                "Approve %(resolution)s of %(amount)s",
                resolution=self._resolution_label(resolution),
                amount=formatLang(self.env, total, currency_obj=self.currency_id),
            ),
            note=note,
        )
        self.message_post(
            body=self.env._(
                "%(user)s proposes %(resolution)s of %(amount)s, above their "
                "approval limit: %(approver)s is asked to approve it.",
                user=self.env.user.name,
                resolution=self._resolution_label(resolution),
                amount=formatLang(self.env, total, currency_obj=self.currency_id),
                approver=approver.name,
            ),
            subtype_xmlid="mail.mt_note",
        )
        return False

    def _check_pending_approval(self):
        if self.approval_state != "pending":
            raise UserError(
                self.env._(
                    "%(dispute)s has no resolution awaiting approval.",
                    dispute=self.name,
                )
            )

    def _close_approval(self, state):
        self.activity_unlink(["ar_dispute_management.mail_activity_dispute_approval"])
        self.line_ids.pending_amount = 0.0
        self.write(
            {
                "approval_state": state,
                "pending_resolution": False,
                "pending_resolution_note": False,
                "pending_root_cause_id": False,
                "pending_amount": 0.0,
                "pending_post": False,
            }
        )

    def _notify_approval(self, message):
        """Tell the requester, the assignee and the invoices' salespeople."""
        users = (
            self.approval_requested_by_id
            | self.user_id
            | self.line_ids.move_id.invoice_user_id
        )
        self.message_post(
            body=message,
            partner_ids=users.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )

    def _resolution_label(self, resolution):
        return dict(self._fields["resolution"]._description_selection(self.env)).get(
            resolution, resolution or ""
        )

    # ------------------------------------------------------------
    # BUSINESS METHODS: following the ledger
    # ------------------------------------------------------------

    def _sync_with_ledger(self):
        """Close the dispute as settled once all its invoices are paid or
        credited, and reopen it when that settlement is undone in the ledger.
        Stages are records, not computed values: the reconciliation hooks of
        ``account.move.line`` and ``account.partial.reconcile`` call this."""
        skip = self.env.context.get("dispute_resolving_ids", [])
        for dispute in self.filtered(lambda d: d.id not in skip):
            moves = dispute.line_ids.move_id
            posted = moves.filtered(lambda move: move.state == "posted")
            settled = bool(posted) and all(
                move.currency_id.is_zero(move.amount_residual) for move in posted
            )
            if not dispute.is_closed and settled:
                dispute._settle()
            elif dispute.is_closed and dispute.resolution == "settled" and not settled:
                dispute._unsettle()

    def _settle(self):
        if self.approval_state == "pending":
            self._close_approval("none")
        previous = self.stage_id
        self._close_with_resolution("settled", settled_from_stage_id=previous.id)
        self.message_post(
            body=self.env._(
                "All invoices of this dispute are paid or credited: it is settled."
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _unsettle(self):
        stage = self.settled_from_stage_id
        if not stage or stage.is_closed:
            stage = self._default_stage_id()
        self.with_context(dispute_ledger_sync=True).write(
            {"stage_id": stage.id, "settled_from_stage_id": False}
        )
        self.message_post(
            body=self.env._(
                "A payment or credit note of this dispute was unreconciled: the "
                "dispute is open again."
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _close_for_cancelled_invoices(self):
        """Close the disputes all of whose invoices are cancelled; on a dispute
        that covers other invoices too, only leave a note."""
        for dispute in self.filtered(lambda d: not d.is_closed):
            moves = dispute.line_ids.move_id
            cancelled = moves.filtered(lambda move: move.state == "cancel")
            if cancelled == moves:
                if dispute.approval_state == "pending":
                    dispute._close_approval("none")
                dispute._close_with_resolution("cancelled")
                body = self.env._("The disputed invoices were cancelled.")
            else:
                body = self.env._(
                    "Invoice %(invoices)s was cancelled: it no longer counts in "
                    "this dispute.",
                    invoices=", ".join(cancelled.mapped("name")),
                )
            dispute.message_post(body=body, subtype_xmlid="mail.mt_note")

    def _link_credit_notes(self, credit_notes):
        """Link credit notes made outside the dispute's wizard for its invoices."""
        for dispute in self:
            new = credit_notes - dispute.credit_note_ids
            if not new:
                continue
            dispute.credit_note_ids = [Command.link(move.id) for move in new]
            dispute.message_post(
                body=self.env._(
                    "Credit note %(credit_notes)s for %(invoices)s was linked to "
                    "this dispute.",
                    credit_notes=", ".join(new.mapped("name")),
                    invoices=", ".join(new.reversed_entry_id.mapped("name")),
                ),
                subtype_xmlid="mail.mt_note",
            )
