from collections import defaultdict

from odoo import fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    dispute_risk_score = fields.Float(
        string="Dispute Risk",
        digits=(16, 4),
        readonly=True,
        copy=False,
        help="Probability (0 to 1) that the customer disputes this invoice, "
        "estimated when it was posted.",
    )
    dispute_risk_reasons = fields.Text(readonly=True, copy=False)

    def _post(self, soft=True):
        posted = super()._post(soft=soft)
        posted.filtered(
            lambda move: move.move_type == "out_invoice"
        )._score_dispute_risk()
        return posted

    def _score_dispute_risk(self):
        """Score these posted customer invoices with their company's risk model and
        schedule a proactive review for those at or above the company's threshold.

        Invoices of a company without a fitted model are left unscored.
        """
        RiskModel = self.env["account.dispute.risk.model"].sudo()
        by_company = defaultdict(lambda: self.browse())
        for move in self:
            by_company[move.company_id] |= move
        for company, moves in by_company.items():
            if not RiskModel._company_has_model(company.id):
                continue
            rows = RiskModel._risk_rows(company, moves.ids)
            results = RiskModel._score_rows(company, rows, exclude_ids=moves.ids)
            if not results:
                continue
            for row, (probability, reasons) in zip(rows, results, strict=True):
                move = self.browse(row["id"])
                move.write(
                    {
                        "dispute_risk_score": probability,
                        "dispute_risk_reasons": "\n".join(reasons),
                    }
                )
                if probability >= company.dispute_risk_threshold:
                    move._schedule_dispute_risk_review()

    def _schedule_dispute_risk_review(self):
        self.ensure_one()
        reviewer = self._get_dispute_risk_reviewer()
        if not reviewer:
            return
        self.activity_schedule(
            "ar_dispute_management.mail_activity_type_dispute_risk_review",
            user_id=reviewer.id,
            note=self.env._(
                "Dispute risk %(score)s: %(reasons)s",
                score=f"{self.dispute_risk_score:.0%}",
                reasons=(self.dispute_risk_reasons or "").replace("\n", "; "),
            ),
        )

    def _get_dispute_risk_reviewer(self):
        """Who reviews a risky invoice: the leader of the company's first dispute
        team, else the invoice's salesperson."""
        self.ensure_one()
        team = (
            self.env["account.dispute.team"]
            .sudo()
            .search(
                [
                    ("company_id", "in", (False, self.company_id.id)),
                    ("leader_id", "!=", False),
                ],
                limit=1,
            )
        )
        return team.leader_id or self.invoice_user_id
