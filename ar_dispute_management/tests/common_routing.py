from odoo import Command
from odoo.tests import new_test_user

from .common import DisputeCommon


class RoutingCommon(DisputeCommon):
    """A collections team of two clerks led by a manager, and a working
    calendar of 9:00-17:00, Monday to Friday, in Brussels."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Routing tests must not depend on the rules and criteria shipped as data.
        cls.env["account.dispute.routing.rule"].search([]).active = False
        cls.env["account.dispute.priority.rule"].search([]).active = False
        cls.env["account.dispute.sla"].search([]).active = False

        cls.leader, cls.clerk_a, cls.clerk_b, cls.manager = (
            new_test_user(
                cls.env,
                login=login,
                name=name,
                groups=groups,
                company_id=cls.company.id,
                company_ids=[Command.set(cls.company.ids)],
            )
            for login, name, groups in (
                ("dispute_leader", "Team Leader", "account.group_account_invoice"),
                ("dispute_clerk_a", "Clerk A", "account.group_account_invoice"),
                ("dispute_clerk_b", "Clerk B", "account.group_account_invoice"),
                ("dispute_admin", "Dispute Admin", "account.group_account_manager"),
            )
        )
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "Brussels office",
                "tz": "Europe/Brussels",
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 9.0,
                            "hour_to": 17.0,
                            "day_period": "morning",
                        }
                    )
                    for day in range(5)
                ],
            }
        )
        cls.collections = cls.env["account.dispute.team"].create(
            {
                "name": "Collections",
                "leader_id": cls.leader.id,
                "member_ids": [Command.set([cls.clerk_a.id, cls.clerk_b.id])],
                "resource_calendar_id": cls.calendar.id,
            }
        )
        cls.invoice = cls.create_invoice([1000.0])

    @classmethod
    def create_rule(cls, **values):
        return cls.env["account.dispute.routing.rule"].create(
            {"name": "Rule", "team_id": cls.collections.id, **values}
        )

    @staticmethod
    def routing_notes(dispute):
        return dispute.message_ids.filtered(
            lambda message: (
                "Routed by rule" in (message.body or "")
                or "No routing rule matched" in (message.body or "")
            )
        )
