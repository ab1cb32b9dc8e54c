from urllib.parse import urlparse

from odoo.tests import tagged

from .portal_common import DisputePortalCommon


@tagged("post_install", "-at_install")
class TestDisputePortalTour(DisputePortalCommon):
    def test_customer_disputes_and_follows_an_invoice(self):
        invoice = self.create_invoice([1000.0], partner=self.customer_contact)

        self.start_tour(
            f"/my/invoices/{invoice.id}", "ar_dispute_portal_tour", login="portal_grace"
        )

        dispute = invoice.dispute_ids
        self.assertRecordValues(
            dispute,
            [
                {
                    "partner_id": self.customer.id,
                    "contact_id": self.customer_contact.id,
                    "category_id": self.category_pricing.id,
                    "amount_disputed": 1000.0,
                    "stage_id": self.stage_new.id,
                }
            ],
        )
        customer_message = dispute.message_ids.filtered(
            lambda message: "signed price agreement" in (message.body or "")
        )
        self.assertEqual(customer_message.author_id, self.customer_contact)
        self.assertEqual(customer_message.attachment_ids.name, "price_agreement.txt")

        # An internal user takes the dispute in hand.
        dispute = dispute.with_user(self.billing_user).with_context(
            tracking_disable=False, mail_notrack=False, mail_notify_force_send=False
        )
        dispute.write({"stage_id": self.stage_progress.id})
        self.env.flush_all()
        self.env.cr.flush()

        self.authenticate("portal_grace", "portal_grace")
        response = self.url_open(dispute.access_url)
        self.assertEqual(urlparse(response.url).path, dispute.access_url)
        self.assertIn('id="dispute_status"', response.text)
        status = response.text.split('id="dispute_status"', 1)[1].split("</span>")[0]
        self.assertIn("In Progress", status)

        mails = self.env["mail.mail"].search(
            [
                ("model", "=", "account.dispute"),
                ("res_id", "=", dispute.id),
                ("recipient_ids", "in", self.customer_contact.ids),
            ]
        )
        self.assertTrue(mails)
        self.assertIn("is now In Progress", mails[0].subject)
