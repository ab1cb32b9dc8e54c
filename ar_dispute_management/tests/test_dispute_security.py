from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import DisputeCommon


@tagged("post_install", "-at_install")
class TestDisputeSecurity(DisputeCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls.create_invoice([1000.0])
        cls.dispute = cls.create_dispute([(cls.invoice, 300.0)])
        cls.plain_user = new_test_user(
            cls.env,
            login="no_dispute",
            name="Warehouse Clerk",
            groups="base.group_user",
        )

    def test_billing_user_can_raise_and_follow(self):
        dispute = self.create_dispute([(self.invoice, 100.0)]).with_user(
            self.billing_user
        )
        self.assertEqual(dispute.amount_disputed, 100.0)
        dispute.stage_id = self.stage_progress
        self.assertEqual(dispute.stage_id, self.stage_progress)

    def test_user_without_group_cannot_read_or_create(self):
        with self.assertRaises(AccessError):
            self.dispute.with_user(self.plain_user).read(["name"])
        with self.assertRaises(AccessError):
            self.env["account.dispute"].with_user(self.plain_user).create(
                {
                    "line_ids": [
                        Command.create(
                            {"move_id": self.invoice.id, "amount_disputed": 1.0}
                        )
                    ]
                }
            )

    def test_dispute_user_cannot_configure(self):
        with self.assertRaises(AccessError):
            self.env["account.dispute.stage"].with_user(self.billing_user).create(
                {"name": "Sneaky"}
            )
        with self.assertRaises(AccessError):
            self.dispute.with_user(self.billing_user).unlink()

    def test_user_of_another_company_sees_nothing(self):
        """C12: a user of company B only finds no dispute of company A."""
        company_b = self.setup_other_company(name="Company B")["company"]
        user_b = new_test_user(
            self.env,
            login="billing_b",
            groups="account.group_account_invoice",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        disputes_b = self.env["account.dispute"].with_user(user_b)

        self.assertFalse(disputes_b.search([]))
        with self.assertRaises(AccessError):
            self.dispute.with_user(user_b).read(["name"])
        with self.assertRaises(AccessError):
            self.dispute.line_ids.with_user(user_b).read(["amount_disputed"])
