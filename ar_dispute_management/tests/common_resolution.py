from odoo import Command
from odoo.tests import new_test_user

from .common import DisputeCommon


class DisputeResolutionCommon(DisputeCommon):
    """Write-off configuration, approval limits and a root cause for resolving."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.writeoff_account = cls.company_data["default_account_expense"].copy(
            {"name": "Disputes written off", "code": "656100"}
        )
        cls.company.write(
            {
                "dispute_writeoff_account_id": cls.writeoff_account.id,
                "dispute_writeoff_journal_id": cls.company_data[
                    "default_journal_misc"
                ].id,
            }
        )
        cls.root_cause = cls.env["account.dispute.root.cause"].create(
            {"name": "Wrong price list", "code": "PRICE_LIST"}
        )
        cls.stage_settled = cls.env.ref("ar_dispute_management.stage_settled")
        cls.stage_cancelled = cls.env.ref("ar_dispute_management.stage_cancelled")
        cls.salesperson = new_test_user(
            cls.env,
            login="dispute_salesperson",
            name="Sally Sales",
            groups="base.group_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        # The team leader (the test user) approves up to 10,000; the clerk 100.
        cls.env.user.dispute_approval_limit = 10000.0
        cls.billing_user.dispute_approval_limit = 100.0

    @classmethod
    def resolve(cls, dispute, resolution, amounts=None, user=None, **values):
        """Run the resolve wizard; ``amounts`` lists the amount per dispute line
        (defaults: the remaining disputed amounts)."""
        env = cls.env(user=user) if user else cls.env
        wizard = env["account.dispute.resolve.wizard"].create(
            {
                "dispute_ids": [Command.set(dispute.ids)],
                "resolution": resolution,
                "root_cause_id": cls.root_cause.id,
                "resolution_note": values.pop("note", "Agreed with the customer"),
                **values,
            }
        )
        if amounts is not None:
            for wizard_line, amount in zip(wizard.line_ids, amounts, strict=True):
                wizard_line.amount = amount
        return wizard.action_confirm()

    @staticmethod
    def receivable_lines(move):
        return move.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable"
        )
