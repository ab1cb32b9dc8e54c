from odoo import Command
from odoo.tests import Form, tagged

from .common import DisputeCommon


@tagged("post_install", "-at_install")
class TestDisputeRaise(DisputeCommon):
    def test_raise_from_invoice_button(self):
        invoice = self.create_invoice([600.0, 400.0])

        # The billing clerk presses "Raise Dispute" on the invoice
        action = invoice.with_user(self.billing_user).action_raise_dispute()
        wizard_model = self.env[action["res_model"]].with_user(self.billing_user)
        with Form(wizard_model.with_context(**action["context"])) as wizard_form:
            wizard_form.category_id = self.category_defect
            self.assertEqual(wizard_form.partner_id, self.customer)
            with wizard_form.line_ids.edit(0) as line_form:
                self.assertEqual(line_form.amount_disputed, 1000.0)
                line_form.amount_disputed = 250.0
        result = wizard_form.record.action_confirm()

        dispute = self.env["account.dispute"].browse(result["res_id"])
        self.assertRecordValues(
            dispute,
            [
                {
                    "partner_id": self.customer.id,
                    "company_id": self.company.id,
                    "currency_id": self.currency.id,
                    "amount_disputed": 250.0,
                    "priority": "2",
                    "stage_id": self.stage_new.id,
                    "is_closed": False,
                    "create_uid": self.billing_user.id,
                }
            ],
        )
        self.assertRegex(dispute.name, r"^DSP/\d{4}/\d{5}$")
        self.assertEqual(dispute.move_ids, invoice)
        self.assertRecordValues(
            invoice,
            [
                {
                    "dispute_hold": True,
                    "dispute_count": 1,
                    "amount_disputed": 250.0,
                    "amount_undisputed": 750.0,
                }
            ],
        )

    def test_user_without_email_can_raise(self):
        self.billing_user.email = False
        invoice = self.create_invoice([400.0])

        dispute = (
            self.env["account.dispute"]
            .with_user(self.billing_user)
            .create(
                {
                    "category_id": self.category_pricing.id,
                    "line_ids": [Command.create({"move_id": invoice.id})],
                }
            )
        )

        self.assertEqual(dispute.amount_disputed, 400.0)
        self.assertIn(dispute.name, invoice.message_ids[0].body)

    def test_raise_from_list_on_two_invoices(self):
        first = self.create_invoice([300.0])
        second = self.create_invoice([200.0])

        action = (first | second).action_raise_dispute()
        wizard_model = self.env[action["res_model"]].with_context(**action["context"])
        with Form(wizard_model) as wizard_form:
            wizard_form.category_id = self.category_pricing
        dispute = self.env["account.dispute"].browse(
            wizard_form.record.action_confirm()["res_id"]
        )

        self.assertEqual(dispute.move_ids, first | second)
        self.assertEqual(dispute.amount_disputed, 500.0)
        self.assertEqual(dispute.team_id, self.category_pricing.team_id)
        self.assertEqual(
            self.env["account.dispute"].search([("move_ids", "in", second.ids)]),
            dispute,
        )
        self.assertEqual((first | second).mapped("dispute_hold"), [True, True])

    def test_dispute_over_two_invoices(self):
        first = self.create_invoice([300.0])
        second = self.create_invoice([200.0, 50.0])

        dispute = self.create_dispute([(first, 120.0), (second, None)])

        self.assertEqual(dispute.partner_id, self.customer)
        self.assertRecordValues(
            dispute.line_ids,
            [
                {"move_id": first.id, "amount_disputed": 120.0},
                {"move_id": second.id, "amount_disputed": 250.0},
            ],
        )
        self.assertEqual(dispute.amount_disputed, 370.0)
        self.assertEqual(first.amount_undisputed, 180.0)
        self.assertEqual(second.amount_undisputed, 0.0)

    def test_dispute_on_single_line(self):
        invoice = self.create_invoice([850.0, 45.0])
        installation = invoice.invoice_line_ids[1]

        dispute = self.create_dispute(
            [{"move_id": invoice.id, "invoice_line_id": installation.id}]
        )

        self.assertEqual(dispute.line_ids.amount_disputed, 45.0)
        self.assertEqual(invoice.amount_disputed, 45.0)
        self.assertEqual(invoice.amount_undisputed, 850.0)
        self.assertTrue(invoice.dispute_hold)

    def test_dispute_on_part_of_a_line_quantity(self):
        invoice = self.create_invoice(post=False)
        invoice.invoice_line_ids.write({"quantity": 4.0, "price_unit": 25.0})
        invoice.action_post()

        dispute = self.create_dispute(
            [
                {
                    "move_id": invoice.id,
                    "invoice_line_id": invoice.invoice_line_ids.id,
                    "quantity": 1.0,
                }
            ]
        )

        self.assertEqual(dispute.amount_disputed, 25.0)

    def test_contact_resolves_to_commercial_partner(self):
        invoice = self.create_invoice(partner=self.customer_contact)

        dispute = self.create_dispute(
            [(invoice, 100.0)], partner_id=self.customer_contact.id
        )

        self.assertEqual(dispute.partner_id, self.customer)
