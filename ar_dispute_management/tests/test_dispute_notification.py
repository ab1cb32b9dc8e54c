from odoo.tests import new_test_user, tagged

from .common import DisputeCommon


@tagged("post_install", "-at_install")
class TestDisputeNotification(DisputeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Follow the dispute and track its changes as in production.
        cls.env = cls.env(
            context=dict(
                cls.env.context,
                tracking_disable=False,
                mail_notrack=False,
                mail_notify_force_send=False,
            )
        )
        cls.customer_contact.email = "grace.holloway@stmarys.example.com"
        cls.portal_grace = new_test_user(
            cls.env,
            login="portal_grace",
            groups="base.group_portal",
            partner_id=cls.customer_contact.id,
            name=cls.customer_contact.name,
            email=cls.customer_contact.email,
        )
        cls.invoice = cls.create_invoice([1000.0], partner=cls.customer_contact)
        cls.dispute = cls.create_dispute(
            [(cls.invoice, 300.0)],
            contact_id=cls.customer_contact.id,
            user_id=cls.billing_user.id,
        )
        # Changes in the transaction that created a record are not tracked.
        cls.env.flush_all()
        cls.env.cr.flush()

    def _end_transaction(self):
        # Tracking (and the stage templates it sends) runs at commit time.
        self.env.flush_all()
        self.env.cr.flush()

    def _mails_to(self, partner):
        return self.env["mail.mail"].search(
            [
                ("model", "=", "account.dispute"),
                ("res_id", "=", self.dispute.id),
                ("recipient_ids", "in", partner.ids),
            ]
        )

    def test_contact_and_assignee_follow(self):
        self.assertIn(self.customer_contact, self.dispute.message_partner_ids)
        self.assertIn(self.billing_user.partner_id, self.dispute.message_partner_ids)

    def test_customer_visible_stage_emails_customer(self):
        self.dispute.stage_id = self.stage_progress
        self._end_transaction()

        mails = self._mails_to(self.customer_contact)
        self.assertEqual(len(mails), 1)
        self.assertIn("is now In Progress", mails.subject)

    def test_stage_without_template_sends_nothing(self):
        self.stage_progress.mail_template_id = False

        self.dispute.stage_id = self.stage_progress
        self._end_transaction()

        self.assertFalse(self._mails_to(self.customer_contact))

    def test_customer_message_notifies_assignee(self):
        self.dispute.with_user(self.portal_grace).message_post(
            body="The delivery note is attached.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )

        message = self.dispute.message_ids[0]
        self.assertIn(
            self.billing_user.partner_id, message.notification_ids.res_partner_id
        )

    def test_closing_requests_rating(self):
        self.dispute.stage_id = self.stage_resolved

        rating_mails = self._mails_to(self.customer_contact).filtered(
            lambda mail: "how did we handle" in mail.subject
        )
        self.assertEqual(len(rating_mails), 1)
        rating = self.dispute.rating_ids
        self.assertEqual(rating.partner_id, self.customer_contact)
        self.assertIn(f"/rate/{rating.access_token}/5", rating_mails.body_html)

    def test_rating_is_stored_for_the_team(self):
        self.dispute.stage_id = self.stage_resolved
        token = self.dispute.rating_ids.access_token

        self.dispute.rating_apply(5, token=token, feedback="Quick and fair.")

        self.assertEqual(self.dispute.rating_count, 1)
        self.assertEqual(self.dispute.rating_last_value, 5.0)
        self.assertEqual(self.dispute.rating_ids.feedback, "Quick and fair.")
