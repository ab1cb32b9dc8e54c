from odoo import fields, models


class AccountDisputeStage(models.Model):
    _inherit = "account.dispute.stage"

    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain=[("model", "=", "account.dispute")],
        help="Email sent to the dispute's followers (the customer's contact, the "
        "assignee) when a dispute reaches this stage.",
    )
