import logging
import threading
from datetime import timedelta

from odoo import api, fields, models, modules
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

SLA_STATUSES = [
    ("on_track", "On Track"),
    ("at_risk", "At Risk"),
    ("breached", "Breached"),
]
DEFAULT_BATCH_SIZE = 200
DEFAULT_IDLE_DAYS = 7


def _in_test():
    """Crons must not commit the test transaction."""
    return bool(
        modules.module.current_test
        or getattr(threading.current_thread(), "testing", False)
    )


class AccountDispute(models.Model):
    _inherit = "account.dispute"

    routing_rule_id = fields.Many2one(
        "account.dispute.routing.rule",
        string="Routed by",
        readonly=True,
        copy=False,
        index="btree_not_null",
    )
    sla_id = fields.Many2one(
        "account.dispute.sla",
        string="Service Level",
        compute="_compute_sla_id",
        store=True,
        index="btree_not_null",
    )
    sla_response_deadline = fields.Datetime(
        string="Respond by", compute="_compute_sla_deadlines", store=True
    )
    sla_deadline = fields.Datetime(
        string="Resolve by", compute="_compute_sla_deadlines", store=True, index=True
    )
    sla_status = fields.Selection(
        SLA_STATUSES,
        string="SLA Status",
        compute="_compute_sla_status",
        store=True,
        index=True,
        help="Depends on the time: refreshed by the SLA escalation scheduled action.",
    )
    first_response_date = fields.Datetime(
        readonly=True,
        copy=False,
        help="When an internal user first replied to the customer in the chatter, "
        "or first moved the dispute out of the first stage.",
    )
    escalation_level = fields.Integer(readonly=True, copy=False, default=0)
    escalation_deadline = fields.Datetime(
        string="Next Escalation",
        compute="_compute_escalation_deadline",
        store=True,
        index=True,
        copy=False,
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("team_id", "category_id", "priority", "company_id")
    def _compute_sla_id(self):
        # A handful of policies: read them once for the whole batch.
        # pylint: disable-next=no-search-all
        slas = self.env["account.dispute.sla"].sudo().search([])
        for dispute in self:
            # An escalated dispute keeps its policy: the priority raised by the
            # escalation must not restart the clock with another one.
            if dispute.escalation_level and dispute.sla_id:
                continue
            candidates = slas.filtered(lambda sla, d=dispute: sla._applies_to(d))
            dispute.sla_id = max(
                candidates, key=lambda sla: sla._specificity(), default=slas.browse()
            )

    @api.depends(
        "sla_id.hours_first_response",
        "sla_id.hours_resolution",
        "date_open",
        "team_id.resource_calendar_id",
    )
    def _compute_sla_deadlines(self):
        for dispute in self:
            sla = dispute.sla_id
            if not sla or not dispute.date_open:
                dispute.sla_response_deadline = dispute.sla_deadline = False
                continue
            dispute.sla_response_deadline = (
                sla.hours_first_response
                and dispute._plan_working_hours(sla.hours_first_response)
            )
            dispute.sla_deadline = dispute._plan_working_hours(sla.hours_resolution)

    @api.depends(
        "sla_deadline",
        "sla_response_deadline",
        "first_response_date",
        "is_closed",
        "date_closed",
    )
    def _compute_sla_status(self):
        now = fields.Datetime.now()
        for dispute in self:
            if not dispute.sla_deadline:
                dispute.sla_status = False
                continue
            end = dispute.date_closed if dispute.is_closed else now
            response_late = (
                dispute.sla_response_deadline
                and dispute.sla_response_deadline < (dispute.first_response_date or end)
            )
            if end > dispute.sla_deadline or response_late:
                dispute.sla_status = "breached"
            elif not dispute.is_closed and dispute._is_sla_at_risk(now):
                dispute.sla_status = "at_risk"
            else:
                dispute.sla_status = "on_track"

    @api.depends(
        "sla_id.hours_resolution",
        "sla_id.escalation_max_level",
        "date_open",
        "escalation_level",
        "team_id.resource_calendar_id",
    )
    def _compute_escalation_deadline(self):
        for dispute in self:
            sla = dispute.sla_id
            next_level = dispute.escalation_level + 1
            if (
                not sla
                or not dispute.date_open
                or next_level > sla.escalation_max_level
            ):
                dispute.escalation_deadline = False
                continue
            dispute.escalation_deadline = dispute._plan_working_hours(
                sla.hours_resolution * next_level
            )

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        disputes = super().create(vals_list)

        # Routing is the addon's decision, taken once the access rules allowed the
        # creation: a customer raising a dispute from the portal may not write it.
        routed = disputes.sudo()
        # Disputes created with an assignee keep it; the others are routed.
        unassigned = routed.filtered(lambda dispute: not dispute.user_id)
        unassigned._route()
        assigned = routed - unassigned
        assigned._apply_priority_rules()
        for dispute in assigned:
            dispute._schedule_review_activity()

        # The SLA status depends on the time: settle it at creation time.
        disputes.flush_recordset(["sla_status", "escalation_deadline"])
        return disputes

    def write(self, vals):
        previous_users = {}
        if "user_id" in vals:
            previous_users = {dispute: dispute.user_id for dispute in self}
        res = super().write(vals)

        if previous_users:
            for dispute, previous_user in previous_users.items():
                if previous_user and previous_user != dispute.user_id:
                    dispute._move_activities(previous_user, dispute.user_id)
        if vals.get("stage_id"):
            self.filtered("is_closed")._close_review_activities()
            first_stage = self._default_stage_id()
            self.filtered(
                lambda d: not d.first_response_date and d.stage_id != first_stage
            ).write({"first_response_date": fields.Datetime.now()})
        return res

    # ------------------------------------------------------------
    # MAIL
    # ------------------------------------------------------------

    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        if (
            len(self) == 1
            and not self.first_response_date
            and not self.env.user.share
            and message.message_type == "comment"
            and not message.subtype_id.internal
        ):
            self.sudo().first_response_date = message.date or fields.Datetime.now()
        return message

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_reroute(self):
        """Apply the routing rules again, e.g. after the reason was corrected."""
        self._route()
        return True

    # ------------------------------------------------------------
    # ROUTING
    # ------------------------------------------------------------

    def _route(self):
        """Send each dispute to the team and person of the first matching rule.

        Without a matching rule the dispute goes to its reason's team, else to
        the company's default team. Priority criteria are applied afterwards, and
        the assignee receives a review activity due on the SLA deadline.
        """
        rules = (
            self.env["account.dispute.routing.rule"]
            .sudo()
            .search([("company_id", "in", [False, *self.company_id.ids])])
        )
        for dispute in self:
            for rule in rules:
                reasons = rule._match(dispute)
                if reasons is not None:
                    break
            else:
                rule, reasons = rules.browse(), []
            dispute._apply_routing(rule, reasons)

    def _apply_routing(self, rule, reasons):
        self.ensure_one()
        team = (
            rule.team_id
            or self.category_id.team_id
            or self.team_id
            or self.company_id.dispute_team_id
        )
        user, how = self._pick_user(rule, team)
        values = {"team_id": team.id, "user_id": user.id, "routing_rule_id": rule.id}
        if rule.priority:
            values["priority"] = rule.priority
        self.write(values)
        self._apply_priority_rules()
        if rule.follower_ids:
            self.message_subscribe(partner_ids=rule.follower_ids.ids)

        self.message_post(
            body=self._routing_message(rule, reasons, team, user, how),
            subtype_xmlid="mail.mt_note",
        )
        self._schedule_review_activity(rule)

    def _routing_message(self, rule, reasons, team, user, how):
        if rule:
            intro = self.env._(
                "Routed by rule %(rule)s (%(reasons)s)",
                rule=rule.name,
                reasons="; ".join(reasons),
            )
        elif team and team == self.company_id.dispute_team_id:
            intro = self.env._("No routing rule matched: company default team")
        elif team:
            intro = self.env._("No routing rule matched: the reason's team")
        else:
            intro = self.env._("No routing rule matched and no default team")
        if not user:
            return self.env._(
                "%(intro)s. Team: %(team)s, not assigned%(how)s.",
                intro=intro,
                team=team.name or "-",
                how=how and f" ({how})",
            )
        return self.env._(
            "%(intro)s. Team: %(team)s, assigned to %(user)s (%(how)s).",
            intro=intro,
            team=team.name or "-",
            user=user.name,
            how=how,
        )

    def _pick_user(self, rule, team):
        """The assignee and a few words on how it was chosen."""
        self.ensure_one()
        company = self.company_id
        if rule.assignment == "fixed":
            user = rule.user_id
            if user.active and not user.share and company in user.company_ids:
                return user, self.env._("fixed user")
            if not team:
                return user.browse(), self.env._(
                    "%(user)s cannot take disputes of %(company)s",
                    user=user.name,
                    company=company.name,
                )
            user = self._assign_round_robin(team)
            return user, self.env._(
                "round-robin: %(user)s cannot take disputes of %(company)s",
                user=rule.user_id.name,
                company=company.name,
            )
        if rule.assignment == "round_robin":
            return self._assign_round_robin(team), self.env._("round-robin")
        if rule.assignment == "least_loaded":
            return self._assign_least_loaded(team), self.env._("fewest open disputes")

        # No rule, or a rule that only sets the team: keep a still eligible assignee.
        user = self.user_id
        if user and team and user in team._get_assignable_users(company):
            return user, self.env._("kept")
        return user.browse(), ""

    def _assign_round_robin(self, team):
        """Next eligible member after the team's last assignee, by user id.

        The team row is locked until the transaction ends, so disputes created
        at the same time in other transactions wait for this one and continue
        the rotation (or, if they already read the team, fail with a
        serialization error and are retried by the server).
        """
        self.ensure_one()
        users = team._get_assignable_users(self.company_id)
        if not users:
            return users
        team = team.sudo()
        team.flush_recordset(["last_assigned_user_id"])
        self.env.cr.execute(
            SQL(
                "SELECT last_assigned_user_id FROM account_dispute_team"
                " WHERE id = %s FOR NO KEY UPDATE",
                team.id,
            )
        )
        last_user_id = self.env.cr.fetchone()[0] or 0
        user = users.filtered(lambda u: u.id > last_user_id)[:1] or users[0]
        team.invalidate_recordset(["last_assigned_user_id"])
        team.last_assigned_user_id = user
        team.flush_recordset(["last_assigned_user_id"])
        return user

    def _assign_least_loaded(self, team):
        """Eligible member with the fewest open disputes (lowest id on a tie)."""
        self.ensure_one()
        users = team._get_assignable_users(self.company_id)
        if not users:
            return users
        counts = dict(
            self.sudo()._read_group(
                [
                    ("user_id", "in", users.ids),
                    ("is_closed", "=", False),
                    ("id", "not in", self.ids),
                ],
                ["user_id"],
                ["__count"],
            )
        )
        return min(users, key=lambda user: (counts.get(user, 0), user.id))

    def _apply_priority_rules(self):
        """Raise the priority to the highest matching criterion, never lower it."""
        # A handful of criteria: read them once for the whole batch.
        # pylint: disable-next=no-search-all
        criteria = self.env["account.dispute.priority.rule"].sudo().search([])
        for dispute in self:
            priorities = [c.priority for c in criteria if c._matches(dispute)]
            best = max(priorities, default="0")
            if best > (dispute.priority or "0"):
                dispute.priority = best

    def _schedule_review_activity(self, rule=None):
        """A review activity for the assignee, due on the SLA deadline, unless
        one of the same type is already open."""
        self.ensure_one()
        if not self.user_id:
            return
        activity_type = (rule and rule.activity_type_id) or self.env.ref(
            "ar_dispute_management.mail_activity_type_dispute_review",
            raise_if_not_found=False,
        )
        if not activity_type:
            return
        if self.activity_ids.filtered(lambda a: a.activity_type_id == activity_type):
            return
        if rule and rule.activity_deadline_days:
            deadline = fields.Date.context_today(self) + timedelta(
                days=rule.activity_deadline_days
            )
        elif self.sla_deadline:
            deadline = fields.Date.context_today(self, self.sla_deadline)
        else:
            deadline = fields.Date.context_today(self)
        self.activity_schedule(
            activity_type_id=activity_type.id,
            date_deadline=deadline,
            user_id=self.user_id.id,
            summary=self.env._("Review dispute %(name)s", name=self.name),
        )

    def _close_review_activities(self):
        """A closed dispute needs no more review: drop its open review activities."""
        review = self.env.ref(
            "ar_dispute_management.mail_activity_type_dispute_review",
            raise_if_not_found=False,
        )
        self.sudo().activity_ids.filtered(
            lambda activity: activity.activity_type_id == review
        ).unlink()

    def _move_activities(self, from_user, to_user):
        activities = self.sudo().activity_ids.filtered(
            lambda activity: activity.user_id == from_user
        )
        if activities and to_user:
            activities.write({"user_id": to_user.id})

    # ------------------------------------------------------------
    # SERVICE LEVELS
    # ------------------------------------------------------------

    def _get_calendar(self):
        self.ensure_one()
        return self.team_id.resource_calendar_id or self.company_id.resource_calendar_id

    def _plan_working_hours(self, hours):
        """``date_open`` plus ``hours`` of the team's working time."""
        self.ensure_one()
        calendar = self._get_calendar()
        if not calendar:
            return self.date_open + timedelta(hours=hours)
        return calendar.plan_hours(hours, self.date_open, compute_leaves=True)

    def _is_sla_at_risk(self, now):
        self.ensure_one()
        calendar = self._get_calendar()
        if calendar:
            remaining = calendar.get_work_hours_count(now, self.sla_deadline)
        else:
            remaining = (self.sla_deadline - now).total_seconds() / 3600
        allowed = self.sla_id.hours_resolution
        return remaining < allowed * self.sla_id.at_risk_percent / 100

    def _is_on_cancelled_invoices(self):
        self.ensure_one()
        moves = self.line_ids.move_id
        return bool(moves) and all(move.state == "cancel" for move in moves)

    def _get_handover_user(self, leaving_users):
        """The team leader, when they can take over from ``leaving_users``."""
        self.ensure_one()
        leader = self.team_id.leader_id
        if (
            leader.active
            and not leader.share
            and leader not in leaving_users
            and self.company_id in leader.company_ids
        ):
            return leader
        return leader.browse()

    def _escalate(self):
        """Raise the dispute one escalation level: one chatter entry per level."""
        self.ensure_one()
        level = self.escalation_level + 1
        priority = str(min(int(self.priority or "1") + 1, 3))
        leader = self.team_id.leader_id
        values = {"escalation_level": level, "priority": priority}
        if (
            self.sla_id.escalate_to_leader
            and leader.active
            and not leader.share
            and self.company_id in leader.company_ids
        ):
            values["user_id"] = leader.id
        self.write(values)
        self.message_post(
            body=self.env._(
                "Service level %(sla)s breached: escalated to level %(level)s, "
                "priority raised to %(priority)s.",
                sla=self.sla_id.name,
                level=level,
                priority=dict(self._fields["priority"].selection)[priority],
            ),
            subtype_xmlid="mail.mt_note",
            partner_ids=leader.partner_id.ids,
        )

    # ------------------------------------------------------------
    # SCHEDULED ACTIONS
    # ------------------------------------------------------------

    @api.model
    def _get_cron_batch_size(self):
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("ar_dispute_management.cron_batch_size")
        )
        return int(value or DEFAULT_BATCH_SIZE)

    @api.model
    def _cron_progress(self, done, remaining):
        """Report progress, and commit it except in tests."""
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        if not _in_test():
            # Keep each finished batch even if a later one fails, as Odoo's own
            # batch crons do.
            self.env.cr.commit()  # pylint: disable=invalid-commit

    @api.model
    def _get_escalation_domain(self):
        return [
            ("is_closed", "=", False),
            ("escalation_deadline", "!=", False),
            ("escalation_deadline", "<=", fields.Datetime.now()),
        ]

    @api.model
    def _get_idle_domain(self):
        days = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("ar_dispute_management.idle_days", DEFAULT_IDLE_DAYS)
        )
        since = fields.Datetime.now() - timedelta(days=days)
        return [
            ("is_closed", "=", False),
            ("message_ids", "not any", [("date", ">=", since)]),
        ]

    @api.model
    def _iter_cron_batches(self, domain, batch_size):
        """Yield locked batches of the disputes matching ``domain``.

        Rows another worker holds are skipped (``SKIP LOCKED``): that worker
        handles them. Progress is committed after each batch outside tests.
        """
        batch_size = batch_size or self._get_cron_batch_size()
        last_id, done = 0, 0
        while True:
            batch = self.search(
                [*domain, ("id", ">", last_id)], order="id", limit=batch_size
            )
            if not batch:
                break
            last_id = batch[-1].id
            self.env.cr.execute(
                SQL(
                    "SELECT id FROM account_dispute WHERE id IN %s"
                    " FOR NO KEY UPDATE SKIP LOCKED",
                    tuple(batch.ids),
                )
            )
            locked = self.browse(row[0] for row in self.env.cr.fetchall())
            locked.invalidate_recordset()
            # The row may have changed between the search and the lock.
            locked = locked.filtered_domain(domain).filtered(
                lambda d: not d._is_on_cancelled_invoices()
            )
            yield locked
            done += len(batch)
            remaining = self.search_count([*domain, ("id", ">", last_id)])
            self._cron_progress(done, remaining)

    @api.model
    def _cron_escalate_sla(self, batch_size=None):
        """Refresh SLA statuses, then escalate breached disputes by one level.

        A level is reached when its deadline passed and the dispute is below it,
        so running the action again, or in two workers, escalates once.
        """
        refreshed = escalated = 0
        status_domain = [("is_closed", "=", False), ("sla_deadline", "!=", False)]
        for disputes in self._iter_cron_batches(status_domain, batch_size):
            self.env.add_to_compute(self._fields["sla_status"], disputes)
            disputes.flush_recordset(["sla_status"])
            refreshed += len(disputes)
        for disputes in self._iter_cron_batches(
            self._get_escalation_domain(), batch_size
        ):
            for dispute in disputes:
                dispute._escalate()
            escalated += len(disputes)
        _logger.info(
            "SLA escalation: %d statuses refreshed, %d disputes escalated",
            refreshed,
            escalated,
        )
        return escalated

    @api.model
    def _cron_remind_idle(self, batch_size=None):
        """Give the assignee (or team leader) a follow-up activity on open
        disputes without any chatter message for a while (system parameter
        ``ar_dispute_management.idle_days``), unless one is already open."""
        activity_type = self.env.ref(
            "ar_dispute_management.mail_activity_type_dispute_idle"
        )
        reminded = 0
        for disputes in self._iter_cron_batches(self._get_idle_domain(), batch_size):
            for dispute in disputes:
                user = dispute.user_id or dispute.team_id.leader_id
                if not user or dispute.activity_ids.filtered(
                    lambda a: a.activity_type_id == activity_type
                ):
                    continue
                dispute.activity_schedule(
                    activity_type_id=activity_type.id,
                    user_id=user.id,
                    summary=self.env._("Idle dispute: follow up"),
                )
                reminded += 1
        _logger.info("Idle dispute reminders: %d scheduled", reminded)
        return reminded
