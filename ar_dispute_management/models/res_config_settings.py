from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dispute_cost_of_capital_rate = fields.Float(
        related="company_id.dispute_cost_of_capital_rate", readonly=False
    )
    dispute_risk_threshold = fields.Float(
        related="company_id.dispute_risk_threshold", readonly=False
    )
