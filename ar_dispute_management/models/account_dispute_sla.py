from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .account_dispute import PRIORITIES


class AccountDisputeSla(models.Model):
    """Response and resolution times, counted in the team's working hours.

    The most specific policy applies to a dispute: one naming its team beats one
    for all teams, then one naming its reason, then one naming its priority.
    """

    _name = "account.dispute.sla"
    _description = "Dispute Service Level"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        index=True,
        help="Leave empty to apply it in every company.",
    )
    team_id = fields.Many2one(
        "account.dispute.team", check_company=True, help="Empty: every team."
    )
    category_ids = fields.Many2many(
        "account.dispute.category", string="Reasons", help="Empty: every reason."
    )
    priority = fields.Selection(PRIORITIES, help="Empty: every priority.")
    hours_first_response = fields.Float(
        string="First Response (Working Hours)", default=8.0
    )
    hours_resolution = fields.Float(
        string="Resolution (Working Hours)", required=True, default=40.0
    )
    at_risk_percent = fields.Float(
        string="At Risk Below (%)",
        default=20.0,
        help="A dispute is at risk when less than this share of its working time "
        "to resolution remains.",
    )
    escalation_max_level = fields.Integer(
        string="Escalation Levels",
        default=1,
        help="Level 1 is reached at the resolution deadline, level N when N times "
        "the resolution time has passed.",
    )
    escalate_to_leader = fields.Boolean(
        string="Reassign to Team Leader",
        help="On escalation, the team leader becomes the assignee.",
    )

    @api.constrains(
        "hours_first_response",
        "hours_resolution",
        "at_risk_percent",
        "escalation_max_level",
    )
    def _check_values(self):
        for sla in self:
            if sla.hours_resolution <= 0 or sla.hours_first_response < 0:
                raise ValidationError(
                    self.env._(
                        "Service level %(sla)s: the times must be positive.",
                        sla=sla.name,
                    )
                )
            if not 0 <= sla.at_risk_percent <= 100:
                raise ValidationError(
                    self.env._(
                        "Service level %(sla)s: the at-risk share is a percentage "
                        "between 0 and 100.",
                        sla=sla.name,
                    )
                )
            if sla.escalation_max_level < 0:
                raise ValidationError(
                    self.env._(
                        "Service level %(sla)s: the number of escalation levels "
                        "cannot be negative.",
                        sla=sla.name,
                    )
                )

    def _applies_to(self, dispute):
        self.ensure_one()
        return (
            (not self.company_id or self.company_id == dispute.company_id)
            and (not self.team_id or self.team_id == dispute.team_id)
            and (not self.category_ids or dispute.category_id in self.category_ids)
            and (not self.priority or self.priority == dispute.priority)
        )

    def _specificity(self):
        return (
            bool(self.team_id),
            bool(self.category_ids),
            bool(self.priority),
            bool(self.company_id),
            -self.sequence,
        )
