import logging
import math
from collections import OrderedDict

from markupsafe import Markup, escape

from odoo import Command, http
from odoo.exceptions import AccessError, MissingError, ValidationError
from odoo.http import request
from odoo.osv import expression
from odoo.tools import float_compare, float_round

from odoo.addons.account.controllers.portal import PortalAccount
from odoo.addons.portal.controllers.portal import pager as portal_pager

_logger = logging.getLogger(__name__)

# What Odoo accepts per request when web.max_file_upload_size is not set.
DEFAULT_UPLOAD_LIMIT = 128 * 1024 * 1024


def _upload_limit():
    """The portal's per-file upload limit, in bytes (web.max_file_upload_size)."""
    value = (
        request.env["ir.config_parameter"]
        .sudo()
        .get_param("web.max_file_upload_size", DEFAULT_UPLOAD_LIMIT)
    )
    try:
        return int(value)
    except ValueError:
        return DEFAULT_UPLOAD_LIMIT


def _raise_form_request_limit(_controller):
    # The raise form reads the whole request before checking each file, so
    # that a file over the limit gives a readable error on the form instead
    # of a bare "413 Request Entity Too Large".
    return max(_upload_limit() * 4, DEFAULT_UPLOAD_LIMIT)


class DisputePortal(PortalAccount):
    # ------------------------------------------------------------
    # HOME
    # ------------------------------------------------------------

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "dispute_count" in counters:
            Dispute = request.env["account.dispute"]
            values["dispute_count"] = (
                Dispute.search_count(self._get_disputes_domain())
                if Dispute.has_access("read")
                else 0
            )
        return values

    # ------------------------------------------------------------
    # MY DISPUTES
    # ------------------------------------------------------------

    def _get_disputes_domain(self):
        """Disputes of the user's customer; the record rules apply on top."""
        return [("partner_id", "=", request.env.user.commercial_partner_id.id)]

    def _get_disputes_searchbar_sortings(self):
        return {
            "date": {"label": request.env._("Newest"), "order": "date_open desc, id"},
            "name": {"label": request.env._("Reference"), "order": "name desc"},
            "stage": {"label": request.env._("Status"), "order": "stage_id, id desc"},
        }

    def _get_disputes_searchbar_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "open": {
                "label": request.env._("Open"),
                "domain": [("is_closed", "=", False)],
            },
            "closed": {
                "label": request.env._("Closed"),
                "domain": [("is_closed", "=", True)],
            },
        }

    def _get_disputes_searchbar_inputs(self):
        return {
            "all": {"input": "all", "label": request.env._("Search in All")},
            "name": {"input": "name", "label": request.env._("Search in Reference")},
            "invoice": {
                "input": "invoice",
                "label": request.env._("Search in Invoices"),
            },
        }

    def _get_disputes_search_domain(self, search_in, search):
        by_name = [("name", "ilike", search)]
        by_invoice = [("line_ids.move_id.name", "ilike", search)]
        if search_in == "name":
            return by_name
        if search_in == "invoice":
            return by_invoice
        return expression.OR([by_name, by_invoice])

    @http.route(
        ["/my/disputes", "/my/disputes/page/<int:page>"],
        type="http",
        auth="user",
        website=True,
    )
    def portal_my_disputes(
        self, page=1, sortby=None, filterby=None, search=None, search_in="all", **kw
    ):
        values = self._prepare_portal_layout_values()
        Dispute = request.env["account.dispute"]

        sortings = self._get_disputes_searchbar_sortings()
        sortby = sortby if sortby in sortings else "date"
        filters = self._get_disputes_searchbar_filters()
        filterby = filterby if filterby in filters else "all"
        inputs = self._get_disputes_searchbar_inputs()
        search_in = search_in if search_in in inputs else "all"

        domain = expression.AND(
            [self._get_disputes_domain(), filters[filterby]["domain"]]
        )
        if search:
            domain = expression.AND(
                [domain, self._get_disputes_search_domain(search_in, search)]
            )

        can_read = Dispute.has_access("read")
        total = Dispute.search_count(domain) if can_read else 0
        pager = portal_pager(
            url="/my/disputes",
            url_args={
                "sortby": sortby,
                "filterby": filterby,
                "search_in": search_in,
                "search": search,
            },
            total=total,
            page=page,
            step=self._items_per_page,
        )
        disputes = (
            Dispute.search(
                domain,
                order=sortings[sortby]["order"],
                limit=self._items_per_page,
                offset=pager["offset"],
            )
            if can_read
            else Dispute
        )
        request.session["my_disputes_history"] = disputes.ids[:100]

        values.update(
            {
                "disputes": disputes,
                "page_name": "dispute",
                "pager": pager,
                "default_url": "/my/disputes",
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": OrderedDict(filters),
                "filterby": filterby,
                "searchbar_inputs": inputs,
                "search_in": search_in,
                "search": search,
            }
        )
        return request.render("ar_dispute_management.portal_my_disputes", values)

    @http.route(
        ["/my/disputes/<int:dispute_id>"], type="http", auth="public", website=True
    )
    def portal_my_dispute(self, dispute_id, access_token=None, **kw):
        try:
            dispute_sudo = self._document_check_access(
                "account.dispute", dispute_id, access_token
            )
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._dispute_get_page_view_values(dispute_sudo, access_token, **kw)
        return request.render("ar_dispute_management.portal_my_dispute", values)

    def _dispute_get_page_view_values(self, dispute, access_token, **kwargs):
        stages = request.env["account.dispute.stage"].sudo().search([])
        # The timeline shows the road to a close; of the closing stages only
        # the one the dispute ended in.
        timeline = stages.filtered(
            lambda stage: not stage.is_closed or stage == dispute.stage_id
        )
        # Only the customer's own invoices: an invoice moved to another customer
        # after the dispute was raised is not shown through a token link.
        lines = dispute.line_ids.filtered(
            lambda line: line.move_id.commercial_partner_id == dispute.partner_id
        )
        rating_token = False
        if (
            dispute.is_closed
            and request.env.user.partner_id == dispute._rating_get_partner()
        ):
            rating_token = dispute._rating_get_access_token()
        values = {
            "page_name": "dispute",
            "dispute": dispute,
            "dispute_lines": lines,
            "timeline": timeline,
            "expected_date": dispute.sla_deadline,
            "rating_token": rating_token,
        }
        return self._get_page_view_values(
            dispute, access_token, values, "my_disputes_history", False, **kwargs
        )

    # ------------------------------------------------------------
    # RAISE A DISPUTE FROM AN INVOICE
    # ------------------------------------------------------------

    def _invoice_get_page_view_values(self, invoice, access_token, **kwargs):
        values = super()._invoice_get_page_view_values(invoice, access_token, **kwargs)
        values["dispute_raise_url"] = (
            f"/my/invoices/{invoice.id}/dispute"
            if self._dispute_invoice_disputable(invoice)
            else False
        )
        return values

    def _dispute_invoice_disputable(self, invoice):
        """The logged-in customer may dispute this invoice of theirs."""
        user = request.env.user
        return (
            not user._is_public()
            and invoice.move_type == "out_invoice"
            and invoice.state == "posted"
            and invoice.payment_state in ("not_paid", "partial")
            and invoice.commercial_partner_id == user.commercial_partner_id
            and float_compare(
                invoice.amount_residual,
                0.0,
                precision_rounding=invoice.currency_id.rounding,
            )
            > 0
        )

    def _dispute_get_invoice(self, invoice_id):
        """The invoice as the customer reads it, or None if not theirs to dispute."""
        invoice = request.env["account.move"].browse(invoice_id).exists()
        if not invoice or not invoice.has_access("read"):
            return None
        if not self._dispute_invoice_disputable(invoice):
            return None
        return invoice

    @http.route(
        ["/my/invoices/<int:invoice_id>/dispute"],
        type="http",
        auth="user",
        methods=["GET", "POST"],
        website=True,
        max_content_length=_raise_form_request_limit,
    )
    def portal_invoice_dispute(self, invoice_id, **post):
        invoice = self._dispute_get_invoice(invoice_id)
        if invoice is None:
            return request.redirect("/my")
        values = {"error": False, "form": {}}
        if request.httprequest.method == "POST":
            try:
                # A refusal undoes everything: no dispute, no attachment.
                with request.env.cr.savepoint():
                    dispute = self._dispute_create_from_form(invoice, post)
            except (ValidationError, AccessError) as error:
                values.update(error=error.args[0], form=post)
            else:
                return request.redirect(dispute.get_portal_url())
        values.update(self._dispute_form_values(invoice))
        return request.render("ar_dispute_management.portal_invoice_dispute", values)

    def _dispute_form_values(self, invoice):
        return {
            **self._prepare_portal_layout_values(),
            "page_name": "invoice",
            "invoice": invoice,
            "categories": request.env["account.dispute.category"].search([]),
            "invoice_lines": invoice.invoice_line_ids.filtered(
                lambda line: line.display_type == "product"
            ),
            "amount_open": max(invoice.amount_residual - invoice.amount_disputed, 0.0),
            "upload_limit_mb": float_round(_upload_limit() / 1024 / 1024, 2),
        }

    def _dispute_create_from_form(self, invoice, post):
        """Create the dispute as the customer through account.dispute.create().

        The model's constraints refuse an amount above what is due; this only
        turns the form into values and refuses files above the upload limit
        before anything is written.
        """
        env = request.env
        files = [
            upload
            for upload in request.httprequest.files.getlist("attachments")
            if upload.filename
        ]
        limit = _upload_limit()
        contents = []
        for upload in files:
            content = upload.read()
            if len(content) > limit:
                raise ValidationError(
                    env._(
                        "The file “%(file)s” is larger than the %(limit)s MB "
                        "allowed: nothing was sent.",
                        file=upload.filename,
                        limit=float_round(limit / 1024 / 1024, 2),
                    )
                )
            contents.append((upload, content))

        category_id = post.get("category_id") or ""
        category = env["account.dispute.category"].browse(
            int(category_id) if category_id.isdigit() else 0
        )
        if not category.exists():
            raise ValidationError(env._("Choose the reason of your dispute."))

        line_values = self._dispute_form_line_values(invoice, post)
        description = post.get("description", "").strip()
        dispute = env["account.dispute"].create(
            {
                "partner_id": invoice.commercial_partner_id.id,
                "contact_id": env.user.partner_id.id,
                "company_id": invoice.company_id.id,
                "category_id": category.id,
                "description": Markup("<p>%s</p>") % escape(description)
                if description
                else False,
                "line_ids": [Command.create(values) for values in line_values],
            }
        )

        if contents:
            dispute.message_post(
                body=env._("Documents sent with the dispute."),
                attachments=[
                    (upload.filename, content) for upload, content in contents
                ],
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
        return dispute

    def _dispute_form_line_values(self, invoice, post):
        """Disputed items from the form: chosen invoice lines with an amount,
        or else the invoice as a whole for the given amount (or all that is due)."""
        env = request.env
        lines = []
        for inv_line in invoice.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        ):
            if not post.get(f"line_{inv_line.id}"):
                continue
            values = {"move_id": invoice.id, "invoice_line_id": inv_line.id}
            amount = self._dispute_form_amount(post.get(f"line_amount_{inv_line.id}"))
            if amount is not None:
                values["amount_disputed"] = amount
            lines.append(values)
        if lines:
            return lines

        values = {"move_id": invoice.id}
        if post.get("scope") == "amount":
            amount = self._dispute_form_amount(post.get("amount"))
            if amount is None:
                raise ValidationError(env._("Enter the amount you dispute."))
            values["amount_disputed"] = amount
        return [values]

    def _dispute_form_amount(self, text):
        """The amount typed in the form: "1,000.50", "1000,50" and "1000.50" all
        read 1000.5."""
        typed = (text or "").strip()
        if not typed:
            return None
        digits = typed.replace(" ", "").replace("\u00a0", "")
        if "," in digits and "." in digits:
            # The last separator is the decimal one; the other groups thousands.
            thousands = "," if digits.rfind(",") < digits.rfind(".") else "."
            digits = digits.replace(thousands, "")
        digits = digits.replace(",", ".")
        try:
            amount = float(digits)
        except ValueError:
            amount = None
        if amount is None or not math.isfinite(amount):
            raise ValidationError(
                request.env._("“%(amount)s” is not an amount.", amount=typed)
            )
        return amount
