from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common_routing import RoutingCommon


@tagged("post_install", "-at_install")
class TestDisputeRouting(RoutingCommon):
    def test_first_matching_rule_by_sequence_applies(self):
        self.create_rule(
            name="Pricing to Clerk A",
            sequence=1,
            category_ids=[Command.set(self.category_pricing.ids)],
            assignment="fixed",
            user_id=self.clerk_a.id,
        )
        self.create_rule(
            name="Defects to Clerk B",
            sequence=5,
            category_ids=[Command.set(self.category_defect.ids)],
            assignment="fixed",
            user_id=self.clerk_b.id,
        )
        self.create_rule(
            name="Everything else to the leader",
            sequence=10,
            assignment="fixed",
            user_id=self.leader.id,
        )

        dispute = self.create_dispute([(self.invoice, 300.0)])

        self.assertRecordValues(
            dispute,
            [
                {
                    "team_id": self.collections.id,
                    "user_id": self.clerk_b.id,
                    "routing_rule_id": dispute.routing_rule_id.id,
                }
            ],
        )
        self.assertEqual(dispute.routing_rule_id.name, "Defects to Clerk B")
        [note] = self.routing_notes(dispute)
        self.assertIn(
            "Routed by rule Defects to Clerk B (reason is Product defect)", note.body
        )
        self.assertIn("assigned to Clerk B (fixed user)", note.body)

    def test_conditions_must_all_hold(self):
        """A rule on the right reason but for another customer does not apply."""
        self.create_rule(
            name="Northside pricing",
            category_ids=[Command.set(self.category_defect.ids)],
            partner_ids=[Command.set(self.other_customer.ids)],
            assignment="fixed",
            user_id=self.clerk_a.id,
        )
        self.create_rule(
            name="Large amounts",
            sequence=20,
            amount_min=500.0,
            amount_max=2000.0,
            journal_ids=[Command.set(self.invoice.journal_id.ids)],
            domain=f"[('currency_id', '=', {self.currency.id})]",
            assignment="fixed",
            user_id=self.clerk_b.id,
        )

        small = self.create_dispute([(self.invoice, 300.0)])
        large = self.create_dispute([(self.invoice, 600.0)])

        self.assertFalse(small.routing_rule_id)
        self.assertFalse(small.user_id)
        self.assertEqual(large.user_id, self.clerk_b)
        self.assertIn(
            f"disputed amount 600.00 {self.currency.name} in range",
            self.routing_notes(large).body,
        )

    def test_round_robin_takes_members_in_turn(self):
        self.create_rule(assignment="round_robin")

        disputes = [self.create_dispute([(self.invoice, 100.0)]) for _i in range(3)]

        self.assertEqual(
            [d.user_id for d in disputes], [self.clerk_a, self.clerk_b, self.clerk_a]
        )
        self.assertEqual(self.collections.last_assigned_user_id, self.clerk_a)

    def test_least_loaded_takes_member_with_fewest_open_disputes(self):
        self.create_rule(assignment="least_loaded")
        self.create_dispute([(self.invoice, 10.0)], user_id=self.clerk_a.id)
        self.create_dispute([(self.invoice, 10.0)], user_id=self.clerk_a.id)
        closed = self.create_dispute([(self.invoice, 10.0)], user_id=self.clerk_b.id)
        closed.stage_id = self.stage_resolved
        self.create_dispute([(self.invoice, 10.0)], user_id=self.clerk_b.id)

        dispute = self.create_dispute([(self.invoice, 10.0)])

        # Clerk B has one open dispute (the closed one does not count), A two.
        self.assertEqual(dispute.user_id, self.clerk_b)

    def test_least_loaded_tie_goes_to_lowest_id(self):
        self.create_rule(assignment="least_loaded")

        dispute = self.create_dispute([(self.invoice, 10.0)])

        self.assertEqual(dispute.user_id, self.clerk_a)

    def test_without_rule_the_reason_team_receives_it(self):
        self.category_pricing.team_id = self.collections

        dispute = self.create_dispute(
            [(self.invoice, 10.0)], category=self.category_pricing
        )

        self.assertEqual(dispute.team_id, self.collections)
        self.assertIn(
            "No routing rule matched: the reason's team",
            self.routing_notes(dispute).body,
        )

    def test_without_rule_nor_reason_team_the_company_team_receives_it(self):
        self.company.dispute_team_id = self.collections

        dispute = self.create_dispute([(self.invoice, 10.0)])

        self.assertEqual(dispute.team_id, self.collections)
        self.assertIn(
            "No routing rule matched: company default team",
            self.routing_notes(dispute).body,
        )

    def test_rule_of_another_company_does_not_apply(self):
        other_company = self.setup_other_company(name="Company B")["company"]
        self.create_rule(
            company_id=other_company.id,
            team_id=False,
            assignment="fixed",
            user_id=self.clerk_a.id,
        )

        dispute = self.create_dispute([(self.invoice, 10.0)])

        self.assertFalse(dispute.user_id)

    def test_archived_or_other_company_member_is_never_chosen(self):
        """C13: routing never picks an archived user, nor one without access to
        the invoice's company."""
        other_company = self.setup_other_company(name="Company B")["company"]
        outsider = new_test_user(
            self.env,
            login="clerk_company_b",
            name="Clerk of B",
            groups="account.group_account_invoice",
            company_id=other_company.id,
            company_ids=[Command.set(other_company.ids)],
        )
        self.collections.member_ids = [Command.link(outsider.id)]
        self.clerk_a.action_archive()
        self.create_rule(assignment="round_robin")

        round_robin = [
            self.create_dispute([(self.invoice, 10.0)]).user_id for _i in range(3)
        ]
        self.collections.last_assigned_user_id = False
        self.create_rule(sequence=1, assignment="least_loaded")
        least_loaded = self.create_dispute([(self.invoice, 10.0)]).user_id

        self.assertEqual(round_robin, [self.clerk_b] * 3)
        self.assertEqual(least_loaded, self.clerk_b)

    def test_fixed_archived_user_falls_back_to_round_robin(self):
        """C13: a rule naming an archived user does not assign them."""
        self.create_rule(assignment="fixed", user_id=self.clerk_a.id)
        self.clerk_a.action_archive()

        dispute = self.create_dispute([(self.invoice, 10.0)])

        self.assertEqual(dispute.user_id, self.clerk_b)
        self.assertIn(
            "round-robin: Clerk A cannot take disputes",
            self.routing_notes(dispute).body,
        )

    def test_routing_schedules_review_activity_for_assignee(self):
        self.create_rule(assignment="fixed", user_id=self.clerk_a.id)

        dispute = self.create_dispute([(self.invoice, 10.0)])

        self.assertRecordValues(
            dispute.activity_ids,
            [
                {
                    "user_id": self.clerk_a.id,
                    "activity_type_id": self.env.ref(
                        "ar_dispute_management.mail_activity_type_dispute_review"
                    ).id,
                }
            ],
        )

    def test_reassignment_moves_the_open_activity(self):
        self.create_rule(assignment="fixed", user_id=self.clerk_a.id)
        dispute = self.create_dispute([(self.invoice, 10.0)])

        dispute.with_user(self.clerk_a).user_id = self.clerk_b

        self.assertEqual(dispute.activity_ids.user_id, self.clerk_b)

    def test_archived_assignee_activities_move_to_team_leader(self):
        """C13: archiving U hands U's open dispute activities to the leader
        instead of letting Odoo delete them."""
        self.create_rule(assignment="fixed", user_id=self.clerk_a.id)
        dispute = self.create_dispute([(self.invoice, 10.0)])
        other_dispute = self.create_dispute([(self.invoice, 10.0)])
        other_dispute.user_id = self.clerk_b
        extra = other_dispute.activity_schedule(
            "mail.mail_activity_data_todo", user_id=self.clerk_a.id
        )

        self.clerk_a.action_archive()

        self.assertEqual(dispute.user_id, self.leader)
        self.assertEqual(dispute.activity_ids.user_id, self.leader)
        self.assertTrue(extra.exists())
        self.assertEqual(extra.user_id, self.leader)
        self.assertEqual(other_dispute.user_id, self.clerk_b)

    def test_archiving_through_write_also_hands_over(self):
        self.create_rule(assignment="fixed", user_id=self.clerk_a.id)
        dispute = self.create_dispute([(self.invoice, 10.0)])

        self.clerk_a.write({"active": False})

        self.assertEqual(dispute.activity_ids.user_id, self.leader)

    def test_reroute_applies_the_rules_again(self):
        billing = self.env["account.dispute.team"].create(
            {"name": "Billing", "member_ids": [Command.set(self.clerk_b.ids)]}
        )
        self.create_rule(
            name="Pricing to Billing",
            category_ids=[Command.set(self.category_pricing.ids)],
            team_id=billing.id,
            assignment="round_robin",
        )
        dispute = self.create_dispute([(self.invoice, 10.0)])
        self.assertFalse(dispute.team_id)

        dispute.category_id = self.category_pricing
        dispute.with_user(self.billing_user).action_reroute()

        self.assertRecordValues(
            dispute, [{"team_id": billing.id, "user_id": self.clerk_b.id}]
        )
        self.assertEqual(len(self.routing_notes(dispute)), 2)

    def test_rule_sets_priority_and_followers(self):
        self.create_rule(
            priority="3",
            follower_ids=[Command.set(self.customer_contact.ids)],
            assignment="none",
        )

        dispute = self.create_dispute([(self.invoice, 10.0)])

        self.assertEqual(dispute.priority, "3")
        self.assertIn(self.customer_contact, dispute.message_partner_ids)

    def test_priority_criteria_raise_but_never_lower(self):
        key_account = self.env.ref("ar_dispute_management.partner_category_key_account")
        self.env["account.dispute.priority.rule"].create(
            [
                {"name": "Big", "amount_min": 500.0, "priority": "2"},
                {
                    "name": "Key",
                    "partner_category_ids": [Command.set(key_account.ids)],
                    "priority": "3",
                },
                {"name": "Everything low", "priority": "0"},
            ]
        )

        small = self.create_dispute(
            [(self.invoice, 10.0)], category=self.category_pricing
        )
        large = self.create_dispute(
            [(self.invoice, 600.0)], category=self.category_pricing
        )
        self.customer.category_id = key_account
        key = self.create_dispute(
            [(self.invoice, 10.0)], category=self.category_pricing
        )

        self.assertEqual(
            [small.priority, large.priority, key.priority], ["1", "2", "3"]
        )

    def test_rule_checks_its_settings(self):
        with self.assertRaisesText(ValidationError, "choose the user"):
            self.create_rule(assignment="fixed")
        with self.assertRaisesText(ValidationError, "not a valid domain"):
            self.create_rule(domain="[('no_such_field', '=', 1)]")
        with self.assertRaisesText(ValidationError, "below the lowest"):
            self.create_rule(amount_min=100.0, amount_max=10.0)
        with self.assertRaisesText(ValidationError, "choose the team"):
            self.create_rule(team_id=False, assignment="least_loaded")

    def test_only_administrators_configure_routing(self):
        Rule = self.env["account.dispute.routing.rule"]
        rule = self.create_rule(assignment="round_robin")

        self.assertEqual(rule.with_user(self.clerk_a).read(["name"])[0]["name"], "Rule")
        with self.assertRaises(AccessError):
            Rule.with_user(self.clerk_a).create({"name": "Mine", "assignment": "none"})
        with self.assertRaises(AccessError):
            rule.with_user(self.clerk_a).write({"sequence": 1})
        with self.assertRaises(AccessError):
            self.env["account.dispute.sla"].with_user(self.clerk_a).create(
                {"name": "Mine"}
            )
        with self.assertRaises(AccessError):
            self.env["account.dispute.priority.rule"].with_user(self.clerk_a).create(
                {"name": "Mine", "priority": "3"}
            )
        Rule.with_user(self.manager).create({"name": "Admin's", "assignment": "none"})

    def test_dispute_user_routing_needs_no_team_write_access(self):
        """Round-robin writes on the team even when the creator may not."""
        self.create_rule(assignment="round_robin")

        dispute = (
            self.env["account.dispute"]
            .with_user(self.billing_user)
            .create(
                {
                    "category_id": self.category_defect.id,
                    "line_ids": [
                        Command.create(
                            {"move_id": self.invoice.id, "amount_disputed": 5.0}
                        )
                    ],
                }
            )
        )

        self.assertEqual(dispute.user_id, self.clerk_a)

    def test_administrator_configures_a_rule_in_the_form(self):
        with Form(
            self.env["account.dispute.routing.rule"].with_user(self.manager)
        ) as rule_form:
            rule_form.name = "Defects to Clerk B"
            rule_form.category_ids.add(self.category_defect)
            rule_form.team_id = self.collections
            rule_form.assignment = "fixed"
            rule_form.user_id = self.clerk_b
        rule = rule_form.record

        dispute = self.create_dispute([(self.invoice, 10.0)])

        self.assertEqual(dispute.routing_rule_id, rule)
        self.assertEqual(dispute.user_id, self.clerk_b)
