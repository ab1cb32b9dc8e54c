from odoo.tests import tagged

from .common import DisputeCommon


@tagged("post_install", "-at_install")
class TestDisputeTotals(DisputeCommon):
    def test_partner_totals_in_company_currency(self):
        # 1 company unit = 2 foreign units on the invoice date
        foreign = self.setup_other_currency("EUR", rates=[("2026-01-01", 2.0)])
        local_invoice = self.create_invoice([400.0])
        foreign_invoice = self.create_invoice([1000.0], currency=foreign)

        local = self.create_dispute([(local_invoice, 100.0)])
        abroad = self.create_dispute([(foreign_invoice, 600.0)])
        closed_invoice = self.create_invoice([80.0])
        closed = self.create_dispute([(closed_invoice, 80.0)])
        closed.stage_id = self.stage_rejected

        self.assertEqual(abroad.amount_disputed, 600.0)
        self.assertEqual(abroad.amount_disputed_company, 300.0)
        self.assertEqual(local.amount_disputed_company, 100.0)
        self.assertRecordValues(
            self.customer,
            [
                {
                    "dispute_count": 3,
                    "dispute_open_count": 2,
                    "amount_disputed_open": 400.0,
                }
            ],
        )
        # A contact shows its company's totals
        self.assertEqual(self.customer_contact.amount_disputed_open, 400.0)

    def test_company_amount_uses_the_invoice_rate_not_today(self):
        foreign = self.setup_other_currency(
            "EUR", rates=[("2026-01-01", 1.25), ("2026-11-20", 2.5)]
        )
        invoice = self.create_invoice([125.0], currency=foreign, date="2026-11-02")

        dispute = self.create_dispute([(invoice, 125.0)])

        self.assertEqual(dispute.amount_disputed_company, 100.0)
