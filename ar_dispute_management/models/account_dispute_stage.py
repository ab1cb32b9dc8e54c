from odoo import fields, models

RESOLUTIONS = [
    ("credit_note", "Credit Note"),
    ("write_off", "Write-off"),
    ("fixed", "Fixed without Credit"),
    ("rejected", "Rejected"),
    ("withdrawn", "Withdrawn by Customer"),
    ("settled", "Settled by Payment"),
    ("cancelled", "Invoice Cancelled"),
]


class AccountDisputeStage(models.Model):
    _name = "account.dispute.stage"
    _description = "Dispute Stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean(
        string="Folded in Kanban",
        help="Folded stages are collapsed in the kanban view.",
    )
    is_closed = fields.Boolean(
        string="Closing Stage",
        help="Disputes in this stage are closed: their invoices are no longer on hold.",
    )
    resolution = fields.Selection(
        RESOLUTIONS,
        string="Default Resolution",
        help="Resolution recorded when a dispute enters this closing stage "
        "without one.",
    )
    description = fields.Text(translate=True)
