"""Walk a dispute through the running demo with Odoo's external XML-RPC API.

Start the demo first (``scripts/demo``), then run ``python3
scripts/rpc_walkthrough.py``. It creates and posts a customer invoice, disputes
it, shows the invoice on hold, closes the dispute and shows the hold released.
"""

import argparse
import xmlrpc.client


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="ar_dispute_demo")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    args = parser.parse_args()

    common = xmlrpc.client.ServerProxy(f"{args.url}/xmlrpc/2/common")
    uid = common.authenticate(args.db, args.login, args.password, {})
    if not uid:
        raise SystemExit(f"Login refused for {args.login} on {args.db}")
    models = xmlrpc.client.ServerProxy(f"{args.url}/xmlrpc/2/object")

    def call(model, method, *params, **options):
        return models.execute_kw(
            args.db, uid, args.password, model, method, list(params), options
        )

    partner_id = call(
        "res.partner", "create", {"name": "RPC Walk-through Clinic", "is_company": True}
    )
    invoice_id = call(
        "account.move",
        "create",
        {
            "move_type": "out_invoice",
            "partner_id": partner_id,
            "invoice_line_ids": [
                (0, 0, {"name": "Ultrasound probe", "quantity": 2, "price_unit": 750})
            ],
        },
    )
    call("account.move", "action_post", [invoice_id])
    [invoice] = call("account.move", "read", [invoice_id], ["name", "amount_residual"])
    print(f"Posted {invoice['name']}: due {invoice['amount_residual']:.2f}")

    dispute_id = call(
        "account.dispute",
        "create",
        {
            "line_ids": [(0, 0, {"move_id": invoice_id, "amount_disputed": 750.0})],
            "description": "<p>One probe arrived cracked.</p>",
        },
    )
    [dispute] = call("account.dispute", "read", [dispute_id], ["name", "stage_id"])
    [hold] = call("account.move", "read", [invoice_id], ["dispute_hold"])
    print(
        f"Created {dispute['name']} in stage {dispute['stage_id'][1]}: "
        f"dispute_hold == {hold['dispute_hold']}"
    )
    assert hold["dispute_hold"] is True

    closed_stage_ids = call(
        "account.dispute.stage", "search", [("is_closed", "=", True)], limit=1
    )
    call("account.dispute", "write", [dispute_id], {"stage_id": closed_stage_ids[0]})
    [dispute] = call(
        "account.dispute", "read", [dispute_id], ["stage_id", "is_closed", "resolution"]
    )
    [hold] = call("account.move", "read", [invoice_id], ["dispute_hold"])
    print(
        f"Moved to {dispute['stage_id'][1]} (closed: {dispute['is_closed']}, "
        f"resolution: {dispute['resolution']}): dispute_hold == {hold['dispute_hold']}"
    )
    assert hold["dispute_hold"] is False


if __name__ == "__main__":
    main()
