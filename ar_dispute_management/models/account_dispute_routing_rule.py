from ast import literal_eval

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .account_dispute import PRIORITIES

ASSIGNMENTS = [
    ("none", "Team only"),
    ("fixed", "Fixed user"),
    ("round_robin", "Round-robin"),
    ("least_loaded", "Fewest open disputes"),
]


class AccountDisputeRoutingRule(models.Model):
    """Sends new disputes to a team and a person.

    Rules are tried by sequence; the first one whose conditions all hold wins.
    An empty condition always holds.
    """

    _name = "account.dispute.routing.rule"
    _description = "Dispute Routing Rule"
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        index=True,
        help="Leave empty to apply the rule in every company.",
    )

    # Conditions
    category_ids = fields.Many2many("account.dispute.category", string="Reasons")
    partner_ids = fields.Many2many(
        "res.partner",
        "account_dispute_routing_rule_partner_rel",
        string="Customers",
        domain=[("parent_id", "=", False)],
    )
    partner_category_ids = fields.Many2many(
        "res.partner.category", string="Customer Tags"
    )
    country_ids = fields.Many2many("res.country", string="Countries")
    amount_min = fields.Float(
        string="Disputed from",
        help="Lowest disputed amount, in the company's currency (0: no minimum).",
    )
    amount_max = fields.Float(
        string="Disputed up to",
        help="Highest disputed amount, in the company's currency (0: no maximum).",
    )
    journal_ids = fields.Many2many(
        "account.journal",
        string="Invoice Journals",
        domain=[("type", "=", "sale")],
    )
    domain = fields.Char(
        string="Extra Condition",
        help="Optional domain on the dispute, e.g. [('currency_id.name', '=', 'USD')].",
    )

    # Actions
    team_id = fields.Many2one("account.dispute.team", check_company=True)
    assignment = fields.Selection(
        ASSIGNMENTS, required=True, default="round_robin", string="Assign to"
    )
    user_id = fields.Many2one("res.users", domain=[("share", "=", False)])
    priority = fields.Selection(
        PRIORITIES, help="Priority given to the dispute; empty keeps its own."
    )
    activity_type_id = fields.Many2one(
        "mail.activity.type",
        domain=[("res_model", "in", (False, "account.dispute"))],
        help="Activity scheduled for the assignee (default: Review Dispute).",
    )
    activity_deadline_days = fields.Integer(
        string="Activity Due in (Days)",
        help="0: the activity is due on the SLA deadline (or today without SLA).",
    )
    follower_ids = fields.Many2many(
        "res.partner",
        "account_dispute_routing_rule_follower_rel",
        string="Followers",
        help="Contacts subscribed to the disputes this rule routes.",
    )

    @api.constrains("amount_min", "amount_max")
    def _check_amounts(self):
        for rule in self:
            if rule.amount_min < 0 or rule.amount_max < 0:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: amounts cannot be negative.", rule=rule.name
                    )
                )
            if rule.amount_max and rule.amount_max < rule.amount_min:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: the highest amount is below the lowest one.",
                        rule=rule.name,
                    )
                )

    @api.constrains("assignment", "user_id", "team_id")
    def _check_assignment(self):
        for rule in self:
            if rule.assignment == "fixed" and not rule.user_id:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s assigns a fixed user: choose the user.",
                        rule=rule.name,
                    )
                )
            if rule.assignment in ("round_robin", "least_loaded") and not rule.team_id:
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s picks a team member: choose the team.",
                        rule=rule.name,
                    )
                )

    @api.constrains("domain")
    def _check_domain(self):
        for rule in self.filtered("domain"):
            try:
                self.env["account.dispute"].sudo()._search(rule._get_domain())
            except Exception as error:  # noqa: BLE001 - any parse or field error
                raise ValidationError(
                    self.env._(
                        "Rule %(rule)s: the extra condition is not a valid domain "
                        "(%(error)s).",
                        rule=rule.name,
                        error=error,
                    )
                ) from error

    def _get_domain(self):
        self.ensure_one()
        domain = literal_eval(self.domain or "[]")
        if not isinstance(domain, list):
            raise ValueError(self.env._("a domain is a list of conditions"))
        return domain

    def _match(self, dispute):
        """The reasons why ``dispute`` meets every condition of this rule, or
        None when one condition fails."""
        self.ensure_one()
        partner = dispute.partner_id
        amount = dispute.amount_disputed_company
        reasons = []
        if self.company_id and self.company_id != dispute.company_id:
            return None
        if self.category_ids:
            if dispute.category_id not in self.category_ids:
                return None
            reasons.append(
                self.env._("reason is %(reason)s", reason=dispute.category_id.name)
            )
        if self.partner_ids:
            if partner not in self.partner_ids:
                return None
            reasons.append(self.env._("customer is %(name)s", name=partner.name))
        if self.partner_category_ids:
            tags = partner.category_id & self.partner_category_ids
            if not tags:
                return None
            reasons.append(
                self.env._(
                    "customer tagged %(tags)s", tags=", ".join(tags.mapped("name"))
                )
            )
        if self.country_ids:
            if partner.country_id not in self.country_ids:
                return None
            reasons.append(
                self.env._("country is %(country)s", country=partner.country_id.name)
            )
        if self.amount_min or self.amount_max:
            if amount < self.amount_min or (
                self.amount_max and amount > self.amount_max
            ):
                return None
            reasons.append(
                self.env._(
                    "disputed amount %(amount).2f %(currency)s in range",
                    amount=amount,
                    currency=dispute.company_currency_id.name,
                )
            )
        if self.journal_ids:
            journals = dispute.move_ids.journal_id & self.journal_ids
            if not journals:
                return None
            reasons.append(
                self.env._(
                    "invoice journal %(journals)s",
                    journals=", ".join(journals.mapped("name")),
                )
            )
        if self.domain:
            if not dispute.filtered_domain(self._get_domain()):
                return None
            reasons.append(self.env._("extra condition %(domain)s", domain=self.domain))
        return reasons or [self.env._("no condition")]
