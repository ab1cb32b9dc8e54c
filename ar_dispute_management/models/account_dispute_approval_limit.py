from odoo import api, fields, models


class AccountDisputeApprovalLimit(models.Model):
    """How much a user may credit or write off on a dispute without approval,
    and approve for others, in one company."""

    _name = "account.dispute.approval.limit"
    _description = "Dispute Approval Limit"
    _order = "company_id, amount desc, id"
    _check_company_auto = True

    user_id = fields.Many2one(
        "res.users",
        required=True,
        ondelete="cascade",
        index=True,
        domain=[("share", "=", False)],
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(
        string="Limit", help="In the company's currency.", required=True
    )

    _sql_constraints = [
        (
            "user_company_uniq",
            "unique(user_id, company_id)",
            "A user has one approval limit per company.",
        ),
        ("amount_positive", "check(amount >= 0)", "A limit cannot be negative."),
    ]


class ResUsers(models.Model):
    _inherit = "res.users"

    dispute_approval_limit = fields.Monetary(
        compute="_compute_dispute_approval_limit",
        inverse="_inverse_dispute_approval_limit",
        currency_field="dispute_approval_currency_id",
        help="Amount of credit notes and write-offs on disputes, in the company's "
        "currency, that the user may decide and approve alone.",
    )
    dispute_approval_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Approval Limit Currency"
    )

    @api.depends_context("company")
    def _compute_dispute_approval_limit(self):
        limits = {
            limit.user_id: limit.amount
            for limit in self.env["account.dispute.approval.limit"]
            .sudo()
            .search(
                [
                    ("user_id", "in", self.ids),
                    ("company_id", "=", self.env.company.id),
                ]
            )
        }
        for user in self:
            user.dispute_approval_limit = limits.get(user, 0.0)

    def _inverse_dispute_approval_limit(self):
        limits = self.env["account.dispute.approval.limit"]
        for user in self:
            limit = limits.search(
                [("user_id", "=", user.id), ("company_id", "=", self.env.company.id)]
            )
            if limit:
                limit.amount = user.dispute_approval_limit
            else:
                limits.create(
                    {"user_id": user.id, "amount": user.dispute_approval_limit}
                )
