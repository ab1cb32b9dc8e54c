"""Accuracy and speed of the dispute risk model on generated histories.

Usage: python3 benchmarks/risk_model.py [--invoices N] [--seeds 1,2,3]

Loads the model and the history generator straight from their files, so Odoo is
neither started nor imported. For each seed: fit on the first 70 % of invoices by
date, score the last 30 %, and print the model's ROC AUC, the AUC of the
customer's past dispute rate alone, and the fit and scoring times.
"""

import argparse
import importlib.util
import time
from pathlib import Path

ADDON = Path(__file__).resolve().parent.parent / "ar_dispute_management"


def load(name, relative_path):
    spec = importlib.util.spec_from_file_location(name, ADDON / relative_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=4000)
    parser.add_argument("--seeds", default="1,2,3,42")
    args = parser.parse_args()

    risk_model = load("risk_model", "models/risk_model.py")
    history = load("history", "tests/history.py")

    header = ("seed", "disputed", "auc", "baseline", "fit s", "score ms/inv")
    print(" ".join(f"{title:>8}" for title in header))
    for seed in (int(seed) for seed in args.seeds.split(",")):
        rows, _effects = history.generate_history(seed=seed, invoices=args.invoices)
        train, test = risk_model.split_by_date(rows)

        start = time.perf_counter()
        matrix, labels = risk_model.training_set(train)
        model = risk_model.fit(matrix, labels)
        fit_seconds = time.perf_counter() - start

        start = time.perf_counter()
        index = risk_model.HistoryIndex(rows)
        test_matrix = [risk_model.history_features(row, index) for row in test]
        scores = risk_model.predict(model, test_matrix)
        score_ms = (time.perf_counter() - start) * 1000.0 / len(test)

        test_labels = [row["disputed"] for row in test]
        partner = risk_model.FEATURES.index("partner_rate")
        auc = risk_model.roc_auc(test_labels, scores)
        baseline = risk_model.roc_auc(test_labels, [x[partner] for x in test_matrix])
        disputed = sum(test_labels) + int(labels.sum())
        print(
            f"{seed:>8} {disputed:>8} {auc:>8.3f} {baseline:>8.3f} "
            f"{fit_seconds:>8.3f} {score_ms:>8.4f}"
        )


if __name__ == "__main__":
    main()
