"""Seeded invoice and dispute history with known dispute propensities.

``generate_history`` returns plain rows (the format of ``models/risk_model.py``)
so that the risk model can be fitted on thousands of invoices in a second;
``create_history_records`` turns a (small) history into real customers, products,
posted invoices and disputes for the ORM integration tests. No Odoo import at
module level: the benchmark loads this file without starting Odoo.
"""

import math
from datetime import date, timedelta

import numpy as np


def generate_history(
    seed=42,
    invoices=3000,
    customers=150,
    products=40,
    categories=6,
    users=5,
    terms=3,
    start=date(2024, 1, 1),
    days=730,
    base_logit=-2.6,
):
    """Invoices over ``days`` days whose dispute chance follows hidden effects.

    Each customer, product, category, salesperson and payment term has a fixed
    effect on the log-odds of a dispute; larger invoices are a little more
    disputed. The effects are returned with the rows as the ground truth.
    """
    rng = np.random.default_rng(seed)
    effects = {
        "partner": rng.normal(0.0, 1.3, customers),
        "product": rng.normal(0.0, 1.0, products),
        "categ": rng.normal(0.0, 0.5, categories),
        "user": rng.normal(0.0, 0.4, users),
        "term": rng.normal(0.0, 0.4, terms),
    }
    product_categ = rng.integers(0, categories, products)
    customer_size = rng.lognormal(0.0, 1.0, customers)
    customer_weight = customer_size / customer_size.sum()
    product_weight = rng.dirichlet(np.ones(products))

    offsets = np.sort(rng.integers(0, days, invoices))
    rows = []
    for number, offset in enumerate(offsets):
        partner = int(rng.choice(customers, p=customer_weight))
        line_count = int(rng.integers(1, 4))
        product_ids = sorted(
            {int(p) for p in rng.choice(products, line_count, p=product_weight)}
        )
        categ_ids = sorted({int(product_categ[p]) for p in product_ids})
        user = int(rng.integers(0, users))
        term = int(rng.integers(0, terms))
        amount = round(float(rng.lognormal(7.0, 1.0)), 2)

        log_odds = (
            base_logit
            + effects["partner"][partner]
            + max(effects["product"][p] for p in product_ids)
            + max(effects["categ"][c] for c in categ_ids)
            + effects["user"][user]
            + effects["term"][term]
            + 0.25 * (math.log(amount) - 7.0)
        )
        probability = 1.0 / (1.0 + math.exp(-log_odds))
        invoice_date = start + timedelta(int(offset))
        disputed = bool(rng.random() < probability)
        rows.append(
            {
                "number": number,
                # keys start at 1: 0 would read as "no salesperson"
                "date": invoice_date,
                "partner": partner + 1,
                "products": [p + 1 for p in product_ids],
                "categs": [c + 1 for c in categ_ids],
                "product_categs": {
                    p + 1: int(product_categ[p]) + 1 for p in product_ids
                },
                "user": user + 1,
                "term": term + 1,
                "amount": amount,
                "disputed": disputed,
                "dispute_date": (
                    invoice_date + timedelta(int(rng.integers(3, 30)))
                    if disputed
                    else None
                ),
                "probability": probability,
            }
        )
    return rows, effects


def create_history_records(env, rows, company, dispute_category):
    """Customers, products, posted invoices and disputes for ``rows``.

    Returns the invoices in the order of ``rows``. Invoices are created and posted
    in one batch; disputes are opened on the row's dispute date.
    """
    from odoo import Command

    partner_keys = sorted({row["partner"] for row in rows})
    product_keys = sorted({p for row in rows for p in row["products"]})
    categ_keys = sorted({c for row in rows for c in row["categs"]})
    partners = env["res.partner"].create(
        [
            {"name": f"History Customer {key}", "is_company": True}
            for key in partner_keys
        ]
    )
    categs = env["product.category"].create(
        [{"name": f"History Category {key}"} for key in categ_keys]
    )
    categ_by_product = {p: c for row in rows for p, c in row["product_categs"].items()}
    products = env["product.product"].create(
        [
            {
                "name": f"History Product {key}",
                "categ_id": categs[categ_keys.index(categ_by_product[key])].id,
            }
            for key in product_keys
        ]
    )
    partner_of = dict(zip(partner_keys, partners, strict=True))
    product_of = dict(zip(product_keys, products, strict=True))

    moves = (
        env["account.move"]
        .with_company(company)
        .create(
            [
                {
                    "move_type": "out_invoice",
                    "partner_id": partner_of[row["partner"]].id,
                    "invoice_date": row["date"],
                    "date": row["date"],
                    "invoice_line_ids": [
                        Command.create(
                            {
                                "product_id": product_of[p].id,
                                "quantity": 1.0,
                                "price_unit": round(
                                    row["amount"] / len(row["products"]), 2
                                ),
                                "tax_ids": [],
                            }
                        )
                        for p in row["products"]
                    ],
                }
                for row in rows
            ]
        )
    )
    moves.action_post()

    disputed = [
        (row, move) for row, move in zip(rows, moves, strict=True) if row["disputed"]
    ]
    env["account.dispute"].create(
        [
            {
                "category_id": dispute_category.id,
                "date_open": f"{row['dispute_date']} 12:00:00",
                "line_ids": [Command.create({"move_id": move.id})],
            }
            for row, move in disputed
        ]
    )
    return moves
