from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    amount_receivable_collectible = fields.Monetary(
        string="Collectible Receivable",
        compute="_compute_amount_receivable_collectible",
        groups="ar_dispute_management.group_dispute_user",
        help="What the customer owes in the current company, less what is under "
        "open disputes.",
    )

    @api.depends_context("company")
    def _compute_amount_receivable_collectible(self):
        for partner in self:
            partner.amount_receivable_collectible = (
                partner.commercial_partner_id.credit - partner.amount_disputed_open
            )

    def _dispute_amount_open(self):
        """Open disputed amount of the customer in the current company, in its
        currency."""
        self.ensure_one()
        return self.commercial_partner_id.amount_disputed_open
