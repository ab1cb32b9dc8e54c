import re
from contextlib import contextmanager

from odoo.tests import tagged

from .common import DisputeCommon


@tagged("post_install", "-at_install")
class TestDisputeCostOnInvoices(DisputeCommon):
    """The addon must cost (almost) nothing on invoices that are not disputed."""

    @contextmanager
    def capture_queries(self):
        queries = []
        yield from self._patchExecute(queries, flush=True)

    def test_posting_an_undisputed_invoice_never_touches_disputes(self):
        invoice = self.create_invoice([250.0], post=False)

        with self.capture_queries() as queries:
            invoice.action_post()

        self.assertEqual(invoice.state, "posted")
        self.assertTrue(queries)
        dispute_tables = re.compile(r"\baccount_dispute(_line)?\b")
        self.assertFalse([query for query in queries if dispute_tables.search(query)])
        self.assertFalse(invoice.dispute_hold)

    def test_invoice_list_reads_the_hold_without_a_query_per_row(self):
        invoices = [self.create_invoice([100.0 + index]) for index in range(6)]
        self.create_dispute([(invoices[0], 50.0)])
        fields_read = ["name", "dispute_hold", "amount_residual"]

        def count_list_queries(records):
            self.env.invalidate_all()
            with self.capture_queries() as queries:
                records.read(fields_read)
            return len(queries)

        moves = self.env["account.move"].concat(*invoices)
        count_list_queries(moves)  # warm the registry caches (access rules...)
        self.assertEqual(count_list_queries(moves[:2]), count_list_queries(moves))
        self.assertEqual(
            moves.mapped("dispute_hold"), [True, False, False, False, False, False]
        )
