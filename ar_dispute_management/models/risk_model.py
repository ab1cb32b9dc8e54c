"""Dispute risk model: feature extraction, fitting and explanation.

Plain functions on plain data (dicts, lists, numpy arrays): no ORM here, so the
model can be tested, benchmarked and reasoned about on its own. The ORM side
(``account_dispute_risk.py``) only gathers rows and counts and stores results.

An invoice row is a dict::

    {
        "date": datetime.date,          # invoice date
        "partner": 7,                   # commercial customer
        "products": [3, 5],             # products on the invoice lines
        "categs": [1],                  # their product categories
        "user": 2,                      # salesperson (or None)
        "term": 4,                      # payment term (or None)
        "amount": 1250.0,               # total in company currency
        "disputed": True,               # outcome (history only)
        "dispute_date": datetime.date,  # when the dispute was opened (history only)
    }

Each "rate" feature is the dispute rate of the invoice's customer (product,
category, salesperson, payment term) in the history known at the invoice's date,
shrunk towards the company's overall rate by a Beta prior, so that a customer
with two invoices and one dispute does not look like a 50 % disputer.
"""

import math
from bisect import bisect_left
from collections import defaultdict
from datetime import timedelta

import numpy as np

RATE_DIMENSIONS = ("partner", "product", "categ", "user", "term")
FEATURES = (
    "partner_rate",
    "product_rate",
    "categ_rate",
    "user_rate",
    "term_rate",
    "log_amount",
    "recent_product_disputes",
)
PRIOR_STRENGTH = 5.0
RECENT_DAYS = 90
EPSILON = 1e-6


# ----------------------------------------------------------------
# History counts
# ----------------------------------------------------------------


def row_keys(row, dimension):
    """The keys of ``row`` for one dimension (an invoice has several products)."""
    if dimension == "product":
        return list(row.get("products") or ())
    if dimension == "categ":
        return list(row.get("categs") or ())
    key = row.get(dimension)
    return [key] if key else []


class HistoryIndex:
    """Counts of invoices and disputes per key, as known at any date.

    An invoice counts from its invoice date, a dispute from the day it was opened,
    so a row's features never use what happened after its own date.
    """

    def __init__(self, rows):
        invoices = defaultdict(list)
        disputes = defaultdict(list)
        all_invoices, all_disputes = [], []
        for row in rows:
            all_invoices.append(row["date"])
            if row.get("disputed"):
                all_disputes.append(row.get("dispute_date") or row["date"])
            for dimension in RATE_DIMENSIONS:
                for key in row_keys(row, dimension):
                    invoices[dimension, key].append(row["date"])
                    if row.get("disputed"):
                        disputes[dimension, key].append(
                            row.get("dispute_date") or row["date"]
                        )
        self.invoices = {key: sorted(dates) for key, dates in invoices.items()}
        self.disputes = {key: sorted(dates) for key, dates in disputes.items()}
        self.all_invoices = sorted(all_invoices)
        self.all_disputes = sorted(all_disputes)

    def counts(self, dimension, key, date):
        """(invoices, disputes) of ``key`` strictly before ``date``."""
        invoices = bisect_left(self.invoices.get((dimension, key), ()), date)
        disputes = bisect_left(self.disputes.get((dimension, key), ()), date)
        return invoices, min(disputes, invoices)

    def global_rate(self, date):
        invoices = bisect_left(self.all_invoices, date)
        disputes = bisect_left(self.all_disputes, date)
        return (disputes + 1.0) / (invoices + 2.0)

    def recent_disputes(self, product, date, days=RECENT_DAYS):
        dates = self.disputes.get(("product", product), ())
        return bisect_left(dates, date) - bisect_left(dates, date - timedelta(days))


# ----------------------------------------------------------------
# Features
# ----------------------------------------------------------------


def shrunk_rate(invoices, disputes, prior_rate, strength=PRIOR_STRENGTH):
    """Posterior mean of a Beta(strength * p, strength * (1 - p)) prior."""
    return (disputes + strength * prior_rate) / (invoices + strength)


def logit(rate):
    rate = min(max(rate, EPSILON), 1.0 - EPSILON)
    return math.log(rate / (1.0 - rate))


def sigmoid(value):
    return 1.0 / (1.0 + np.exp(-np.clip(value, -35.0, 35.0)))


def features(row, counts, recent, prior_rate):
    """Feature vector of one invoice.

    ``counts(dimension, key)`` returns (invoices, disputes) known for the key;
    ``recent(product)`` the disputes opened lately on that product. Products and
    categories take the worst (highest) rate among the invoice's lines.
    """
    values = []
    for dimension in RATE_DIMENSIONS:
        rates = [
            shrunk_rate(*counts(dimension, key), prior_rate)
            for key in row_keys(row, dimension)
        ]
        values.append(logit(max(rates) if rates else prior_rate))
    values.append(math.log1p(max(row.get("amount") or 0.0, 0.0)))
    values.append(
        math.log1p(sum(recent(product) for product in row_keys(row, "product")))
    )
    return np.array(values)


def training_set(rows):
    """(X, y) where each row's features use only the history before its date."""
    index = HistoryIndex(rows)
    matrix = [history_features(row, index) for row in rows]
    labels = [1.0 if row.get("disputed") else 0.0 for row in rows]
    return np.array(matrix).reshape(len(rows), len(FEATURES)), np.array(labels)


def history_features(row, index):
    """Features of ``row`` against a :class:`HistoryIndex` at the row's date."""
    date = row["date"]
    return features(
        row,
        lambda dimension, key: index.counts(dimension, key, date),
        lambda product: index.recent_disputes(product, date),
        index.global_rate(date),
    )


# ----------------------------------------------------------------
# Logistic regression
# ----------------------------------------------------------------


def fit(matrix, labels, l2=1.0, iterations=25, tolerance=1e-8):
    """L2-regularised logistic regression fitted by Newton's method (IRLS).

    Features are standardised first; the returned model is a plain dict (JSON
    serialisable) holding what :func:`predict` and :func:`explain` need.
    """
    matrix = np.asarray(matrix, dtype=float)
    labels = np.asarray(labels, dtype=float)
    mean = matrix.mean(axis=0) if len(matrix) else np.zeros(matrix.shape[1])
    scale = matrix.std(axis=0) if len(matrix) else np.ones(matrix.shape[1])
    scale[scale < EPSILON] = 1.0
    design = np.hstack([np.ones((len(matrix), 1)), (matrix - mean) / scale])

    weights = np.zeros(design.shape[1])
    penalty = np.full(design.shape[1], l2)
    penalty[0] = 0.0  # the intercept is not shrunk
    for _iteration in range(iterations):
        probabilities = sigmoid(design @ weights)
        gradient = design.T @ (probabilities - labels) + penalty * weights
        curvature = probabilities * (1.0 - probabilities)
        hessian = (design * curvature[:, None]).T @ design + np.diag(penalty)
        hessian += np.eye(len(weights)) * EPSILON
        step = np.linalg.solve(hessian, gradient)
        weights -= step
        if np.max(np.abs(step)) < tolerance:
            break

    return {
        "features": list(FEATURES),
        "intercept": float(weights[0]),
        "weights": [float(w) for w in weights[1:]],
        "mean": [float(m) for m in mean],
        "scale": [float(s) for s in scale],
        "prior_rate": float(labels.mean()) if len(labels) else 0.0,
        "invoices": len(labels),
        "disputes": int(labels.sum()),
    }


def decision(model, matrix):
    matrix = np.atleast_2d(np.asarray(matrix, dtype=float))
    standard = (matrix - np.array(model["mean"])) / np.array(model["scale"])
    return model["intercept"] + standard @ np.array(model["weights"])


def predict(model, matrix):
    """Probability of a dispute for each row of ``matrix``."""
    return sigmoid(decision(model, matrix))


def explain(model, vector, top=3):
    """The features that push this invoice's risk up the most, in words.

    Only features that are above the usual level and raise the risk count as
    reasons: a risk raised by something being *lower* than usual has no plain
    explanation (it only offsets correlated features).
    """
    vector = np.asarray(vector, dtype=float)
    weights = np.array(model["weights"])
    above = vector - np.array(model["mean"])
    contributions = weights * above / np.array(model["scale"])
    order = np.argsort(-contributions)
    return [
        describe(model["features"][i], vector[i])
        for i in order
        if contributions[i] > 0.0 and weights[i] > 0.0 and above[i] > 0.0
    ][:top]


def describe(feature, value):
    if feature.endswith("_rate"):
        subject = {
            "partner_rate": "the customer's",
            "product_rate": "the products'",
            "categ_rate": "the product categories'",
            "user_rate": "the salesperson's",
            "term_rate": "the payment term's",
        }[feature]
        return f"{subject} past dispute rate is high ({sigmoid(value):.0%})"
    if feature == "log_amount":
        return f"large amount ({math.expm1(value):,.0f})"
    return f"{round(math.expm1(value))} recent dispute(s) on the same products"


# ----------------------------------------------------------------
# Evaluation
# ----------------------------------------------------------------


def roc_auc(labels, scores):
    """Area under the ROC curve (Mann-Whitney U, ties counted half)."""
    labels = np.asarray(labels, dtype=bool)
    scores = np.asarray(scores, dtype=float)
    positives, negatives = labels.sum(), (~labels).sum()
    if not positives or not negatives:
        return float("nan")
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    start = 0
    while start < len(scores):
        end = start
        while end + 1 < len(scores) and sorted_scores[end + 1] == sorted_scores[start]:
            end += 1
        ranks[order[start : end + 1]] = (start + end) / 2.0 + 1.0
        start = end + 1
    return float(
        (ranks[labels].sum() - positives * (positives + 1) / 2.0)
        / (positives * negatives)
    )


def split_by_date(rows, share=0.7):
    """The first ``share`` of rows by date, and the rest."""
    ordered = sorted(rows, key=lambda row: row["date"])
    cut = int(len(ordered) * share)
    return ordered[:cut], ordered[cut:]


def evaluate(rows, share=0.7, l2=1.0):
    """Fit on the first ``share`` of rows by date, score the rest.

    Test rows are scored against the whole history known at their date, as the
    live model would score them, with the coefficients fitted on training rows.
    Returns the model's AUC and that of the customer's past rate alone.
    """
    train, test = split_by_date(rows, share)
    matrix, labels = training_set(train)
    model = fit(matrix, labels, l2=l2)

    index = HistoryIndex(rows)
    test_matrix = np.array([history_features(row, index) for row in test])
    test_labels = np.array([1.0 if row.get("disputed") else 0.0 for row in test])
    partner_column = FEATURES.index("partner_rate")
    return {
        "model": model,
        "auc": roc_auc(test_labels, predict(model, test_matrix)),
        "baseline_auc": roc_auc(test_labels, test_matrix[:, partner_column]),
        "train": len(train),
        "test": len(test),
    }
