from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .insights_common import InsightsCommon


@tagged("post_install", "-at_install")
class TestDisputeReport(InsightsCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.env.ref("base.EUR")
        cls.usd = cls.env.ref("base.USD")
        cls.eur_company = cls.setup_other_company(
            name="Imaging Europe", currency_id=cls.eur.id
        )["company"]
        # 1 EUR = 1.25 USD in the EUR company
        cls.env["res.currency.rate"].create(
            {
                "name": "2026-01-01",
                "currency_id": cls.usd.id,
                "rate": 1.25,
                "company_id": cls.eur_company.id,
            }
        )
        cls.usd.active = True
        cls.eur.active = True

    def test_company_currency_total_across_currencies(self):
        """C17: company in EUR, 1 EUR = 1.25 USD; disputes of 100 EUR and 125 USD
        make 200 EUR in the report."""
        eur_invoice = self.create_invoice(
            amounts=(100.0,), currency=self.eur, company=self.eur_company
        )
        usd_invoice = self.create_invoice(
            amounts=(125.0,), currency=self.usd, company=self.eur_company
        )
        self.create_dispute([(eur_invoice, None)])
        self.create_dispute([(usd_invoice, None)])

        [(count, total)] = self.report_totals(
            ["dispute_count:sum", "amount_disputed_company:sum"],
            company=self.eur_company,
        )
        self.assertEqual(count, 2)
        self.assertEqual(total, 200.0)

    def test_month_grouping_last_and_first_day(self):
        self.open_dispute(date_open="2026-10-31 12:00:00")
        self.open_dispute(date_open="2026-11-01 12:00:00")

        rows = self.report_totals(["dispute_count:sum"], groupby=["date_open:month"])

        self.assertEqual(
            [(month.strftime("%Y-%m"), count) for month, count in rows],
            [("2026-10", 1), ("2026-11", 1)],
        )

    def test_days_to_resolve(self):
        quick = self.open_dispute(date_open="2026-11-02 08:00:00")
        slow = self.open_dispute(date_open="2026-11-02 08:00:00")
        self.open_dispute(date_open="2026-11-02 08:00:00")  # still open: not counted

        with freeze_time("2026-11-03 20:00:00"):
            quick.stage_id = self.stage_resolved
        with freeze_time("2026-11-06 08:00:00"):
            slow.stage_id = self.stage_rejected

        [(days,)] = self.report_totals(["days_to_resolve:avg"])
        # 1.5 days and 4 days
        self.assertAlmostEqual(days, 2.75)

    def test_within_sla_share(self):
        on_time = self.open_dispute(date_open="2026-11-02 08:00:00")
        late = self.open_dispute(date_open="2026-11-02 08:00:00")
        open_in_time = self.open_dispute(date_open="2026-11-02 08:00:00")
        no_sla = self.open_dispute(date_open="2026-11-02 08:00:00")
        with freeze_time("2026-11-04 08:00:00"):
            (on_time | late).stage_id = self.stage_resolved

        # The deadlines an SLA policy would have given (none for the last one)
        self.env.flush_all()
        deadlines = {
            on_time: "2026-11-05 08:00:00",
            late: "2026-11-03 08:00:00",
            open_in_time: "2099-01-01 00:00:00",
            no_sla: None,
        }
        for dispute, deadline in deadlines.items():
            self.env.cr.execute(
                "UPDATE account_dispute SET sla_deadline = %s WHERE id = %s",
                [deadline, dispute.id],
            )

        [(share,)] = self.report_totals(["within_sla:avg"])
        self.assertAlmostEqual(share, 2 / 3)

    def test_within_sla_empty_without_sla(self):
        self.open_dispute()

        [(share, first_response)] = self.report_totals(
            ["within_sla:avg", "days_to_first_response:avg"]
        )
        self.assertFalse(share)
        self.assertFalse(first_response)

    def test_cost_of_dispute_open_30_days(self):
        """10,000 held for 30 days at 12 % a year costs 10000 x 30 x 0.12 / 365."""
        self.company.dispute_cost_of_capital_rate = 12.0
        self.open_dispute(
            amount=10000.0, date_open=fields.Datetime.now() - timedelta(days=30)
        )

        [(days_open, remaining, cost)] = self.report_totals(
            ["days_open:sum", "amount_remaining_company:sum", "cost_of_dispute:sum"]
        )
        self.assertEqual(days_open, 30)
        self.assertEqual(remaining, 10000.0)
        self.assertEqual(cost, 98.63)

    def test_cost_of_closed_dispute_stops_at_closing(self):
        self.company.dispute_cost_of_capital_rate = 12.0
        dispute = self.open_dispute(amount=10000.0, date_open="2026-01-01 09:00:00")
        with freeze_time("2026-01-31 09:00:00"):
            dispute.stage_id = self.stage_resolved

        [(remaining, cost)] = self.report_totals(
            ["amount_remaining_company:sum", "cost_of_dispute:sum"]
        )
        self.assertEqual(remaining, 0.0)
        self.assertEqual(cost, 98.63)

    def test_remaining_amount_after_partial_payment(self):
        dispute = self.open_dispute(amount=1000.0)
        self.register_payment(dispute.move_ids, 400.0)

        [(original, remaining)] = self.report_totals(
            ["amount_disputed_original_company:sum", "amount_remaining_company:sum"]
        )
        self.assertEqual(original, 1000.0)
        self.assertEqual(remaining, 600.0)

    def test_rating_average(self):
        pleased = self.open_dispute()
        unhappy = self.open_dispute()
        model = self.env["ir.model"]._get_id("account.dispute")
        self.env["rating.rating"].create(
            [
                {"res_model_id": model, "res_id": pleased.id, "rating": 5.0},
                {"res_model_id": model, "res_id": unhappy.id, "rating": 2.0},
                {"res_model_id": model, "res_id": unhappy.id, "rating": 4.0},
            ]
        ).consumed = True

        [(rating,)] = self.report_totals(["rating:avg"])
        # 5 for one dispute, (2 + 4) / 2 for the other
        self.assertEqual(rating, 4.0)

    def test_customer_dimensions(self):
        tag = self.env["res.partner.category"].create({"name": "Hospitals"})
        self.customer.write(
            {
                "country_id": self.env.ref("base.be").id,
                "category_id": [Command.set(tag.ids)],
            }
        )
        self.open_dispute()

        rows = self.report_totals(
            ["dispute_count:sum"], groupby=["country_id", "partner_category_id"]
        )
        self.assertEqual(rows, [(self.env.ref("base.be"), tag, 1)])

    def test_user_sees_only_own_company(self):
        eur_invoice = self.create_invoice(
            amounts=(100.0,), currency=self.eur, company=self.eur_company
        )
        self.create_dispute([(eur_invoice, None)])
        own = self.open_dispute()

        rows = (
            self.env["account.dispute.report"].with_user(self.billing_user).search([])
        )
        self.assertEqual(rows.dispute_id, own)

    def test_no_report_without_dispute_group(self):
        self.open_dispute()
        outsider = new_test_user(
            self.env,
            login="report_outsider",
            groups="base.group_user",
            company_id=self.company.id,
        )

        with self.assertRaises(AccessError):
            self.env["account.dispute.report"].with_user(outsider).search([])

    def test_cost_of_capital_is_a_rate(self):
        with self.assertRaisesText(ValidationError, "between 0 and 100 % per year"):
            self.company.dispute_cost_of_capital_rate = 120.0
