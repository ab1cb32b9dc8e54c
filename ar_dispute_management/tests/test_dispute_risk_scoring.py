from collections import Counter
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .history import create_history_records, generate_history
from .insights_common import InsightsCommon


@tagged("post_install", "-at_install")
class TestRiskScoring(InsightsCommon):
    """The risk model fitted on a small real history of posted invoices.

    The generated history is kept small (100 invoices) so that it is created
    through the ORM in seconds; the model's accuracy is measured on thousands of
    plain rows in test_dispute_risk_model.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rows, _effects = generate_history(
            seed=3,
            invoices=100,
            customers=6,
            products=4,
            categories=2,
            users=1,
            terms=1,
            start=date(2026, 1, 1),
            days=300,
            base_logit=-1.0,
        )
        cls.history = create_history_records(
            cls.env, cls.rows, cls.company, cls.category_defect
        )
        # the customers with the highest and lowest dispute rate in their history
        invoices, disputes = Counter(), Counter()
        for row in cls.rows:
            invoices[row["partner"]] += 1
            disputes[row["partner"]] += row["disputed"]
        regulars = [key for key, count in invoices.items() if count >= 5]
        rates = {key: disputes[key] / invoices[key] for key in regulars}
        partners = {
            int(move.partner_id.name.split()[-1]): move.partner_id
            for move in cls.history
        }
        cls.risky = partners[max(rates, key=rates.get)]
        cls.safe = partners[min(rates, key=rates.get)]
        cls.product = cls.history.invoice_line_ids.product_id[:1]
        cls.RiskModel = cls.env["account.dispute.risk.model"]
        cls.review_type = cls.env.ref(
            "ar_dispute_management.mail_activity_type_dispute_risk_review"
        )

    def new_invoice(self, partner, post=True):
        move = self.env["account.move"].create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "invoice_date": "2026-11-20",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "price_unit": 1500.0,
                            "tax_ids": [],
                        }
                    )
                ],
            }
        )
        if post:
            move.action_post()
        return move

    def reviews(self, move):
        return move.activity_ids.filtered(
            lambda activity: activity.activity_type_id == self.review_type
        )

    def test_refit_learns_the_company_history(self):
        record = self.RiskModel._fit_company(self.company)

        self.assertRecordValues(
            record,
            [
                {
                    "company_id": self.company.id,
                    "invoice_count": 100,
                    "dispute_count": sum(row["disputed"] for row in self.rows),
                }
            ],
        )

    def test_short_history_is_not_fitted(self):
        empty = self.env["res.company"].create({"name": "Empty Imaging"})

        self.assertFalse(self.RiskModel._fit_company(empty))
        self.assertFalse(self.RiskModel.search([("company_id", "=", empty.id)]))

    def test_unscored_without_model(self):
        move = self.new_invoice(self.risky)

        self.assertEqual(move.dispute_risk_score, 0.0)
        self.assertFalse(self.reviews(move))

    def test_post_scores_risky_customer_higher(self):
        self.RiskModel._fit_company(self.company)
        self.company.dispute_risk_threshold = 1.0

        risky_move = self.new_invoice(self.risky, post=False)
        safe_move = self.new_invoice(self.safe, post=False)
        (risky_move | safe_move).action_post()

        self.assertGreater(risky_move.dispute_risk_score, safe_move.dispute_risk_score)
        self.assertGreater(safe_move.dispute_risk_score, 0.0)
        self.assertIn(
            "the customer's past dispute rate is high",
            risky_move.dispute_risk_reasons,
        )
        self.assertFalse(self.reviews(risky_move))

    def test_review_scheduled_above_threshold(self):
        self.RiskModel._fit_company(self.company)
        self.company.dispute_risk_threshold = 0.01

        move = self.new_invoice(self.risky)

        review = self.reviews(move)
        self.assertEqual(len(review), 1)
        # the leader of the company's dispute team reviews it
        self.assertEqual(review.user_id, self.team.leader_id)
        self.assertIn("Dispute risk", review.note)

    def test_review_falls_back_to_salesperson(self):
        self.RiskModel._fit_company(self.company)
        self.company.dispute_risk_threshold = 0.01
        self.team.active = False

        move = self.new_invoice(self.risky, post=False)
        move.invoice_user_id = self.billing_user
        move.action_post()

        self.assertEqual(self.reviews(move).user_id, self.billing_user)

    def test_cron_gives_customers_a_badge(self):
        self.company.dispute_risk_threshold = 0.5

        self.RiskModel._cron_refit_risk_model()

        for partner in self.risky | self.safe:
            score = partner.dispute_risk_score
            expected = "high" if score >= 0.5 else "medium" if score >= 0.25 else "low"
            self.assertEqual(partner.dispute_risk_level, expected)
        self.assertGreater(self.risky.dispute_risk_score, self.safe.dispute_risk_score)

    def test_threshold_is_a_probability(self):
        with self.assertRaisesText(ValidationError, "is a probability"):
            self.company.dispute_risk_threshold = 1.5

    def test_billing_user_is_scored_but_cannot_change_the_model(self):
        record = self.RiskModel._fit_company(self.company)
        self.company.dispute_risk_threshold = 1.0

        move = self.new_invoice(self.risky, post=False)
        move.with_user(self.billing_user).action_post()
        self.assertGreater(move.dispute_risk_score, 0.0)

        with self.assertRaises(AccessError):
            record.with_user(self.billing_user).parameters = "{}"
