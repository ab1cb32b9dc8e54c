from freezegun import freeze_time

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged

from .insights_common import InsightsCommon


@tagged("post_install", "-at_install")
class TestRootCausePareto(InsightsCommon):
    def test_pareto_shares(self):
        for amount in (100.0, 100.0, 100.0):
            self.open_dispute(amount, root_cause_id=self.root_cause_shipping.id)
        for amount in (250.0, 250.0):
            self.open_dispute(amount, root_cause_id=self.root_cause_billing.id)
        self.open_dispute(200.0, root_cause_id=self.root_cause_price.id)
        self.open_dispute(999.0)  # no root cause yet: not in the Pareto

        rows = self.env["account.dispute.root.cause.report"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertRecordValues(
            rows,
            [
                {
                    "rank": 1,
                    "root_cause_id": self.root_cause_shipping.id,
                    "dispute_count": 3,
                    "amount_disputed_company": 300.0,
                    "share_count": 50.0,
                    "cumulative_share_count": 50.0,
                    "share_amount": 30.0,
                    "cumulative_share_amount": 80.0,
                },
                {
                    "rank": 2,
                    "root_cause_id": self.root_cause_billing.id,
                    "dispute_count": 2,
                    "amount_disputed_company": 500.0,
                    "share_count": 33.33,
                    "cumulative_share_count": 83.33,
                    "share_amount": 50.0,
                    "cumulative_share_amount": 50.0,
                },
                {
                    "rank": 3,
                    "root_cause_id": self.root_cause_price.id,
                    "dispute_count": 1,
                    "amount_disputed_company": 200.0,
                    "share_count": 16.67,
                    "cumulative_share_count": 100.0,
                    "share_amount": 20.0,
                    "cumulative_share_amount": 100.0,
                },
            ],
        )


@tagged("post_install", "-at_install")
class TestCorrectiveAction(InsightsCommon):
    def create_action(self, **values):
        return self.env["account.dispute.action"].create(
            {
                "name": "Check delivery notes before invoicing",
                "root_cause_id": self.root_cause_shipping.id,
                **values,
            }
        )

    def dispute_on(self, invoice_date, date_open, root_cause):
        invoice = self.create_invoice(date=invoice_date)
        return self.create_dispute(
            [(invoice, None)], date_open=date_open, root_cause_id=root_cause.id
        )

    @freeze_time("2026-09-01")
    def test_rates_before_and_after(self):
        # 30 days before 2026-06-01: 4 invoices, 2 shipping disputes
        self.dispute_on("2026-05-10", "2026-05-12 10:00:00", self.root_cause_shipping)
        self.dispute_on("2026-05-20", "2026-05-28 10:00:00", self.root_cause_shipping)
        self.dispute_on("2026-05-20", "2026-05-29 10:00:00", self.root_cause_billing)
        self.create_invoice(date="2026-05-25")
        # 30 days after: 5 invoices, 1 shipping dispute
        self.dispute_on("2026-06-01", "2026-06-10 10:00:00", self.root_cause_shipping)
        for invoice_date in ("2026-06-05", "2026-06-12", "2026-06-20", "2026-06-30"):
            self.create_invoice(date=invoice_date)
        # outside both windows, or not posted
        self.dispute_on("2026-07-15", "2026-07-20 10:00:00", self.root_cause_shipping)
        self.create_invoice(date="2026-06-15", post=False)

        action = self.create_action(window_days=30)
        action.action_done()
        action.date_done = "2026-06-01"

        self.assertRecordValues(
            action,
            [
                {
                    "state": "done",
                    "compared_days": 30,
                    "invoices_before": 4,
                    "disputes_before": 2,
                    "rate_before": 50.0,
                    "invoices_after": 5,
                    "disputes_after": 1,
                    "rate_after": 20.0,
                }
            ],
        )

    @freeze_time("2026-06-11")
    def test_recent_action_compares_elapsed_days(self):
        self.dispute_on("2026-05-25", "2026-05-26 10:00:00", self.root_cause_shipping)
        self.create_invoice(date="2026-05-01")  # 41 days before: outside

        action = self.create_action(window_days=90, date_done="2026-06-01")

        self.assertEqual(action.compared_days, 10)
        self.assertEqual((action.invoices_before, action.disputes_before), (1, 1))
        self.assertEqual(action.rate_before, 100.0)

    def test_done_needs_a_date(self):
        action = self.create_action()

        with self.assertRaisesText(ValidationError, "Set the day the action"):
            action.write({"state": "done"})

    def test_window_must_last(self):
        with self.assertRaisesText(ValidationError, "at least one day"):
            self.create_action(window_days=0)

    def test_user_plans_but_does_not_delete(self):
        action = (
            self.env["account.dispute.action"]
            .with_user(self.billing_user)
            .create(
                {
                    "name": "Fix the price list",
                    "root_cause_id": self.root_cause_price.id,
                }
            )
        )
        action.action_start()
        self.assertEqual(action.state, "in_progress")

        with self.assertRaises(AccessError):
            action.unlink()

    def test_plan_action_in_form(self):
        with Form(
            self.env["account.dispute.action"].with_user(self.billing_user)
        ) as form:
            form.name = "Confirm delivery addresses by phone"
            form.root_cause_id = self.root_cause_shipping
            form.date_due = "2026-12-15"
        action = form.record

        self.assertRecordValues(
            action,
            [
                {
                    "state": "draft",
                    "user_id": self.billing_user.id,
                    "company_id": self.company.id,
                    "compared_days": 0,
                }
            ],
        )

    def test_action_of_other_company_hidden(self):
        other_company = self.env["res.company"].create({"name": "Imaging South"})
        self.create_action(company_id=other_company.id)
        own = self.create_action()

        visible = (
            self.env["account.dispute.action"].with_user(self.billing_user).search([])
        )
        self.assertEqual(visible, own)
