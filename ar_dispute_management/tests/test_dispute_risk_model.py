"""The risk model's maths, on plain rows: no database needed."""

from datetime import date

import numpy as np

from odoo.tests import BaseCase, tagged

from odoo.addons.ar_dispute_management.models import risk_model

from .history import generate_history


@tagged("post_install", "-at_install")
class TestRiskModel(BaseCase):
    def test_beats_customer_rate_on_generated_history(self):
        """Fitted on the first 70 % of 4,000 invoices by date, scored on the rest."""
        rows, _effects = generate_history(seed=42, invoices=4000)

        result = risk_model.evaluate(rows, share=0.7)

        print(  # pylint: disable=print-used
            f"\nrisk model AUC {result['auc']:.3f}, customer's past rate alone "
            f"{result['baseline_auc']:.3f} ({result['train']} train, "
            f"{result['test']} test invoices)"
        )
        self.assertGreaterEqual(result["auc"], 0.75)
        self.assertGreater(result["auc"], result["baseline_auc"])

    def test_prior_shrinks_short_history(self):
        # 1 dispute in 2 invoices, company rate 10 %, prior worth 5 invoices
        self.assertAlmostEqual(risk_model.shrunk_rate(2, 1, 0.1), 1.5 / 7)

    def test_history_counts_only_the_past(self):
        rows = [
            {
                "date": date(2026, 1, 10),
                "partner": 1,
                "disputed": True,
                "dispute_date": date(2026, 2, 20),
            },
            {"date": date(2026, 1, 20), "partner": 1, "disputed": False},
        ]
        index = risk_model.HistoryIndex(rows)

        # on Feb 1st both invoices are known, the dispute is not yet
        self.assertEqual(index.counts("partner", 1, date(2026, 2, 1)), (2, 0))
        self.assertEqual(index.counts("partner", 1, date(2026, 3, 1)), (2, 1))

    def test_roc_auc_by_hand(self):
        # of the 4 (positive, negative) pairs, 3 are ordered right
        auc = risk_model.roc_auc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        self.assertEqual(auc, 0.75)

    def test_fit_finds_the_signal(self):
        rng = np.random.default_rng(1)
        matrix = rng.normal(size=(500, len(risk_model.FEATURES)))
        labels = (matrix[:, 0] + 0.3 * rng.normal(size=500) > 0).astype(float)

        model = risk_model.fit(matrix, labels)

        self.assertGreater(model["weights"][0], 1.0)
        self.assertLess(max(abs(w) for w in model["weights"][1:]), 0.5)

    def test_explain_in_words(self):
        model = {
            "features": list(risk_model.FEATURES),
            "intercept": 0.0,
            "weights": [2.0, 1.0, 0.0, -1.0, 0.0, 0.5, 0.0],
            "mean": [risk_model.logit(0.1)] * 5 + [7.0, 0.0],
            "scale": [1.0] * 7,
        }
        vector = np.array(
            [risk_model.logit(0.4), risk_model.logit(0.2)]
            + [risk_model.logit(0.1), risk_model.logit(0.01), risk_model.logit(0.1)]
            + [np.log1p(20000.0), 0.0]
        )

        self.assertEqual(
            risk_model.explain(model, vector),
            [
                "the customer's past dispute rate is high (40%)",
                "large amount (20,000)",
                "the products' past dispute rate is high (20%)",
            ],
        )
