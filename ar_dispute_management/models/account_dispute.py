from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools.misc import formatLang

from .account_dispute_stage import RESOLUTIONS

PRIORITIES = [
    ("0", "Low"),
    ("1", "Normal"),
    ("2", "High"),
    ("3", "Urgent"),
]


class AccountDispute(models.Model):
    _name = "account.dispute"
    _description = "Invoice Dispute"
    # rating.mixin extends mail.thread, so it must come before it.
    _inherit = ["portal.mixin", "rating.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "priority desc, date_open desc, id desc"
    _check_company_auto = True
    _rec_names_search = ["name", "partner_id.name", "line_ids.move_id.name"]

    def _default_stage_id(self):
        return self.env["account.dispute.stage"].search(
            [("is_closed", "=", False)], limit=1
        )

    name = fields.Char(
        string="Reference",
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env._("New"),
        index="trigram",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        precompute=True,
        required=True,
        index=True,
        tracking=True,
        check_company=True,
        help="The customer's commercial entity: all its contacts share its disputes.",
    )
    company_id = fields.Many2one(
        "res.company",
        compute="_compute_company_id",
        store=True,
        readonly=False,
        required=True,
        index=True,
        precompute=True,
    )
    currency_id = fields.Many2one(
        "res.currency",
        compute="_compute_currency_id",
        store=True,
        required=True,
        precompute=True,
        help="Currency of the disputed invoices.",
    )
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency"
    )
    line_ids = fields.One2many(
        "account.dispute.line", "dispute_id", string="Disputed Items", copy=False
    )
    move_ids = fields.Many2many(
        "account.move",
        string="Invoices",
        compute="_compute_move_ids",
        search="_search_move_ids",
    )
    move_count = fields.Integer(compute="_compute_move_ids")
    amount_disputed = fields.Monetary(
        compute="_compute_amount_disputed",
        store=True,
        tracking=True,
        help="Total of the disputed items, in the invoices' currency.",
    )
    amount_disputed_company = fields.Monetary(
        string="Disputed (Company Currency)",
        compute="_compute_amount_disputed",
        store=True,
        currency_field="company_currency_id",
    )
    category_id = fields.Many2one(
        "account.dispute.category",
        string="Reason",
        tracking=True,
        index=True,
        help="Why the customer disputes the invoice.",
    )
    root_cause_id = fields.Many2one(
        "account.dispute.root.cause",
        tracking=True,
        index=True,
        help="What actually caused the dispute, once investigated.",
    )
    priority = fields.Selection(
        PRIORITIES,
        compute="_compute_priority",
        store=True,
        readonly=False,
        tracking=True,
        index=True,
    )
    stage_id = fields.Many2one(
        "account.dispute.stage",
        default=lambda self: self._default_stage_id(),
        required=True,
        tracking=True,
        index=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_expand_full",
    )
    is_closed = fields.Boolean(
        related="stage_id.is_closed",
        store=True,
        precompute=True,
        index=True,
        string="Closed",
    )
    team_id = fields.Many2one(
        "account.dispute.team",
        compute="_compute_team_id",
        store=True,
        readonly=False,
        tracking=True,
        index=True,
        check_company=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Assigned To",
        tracking=True,
        index=True,
        domain=[("share", "=", False)],
    )
    description = fields.Html()
    date_open = fields.Datetime(
        string="Opened on", default=fields.Datetime.now, required=True, copy=False
    )
    date_closed = fields.Datetime(string="Closed on", readonly=True, copy=False)
    resolution = fields.Selection(RESOLUTIONS, tracking=True, copy=False)
    resolution_note = fields.Text(copy=False)
    color = fields.Integer()

    # ------------------------------------------------------------
    # CONSTRAINTS
    # ------------------------------------------------------------

    @api.constrains("partner_id", "company_id", "line_ids")
    def _check_invoices_match(self):
        for dispute in self:
            partner_company = dispute.partner_id.company_id
            if partner_company and partner_company != dispute.company_id:
                raise ValidationError(
                    self.env._(
                        "%(partner)s is restricted to the company %(partner_company)s: "
                        "it cannot be disputed in %(company)s.",
                        partner=dispute.partner_id.display_name,
                        partner_company=partner_company.name,
                        company=dispute.company_id.name,
                    )
                )
            dispute.line_ids._check_move_matches_dispute()

    @api.constrains("is_closed")
    def _check_reopen_amounts(self):
        self.filtered(lambda d: not d.is_closed).line_ids._check_amount_within_due()

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    @api.depends("line_ids.move_id")
    def _compute_partner_id(self):
        for dispute in self:
            partner = dispute.line_ids.move_id.commercial_partner_id[:1]
            if partner and not dispute.partner_id:
                dispute.partner_id = partner

    @api.depends("line_ids.move_id")
    def _compute_company_id(self):
        for dispute in self:
            dispute.company_id = (
                dispute.line_ids.move_id.company_id[:1]
                or dispute.company_id
                or self.env.company
            )

    @api.depends("line_ids.move_id", "company_id")
    def _compute_currency_id(self):
        for dispute in self:
            dispute.currency_id = (
                dispute.line_ids.move_id.currency_id[:1]
                or dispute.currency_id
                or dispute.company_id.currency_id
            )

    @api.depends("line_ids.move_id")
    def _compute_move_ids(self):
        for dispute in self:
            dispute.move_ids = dispute.line_ids.move_id
            dispute.move_count = len(dispute.move_ids)

    def _search_move_ids(self, operator, value):
        return [("line_ids.move_id", operator, value)]

    @api.depends("line_ids.amount_disputed", "line_ids.amount_disputed_company")
    def _compute_amount_disputed(self):
        for dispute in self:
            dispute.amount_disputed = sum(dispute.line_ids.mapped("amount_disputed"))
            dispute.amount_disputed_company = sum(
                dispute.line_ids.mapped("amount_disputed_company")
            )

    @api.depends("category_id")
    def _compute_priority(self):
        for dispute in self:
            dispute.priority = dispute.category_id.priority or dispute.priority or "1"

    @api.depends("category_id")
    def _compute_team_id(self):
        for dispute in self:
            if dispute.category_id.team_id:
                dispute.team_id = dispute.category_id.team_id

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("partner_id"):
                partner = self.env["res.partner"].browse(vals["partner_id"])
                vals["partner_id"] = partner.commercial_partner_id.id
            elif not vals.get("line_ids"):
                raise ValidationError(
                    self.env._("A dispute needs a customer or a disputed invoice.")
                )
        disputes = super().create(vals_list)
        for dispute in disputes:
            if dispute.is_closed:
                # Created straight into a closing stage (imports, the API): record
                # the closing as a stage move would.
                dispute.write(
                    {
                        "date_closed": dispute.date_closed or fields.Datetime.now(),
                        "resolution": dispute.resolution or dispute.stage_id.resolution,
                    }
                )
            if dispute.name == self.env._("New") or not dispute.name:
                # Numbering is the system's job: portal customers may create a
                # dispute but neither read sequences nor write disputes.
                sequence = (
                    self.env["ir.sequence"].sudo().with_company(dispute.company_id)
                )
                dispute.sudo().name = sequence.next_by_code("account.dispute") or "/"
            dispute._post_invoice_note(
                self.env._("Dispute %(dispute)s raised for %(amount)s."),
                amount=formatLang(
                    self.env, dispute.amount_disputed, currency_obj=dispute.currency_id
                ),
            )
        return disputes

    def write(self, vals):
        if "partner_id" in vals and vals["partner_id"]:
            partner = self.env["res.partner"].browse(vals["partner_id"])
            vals["partner_id"] = partner.commercial_partner_id.id
        if "stage_id" not in vals:
            return super().write(vals)

        stage = self.env["account.dispute.stage"].browse(vals["stage_id"])
        was_closed = {dispute: dispute.is_closed for dispute in self}
        if stage.is_closed:
            vals.setdefault("date_closed", fields.Datetime.now())
        else:
            vals.update(date_closed=False, resolution=False)
        res = super().write(vals)

        for dispute in self:
            if dispute.is_closed and not was_closed[dispute]:
                if not dispute.resolution and stage.resolution:
                    dispute.resolution = stage.resolution
                dispute._post_invoice_note(
                    self.env._("Dispute %(dispute)s closed (%(stage)s)."),
                    stage=dispute.stage_id.name,
                )
            elif not dispute.is_closed and was_closed[dispute]:
                dispute._post_invoice_note(
                    self.env._(
                        "Dispute %(dispute)s reopened: the invoice is on hold again."
                    )
                )
        return res

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_invoices(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        if len(self.move_ids) == 1:
            action.update(
                views=[(self.env.ref("account.view_move_form").id, "form")],
                res_id=self.move_ids.id,
            )
        else:
            action["domain"] = [("id", "in", self.move_ids.ids)]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------
    # BUSINESS METHODS
    # ------------------------------------------------------------

    def _post_invoice_note(self, message, **params):
        """Leave a note on each disputed invoice, linking back to the dispute.

        ``message`` is a translated text with a ``%(dispute)s`` placeholder; the
        other placeholders are filled from ``params`` and escaped.
        """
        self.ensure_one()
        body = Markup(message) % {"dispute": self._get_html_link(), **params}
        # A logged note notifies nobody, so its author needs no email address.
        for move in self.line_ids.move_id:
            move._message_log(body=body)
