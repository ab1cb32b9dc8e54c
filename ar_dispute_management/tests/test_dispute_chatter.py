from odoo.tests import tagged

from .common import DisputeCommon


@tagged("post_install", "-at_install")
class TestDisputeChatter(DisputeCommon):
    def _end_transaction(self):
        # Tracking messages are written by pre-commit hooks, and changes in the
        # transaction that created a record are not tracked: run the hooks.
        self.env.flush_all()
        self.env.cr.flush()

    def _tracked(self, dispute):
        self._end_transaction()
        dispute.invalidate_recordset(["message_ids"])
        values = dispute.message_ids.tracking_value_ids
        return {value.field_id.name: value for value in values}

    def test_tracking_on_the_dispute(self):
        invoice = self.create_invoice([1000.0])
        dispute = self.create_dispute([(invoice, 300.0)]).with_context(
            tracking_disable=False, mail_notrack=False
        )
        self._end_transaction()

        dispute.write(
            {
                "stage_id": self.stage_progress.id,
                "user_id": self.billing_user.id,
                "priority": "3",
            }
        )
        dispute.line_ids.amount_disputed = 250.0

        tracked = self._tracked(dispute)
        self.assertEqual(tracked["stage_id"].old_value_char, "New")
        self.assertEqual(tracked["stage_id"].new_value_char, "In Progress")
        self.assertEqual(tracked["user_id"].new_value_char, "Billing Clerk")
        self.assertEqual(tracked["priority"].new_value_char, "Urgent")
        self.assertEqual(tracked["amount_disputed"].old_value_float, 300.0)
        self.assertEqual(tracked["amount_disputed"].new_value_float, 250.0)

    def test_invoice_notes_on_raise_and_close(self):
        invoice = self.create_invoice([1000.0])
        dispute = self.create_dispute([(invoice, 300.0)])

        raised = invoice.message_ids[0]
        self.assertIn(dispute.name, raised.body)
        self.assertIn(
            f'data-oe-model="account.dispute" data-oe-id="{dispute.id}"', raised.body
        )
        self.assertEqual(raised.subtype_id, self.env.ref("mail.mt_note"))

        dispute.stage_id = self.stage_resolved

        closed = invoice.message_ids[0]
        self.assertIn("closed (Resolved)", closed.body)
        self.assertIn(dispute.name, closed.body)
