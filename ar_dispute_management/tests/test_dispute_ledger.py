from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common_resolution import DisputeResolutionCommon


@tagged("post_install", "-at_install")
class TestDisputeLedger(DisputeResolutionCommon):
    def test_paying_the_undisputed_part_keeps_dispute_open(self):
        invoice = self.create_invoice([1000.0])
        dispute = self.create_dispute([(invoice, 300.0)])

        self.register_payment(invoice, 700.0)

        self.assertRecordValues(
            invoice,
            [
                {
                    "amount_residual": 300.0,
                    "dispute_hold": True,
                    "amount_disputed": 300.0,
                    "amount_undisputed": 0.0,
                }
            ],
        )
        self.assertRecordValues(
            dispute,
            [
                {
                    "is_closed": False,
                    "amount_disputed_original": 300.0,
                    "amount_disputed": 300.0,
                }
            ],
        )

    def test_partial_payments_shrink_the_remaining_amount(self):
        """C4: invoice 1,000, disputed 300; pay 400; then pay 450."""
        invoice = self.create_invoice([1000.0])
        dispute = self.create_dispute([(invoice, 300.0)])

        self.register_payment(invoice, 400.0)

        self.assertRecordValues(
            dispute,
            [{"amount_disputed_original": 300.0, "amount_disputed": 300.0}],
        )
        self.assertEqual(invoice.amount_undisputed, 300.0)
        self.assertTrue(invoice.dispute_hold)

        self.register_payment(invoice, 450.0)

        self.assertRecordValues(
            dispute,
            [
                {
                    "amount_disputed_original": 300.0,
                    "amount_disputed": 150.0,
                    "amount_disputed_company": 150.0,
                    "is_closed": False,
                }
            ],
        )
        self.assertEqual(dispute.line_ids.amount_disputed, 150.0)
        self.assertEqual(invoice.amount_undisputed, 0.0)
        self.assertTrue(invoice.dispute_hold)
        self.assertEqual(self.customer.amount_disputed_open, 150.0)

    def test_currency_of_the_check_keeps_remaining_in_invoice_currency(self):
        """C5: company currency differs; invoice 1,100 foreign; the rate changes;
        550 paid: 500 more may be disputed, 600 may not."""
        foreign = self.setup_other_currency(
            "EUR", rates=[("2026-01-01", 0.9), ("2026-11-15", 1.1)]
        )
        invoice = self.create_invoice([1100.0], currency=foreign)
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids
        ).create(
            {"amount": 550.0, "currency_id": foreign.id, "payment_date": "2026-11-20"}
        )._create_payments()

        with self.assertRaisesText(ValidationError, "still owes"):
            self.create_dispute([(invoice, 600.0)])
        dispute = self.create_dispute([(invoice, 500.0)])

        self.assertRecordValues(
            dispute,
            [
                {
                    "currency_id": foreign.id,
                    "amount_disputed_original": 500.0,
                    "amount_disputed": 500.0,
                    # reported at the rate the invoice was booked with
                    "amount_disputed_company": 555.55,
                }
            ],
        )
        self.assertEqual(invoice.amount_undisputed, 50.0)

    def test_full_payment_settles_and_unreconcile_reopens(self):
        invoice = self.create_invoice([1000.0])
        dispute = self.create_dispute([(invoice, 300.0)])
        dispute.stage_id = self.stage_progress

        payment = self.register_payment(invoice, 1000.0)

        self.assertRecordValues(
            dispute,
            [
                {
                    "is_closed": True,
                    "stage_id": self.stage_settled.id,
                    "resolution": "settled",
                    "amount_disputed": 0.0,
                }
            ],
        )
        self.assertTrue(dispute.date_closed)
        self.assertFalse(invoice.dispute_hold)
        self.assertIn("settled", dispute.message_ids[0].body)

        # What is undone in the ledger is undone in the dispute
        payment.move_id.line_ids.remove_move_reconcile()

        self.assertRecordValues(
            dispute,
            [
                {
                    "is_closed": False,
                    "stage_id": self.stage_progress.id,
                    "resolution": False,
                    "date_closed": False,
                    "amount_disputed": 300.0,
                }
            ],
        )
        self.assertTrue(invoice.dispute_hold)
        self.assertIn("open again", dispute.message_ids[0].body)

    def test_undoing_one_of_two_payments_reopens_with_what_is_due(self):
        invoice = self.create_invoice([1000.0])
        dispute = self.create_dispute([(invoice, None)])
        self.register_payment(invoice, 600.0)
        last = self.register_payment(invoice, 400.0)
        self.assertEqual(dispute.resolution, "settled")

        last.action_draft()

        self.assertRecordValues(
            dispute,
            [
                {
                    "is_closed": False,
                    "amount_disputed_original": 1000.0,
                    "amount_disputed": 400.0,
                }
            ],
        )
        self.assertEqual(invoice.amount_residual, 400.0)
        self.assertTrue(invoice.dispute_hold)

    def test_settles_only_when_every_invoice_is_paid(self):
        first = self.create_invoice([1000.0])
        second = self.create_invoice([500.0])
        dispute = self.create_dispute([(first, 100.0), (second, 100.0)])

        self.register_payment(first, 1000.0)

        self.assertFalse(dispute.is_closed)
        self.assertEqual(dispute.amount_disputed, 100.0)

        self.register_payment(second, 500.0)

        self.assertEqual(dispute.resolution, "settled")

    def test_cancelling_the_invoice_closes_its_dispute(self):
        invoice = self.create_invoice([1000.0])
        dispute = self.create_dispute([(invoice, 300.0)])

        invoice.button_cancel()

        self.assertRecordValues(
            dispute,
            [
                {
                    "is_closed": True,
                    "stage_id": self.stage_cancelled.id,
                    "resolution": "cancelled",
                    "amount_disputed": 0.0,
                }
            ],
        )
        self.assertFalse(invoice.dispute_hold)

    def test_cancelling_one_of_two_invoices_keeps_dispute_open(self):
        first = self.create_invoice([1000.0])
        second = self.create_invoice([500.0])
        dispute = self.create_dispute([(first, 100.0), (second, 200.0)])

        second.button_cancel()

        self.assertFalse(dispute.is_closed)
        self.assertEqual(dispute.amount_disputed, 100.0)
        self.assertIn(second.name, dispute.message_ids[0].body)

    def test_credit_note_made_outside_is_linked(self):
        invoice = self.create_invoice([1000.0])
        dispute = self.create_dispute([(invoice, 300.0)])

        reversal = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "reason": "Damaged goods",
                    "journal_id": invoice.journal_id.id,
                    "date": fields.Date.to_date("2026-11-10"),
                }
            )
        )
        credit_note = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        self.assertEqual(credit_note.state, "draft")
        self.assertFalse(dispute.credit_note_ids)

        credit_note.action_post()

        self.assertEqual(dispute.credit_note_ids, credit_note)
        self.assertIn(credit_note.name, dispute.message_ids[0].body)
        # Posting the reversal reconciled it: nothing is due any more
        self.assertEqual(invoice.amount_residual, 0.0)
        self.assertEqual(dispute.resolution, "settled")

    def test_credit_limit_counts_disputes_by_setting(self):
        self.company.account_use_credit_limit = True
        self.customer.credit_limit = 800.0
        invoice = self.create_invoice([1000.0])
        self.create_dispute([(invoice, 600.0)])
        draft = self.create_invoice([100.0], post=False)

        self.assertIn("credit limit", draft.partner_credit_warning)

        self.company.dispute_exclude_from_credit = True
        draft.invalidate_recordset(["partner_credit_warning"])

        self.assertFalse(draft.partner_credit_warning)

    def test_partner_shows_collectible_and_disputed(self):
        invoice = self.create_invoice([1000.0])
        self.create_dispute([(invoice, 600.0)])
        self.register_payment(invoice, 100.0)

        self.assertRecordValues(
            self.customer,
            [
                {
                    "credit": 900.0,
                    "amount_disputed_open": 600.0,
                    "amount_receivable_collectible": 300.0,
                }
            ],
        )
