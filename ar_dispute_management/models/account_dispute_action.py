from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

ACTION_STATES = [
    ("draft", "Draft"),
    ("in_progress", "In Progress"),
    ("done", "Done"),
    ("cancelled", "Cancelled"),
]


class AccountDisputeAction(models.Model):
    """A change made to remove a root cause, and whether disputes then dropped.

    Once done, the action compares the rate of disputes with its root cause (per
    100 posted customer invoices of the company) in two windows of the same
    length: before and after the day it was done.
    """

    _name = "account.dispute.action"
    _description = "Dispute Corrective Action"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date_due, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    root_cause_id = fields.Many2one(
        "account.dispute.root.cause", required=True, index=True, tracking=True
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        tracking=True,
        default=lambda self: self.env.user,
        domain=[("share", "=", False)],
    )
    date_due = fields.Date(string="Due Date", tracking=True)
    date_done = fields.Date(string="Done on", tracking=True, copy=False)
    state = fields.Selection(
        ACTION_STATES, default="draft", required=True, tracking=True, copy=False
    )
    description = fields.Html()
    window_days = fields.Integer(
        string="Comparison Window (days)",
        default=90,
        help="Length of each of the two windows compared, before and after the "
        "action. While the action is recent, both windows shrink to the days "
        "elapsed since it was done.",
    )
    compared_days = fields.Integer(compute="_compute_effect")
    invoices_before = fields.Integer(compute="_compute_effect")
    disputes_before = fields.Integer(compute="_compute_effect")
    rate_before = fields.Float(
        string="Disputes per 100 Invoices Before",
        digits=(16, 2),
        compute="_compute_effect",
    )
    invoices_after = fields.Integer(compute="_compute_effect")
    disputes_after = fields.Integer(compute="_compute_effect")
    rate_after = fields.Float(
        string="Disputes per 100 Invoices After",
        digits=(16, 2),
        compute="_compute_effect",
    )

    @api.constrains("window_days")
    def _check_window_days(self):
        if any(action.window_days <= 0 for action in self):
            raise ValidationError(
                self.env._("The comparison window must last at least one day.")
            )

    @api.constrains("state", "date_done")
    def _check_date_done(self):
        for action in self:
            if action.state == "done" and not action.date_done:
                raise ValidationError(
                    self.env._(
                        "Set the day the action %(action)s was done.",
                        action=action.name,
                    )
                )

    @api.depends("root_cause_id", "company_id", "date_done", "window_days")
    @api.depends_context("date")
    def _compute_effect(self):
        today = fields.Date.context_today(self)
        for action in self:
            days = 0
            if action.date_done:
                days = min(action.window_days, (today - action.date_done).days)
            action.compared_days = max(days, 0)
            if days <= 0:
                action.update(
                    {
                        "invoices_before": 0,
                        "disputes_before": 0,
                        "rate_before": 0.0,
                        "invoices_after": 0,
                        "disputes_after": 0,
                        "rate_after": 0.0,
                    }
                )
                continue
            start = action.date_done - timedelta(days)
            end = action.date_done + timedelta(days)
            for suffix, (date_from, date_to) in (
                ("before", (start, action.date_done)),
                ("after", (action.date_done, end)),
            ):
                invoices, disputes = action._count_in_window(date_from, date_to)
                action[f"invoices_{suffix}"] = invoices
                action[f"disputes_{suffix}"] = disputes
                action[f"rate_{suffix}"] = (
                    100.0 * disputes / invoices if invoices else 0.0
                )

    def action_start(self):
        self.write({"state": "in_progress"})

    def action_done(self):
        for action in self:
            action.write(
                {
                    "state": "done",
                    "date_done": action.date_done or fields.Date.context_today(action),
                }
            )

    def action_cancel(self):
        self.write({"state": "cancelled"})

    def action_reset_to_draft(self):
        self.write({"state": "draft", "date_done": False})

    def _count_in_window(self, date_from, date_to):
        """Posted customer invoices of the company dated in [date_from, date_to),
        and disputes with this root cause opened in that window."""
        self.ensure_one()
        self.env["account.move"].flush_model(["move_type", "state", "invoice_date"])
        self.env["account.dispute"].flush_model(["root_cause_id", "date_open"])
        self.env.cr.execute(
            SQL(
                """
                SELECT
                    (SELECT COUNT(*) FROM account_move
                     WHERE company_id = %(company)s
                       AND move_type = 'out_invoice' AND state = 'posted'
                       AND invoice_date >= %(date_from)s
                       AND invoice_date < %(date_to)s),
                    (SELECT COUNT(*) FROM account_dispute
                     WHERE company_id = %(company)s
                       AND root_cause_id = %(root_cause)s
                       AND date_open >= %(date_from)s
                       AND date_open < %(date_to)s)
                """,
                company=self.company_id.id,
                root_cause=self.root_cause_id.id,
                date_from=date_from,
                date_to=date_to,
            )
        )
        return self.env.cr.fetchone()
