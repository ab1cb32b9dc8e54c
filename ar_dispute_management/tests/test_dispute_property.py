import random
import time

from odoo import Command
from odoo.tests import tagged

from .common_resolution import DisputeResolutionCommon

STEPS = 300


@tagged("post_install", "-at_install")
class TestDisputeProperty(DisputeResolutionCommon):
    """Random walks through the ledger: whatever happens to the invoices, the
    dispute amounts and holds stay true."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.foreign = cls.setup_other_currency(
            "EUR", rates=[("2026-01-01", 1.2), ("2026-11-15", 1.4)]
        )
        cls.env.user.dispute_approval_limit = 10_000_000.0

    def setUp(self):
        super().setUp()
        self.rng = random.Random(42)
        self.invoices = self.env["account.move"]
        self.counterparts = self.env["account.move"]
        self.disputes = self.env["account.dispute"]

    # ------------------------------------------------------------
    # Steps
    # ------------------------------------------------------------

    def _amount(self, high, low=1.0):
        return round(self.rng.uniform(low, high), 2)

    def _pick(self, records):
        return records[self.rng.randrange(len(records))] if records else records

    def _open_invoices(self):
        return self.invoices.filtered(
            lambda move: (
                move.state == "posted"
                and not move.currency_id.is_zero(move.amount_residual)
            )
        )

    def step_invoice(self):
        amounts = [self._amount(2000.0, 50.0) for _i in range(self.rng.randint(1, 2))]
        self.invoices |= self.create_invoice(
            amounts,
            partner=self.rng.choice([self.customer, self.other_customer]),
            currency=self.rng.choice([self.currency, self.foreign]),
        )

    def step_payment(self):
        invoice = self._pick(self._open_invoices())
        if not invoice:
            return
        amount = invoice.amount_residual
        if self.rng.random() < 0.6:
            amount = self._amount(amount, min(1.0, amount))
        payment = (
            self.env["account.payment.register"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "amount": amount,
                    "currency_id": invoice.currency_id.id,
                    "payment_date": self.rng.choice(["2026-11-10", "2026-11-20"]),
                    "payment_difference_handling": "open",
                }
            )
            ._create_payments()
        )
        self.counterparts |= payment.move_id

    def step_credit_note(self):
        invoice = self._pick(self._open_invoices())
        if not invoice:
            return
        amount = self._amount(invoice.amount_residual, 0.01)
        credit_note = self.env["account.move"].create(
            {
                "move_type": "out_refund",
                "partner_id": invoice.partner_id.id,
                "currency_id": invoice.currency_id.id,
                "invoice_date": "2026-11-12",
                "date": "2026-11-12",
                "reversed_entry_id": invoice.id,
                "invoice_line_ids": [
                    Command.create(
                        {"name": "Credit", "price_unit": amount, "tax_ids": []}
                    )
                ],
            }
        )
        # Posting a reversal reconciles it with the invoice it reverses
        credit_note.action_post()
        self.counterparts |= credit_note

    def step_unreconcile(self):
        reconciled = self.counterparts.line_ids.filtered(
            lambda line: (
                line.account_id.account_type == "asset_receivable"
                and (line.matched_debit_ids or line.matched_credit_ids)
            )
        )
        line = self._pick(reconciled)
        if line:
            line.remove_move_reconcile()

    def step_reconcile(self):
        outstanding = self.counterparts.line_ids.filtered(
            lambda line: (
                line.account_id.account_type == "asset_receivable"
                and line.parent_state == "posted"
                and not line.reconciled
                and line.amount_residual < 0
            )
        )
        line = self._pick(outstanding)
        if not line:
            return
        invoices = self._open_invoices().filtered(
            lambda move: (
                move.commercial_partner_id == line.partner_id.commercial_partner_id
                and move.currency_id == line.currency_id
            )
        )
        invoice = self._pick(invoices)
        if invoice:
            (
                line | self.receivable_lines(invoice).filtered("amount_residual")
            ).reconcile()

    def step_dispute(self):
        invoice = self._pick(self._open_invoices())
        if not invoice:
            return
        free = invoice.amount_residual - invoice.amount_disputed
        if free < 1.0:
            return
        lines = [(invoice, self._amount(free))]
        other = self._pick(
            self._open_invoices().filtered(
                lambda move: (
                    move != invoice
                    and move.commercial_partner_id == invoice.commercial_partner_id
                    and move.currency_id == invoice.currency_id
                    and move.amount_residual - move.amount_disputed >= 1.0
                )
            )
        )
        if other and self.rng.random() < 0.3:
            lines.append((other, None))
        self.disputes |= self.create_dispute(lines)

    def step_resolve(self):
        dispute = self._pick(self.disputes.filtered(lambda d: not d.is_closed))
        if not dispute:
            return
        resolution = self.rng.choice(
            ["credit_note", "write_off", "fixed", "rejected", "withdrawn"]
        )
        amounts = {
            line: round(line.amount_disputed * self.rng.choice([0.5, 1.0]), 2)
            for line in dispute.line_ids
        }
        if resolution in ("credit_note", "write_off") and not any(
            not line.currency_id.is_zero(amount) for line, amount in amounts.items()
        ):
            resolution = "fixed"
        dispute._request_resolution(resolution, "Random walk", self.root_cause, amounts)
        self.counterparts |= dispute.credit_note_ids | dispute.writeoff_move_ids

    def step_cancel(self):
        untouched = self.invoices.filtered(
            lambda move: (
                move.state == "posted"
                and move.currency_id.compare_amounts(
                    move.amount_residual, move.amount_total
                )
                == 0
            )
        )
        invoice = self._pick(untouched)
        if invoice:
            invoice.button_cancel()

    # ------------------------------------------------------------
    # Invariants
    # ------------------------------------------------------------

    def assert_invariants(self, step):
        self.env.flush_all()
        self.env.invalidate_all()
        for invoice in self.invoices:
            open_lines = invoice.dispute_line_ids.filtered(
                lambda line: not line.is_closed
            )
            disputed = sum(open_lines.mapped("amount_disputed"))
            residual = invoice.amount_residual if invoice.state == "posted" else 0.0
            msg = f"step {step}, {invoice.name}"
            self.assertLessEqual(
                invoice.currency_id.compare_amounts(disputed, max(residual, 0.0)),
                0,
                msg,
            )
            self.assertLessEqual(
                invoice.currency_id.compare_amounts(invoice.amount_disputed, disputed),
                0,
                msg,
            )
            self.assertEqual(invoice.dispute_hold, bool(open_lines), msg)
            for line in open_lines:
                self.assertLessEqual(
                    line.currency_id.compare_amounts(
                        line.amount_disputed, line.amount_disputed_original
                    ),
                    0,
                    msg,
                )
        for dispute in self.disputes.filtered(lambda d: not d.is_closed):
            posted = dispute.move_ids.filtered(lambda move: move.state == "posted")
            self.assertTrue(
                any(
                    not move.currency_id.is_zero(move.amount_residual)
                    for move in posted
                ),
                f"step {step}: {dispute.name} is open but nothing is due",
            )
        for partner in self.customer | self.other_customer:
            open_disputes = self.disputes.filtered(
                lambda d, partner=partner: d.partner_id == partner and not d.is_closed
            )
            company_currency = self.company.currency_id
            from_disputes = sum(open_disputes.mapped("amount_disputed_company"))
            from_lines = sum(open_disputes.line_ids.mapped("amount_disputed_company"))
            self.assertEqual(
                company_currency.compare_amounts(
                    partner.amount_disputed_open, from_disputes
                ),
                0,
                f"step {step}, {partner.name}",
            )
            self.assertEqual(
                company_currency.compare_amounts(from_disputes, from_lines), 0
            )

    def test_random_walk_keeps_amounts_and_holds_true(self):
        steps = [
            (self.step_invoice, 3),
            (self.step_payment, 3),
            (self.step_credit_note, 2),
            (self.step_unreconcile, 2),
            (self.step_reconcile, 1),
            (self.step_dispute, 4),
            (self.step_resolve, 2),
            (self.step_cancel, 1),
        ]
        population = [step for step, weight in steps for _i in range(weight)]
        for _i in range(3):
            self.step_invoice()
        counts = {}
        start = time.monotonic()
        for index in range(STEPS):
            step = self.rng.choice(population)
            step()
            counts[step.__name__] = counts.get(step.__name__, 0) + 1
            self.assert_invariants(f"{index} ({step.__name__})")
        elapsed = time.monotonic() - start
        settled = len(self.disputes.filtered(lambda d: d.resolution == "settled"))
        print(  # pylint: disable=print-used
            f"random walk: {STEPS} steps in {elapsed:.1f} s, {counts}, "
            f"{len(self.invoices)} invoices, {len(self.disputes)} disputes "
            f"({settled} settled)"
        )
        self.assertGreater(settled, 0)
