"""Create a dispute in the running demo through JSON-RPC and show its routing.

Serve the demo first (``scripts/demo``), then run ``python3 scripts/rpc_routing.py``
(``--url`` and ``--db`` default to the demo on 127.0.0.1:8069). It disputes the
hospital's service-contract invoice for a product defect and for a pricing error,
and prints the team, assignee, priority, SLA deadline and activities each got.
"""

import argparse
import json
import urllib.request


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="ar_dispute_demo")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    args = parser.parse_args()

    def rpc(service, method, *params):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"service": service, "method": method, "args": params},
        }
        request = urllib.request.Request(
            f"{args.url}/jsonrpc",
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request) as response:
            answer = json.load(response)
        if "error" in answer:
            raise SystemExit(answer["error"]["data"]["message"])
        return answer["result"]

    uid = rpc("common", "login", args.db, args.login, args.password)
    if not uid:
        raise SystemExit(f"Login refused for {args.login} on {args.db}")

    def call(model, method, *params, **options):
        return rpc(
            "object", "execute_kw", args.db, uid, args.password, model, method,
            list(params), options,
        )  # fmt: skip

    [hospital] = call(
        "res.partner", "search", [("name", "=", "Saint Mary's Hospital")], limit=1
    )
    [invoice] = call(
        "account.move",
        "search_read",
        [("partner_id", "=", hospital), ("state", "=", "posted")],
        fields=["name", "amount_residual"],
        order="id desc",
        limit=1,
    )
    for code in ("DEFECT", "PRICE"):
        [category] = call("account.dispute.category", "search", [("code", "=", code)])
        dispute_id = call(
            "account.dispute",
            "create",
            {
                "category_id": category,
                "line_ids": [
                    (0, 0, {"move_id": invoice["id"], "amount_disputed": 900})
                ],
            },
        )
        [dispute] = call(
            "account.dispute",
            "read",
            [dispute_id],
            ["name", "category_id", "team_id", "user_id", "priority", "sla_id",
             "sla_deadline", "sla_status", "routing_rule_id", "activity_ids"],
        )  # fmt: skip
        activities = call(
            "mail.activity",
            "read",
            dispute["activity_ids"],
            ["activity_type_id", "user_id", "date_deadline"],
        )
        print(
            f"{dispute['name']} ({dispute['category_id'][1]}) on {invoice['name']}: "
            f"rule {dispute['routing_rule_id'] and dispute['routing_rule_id'][1]!r}, "
            f"team {dispute['team_id'][1]!r}, assigned to {dispute['user_id'][1]!r}, "
            f"priority {dispute['priority']}, SLA {dispute['sla_id'][1]!r} "
            f"due {dispute['sla_deadline']} ({dispute['sla_status']})"
        )
        for activity in activities:
            print(
                f"    activity {activity['activity_type_id'][1]!r} for "
                f"{activity['user_id'][1]!r} due {activity['date_deadline']}"
            )


if __name__ == "__main__":
    main()
