from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import DisputeCommon


@tagged("post_install", "-at_install")
class TestDisputeHold(DisputeCommon):
    def test_hold_follows_several_disputes(self):
        invoice = self.create_invoice([1000.0])
        first = self.create_dispute([(invoice, 300.0)])
        second = self.create_dispute([(invoice, 200.0)], category=self.category_pricing)
        self.assertTrue(invoice.dispute_hold)
        self.assertEqual(invoice.amount_disputed, 500.0)

        # Closing one dispute keeps the hold: the other is still open
        first.stage_id = self.stage_resolved
        self.assertTrue(invoice.dispute_hold)
        self.assertEqual(invoice.amount_disputed, 200.0)

        # Closing the last one releases it
        second.stage_id = self.stage_rejected
        self.assertFalse(invoice.dispute_hold)
        self.assertEqual(invoice.amount_disputed, 0.0)
        self.assertEqual(invoice.amount_undisputed, 1000.0)

        # Reopening puts it back on hold
        second.stage_id = self.stage_progress
        self.assertTrue(invoice.dispute_hold)
        self.assertEqual(
            self.env["account.move"].search(
                [("dispute_hold", "=", True), ("id", "=", invoice.id)]
            ),
            invoice,
        )

    def test_closing_records_date_and_resolution(self):
        invoice = self.create_invoice()
        dispute = self.create_dispute([(invoice, 100.0)])

        dispute.stage_id = self.stage_rejected

        self.assertEqual(dispute.resolution, "rejected")
        self.assertTrue(dispute.date_closed)

        dispute.stage_id = self.stage_progress

        self.assertFalse(dispute.resolution)
        self.assertFalse(dispute.date_closed)

    def test_dispute_created_closed_records_its_closing(self):
        invoice = self.create_invoice()

        dispute = self.create_dispute(
            [(invoice, 100.0)], stage_id=self.stage_rejected.id
        )

        self.assertEqual(dispute.resolution, "rejected")
        self.assertTrue(dispute.date_closed)
        self.assertFalse(invoice.dispute_hold)

    def test_hold_survives_reset_edit_and_repost(self):
        """C2: post 500, dispute it; reset to draft, change a line, post again."""
        invoice = self.create_invoice([500.0])
        dispute = self.create_dispute([(invoice, 500.0)])

        invoice.button_draft()
        self.assertTrue(invoice.dispute_hold)
        invoice.invoice_line_ids.price_unit = 520.0
        invoice.action_post()

        self.assertTrue(invoice.dispute_hold)
        self.assertEqual(dispute.move_ids, invoice)
        self.assertEqual(invoice.amount_disputed, 500.0)
        self.assertEqual(invoice.amount_undisputed, 20.0)

    def test_hold_covers_every_instalment(self):
        """C1: 1,000 on a 30/70 payment term, both instalments overdue, disputed
        in full: both receivable lines are held, and released together."""
        term = self.env["account.payment.term"].create(
            {
                "name": "30% now, 70% in 30 days",
                "line_ids": [
                    Command.create(
                        {"value": "percent", "value_amount": 30.0, "nb_days": 0}
                    ),
                    Command.create(
                        {"value": "percent", "value_amount": 70.0, "nb_days": 30}
                    ),
                ],
            }
        )
        invoice = self.create_invoice([1000.0], payment_term=term, date="2026-09-01")
        receivables = invoice.line_ids.filtered(
            lambda line: line.account_type == "asset_receivable"
        )
        self.assertEqual(sorted(receivables.mapped("balance")), [300.0, 700.0])

        dispute = self.create_dispute([(invoice, None)])

        self.assertEqual(dispute.amount_disputed, 1000.0)
        self.assertEqual(receivables.mapped("dispute_hold"), [True, True])
        held = self.env["account.move.line"].search(
            [("dispute_hold", "=", True), ("move_id", "=", invoice.id)]
        )
        self.assertEqual(held, receivables)

        dispute.stage_id = self.stage_resolved

        self.assertEqual(receivables.mapped("dispute_hold"), [False, False])
        collectible = self.env["account.move.line"].search(
            [
                ("dispute_hold", "=", False),
                ("move_id", "=", invoice.id),
                ("account_type", "=", "asset_receivable"),
            ]
        )
        self.assertEqual(collectible, receivables)

    def test_partial_payments_keep_amounts_true(self):
        """C4: invoice 1,000, disputed 300; pay 400; then pay 450."""
        invoice = self.create_invoice([1000.0])
        self.create_dispute([(invoice, 300.0)])

        self.register_payment(invoice, 400.0)

        self.assertRecordValues(
            invoice,
            [
                {
                    "dispute_hold": True,
                    "amount_residual": 600.0,
                    "amount_disputed": 300.0,
                    "amount_undisputed": 300.0,
                }
            ],
        )

        self.register_payment(invoice, 450.0)

        self.assertRecordValues(
            invoice,
            [
                {
                    "dispute_hold": True,
                    "amount_residual": 150.0,
                    "amount_disputed": 150.0,
                    "amount_undisputed": 0.0,
                }
            ],
        )

    def test_currency_of_the_check(self):
        """C5: invoice 1,100 in a foreign currency, the rate changes, 550 paid:
        a further 500 dispute is accepted and 600 refused, in invoice currency."""
        foreign = self.setup_other_currency(
            "EUR", rates=[("2026-01-01", 0.9), ("2026-11-15", 1.1)]
        )
        invoice = self.create_invoice([1100.0], currency=foreign)
        (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "amount": 550.0,
                    "currency_id": foreign.id,
                    "payment_date": "2026-11-20",
                }
            )
            ._create_payments()
        )
        self.assertEqual(invoice.amount_residual, 550.0)

        with self.assertRaisesText(ValidationError, "still owes"):
            self.create_dispute([(invoice, 600.0)])
        dispute = self.create_dispute([(invoice, 500.0)])

        self.assertEqual(dispute.currency_id, foreign)
        self.assertEqual(invoice.amount_undisputed, 50.0)
