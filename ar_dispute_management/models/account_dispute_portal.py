import logging
import re

from markupsafe import Markup

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import html2plaintext

_logger = logging.getLogger(__name__)

# What a customer (portal user) may say when raising a dispute.
CUSTOMER_DISPUTE_FIELDS = {
    "partner_id",
    "contact_id",
    "company_id",
    "category_id",
    "description",
    "line_ids",
}
CUSTOMER_LINE_FIELDS = {"move_id", "invoice_line_id", "quantity", "amount_disputed"}

# Candidate invoice references in an email: words holding a digit, made of
# letters, digits and the separators Odoo's sequences use (INV/2026/00001).
INVOICE_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9/._-]*[0-9][A-Za-z0-9/._-]*")


class AccountDispute(models.Model):
    """Customer side of a dispute: portal access, email gateway and rating."""

    _inherit = "account.dispute"
    # Customers answer on the portal with read access only, as on invoices.
    _mail_post_access = "read"

    contact_id = fields.Many2one(
        "res.partner",
        string="Customer Contact",
        index="btree_not_null",
        tracking=True,
        help="The customer's contact who raised the dispute: they follow it and "
        "are asked for feedback when it closes.",
    )

    # ------------------------------------------------------------
    # COMPUTES
    # ------------------------------------------------------------

    def _compute_access_url(self):
        for dispute in self:
            dispute.access_url = f"/my/disputes/{dispute.id}"

    # ------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.user.share and not self.env.su:
            self._check_customer_values(vals_list)
        disputes = super().create(vals_list)
        for dispute in disputes.filtered("contact_id"):
            dispute.message_subscribe(partner_ids=dispute.contact_id.ids)
        return disputes

    def _check_customer_values(self, vals_list):
        """A customer says what is disputed and why; the stage, team, dates and
        outcome are the supplier's to set."""
        for vals in vals_list:
            forbidden = set(vals) - CUSTOMER_DISPUTE_FIELDS
            for command in vals.get("line_ids") or []:
                if isinstance(command, (list, tuple)) and len(command) == 3:
                    if command[0] != Command.CREATE:
                        forbidden.add("line_ids")
                    elif isinstance(command[2], dict):
                        forbidden |= set(command[2]) - CUSTOMER_LINE_FIELDS
            if forbidden:
                raise AccessError(
                    self.env._(
                        "Customers cannot set %(fields)s on a dispute.",
                        fields=", ".join(sorted(forbidden)),
                    )
                )
            if not vals.get("line_ids"):
                raise ValidationError(self.env._("Say which invoice you dispute."))

    def write(self, vals):
        was_closed = {dispute: dispute.is_closed for dispute in self}
        res = super().write(vals)
        if "stage_id" in vals:
            closed_now = self.filtered(
                lambda dispute: dispute.is_closed and not was_closed[dispute]
            )
            closed_now._send_rating_request()
        return res

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_open_ratings(self):
        self.ensure_one()
        return self.rating_ids._get_records_action(
            name=self.env._("Ratings of %(dispute)s", dispute=self.name),
            context={"create": False},
        )

    # ------------------------------------------------------------
    # MAIL
    # ------------------------------------------------------------

    def _track_template(self, changes):
        res = super()._track_template(changes)
        dispute = self[0]
        if "stage_id" in changes and dispute.stage_id.mail_template_id:
            res["stage_id"] = (
                dispute.stage_id.mail_template_id,
                {
                    "auto_delete_keep_log": False,
                    "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id(
                        "mail.mt_comment"
                    ),
                    "email_layout_xmlid": "mail.mail_notification_light",
                },
            )
        return res

    def _rating_get_partner(self):
        return self.contact_id or super()._rating_get_partner()

    def _send_rating_request(self):
        """Ask the customer to rate how each dispute was handled."""
        template = self.env.ref(
            "ar_dispute_management.mail_template_dispute_rating",
            raise_if_not_found=False,
        )
        if not template:
            return
        for dispute in self:
            if dispute._rating_get_partner().email:
                dispute.rating_send_request(template, force_send=False)

    # ------------------------------------------------------------
    # MAIL GATEWAY
    # ------------------------------------------------------------

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """Open a dispute from an email citing an invoice reference.

        The customer is the invoice's, whoever sent the email (an employee may
        forward the customer's complaint); the whole amount still due is
        disputed. An email citing no disputable invoice is refused.
        """
        values = dict(custom_values or {})
        team = self.env["account.dispute.team"].browse(values.get("team_id"))
        invoice = self._find_invoice_in_email(msg_dict, company=team.company_id)
        if not invoice:
            raise UserError(
                self.env._(
                    "No posted customer invoice with an amount due is cited in "
                    "“%(subject)s”: write the invoice number in the subject.",
                    subject=msg_dict.get("subject") or "",
                )
            )

        author = self.env["res.partner"].browse(msg_dict.get("author_id"))
        if author.commercial_partner_id == invoice.commercial_partner_id:
            values.setdefault("contact_id", author.id)
        values.update(
            {
                "name": self.env._("New"),
                "partner_id": invoice.commercial_partner_id.id,
                "company_id": invoice.company_id.id,
                "description": msg_dict.get("body"),
                "line_ids": [fields.Command.create({"move_id": invoice.id})],
            }
        )
        _logger.debug(
            "Email %s opens a dispute on %s", msg_dict.get("message_id"), invoice.name
        )
        return super().message_new(msg_dict, custom_values=values)

    @api.model
    def _routing_check_route(self, message, message_dict, route, raise_exception=True):
        """Bounce a new email that cites no disputable invoice back to its sender,
        instead of letting ``message_new`` fail and mark the team's alias invalid."""
        route = super()._routing_check_route(
            message, message_dict, route, raise_exception=raise_exception
        )
        if not route or route[1] or not route[4]:
            return route
        team = self.env["account.dispute.team"].browse(route[2].get("team_id"))
        invoice = self._find_invoice_in_email(message_dict, company=team.company_id)
        if not invoice:
            reason = self.env._(
                "We could not find which invoice your email is about. Please write "
                "the invoice number (for example INV/2026/00001) in the subject and "
                "send it again."
            )
        elif not self._email_author_may_dispute(message_dict, invoice):
            reason = self.env._(
                "Your address is not one of the customer's contacts for this invoice: "
                "please write from the address we know, or through your portal."
            )
        else:
            open_dispute = invoice.dispute_ids.filtered(lambda d: not d.is_closed)[:1]
            if open_dispute and invoice.currency_id.is_zero(invoice.amount_undisputed):
                # Nothing left to dispute: the email continues the open dispute.
                return (route[0], open_dispute.id, route[2], route[3], route[4])
            return route
        _logger.info(
            "Email %s to %s refused: %s",
            message_dict.get("message_id"),
            message_dict.get("to"),
            reason,
        )
        body = Markup("<p>%s</p>") % reason
        self._routing_create_bounce_email(message_dict.get("email_from"), body, message)
        return ()

    @api.model
    def _email_author_may_dispute(self, message_dict, invoice):
        """Only the customer's own contacts, or our employees forwarding them,
        may put an invoice on hold by email."""
        author = self.env["res.partner"].browse(message_dict.get("author_id")).exists()
        if not author:
            return False
        if any(not user.share for user in author.sudo().user_ids):
            return True
        return author.commercial_partner_id == invoice.commercial_partner_id

    @api.model
    def _find_invoice_in_email(self, msg_dict, company=None):
        """The first posted, unpaid customer invoice whose number, reference or
        payment reference appears in the subject or the body."""
        text = "{} {}".format(
            msg_dict.get("subject") or "", html2plaintext(msg_dict.get("body") or "")
        )
        references = list(dict.fromkeys(INVOICE_REFERENCE.findall(text)))
        if not references:
            return self.env["account.move"]
        domain = [
            ("move_type", "=", "out_invoice"),
            ("state", "=", "posted"),
            ("amount_residual", ">", 0.0),
            "|",
            "|",
            ("name", "in", references),
            ("ref", "in", references),
            ("payment_reference", "in", references),
        ]
        if company:
            domain.append(("company_id", "=", company.id))
        invoices = self.env["account.move"].search(domain)
        # Keep the order in which the email cites them.
        for reference in references:
            for invoice in invoices:
                if reference in (invoice.name, invoice.ref, invoice.payment_reference):
                    return invoice
        return self.env["account.move"]
