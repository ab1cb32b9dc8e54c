from contextlib import contextmanager

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class DisputeCommon(AccountTestInvoicingCommon):
    """Invoices, customers and users shared by the dispute tests.

    Nothing here relies on demo data: every record is made in ``setUpClass``.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        cls.currency = cls.company.currency_id
        cls.env.ref("base.group_multi_currency").users |= cls.env.user

        cls.customer = cls.env["res.partner"].create(
            {"name": "Saint Mary's Hospital", "is_company": True}
        )
        cls.customer_contact = cls.env["res.partner"].create(
            {"name": "Grace Holloway", "parent_id": cls.customer.id}
        )
        cls.other_customer = cls.env["res.partner"].create(
            {"name": "Northside Clinic", "is_company": True}
        )

        cls.stage_new = cls.env.ref("ar_dispute_management.stage_new")
        cls.stage_progress = cls.env.ref("ar_dispute_management.stage_in_progress")
        cls.stage_resolved = cls.env.ref("ar_dispute_management.stage_resolved")
        cls.stage_rejected = cls.env.ref("ar_dispute_management.stage_rejected")
        cls.category_defect = cls.env.ref(
            "ar_dispute_management.category_product_defect"
        )
        cls.category_pricing = cls.env.ref("ar_dispute_management.category_pricing")

        cls.billing_user = new_test_user(
            cls.env,
            login="dispute_billing",
            name="Billing Clerk",
            groups="account.group_account_invoice",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.team = cls.env["account.dispute.team"].create(
            {
                "name": "Biomedical Service",
                "leader_id": cls.env.user.id,
                "member_ids": [Command.set([cls.env.user.id, cls.billing_user.id])],
            }
        )

    @contextmanager
    def assertRaisesText(self, exception, text):
        """Like ``assertRaisesRegex``, but rolls back what the failed call wrote
        (Odoo only wraps ``assertRaises`` in a savepoint)."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertIn(text, str(caught.exception))

    @classmethod
    def create_invoice(
        cls,
        amounts=(1000.0,),
        partner=None,
        currency=None,
        post=True,
        payment_term=None,
        date="2026-11-02",
        company=None,
    ):
        """A customer invoice with one untaxed line per amount."""
        company = company or cls.company
        move = (
            cls.env["account.move"]
            .with_company(company)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": (partner or cls.customer).id,
                    "invoice_date": date,
                    "date": date,
                    "currency_id": (currency or company.currency_id).id,
                    "invoice_payment_term_id": payment_term and payment_term.id,
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "name": f"Item {index}",
                                "quantity": 1.0,
                                "price_unit": amount,
                                "tax_ids": [],
                            }
                        )
                        for index, amount in enumerate(amounts, start=1)
                    ],
                }
            )
        )
        if post:
            move.action_post()
        return move

    @classmethod
    def create_dispute(cls, lines, category=None, **values):
        """``lines``: (invoice, amount) pairs, or dicts of dispute line values."""
        line_commands = []
        for line in lines:
            if isinstance(line, dict):
                line_commands.append(Command.create(line))
            else:
                move, amount = line
                line_values = {"move_id": move.id}
                if amount is not None:
                    line_values["amount_disputed"] = amount
                line_commands.append(Command.create(line_values))
        return cls.env["account.dispute"].create(
            {
                "category_id": (category or cls.category_defect).id,
                "line_ids": line_commands,
                **values,
            }
        )

    @classmethod
    def register_payment(cls, invoice, amount, date="2026-11-20"):
        return (
            cls.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"amount": amount, "payment_date": fields.Date.to_date(date)})
            ._create_payments()
        )
