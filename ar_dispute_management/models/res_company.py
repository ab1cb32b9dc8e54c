from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    dispute_team_id = fields.Many2one(
        "account.dispute.team",
        string="Default Dispute Team",
        help="Receives the disputes that no routing rule and no reason sends "
        "elsewhere.",
    )
    dispute_writeoff_account_id = fields.Many2one(
        "account.account",
        string="Dispute Write-off Account",
        check_company=True,
        domain=[("deprecated", "=", False)],
    )
    dispute_writeoff_journal_id = fields.Many2one(
        "account.journal",
        string="Dispute Write-off Journal",
        check_company=True,
        domain=[("type", "=", "general")],
    )
    dispute_exclude_from_credit = fields.Boolean(
        string="Exclude Disputed Amounts from Credit Exposure",
        help="Open disputed amounts do not count in a customer's credit exposure "
        "when checking their credit limit.",
    )

    dispute_cost_of_capital_rate = fields.Float(
        string="Cost of Capital (% per year)",
        default=10.0,
        help="Annual rate at which the cash held up by open disputes is costed.",
    )
    dispute_risk_threshold = fields.Float(
        string="Dispute Risk Review Threshold",
        default=0.5,
        help="Posting a customer invoice whose dispute risk reaches this "
        "probability (0 to 1) schedules a proactive review.",
    )

    @api.constrains("dispute_cost_of_capital_rate")
    def _check_dispute_cost_of_capital_rate(self):
        for company in self:
            if not 0.0 <= company.dispute_cost_of_capital_rate <= 100.0:
                raise ValidationError(
                    self.env._(
                        "The cost of capital of %(company)s must be between 0 and "
                        "100 %% per year.",
                        company=company.name,
                    )
                )

    @api.constrains("dispute_risk_threshold")
    def _check_dispute_risk_threshold(self):
        for company in self:
            if not 0.0 < company.dispute_risk_threshold <= 1.0:
                raise ValidationError(
                    self.env._(
                        "The dispute risk threshold of %(company)s is a probability: "
                        "above 0 and at most 1.",
                        company=company.name,
                    )
                )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dispute_writeoff_account_id = fields.Many2one(
        related="company_id.dispute_writeoff_account_id", readonly=False
    )
    dispute_writeoff_journal_id = fields.Many2one(
        related="company_id.dispute_writeoff_journal_id", readonly=False
    )
    dispute_exclude_from_credit = fields.Boolean(
        related="company_id.dispute_exclude_from_credit", readonly=False
    )
