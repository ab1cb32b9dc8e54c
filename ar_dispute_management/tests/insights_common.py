from .common import DisputeCommon


class InsightsCommon(DisputeCommon):
    """Helpers of the report, root cause and risk tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.root_cause_shipping = cls.env.ref(
            "ar_dispute_management.root_cause_shipping_error"
        )
        cls.root_cause_billing = cls.env.ref(
            "ar_dispute_management.root_cause_billing_error"
        )
        cls.root_cause_price = cls.env.ref(
            "ar_dispute_management.root_cause_price_master_data"
        )

    def report_totals(self, measures, domain=None, groupby=(), company=None):
        """Rows of the disputes report of ``company`` (the test company by
        default), read as a user would through ``_read_group``."""
        company = company or self.company
        return self.env["account.dispute.report"]._read_group(
            [("company_id", "=", company.id), *(domain or [])],
            list(groupby),
            measures,
        )

    def open_dispute(self, amount=1000.0, date_open="2026-11-02 12:00:00", **values):
        """A dispute over an invoice of ``amount``, opened on ``date_open``."""
        invoice = self.create_invoice(amounts=(amount,))
        return self.create_dispute([(invoice, None)], date_open=date_open, **values)
