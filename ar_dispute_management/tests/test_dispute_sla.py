from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.tests import tagged

from .common_routing import RoutingCommon

# Friday 6 November 2026, 15:00 in Brussels (UTC+1): two working hours left
# that day on the 9:00-17:00 calendar.
FRIDAY_3PM = "2026-11-06 14:00:00"
MONDAY_3PM = datetime(2026, 11, 9, 14, 0)


@tagged("post_install", "-at_install")
class TestDisputeSla(RoutingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.sla = cls.env["account.dispute.sla"].create(
            {
                "name": "Collections: 8 working hours",
                "team_id": cls.collections.id,
                "hours_first_response": 2.0,
                "hours_resolution": 8.0,
                "at_risk_percent": 20.0,
            }
        )
        cls.create_rule(assignment="round_robin")

    def create_friday_dispute(self, invoice=None, amount=100.0):
        with freeze_time(FRIDAY_3PM):
            return self.create_dispute([(invoice or self.invoice, amount)])

    def run_escalation(self, at, batch_size=None):
        with freeze_time(at):
            return self.env["account.dispute"]._cron_escalate_sla(batch_size)

    @staticmethod
    def escalation_notes(dispute):
        return dispute.message_ids.filtered(
            lambda message: "breached: escalated" in (message.body or "")
        )

    def test_deadline_counts_working_hours_over_the_weekend(self):
        dispute = self.create_friday_dispute()

        self.assertRecordValues(
            dispute,
            [
                {
                    "sla_id": self.sla.id,
                    "sla_response_deadline": datetime(2026, 11, 6, 16, 0),
                    "sla_deadline": MONDAY_3PM,
                    "sla_status": "on_track",
                }
            ],
        )
        self.assertEqual(dispute.activity_ids.date_deadline, date(2026, 11, 9))

    def test_status_moves_from_on_track_to_at_risk_to_breached(self):
        dispute = self.create_friday_dispute()
        with freeze_time("2026-11-06 14:30:00"):
            dispute.with_user(self.clerk_a).message_post(
                body="We are looking into it.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )

        # Monday 10:00 in Brussels: 5 of 8 working hours left.
        self.run_escalation("2026-11-09 09:00:00")
        self.assertEqual(dispute.sla_status, "on_track")

        # Monday 13:30: 1.5 hours left, below 20 % of 8 hours.
        self.run_escalation("2026-11-09 12:30:00")
        self.assertEqual(dispute.sla_status, "at_risk")

        self.run_escalation("2026-11-09 14:30:00")
        self.assertEqual(dispute.sla_status, "breached")

    def test_missed_first_response_breaches(self):
        dispute = self.create_friday_dispute()

        # Friday 17:30 in Brussels, nobody answered the customer.
        self.run_escalation("2026-11-06 16:30:00")

        self.assertEqual(dispute.sla_status, "breached")

    def test_internal_note_is_not_a_first_response(self):
        dispute = self.create_friday_dispute()

        dispute.with_user(self.clerk_a).message_post(
            body="Internal only", subtype_xmlid="mail.mt_note"
        )

        self.assertFalse(dispute.first_response_date)

    def test_reply_to_customer_is_the_first_response(self):
        dispute = self.create_friday_dispute()

        with freeze_time("2026-11-06 15:00:00"):
            dispute.with_user(self.clerk_a).message_post(
                body="Thanks, we check the scanner.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )

        self.assertEqual(dispute.first_response_date, datetime(2026, 11, 6, 15, 0))

    def test_leaving_the_first_stage_is_the_first_response(self):
        dispute = self.create_friday_dispute()

        with freeze_time("2026-11-06 15:30:00"):
            dispute.with_user(self.clerk_a).stage_id = self.stage_progress

        self.assertEqual(dispute.first_response_date, datetime(2026, 11, 6, 15, 30))

    def test_escalation_happens_once_across_two_runs(self):
        dispute = self.create_friday_dispute()
        self.assertEqual(dispute.priority, "2")

        self.run_escalation("2026-11-09 15:00:00")
        self.run_escalation("2026-11-09 16:00:00")

        self.assertRecordValues(
            dispute,
            [{"escalation_level": 1, "priority": "3", "user_id": self.clerk_a.id}],
        )
        [note] = self.escalation_notes(dispute)
        self.assertIn(self.leader.partner_id, note.partner_ids)

    def test_escalation_can_hand_the_dispute_to_the_leader(self):
        self.sla.escalate_to_leader = True
        dispute = self.create_friday_dispute()

        self.run_escalation("2026-11-09 15:00:00")

        self.assertEqual(dispute.user_id, self.leader)
        self.assertEqual(dispute.activity_ids.user_id, self.leader)

    def test_each_level_escalates_once(self):
        self.sla.escalation_max_level = 2
        dispute = self.create_friday_dispute()

        # Level 1 at 8 working hours (Monday 15:00), level 2 at 16 (Tuesday 15:00).
        self.run_escalation("2026-11-09 15:00:00")
        self.run_escalation("2026-11-09 16:00:00")
        self.assertEqual(dispute.escalation_level, 1)
        self.run_escalation("2026-11-10 14:30:00")
        self.run_escalation("2026-11-10 15:00:00")

        self.assertEqual(dispute.escalation_level, 2)
        self.assertEqual(len(self.escalation_notes(dispute)), 2)

    def escalate_c15_disputes(self, batch_size):
        """Three breached disputes: open, closed, on a cancelled invoice; the
        escalation runs twice. Returns (level, priority, notes) per dispute."""
        open_dispute = self.create_friday_dispute()
        closed_dispute = self.create_friday_dispute()
        closed_dispute.stage_id = self.stage_resolved
        cancelled_invoice = self.create_invoice([500.0])
        cancelled_dispute = self.create_friday_dispute(cancelled_invoice, 500.0)
        cancelled_invoice.button_draft()
        cancelled_invoice.button_cancel()
        disputes = open_dispute | closed_dispute | cancelled_dispute

        self.run_escalation("2026-11-09 15:00:00", batch_size)
        self.run_escalation("2026-11-09 16:00:00", batch_size)

        return [
            (d.escalation_level, d.priority, len(self.escalation_notes(d)))
            for d in disputes
        ]

    def test_c15_cron_scope_and_idempotence(self):
        """C15: exactly one escalation, on the open dispute; batched result
        equals unbatched."""
        unbatched = self.escalate_c15_disputes(batch_size=None)
        batched = self.escalate_c15_disputes(batch_size=2)

        self.assertEqual(unbatched, [(1, "3", 1), (0, "2", 0), (0, "2", 0)])
        self.assertEqual(batched, unbatched)

    def test_batches_of_two_escalate_every_dispute_once(self):
        disputes = self.env["account.dispute"]
        for _i in range(5):
            disputes |= self.create_friday_dispute(amount=10.0)

        escalated = self.run_escalation("2026-11-09 15:00:00", batch_size=2)
        escalated += self.run_escalation("2026-11-09 16:00:00", batch_size=2)

        self.assertEqual(escalated, 5)
        self.assertEqual(set(disputes.mapped("escalation_level")), {1})
        self.assertEqual(
            [len(self.escalation_notes(d)) for d in disputes], [1, 1, 1, 1, 1]
        )

    def test_most_specific_service_level_applies(self):
        pricing_sla = self.env["account.dispute.sla"].create(
            {
                "name": "Collections pricing",
                "team_id": self.collections.id,
                "category_ids": [Command.set(self.category_pricing.ids)],
                "hours_resolution": 4.0,
            }
        )

        with freeze_time(FRIDAY_3PM):
            pricing = self.create_dispute(
                [(self.invoice, 10.0)], category=self.category_pricing
            )

        self.assertEqual(pricing.sla_id, pricing_sla)
        # 2 hours on Friday, 2 on Monday from 9:00 in Brussels.
        self.assertEqual(pricing.sla_deadline, datetime(2026, 11, 9, 10, 0))

    def test_idle_reminder_is_scheduled_once(self):
        dispute = self.create_friday_dispute()
        idle_type = self.env.ref(
            "ar_dispute_management.mail_activity_type_dispute_idle"
        )

        with freeze_time("2026-11-16 09:00:00"):
            self.env["account.dispute"]._cron_remind_idle(batch_size=2)
            self.env["account.dispute"]._cron_remind_idle(batch_size=2)

        reminders = dispute.activity_ids.filtered(
            lambda a: a.activity_type_id == idle_type
        )
        self.assertEqual(reminders.user_id, self.clerk_a)
        self.assertEqual(len(reminders), 1)
