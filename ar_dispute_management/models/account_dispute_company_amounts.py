from odoo import api, fields, models


class AccountDispute(models.Model):
    """Company-currency figures of a dispute, for reporting."""

    _inherit = "account.dispute"

    amount_disputed_original_company = fields.Monetary(
        string="Originally Disputed (Company Currency)",
        compute="_compute_amount_disputed_original_company",
        store=True,
        currency_field="company_currency_id",
        help="What the customer disputed, at the rate each invoice was booked with.",
    )

    # The rate is read when the amount changes, not followed: depending on the
    # invoices' totals would cost a query on every invoice edit.
    @api.depends("line_ids.amount_disputed_original")
    def _compute_amount_disputed_original_company(self):
        for dispute in self:
            total = 0.0
            for line in dispute.line_ids:
                move = line.move_id
                rate = 1.0
                if move.currency_id != move.company_currency_id and move.amount_total:
                    rate = abs(move.amount_total_signed) / move.amount_total
                total += line.amount_disputed_original * rate
            dispute.amount_disputed_original_company = (
                dispute.company_currency_id.round(total)
            )
