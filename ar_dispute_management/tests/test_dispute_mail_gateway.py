from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import DisputeCommon


@tagged("post_install", "-at_install")
class TestDisputeMailGateway(DisputeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        alias_domain = cls.env["mail.alias.domain"].create(
            {"name": "stmarys-ar.example.com"}
        )
        cls.team.write({"alias_name": "disputes", "alias_domain_id": alias_domain.id})
        cls.customer_contact.email = "grace.holloway@stmarys.example.com"
        cls.billing_user.email = "billing.clerk@ar.example.com"
        cls.invoice = cls.create_invoice([1000.0], partner=cls.customer_contact)
        cls.register_payment(cls.invoice, 250.0)

    def _email(self, subject, body, email_from, msg_id, in_reply_to=None):
        headers = [
            f"Return-Path: <{email_from}>",
            f"From: {email_from}",
            "To: disputes@stmarys-ar.example.com",
            f"Subject: {subject}",
            f"Message-ID: {msg_id}",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
        ]
        if in_reply_to:
            headers += [f"In-Reply-To: {in_reply_to}", f"References: {in_reply_to}"]
        return "\n".join(headers) + "\n\n" + body

    def _receive(self, *args, **kwargs):
        return self.env["mail.thread"].message_process(
            False, self._email(*args, **kwargs)
        )

    def _receive_price_complaint(self):
        """Grace emails the team about the price on the invoice."""
        return self._receive(
            f"Wrong price on {self.invoice.name}",
            "The unit price is not the one we agreed.",
            "Grace Holloway <grace.holloway@stmarys.example.com>",
            "<price-1@stmarys.example.com>",
        )

    def test_customer_email_opens_dispute(self):
        self._receive_price_complaint()

        dispute = self.invoice.dispute_ids
        self.assertRecordValues(
            dispute,
            [
                {
                    "partner_id": self.customer.id,
                    "contact_id": self.customer_contact.id,
                    "team_id": self.team.id,
                    "amount_disputed": 750.0,
                }
            ],
        )
        self.assertNotEqual(dispute.name, f"Wrong price on {self.invoice.name}")
        self.assertTrue(dispute.name.startswith("DSP/"))
        self.assertIn(self.customer_contact, dispute.message_partner_ids)
        email = dispute.message_ids.filtered(lambda msg: msg.message_type == "email")
        self.assertIn("not the one we agreed", email.body)

    def test_invoice_found_from_payment_reference_in_body(self):
        self.invoice.payment_reference = "PO-77812"

        self._receive(
            "Complaint",
            "About our order PO-77812: half of the boxes never arrived.",
            "Grace Holloway <grace.holloway@stmarys.example.com>",
            "<boxes-1@stmarys.example.com>",
        )

        self.assertEqual(self.invoice.dispute_ids.partner_id, self.customer)

    def test_forwarded_by_employee_takes_customer_from_invoice(self):
        self._receive(
            f"Fwd: {self.invoice.name} disputed",
            "Forwarding the customer's complaint about the price.",
            "Billing Clerk <billing.clerk@ar.example.com>",
            "<fwd-1@ar.example.com>",
        )

        dispute = self.invoice.dispute_ids
        self.assertEqual(dispute.partner_id, self.customer)
        self.assertFalse(dispute.contact_id)
        self.assertNotEqual(dispute.partner_id, self.billing_user.partner_id)

    def test_reply_lands_in_existing_dispute(self):
        self._receive_price_complaint()
        dispute = self.invoice.dispute_ids

        self._receive(
            f"Re: Wrong price on {self.invoice.name}",
            "Here is the price agreement we signed.",
            "Grace Holloway <grace.holloway@stmarys.example.com>",
            "<price-2@stmarys.example.com>",
            in_reply_to="<price-1@stmarys.example.com>",
        )

        self.assertEqual(self.invoice.dispute_ids, dispute)
        self.assertEqual(self.env["account.dispute"].search_count([]), 1)
        self.assertIn("price agreement we signed", dispute.message_ids[0].body)

    def test_email_without_invoice_is_bounced(self):
        Dispute = self.registry["account.dispute"]
        with patch.object(Dispute, "_routing_create_bounce_email") as bounce:
            self._receive(
                "Your service",
                "We are not happy at all.",
                "Grace Holloway <grace.holloway@stmarys.example.com>",
                "<unhappy-1@stmarys.example.com>",
            )

        self.assertFalse(self.env["account.dispute"].search([]))
        self.assertEqual(bounce.call_count, 1)
        self.assertIn("grace.holloway@stmarys.example.com", bounce.call_args.args[0])
        self.assertIn("invoice number", bounce.call_args.args[1])
        self.assertEqual(self.team.alias_id.alias_status, "not_tested")

    def test_stranger_cannot_put_an_invoice_on_hold(self):
        Dispute = self.registry["account.dispute"]
        with patch.object(Dispute, "_routing_create_bounce_email") as bounce:
            self._receive(
                f"{self.invoice.name} is wrong",
                "Please hold this invoice.",
                "Somebody <stranger@elsewhere.example.net>",
                "<stranger-1@elsewhere.example.net>",
            )

        self.assertFalse(self.invoice.dispute_ids)
        self.assertFalse(self.invoice.dispute_hold)
        self.assertEqual(bounce.call_count, 1)
        self.assertIn("not one of the customer", bounce.call_args.args[1])

    def test_new_email_on_fully_disputed_invoice_joins_its_dispute(self):
        self._receive_price_complaint()
        dispute = self.invoice.dispute_ids
        self.assertEqual(self.invoice.amount_undisputed, 0.0)

        self._receive(
            f"Again about {self.invoice.name}",
            "Any news on the price?",
            "Grace Holloway <grace.holloway@stmarys.example.com>",
            "<price-3@stmarys.example.com>",
        )

        self.assertEqual(self.invoice.dispute_ids, dispute)
        dispute.invalidate_recordset(["message_ids"])
        self.assertIn("Any news on the price?", dispute.message_ids[0].body)

    def test_message_new_without_invoice_is_refused(self):
        with self.assertRaisesText(UserError, "No posted customer invoice"):
            self.env["account.dispute"].message_new(
                {"subject": "Your service", "body": "<p>Not happy</p>"},
                {"team_id": self.team.id},
            )
