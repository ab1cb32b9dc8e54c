from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import DisputeCommon


@tagged("post_install", "-at_install")
class TestDisputeRules(DisputeCommon):
    """Every wrong input is refused in words, and nothing is written."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls.create_invoice([600.0, 400.0])

    def assertRefused(self, message, lines, **values):
        disputes_before = self.env["account.dispute"].search_count([])
        with self.assertRaisesText(ValidationError, message):
            self.create_dispute(lines, **values)
        self.assertEqual(self.env["account.dispute"].search_count([]), disputes_before)
        self.assertFalse(self.invoice.dispute_hold)

    def test_refuse_draft_invoice(self):
        draft = self.create_invoice(post=False)
        self.assertRefused("Only posted customer invoices", [(draft, 10.0)])

    def test_refuse_vendor_bill(self):
        bill = self.init_invoice(
            "in_invoice", partner=self.customer, amounts=[100.0], post=True
        )
        self.assertRefused("Only posted customer invoices", [(bill, 10.0)])

    def test_refuse_zero_and_negative_amounts(self):
        self.assertRefused("must be greater than zero", [(self.invoice, 0.0)])
        self.assertRefused("must be greater than zero", [(self.invoice, -5.0)])

    def test_refuse_more_than_due(self):
        self.assertRefused("still owes", [(self.invoice, 1000.01)])

    def test_refuse_open_disputes_adding_up_to_more_than_due(self):
        self.create_dispute([(self.invoice, 700.0)])

        with self.assertRaisesText(ValidationError, "would total"):
            self.create_dispute([(self.invoice, 300.01)])

        self.assertEqual(self.invoice.dispute_count, 1)
        self.assertEqual(self.invoice.amount_disputed, 700.0)

    def test_refuse_line_amount_above_line_total(self):
        line = self.invoice.invoice_line_ids[1]
        self.assertRefused(
            "the line totals",
            [
                {
                    "move_id": self.invoice.id,
                    "invoice_line_id": line.id,
                    "amount_disputed": 400.01,
                }
            ],
        )

    def test_refuse_quantity_above_invoiced(self):
        line = self.invoice.invoice_line_ids[0]
        self.assertRefused(
            "disputed quantity",
            [
                {
                    "move_id": self.invoice.id,
                    "invoice_line_id": line.id,
                    "quantity": 2.0,
                    "amount_disputed": 10.0,
                }
            ],
        )

    def test_refuse_line_of_another_invoice(self):
        other = self.create_invoice([50.0])
        self.assertRefused(
            "must be a product line of",
            [
                {
                    "move_id": self.invoice.id,
                    "invoice_line_id": other.invoice_line_ids.id,
                    "amount_disputed": 10.0,
                }
            ],
        )

    def test_refuse_invoices_of_two_customers(self):
        other = self.create_invoice(partner=self.other_customer)
        self.assertRefused(
            "covers the invoices of one customer",
            [(self.invoice, 10.0), (other, 10.0)],
        )

    def test_refuse_invoices_in_two_currencies(self):
        foreign = self.setup_other_currency("EUR")
        other = self.create_invoice(currency=foreign)
        self.assertRefused(
            "covers invoices of one currency", [(self.invoice, 10.0), (other, 10.0)]
        )

    def test_refuse_partner_of_another_company(self):
        """C12: a partner restricted to company B cannot be disputed in A."""
        company_b = self.setup_other_company(name="Company B")["company"]
        restricted = self.env["res.partner"].create(
            {"name": "B-only Customer", "company_id": company_b.id, "is_company": True}
        )
        self.assertRefused(
            "is restricted to the company",
            [],
            partner_id=restricted.id,
            company_id=self.company.id,
        )

    def test_refuse_adding_item_to_closed_invoice_sum_on_edit(self):
        dispute = self.create_dispute([(self.invoice, 200.0)])

        with self.assertRaisesText(ValidationError, "still owes"):
            dispute.line_ids.amount_disputed = 1200.0

        self.assertEqual(dispute.amount_disputed, 200.0)

    def test_reopen_refused_when_amounts_no_longer_fit(self):
        first = self.create_dispute([(self.invoice, 800.0)])
        first.stage_id = self.stage_rejected
        self.create_dispute([(self.invoice, 500.0)])

        with self.assertRaisesText(ValidationError, "would total"):
            first.stage_id = self.stage_progress

        self.assertTrue(first.is_closed)

    def test_add_line_with_command_on_existing_dispute(self):
        other = self.create_invoice([90.0])
        dispute = self.create_dispute([(self.invoice, 100.0)])

        dispute.line_ids = [Command.create({"move_id": other.id})]

        self.assertEqual(dispute.amount_disputed, 190.0)
        self.assertTrue(other.dispute_hold)
