from urllib.parse import urlparse

from odoo import Command, http
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools.misc import format_date

from .portal_common import DisputePortalCommon

ONE_MB = 1024 * 1024


@tagged("post_install", "-at_install")
class TestDisputePortal(DisputePortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice_a = cls.create_invoice([1000.0], partner=cls.customer_contact)
        cls.invoice_b = cls.create_invoice([800.0], partner=cls.other_contact)
        cls.dispute_a = cls.create_dispute([(cls.invoice_a, 300.0)])
        cls.dispute_b = cls.create_dispute([(cls.invoice_b, 200.0)])

    def _path(self, response):
        return urlparse(response.url).path

    def _open_as(self, user, url, **kwargs):
        self.authenticate(user.login, user.login)
        return self.url_open(url, **kwargs)

    def _post_raise_form(self, user, invoice, data, files=None):
        self.authenticate(user.login, user.login)
        data = {"csrf_token": http.Request.csrf_token(self), **data}
        return self.url_open(
            f"/my/invoices/{invoice.id}/dispute", data=data, files=files
        )

    def _counter(self, user):
        self.authenticate(user.login, user.login)
        return self.make_jsonrpc_request(
            "/my/counters", {"counters": ["dispute_count"]}
        )["dispute_count"]

    # ------------------------------------------------------------
    # Isolation between customers
    # ------------------------------------------------------------

    def test_list_shows_own_customer_disputes_only(self):
        response = self._open_as(self.portal_grace, "/my/disputes")

        self.assertEqual(response.status_code, 200)
        self.assertIn(self.dispute_a.name, response.text)
        self.assertNotIn(self.dispute_b.name, response.text)

    def test_counter_counts_own_customer_disputes_only(self):
        self.assertEqual(self._counter(self.portal_grace), 1)
        self.assertEqual(self._counter(self.portal_rory), 1)

    def test_contacts_share_disputes_in_list_and_counter(self):
        """C10: two disputes on the second contact's invoices: the first contact
        sees both in the list, and the home counter says 2."""
        martha_invoices = [
            self.create_invoice([amount], partner=self.second_contact)
            for amount in (400.0, 600.0)
        ]
        martha_disputes = self.env["account.dispute"]
        for invoice in martha_invoices:
            martha_disputes |= self.create_dispute([(invoice, None)])
        self.dispute_a.unlink()

        response = self._open_as(self.portal_grace, "/my/disputes")

        for dispute in martha_disputes:
            self.assertIn(dispute.name, response.text)
        self.assertEqual(self._counter(self.portal_grace), 2)

    def test_detail_of_other_customer_redirects(self):
        response = self._open_as(self.portal_grace, self.dispute_b.access_url)

        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._path(response), "/my")
        self.assertNotIn(self.dispute_b.name, response.text)

    def test_detail_of_own_dispute(self):
        response = self._open_as(self.portal_martha, self.dispute_a.access_url)

        self.assertEqual(self._path(response), self.dispute_a.access_url)
        self.assertIn(self.dispute_a.name, response.text)
        self.assertIn(self.invoice_a.name, response.text)
        self.assertIn("o_dispute_current_stage", response.text)

    def test_detail_shows_expected_resolution_date(self):
        self.env["account.dispute.sla"].create(
            {"name": "Pricing answers", "team_id": self.team.id, "hours_resolution": 16}
        )
        dispute = self.create_dispute(
            [(self.invoice_a, 100.0)], category=self.category_pricing
        )
        self.assertTrue(dispute.sla_deadline)

        response = self._open_as(self.portal_grace, dispute.access_url)

        self.assertIn('id="dispute_expected_date"', response.text)
        self.assertIn(format_date(self.env, dispute.sla_deadline), response.text)

    def test_portal_user_cannot_write_or_read_other_disputes(self):
        disputes = self.env["account.dispute"].with_user(self.portal_grace)

        self.assertEqual(disputes.search([]), self.dispute_a)
        with self.assertRaises(AccessError):
            self.dispute_b.with_user(self.portal_grace).read(["name"])
        with self.assertRaises(AccessError):
            self.dispute_a.with_user(self.portal_grace).write(
                {"stage_id": self.stage_resolved.id}
            )

    def test_list_filters_open_and_closed(self):
        invoice = self.create_invoice([500.0], partner=self.customer_contact)
        closed = self.create_dispute([(invoice, 100.0)])
        closed.stage_id = self.stage_rejected

        open_page = self._open_as(self.portal_grace, "/my/disputes?filterby=open")
        closed_page = self._open_as(self.portal_grace, "/my/disputes?filterby=closed")

        self.assertIn(self.dispute_a.name, open_page.text)
        self.assertNotIn(closed.name, open_page.text)
        self.assertIn(closed.name, closed_page.text)
        self.assertNotIn(self.dispute_a.name, closed_page.text)

    def test_list_search_by_invoice_and_reference(self):
        invoice = self.create_invoice([500.0], partner=self.customer_contact)
        other = self.create_dispute([(invoice, 100.0)])

        by_invoice = self._open_as(
            self.portal_grace,
            f"/my/disputes?search_in=invoice&search={invoice.name}",
        )
        by_reference = self._open_as(
            self.portal_grace,
            f"/my/disputes?search_in=name&search={self.dispute_a.name}",
        )

        self.assertIn(other.name, by_invoice.text)
        self.assertNotIn(self.dispute_a.name, by_invoice.text)
        self.assertIn(self.dispute_a.name, by_reference.text)
        self.assertNotIn(other.name, by_reference.text)

    def test_search_does_not_reach_other_customer(self):
        response = self._open_as(
            self.portal_grace,
            f"/my/disputes?search_in=invoice&search={self.invoice_b.name}",
        )

        self.assertNotIn(self.dispute_b.name, response.text)

    def test_closed_dispute_offers_rating_on_portal(self):
        self.dispute_a.contact_id = self.customer_contact
        self.dispute_a.stage_id = self.stage_resolved

        response = self._open_as(self.portal_grace, self.dispute_a.access_url)

        token = self.dispute_a.rating_ids.access_token
        self.assertTrue(token)
        self.assertIn(f"/rate/{token}/5", response.text)

        self.authenticate(None, None)
        self.url_open(
            f"/rate/{token}/submit_feedback",
            data={
                "rate": 5,
                "feedback": "Fair and quick",
                "csrf_token": http.Request.csrf_token(self),
            },
        )
        self.assertEqual(self.dispute_a.rating_last_value, 5.0)
        self.assertEqual(self.dispute_a.rating_ids.feedback, "Fair and quick")

    def test_portal_user_cannot_dispute_other_customer_invoice_by_rpc(self):
        disputes = self.env["account.dispute"].with_user(self.portal_grace)

        with self.assertRaises(AccessError):
            disputes.create(
                {
                    "category_id": self.category_pricing.id,
                    "line_ids": [Command.create({"move_id": self.invoice_b.id})],
                }
            )
        self.assertEqual(self.invoice_b.dispute_ids, self.dispute_b)

    def test_portal_user_cannot_set_supplier_fields_by_rpc(self):
        disputes = self.env["account.dispute"].with_user(self.portal_grace)
        own_line = Command.create({"move_id": self.invoice_a.id, "amount_disputed": 5})
        forged_values = [
            {"stage_id": self.stage_resolved.id},
            {"priority": "3"},
            {"date_open": "2020-01-01 00:00:00"},
            {"team_id": self.team.id},
            {"name": "HACK-1"},
        ]
        for forged in forged_values:
            with self.subTest(forged=forged), self.assertRaises(AccessError):
                disputes.create(
                    {"partner_id": self.customer.id, "line_ids": [own_line], **forged}
                )
        with self.assertRaises(ValidationError):
            disputes.create({"partner_id": self.customer.id})

        self.assertEqual(self.invoice_a.dispute_ids, self.dispute_a)

    def test_portal_user_cannot_post_on_other_customer_dispute(self):
        with self.assertRaises(AccessError):
            self.dispute_b.with_user(self.portal_grace).message_post(
                body="Not my dispute",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        with self.assertRaises(AccessError):
            self.dispute_b.line_ids.with_user(self.portal_grace).read(
                ["amount_disputed"]
            )

    # ------------------------------------------------------------
    # Access-token links
    # ------------------------------------------------------------

    def test_token_link_opens_its_dispute_only(self):
        token_a = self.dispute_a._portal_ensure_token()
        self.dispute_b._portal_ensure_token()
        self.authenticate(None, None)

        response = self.url_open(f"{self.dispute_a.access_url}?access_token={token_a}")
        self.assertIn(self.dispute_a.name, response.text)

        response = self.url_open(f"{self.dispute_b.access_url}?access_token={token_a}")
        self.assertNotIn(self.dispute_b.name, response.text)
        self.assertNotEqual(self._path(response), self.dispute_b.access_url)

    def test_wrong_token_is_refused(self):
        self.dispute_a._portal_ensure_token()
        self.authenticate(None, None)

        response = self.url_open(f"{self.dispute_a.access_url}?access_token=wrong")

        self.assertNotIn(self.dispute_a.name, response.text)

    # ------------------------------------------------------------
    # Raising a dispute from the invoice page
    # ------------------------------------------------------------

    def test_invoice_page_offers_dispute_button(self):
        invoice = self.create_invoice([500.0], partner=self.customer_contact)

        response = self._open_as(self.portal_martha, f"/my/invoices/{invoice.id}")

        self.assertIn(f"/my/invoices/{invoice.id}/dispute", response.text)

    def test_raise_form_creates_dispute_as_customer(self):
        invoice = self.create_invoice([500.0, 250.0], partner=self.customer_contact)

        response = self._post_raise_form(
            self.portal_grace,
            invoice,
            {
                "category_id": self.category_pricing.id,
                "scope": "amount",
                "amount": "120.50",
                "description": "Wrong unit price",
            },
        )

        dispute = invoice.dispute_ids
        self.assertEqual(len(dispute), 1)
        self.assertEqual(self._path(response), dispute.access_url)
        self.assertRecordValues(
            dispute,
            [
                {
                    "partner_id": self.customer.id,
                    "contact_id": self.customer_contact.id,
                    "category_id": self.category_pricing.id,
                    "amount_disputed": 120.5,
                    "create_uid": self.portal_grace.id,
                }
            ],
        )
        self.assertTrue(invoice.dispute_hold)
        self.assertIn(self.customer_contact, dispute.message_partner_ids)

    def test_raise_form_disputes_chosen_lines(self):
        invoice = self.create_invoice([500.0, 250.0], partner=self.customer_contact)
        second_line = invoice.invoice_line_ids[1]

        self._post_raise_form(
            self.portal_grace,
            invoice,
            {
                "category_id": self.category_pricing.id,
                f"line_{second_line.id}": "on",
            },
        )

        self.assertRecordValues(
            invoice.dispute_line_ids,
            [{"invoice_line_id": second_line.id, "amount_disputed": 250.0}],
        )

    def test_raise_form_refuses_more_than_due(self):
        invoice = self.create_invoice([500.0], partner=self.customer_contact)

        response = self._post_raise_form(
            self.portal_grace,
            invoice,
            {
                "category_id": self.category_pricing.id,
                "scope": "amount",
                "amount": "700",
            },
        )

        self.assertIn("o_dispute_form_error", response.text)
        self.assertIn("still owes", response.text)
        self.assertFalse(invoice.dispute_ids)

    def test_raise_form_reads_amounts_as_customers_type_them(self):
        invoice = self.create_invoice([5000.0], partner=self.customer_contact)

        response = self._post_raise_form(
            self.portal_grace,
            invoice,
            {
                "category_id": self.category_pricing.id,
                "scope": "amount",
                "amount": "1,000.50",
            },
        )

        self.assertEqual(self._path(response), invoice.dispute_ids.access_url)
        self.assertEqual(invoice.dispute_ids.amount_disputed, 1000.5)

    def test_raise_form_refuses_odd_input_in_words(self):
        invoice = self.create_invoice([500.0], partner=self.customer_contact)
        odd_inputs = [
            {"category_id": "abc", "scope": "amount", "amount": "10"},
            {
                "category_id": self.category_pricing.id,
                "scope": "amount",
                "amount": "nan",
            },
            {
                "category_id": self.category_pricing.id,
                "scope": "amount",
                "amount": "inf",
            },
        ]
        for data in odd_inputs:
            with self.subTest(data=data):
                response = self._post_raise_form(self.portal_grace, invoice, data)

                self.assertEqual(response.status_code, 200)
                self.assertIn("o_dispute_form_error", response.text)
        self.assertFalse(invoice.dispute_ids)

    def test_raise_form_refuses_other_customer_invoice(self):
        invoice = self.create_invoice([500.0], partner=self.other_contact)

        response = self._post_raise_form(
            self.portal_grace,
            invoice,
            {"category_id": self.category_pricing.id, "scope": "due"},
        )

        self.assertEqual(self._path(response), "/my")
        self.assertFalse(invoice.dispute_ids)
        response = self._open_as(
            self.portal_grace, f"/my/invoices/{invoice.id}/dispute"
        )
        self.assertEqual(self._path(response), "/my")

    def test_raise_form_needs_csrf_token(self):
        invoice = self.create_invoice([500.0], partner=self.customer_contact)
        self.authenticate(self.portal_grace.login, self.portal_grace.login)

        response = self.url_open(
            f"/my/invoices/{invoice.id}/dispute",
            data={"category_id": self.category_pricing.id, "scope": "due"},
        )

        self.assertEqual(response.status_code, 400)
        self.assertFalse(invoice.dispute_ids)

    def test_upload_over_limit_creates_nothing(self):
        """C19: limit 1 MB; a 2 MB file is refused with an error shown, and
        neither the dispute nor the attachment is created."""
        self.env["ir.config_parameter"].sudo().set_param(
            "web.max_file_upload_size", ONE_MB
        )
        invoice = self.create_invoice([500.0], partner=self.customer_contact)
        attachments = self.env["ir.attachment"].sudo()
        attachment_count = attachments.search_count([])

        response = self._post_raise_form(
            self.portal_grace,
            invoice,
            {"category_id": self.category_pricing.id, "scope": "due"},
            files={"attachments": ("scan.pdf", b"x" * 2 * ONE_MB, "application/pdf")},
        )

        self.assertIn("o_dispute_form_error", response.text)
        self.assertIn("scan.pdf", response.text)
        self.assertFalse(invoice.dispute_ids)
        self.assertFalse(
            self.env["account.dispute"].search([("contact_id", "!=", False)])
        )
        self.assertEqual(attachments.search_count([]), attachment_count)
        self.assertFalse(attachments.search([("name", "=", "scan.pdf")]))

    def test_upload_within_limit_is_attached(self):
        """C19: a file within the 1 MB limit is attached to the new dispute."""
        self.env["ir.config_parameter"].sudo().set_param(
            "web.max_file_upload_size", ONE_MB
        )
        invoice = self.create_invoice([500.0], partner=self.customer_contact)

        self._post_raise_form(
            self.portal_grace,
            invoice,
            {"category_id": self.category_pricing.id, "scope": "due"},
            files={
                "attachments": ("scan.pdf", b"x" * (ONE_MB // 2), "application/pdf")
            },
        )

        dispute = invoice.dispute_ids
        self.assertEqual(len(dispute), 1)
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", "account.dispute"), ("res_id", "=", dispute.id)]
        )
        self.assertEqual(attachment.name, "scan.pdf")
        self.assertEqual(attachment.file_size, ONE_MB // 2)

    # ------------------------------------------------------------
    # An invoice moved to another customer
    # ------------------------------------------------------------

    def test_invoice_moved_to_other_customer(self):
        """C7: customer A's disputed invoice is reset and moved to customer B:
        A's list omits the dispute, its detail URL redirects away, and A cannot
        raise a dispute on the invoice."""
        invoice = self.create_invoice([900.0], partner=self.customer_contact)
        dispute = self.create_dispute([(invoice, 400.0)])
        invoice.button_draft()
        invoice.partner_id = self.other_customer
        invoice.action_post()

        response = self._open_as(self.portal_grace, "/my/disputes")
        self.assertNotIn(dispute.name, response.text)
        self.assertIn(self.dispute_a.name, response.text)
        self.assertEqual(self._counter(self.portal_grace), 1)

        response = self._open_as(self.portal_grace, dispute.access_url)
        self.assertEqual(self._path(response), "/my")
        self.assertNotIn(invoice.name, response.text)

        response = self._post_raise_form(
            self.portal_grace,
            invoice,
            {"category_id": self.category_pricing.id, "scope": "due"},
        )
        self.assertEqual(self._path(response), "/my")
        self.assertEqual(invoice.dispute_ids, dispute)

        with self.assertRaises(AccessError):
            self.env["account.dispute"].with_user(self.portal_grace).create(
                {
                    "category_id": self.category_pricing.id,
                    "line_ids": [Command.create({"move_id": invoice.id})],
                }
            )

    # ------------------------------------------------------------
    # Communication
    # ------------------------------------------------------------

    def test_internal_notes_stay_internal(self):
        self.dispute_a.message_post(
            body="Customer is a slow payer", subtype_xmlid="mail.mt_note"
        )
        self.dispute_a.message_post(
            body="We are checking the price list",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

        messages = (
            self.env["mail.message"]
            .with_user(self.portal_grace)
            .search(
                [("model", "=", "account.dispute"), ("res_id", "=", self.dispute_a.id)]
            )
        )

        bodies = " ".join(messages.mapped("body"))
        self.assertIn("We are checking the price list", bodies)
        self.assertNotIn("slow payer", bodies)

    def test_internal_note_attachment_stays_internal(self):
        self.dispute_a.message_post(
            body="Credit check",
            subtype_xmlid="mail.mt_note",
            attachments=[("credit_check.txt", b"slow payer")],
        )
        attachment = self.dispute_a.message_ids[0].attachment_ids

        with self.assertRaises(AccessError):
            attachment.with_user(self.portal_grace).read(["datas"])
        response = self._open_as(self.portal_grace, f"/web/content/{attachment.id}")
        self.assertIn(response.status_code, (403, 404))
        self.assertNotIn("slow payer", response.text)
