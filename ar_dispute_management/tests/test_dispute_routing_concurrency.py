import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from psycopg2 import errors

from odoo import SUPERUSER_ID, Command, api, fields
from odoo.modules.registry import Registry
from odoo.service.model import retrying
from odoo.tests.common import BaseCase, get_db_name, tagged
from odoo.tools import mute_logger


@tagged("post_install", "-at_install")
class TestDisputeRoutingConcurrency(BaseCase):
    """Two workers create disputes at the same time, each in its own committed
    transaction: round-robin must give them to different members.

    The other transactions only see committed data, so this test commits its
    setup and removes it afterwards instead of relying on a rollback.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(get_db_name())
        cls.addClassCleanup(cls.cleanUpData)
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            company = env.ref("base.main_company")
            users = env["res.users"].create(
                [
                    {
                        "name": f"Concurrent clerk {letter}",
                        "login": f"dispute_concurrent_{letter}",
                        "company_id": company.id,
                        "company_ids": [Command.set(company.ids)],
                        "groups_id": [
                            Command.set(
                                env.ref("ar_dispute_management.group_dispute_user").ids
                            )
                        ],
                    }
                    for letter in "ab"
                ]
            )
            partner = env["res.partner"].create(
                {"name": "Concurrent Clinic", "is_company": True}
            )
            team = env["account.dispute.team"].create(
                {"name": "Concurrent team", "member_ids": [Command.set(users.ids)]}
            )
            rule = env["account.dispute.routing.rule"].create(
                {
                    "name": "Concurrent Clinic round-robin",
                    "sequence": 0,
                    "partner_ids": [Command.set(partner.ids)],
                    "team_id": team.id,
                    "assignment": "round_robin",
                }
            )
            # A dispute opened 30 days ago, far beyond its 8 working hours.
            sla = env["account.dispute.sla"].create(
                {"name": "Concurrent SLA", "team_id": team.id, "hours_resolution": 8}
            )
            late_partner = env["res.partner"].create(
                {"name": "Late Clinic", "is_company": True}
            )
            late_dispute = env["account.dispute"].create(
                {
                    "partner_id": late_partner.id,
                    "team_id": team.id,
                    "date_open": fields.Datetime.now() - timedelta(days=30),
                }
            )
            cls.user_ids = users.ids
            cls.partner_id = partner.id
            cls.team_id = team.id
            cls.rule_id = rule.id
            cls.sla_id = sla.id
            cls.late_partner_id = late_partner.id
            cls.late_dispute_id = late_dispute.id

    @classmethod
    def cleanUpData(cls):
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {"active_test": False})
            partner_ids = [cls.partner_id, cls.late_partner_id]
            env["account.dispute"].search([("partner_id", "in", partner_ids)]).unlink()
            env["account.dispute.routing.rule"].browse(cls.rule_id).unlink()
            env["account.dispute.sla"].browse(cls.sla_id).unlink()
            env["account.dispute.team"].browse(cls.team_id).unlink()
            users = env["res.users"].browse(cls.user_ids)
            partners = users.partner_id | env["res.partner"].browse(partner_ids)
            users.unlink()
            partners.unlink()

    def run_in_two_workers(self, work):
        """Call ``work(env)`` at the same time in two transactions, each
        committed on return; the results in order."""
        barrier = threading.Barrier(2)

        def worker():
            with self.registry.cursor() as cr:
                env = api.Environment(
                    cr, SUPERUSER_ID, {"mail_notify_force_send": False}
                )
                # Both transactions start before either one works.
                cr.execute("SELECT 1")
                barrier.wait(timeout=10)
                return work(env)

        with ThreadPoolExecutor(max_workers=2) as executor:
            futures = [executor.submit(worker) for _i in range(2)]
            return [future.result(timeout=60) for future in futures]

    @mute_logger("odoo.sql_db", "odoo.service.model")
    def test_concurrent_creations_alternate_members(self):
        def create_dispute(env):
            def create():
                dispute = env["account.dispute"].create({"partner_id": self.partner_id})
                return dispute.user_id.id

            # As the server does for RPC calls: a transaction that read the
            # team before the other one committed is retried.
            return retrying(create, env)

        assigned = self.run_in_two_workers(create_dispute)

        self.assertEqual(sorted(assigned), sorted(self.user_ids))
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            disputes = env["account.dispute"].search(
                [("partner_id", "=", self.partner_id)]
            )
            self.assertEqual(sorted(disputes.user_id.ids), sorted(self.user_ids))

    @mute_logger("odoo.sql_db")
    def test_two_escalation_workers_escalate_once(self):
        def run_escalation(env):
            try:
                return env["account.dispute"]._cron_escalate_sla()
            except errors.SerializationFailure:
                # The other worker escalated and committed first: this run
                # fails like a cron job would, and changes nothing.
                env.cr.rollback()
                return 0

        escalated = self.run_in_two_workers(run_escalation)

        self.assertEqual(sorted(escalated), [0, 1])
        with self.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            dispute = env["account.dispute"].browse(self.late_dispute_id)
            self.assertEqual(dispute.escalation_level, 1)
            notes = dispute.message_ids.filtered(
                lambda message: "breached: escalated" in (message.body or "")
            )
            self.assertEqual(len(notes), 1)
