from odoo import api, fields, models


class AccountMove(models.Model):
    """Keeps disputes in step with what happens to their invoices."""

    _inherit = "account.move"

    def button_cancel(self):
        res = super().button_cancel()
        cancelled = self.filtered(lambda move: move.state == "cancel")
        cancelled.dispute_line_ids.dispute_id._close_for_cancelled_invoices()
        return res

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        credit_notes = posted.filtered(
            lambda move: (
                move.move_type == "out_refund"
                and move.reversed_entry_id.dispute_line_ids
            )
        )
        if credit_notes:
            # A credit note made by the resolve wizard already belongs to the
            # dispute it resolves: only one made outside it is offered for linking.
            linked = (
                self.env["account.dispute"]
                .sudo()
                .search([("credit_note_ids", "in", credit_notes.ids)])
            )
            credit_notes -= linked.credit_note_ids
        for credit_note in credit_notes:
            # Posting a reversal reconciles it with its invoice, which may already
            # have settled the dispute.
            disputes = credit_note.reversed_entry_id.dispute_line_ids.dispute_id
            disputes = disputes.filtered(
                lambda dispute: not dispute.is_closed or dispute.resolution == "settled"
            )
            disputes._link_credit_notes(credit_note)
        return posted

    @api.model
    def _build_credit_warning_message(
        self, record, current_amount=0.0, exclude_current=False, exclude_amount=0.0
    ):
        company = record.company_id or self.env.company
        if company.dispute_exclude_from_credit and record.partner_id:
            partner = record.partner_id.commercial_partner_id
            exclude_amount += (
                partner.with_company(company).sudo()._dispute_amount_open()
            )
        return super()._build_credit_warning_message(
            record,
            current_amount=current_amount,
            exclude_current=exclude_current,
            exclude_amount=exclude_amount,
        )

    def _dispute_sync_with_ledger(self):
        """Called after this invoice's reconciliation changed."""
        self.dispute_line_ids.dispute_id._sync_with_ledger()


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def reconcile(self):
        res = super().reconcile()
        self.move_id.filtered(
            lambda move: move.dispute_line_ids
        )._dispute_sync_with_ledger()
        return res


class AccountPartialReconcile(models.Model):
    _inherit = "account.partial.reconcile"

    def unlink(self):
        moves = (self.debit_move_id | self.credit_move_id).move_id.filtered(
            lambda move: move.dispute_line_ids
        )
        res = super().unlink()
        moves.exists()._dispute_sync_with_ledger()
        return res


class AccountDisputeLine(models.Model):
    _inherit = "account.dispute.line"

    pending_amount = fields.Monetary(
        string="Amount Awaiting Approval", copy=False, readonly=True
    )


class AccountDisputeCategory(models.Model):
    _inherit = "account.dispute.category"

    writeoff_account_id = fields.Many2one(
        "account.account",
        string="Write-off Account",
        domain=[("deprecated", "=", False)],
        help="Account that write-offs of disputes with this reason go to; empty "
        "means the company's dispute write-off account.",
    )
