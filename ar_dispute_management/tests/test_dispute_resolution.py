from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common_resolution import DisputeResolutionCommon


@tagged("post_install", "-at_install")
class TestDisputeResolution(DisputeResolutionCommon):
    def test_partial_credit_note_on_one_of_two_lines(self):
        invoice = self.create_invoice([600.0, 400.0])
        second_line = invoice.invoice_line_ids[1]
        dispute = self.create_dispute(
            [{"move_id": invoice.id, "invoice_line_id": second_line.id}]
        )
        self.assertEqual(dispute.amount_disputed, 400.0)

        self.resolve(dispute, "credit_note", amounts=[150.0])

        credit_note = dispute.credit_note_ids
        self.assertRecordValues(
            credit_note,
            [
                {
                    "move_type": "out_refund",
                    "state": "posted",
                    "reversed_entry_id": invoice.id,
                    "amount_total": 150.0,
                    "payment_state": "paid",
                }
            ],
        )
        self.assertRecordValues(
            credit_note.invoice_line_ids,
            [
                {
                    "price_unit": 150.0,
                    "quantity": 1.0,
                    "account_id": second_line.account_id.id,
                }
            ],
        )
        self.assertEqual(invoice.amount_residual, 850.0)
        self.assertEqual(
            self.receivable_lines(invoice).matched_credit_ids.credit_move_id,
            self.receivable_lines(credit_note),
        )
        self.assertRecordValues(
            dispute,
            [
                {
                    "is_closed": True,
                    "stage_id": self.stage_resolved.id,
                    "resolution": "credit_note",
                    "root_cause_id": self.root_cause.id,
                    "resolution_note": "Agreed with the customer",
                    "amount_disputed_original": 400.0,
                }
            ],
        )
        self.assertTrue(dispute.date_closed)
        self.assertFalse(invoice.dispute_hold)

    def test_partial_credit_note_keeps_the_line_taxes(self):
        tax = self.env["account.tax"].create(
            {"name": "Sales 15%", "amount": 15.0, "type_tax_use": "sale"}
        )
        invoice = self.create_invoice([1000.0], post=False)
        invoice.invoice_line_ids.tax_ids = tax
        invoice.action_post()
        dispute = self.create_dispute([(invoice, 230.0)])

        self.resolve(dispute, "credit_note", amounts=[115.0])

        credit_note = dispute.credit_note_ids
        self.assertRecordValues(
            credit_note,
            [{"amount_untaxed": 100.0, "amount_tax": 15.0, "amount_total": 115.0}],
        )
        self.assertEqual(credit_note.invoice_line_ids.tax_ids, tax)
        self.assertEqual(invoice.amount_residual, 1035.0)

    def test_full_credit_note_closes_as_credited_not_settled(self):
        invoice = self.create_invoice([1000.0])
        dispute = self.create_dispute([(invoice, None)])

        self.resolve(dispute, "credit_note")

        self.assertEqual(dispute.credit_note_ids.amount_total, 1000.0)
        self.assertEqual(
            len(dispute.credit_note_ids.invoice_line_ids), len(invoice.invoice_line_ids)
        )
        self.assertEqual(invoice.amount_residual, 0.0)
        self.assertEqual(invoice.payment_state, "reversed")
        self.assertEqual(dispute.resolution, "credit_note")
        self.assertEqual(dispute.amount_disputed, 0.0)
        self.assertFalse(invoice.dispute_hold)

    def test_draft_credit_note_left_for_review(self):
        invoice = self.create_invoice([1000.0])
        dispute = self.create_dispute([(invoice, 200.0)])

        self.resolve(dispute, "credit_note", post_credit_note=False)

        self.assertEqual(dispute.credit_note_ids.state, "draft")
        self.assertEqual(dispute.credit_note_ids.amount_total, 200.0)
        self.assertEqual(invoice.amount_residual, 1000.0)
        self.assertTrue(dispute.is_closed)

    def test_wizard_credit_note_belongs_to_its_dispute_only(self):
        invoice = self.create_invoice([1000.0])
        credited = self.create_dispute([(invoice, 300.0)])
        other = self.create_dispute([(invoice, 700.0)])

        self.resolve(credited, "credit_note", amounts=[200.0])

        self.assertEqual(credited.credit_note_ids.amount_total, 200.0)
        self.assertFalse(other.credit_note_ids)
        self.assertFalse(other.is_closed)

    def test_writeoff_over_two_invoices_settles_each_its_own(self):
        first = self.create_invoice([1000.0])
        second = self.create_invoice([800.0])
        dispute = self.create_dispute([(first, 500.0), (second, 300.0)])

        self.resolve(dispute, "write_off")

        self.assertEqual(first.amount_residual, 500.0)
        self.assertEqual(second.amount_residual, 500.0)
        self.assertEqual(len(dispute.writeoff_move_ids), 2)
        self.assertEqual(
            sorted(dispute.writeoff_move_ids.mapped("amount_total")), [300.0, 500.0]
        )
        self.assertFalse(first.dispute_hold or second.dispute_hold)

    def test_writeoff_in_foreign_currency_after_rate_change(self):
        foreign = self.setup_other_currency(
            "EUR", rates=[("2026-01-01", 2.0), ("2026-11-15", 2.5)]
        )
        invoice = self.create_invoice([1000.0], currency=foreign)
        self.assertEqual(invoice.amount_total_signed, 500.0)
        dispute = self.create_dispute([(invoice, 300.0)])

        with freeze_time("2026-11-20"):
            self.resolve(dispute, "write_off")

        writeoff = dispute.writeoff_move_ids
        self.assertRecordValues(
            writeoff,
            [
                {
                    "move_type": "entry",
                    "state": "posted",
                    "journal_id": self.company_data["default_journal_misc"].id,
                    "date": invoice.date.replace(day=20),
                }
            ],
        )
        self.assertRecordValues(
            writeoff.line_ids.sorted("balance"),
            [
                {
                    "account_id": self.receivable_lines(invoice).account_id.id,
                    "currency_id": foreign.id,
                    "amount_currency": -300.0,
                    "balance": -120.0,
                    "reconciled": True,
                },
                {
                    "account_id": self.writeoff_account.id,
                    "currency_id": foreign.id,
                    "amount_currency": 300.0,
                    "balance": 120.0,
                    "reconciled": False,
                },
            ],
        )
        # 300 EUR were booked at 150 on the invoice: the 30 difference is an
        # exchange difference entry made by the reconciliation.
        receivable = self.receivable_lines(invoice)
        self.assertEqual(invoice.amount_residual, 700.0)
        self.assertEqual(receivable.amount_residual, 350.0)
        partial = receivable.matched_credit_ids.filtered(
            lambda partial: partial.credit_move_id.move_id == writeoff
        )
        self.assertEqual(partial.amount, 120.0)
        self.assertEqual(partial.credit_amount_currency, 300.0)
        self.assertEqual(partial.exchange_move_id.amount_total_signed, 30.0)
        self.assertRecordValues(
            dispute,
            [{"is_closed": True, "resolution": "write_off", "amount_disputed": 300.0}],
        )
        self.assertFalse(invoice.dispute_hold)

    def test_writeoff_uses_the_reason_account(self):
        reason_account = self.writeoff_account.copy({"code": "656200"})
        self.category_pricing.writeoff_account_id = reason_account
        invoice = self.create_invoice([1000.0])
        dispute = self.create_dispute([(invoice, 80.0)], category=self.category_pricing)

        self.resolve(dispute, "write_off")

        self.assertIn(reason_account, dispute.writeoff_move_ids.line_ids.account_id)
        self.assertEqual(invoice.amount_residual, 920.0)

    def test_writeoff_refused_without_configuration(self):
        self.company.dispute_writeoff_journal_id = False
        invoice = self.create_invoice([1000.0])
        dispute = self.create_dispute([(invoice, 80.0)])

        with self.assertRaisesText(UserError, "write-off journal and account"):
            self.resolve(dispute, "write_off")

        self.assertFalse(dispute.is_closed)
        self.assertEqual(invoice.amount_residual, 1000.0)

    def test_rejected_tells_customer_and_resumes_collection(self):
        invoice = self.create_invoice([1000.0])
        dispute = self.create_dispute([(invoice, 300.0)])

        self.resolve(dispute, "rejected", note="The price matches the contract.")

        message = dispute.message_ids.filtered(
            lambda msg: self.customer.partner_share and self.customer in msg.partner_ids
        )
        self.assertEqual(len(message), 1)
        self.assertIn("The price matches the contract.", message.body)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertRecordValues(
            dispute,
            [
                {
                    "stage_id": self.stage_rejected.id,
                    "resolution": "rejected",
                    "resolution_note": "The price matches the contract.",
                }
            ],
        )
        self.assertFalse(dispute.credit_note_ids | dispute.writeoff_move_ids)
        self.assertEqual(invoice.amount_residual, 1000.0)
        self.assertFalse(invoice.dispute_hold)

    def test_fixed_and_withdrawn_book_nothing(self):
        for resolution in ("fixed", "withdrawn"):
            with self.subTest(resolution=resolution):
                invoice = self.create_invoice([1000.0])
                dispute = self.create_dispute([(invoice, 300.0)])

                self.resolve(dispute, resolution)

                self.assertRecordValues(
                    dispute,
                    [
                        {
                            "is_closed": True,
                            "resolution": resolution,
                            "stage_id": self.stage_resolved.id,
                        }
                    ],
                )
                self.assertTrue(dispute.date_closed)
                self.assertFalse(dispute.credit_note_ids | dispute.writeoff_move_ids)
                self.assertEqual(invoice.amount_residual, 1000.0)
                self.assertFalse(invoice.dispute_hold)

    def test_root_cause_required_to_close(self):
        invoice = self.create_invoice([1000.0])
        dispute = self.create_dispute([(invoice, 300.0)])
        root_cause = self.env["account.dispute.root.cause"]

        with self.assertRaisesText(UserError, "Set the root cause"):
            dispute._request_resolution("fixed", "", root_cause, {})

        self.assertFalse(dispute.is_closed)

    def test_credit_above_remaining_refused(self):
        invoice = self.create_invoice([1000.0])
        dispute = self.create_dispute([(invoice, 300.0)])

        with self.assertRaisesText(UserError, "remaining disputed"):
            self.resolve(dispute, "credit_note", amounts=[301.0])

        self.assertFalse(dispute.credit_note_ids)
        self.assertFalse(dispute.is_closed)

    def test_wizard_form_proposes_remaining_amounts(self):
        invoice = self.create_invoice([1000.0])
        dispute = self.create_dispute([(invoice, 300.0)])
        self.register_payment(invoice, 800.0)

        action = dispute.action_open_resolve_wizard()
        with Form(
            self.env[action["res_model"]].with_context(**action["context"])
        ) as wizard_form:
            wizard_form.root_cause_id = self.root_cause
            self.assertEqual(wizard_form.line_ids.edit(0).amount, 200.0)
        wizard_form.record.action_confirm()

        self.assertEqual(dispute.credit_note_ids.amount_total, 200.0)
        self.assertEqual(invoice.amount_residual, 0.0)
        self.assertEqual(dispute.resolution, "credit_note")

    def test_bulk_resolve_from_list(self):
        first_invoice = self.create_invoice([1000.0])
        second_invoice = self.create_invoice([500.0])
        first = self.create_dispute([(first_invoice, 40.0)])
        second = self.create_dispute([(second_invoice, 60.0)])
        disputes = first | second
        action = self.env.ref("ar_dispute_management.account_dispute_action_resolve")

        wizard_action = action.with_context(
            active_model="account.dispute", active_ids=disputes.ids
        ).run()
        wizard = (
            self.env[wizard_action["res_model"]]
            .with_context(**wizard_action["context"])
            .create({"resolution": "write_off", "root_cause_id": self.root_cause.id})
        )
        wizard.action_confirm()

        self.assertEqual(disputes.mapped("resolution"), ["write_off", "write_off"])
        self.assertEqual(first.writeoff_move_ids.amount_total, 40.0)
        self.assertEqual(second.writeoff_move_ids.amount_total, 60.0)
        self.assertEqual(first_invoice.amount_residual, 960.0)
        self.assertEqual(second_invoice.amount_residual, 440.0)

    def test_resolve_needs_dispute_rights(self):
        plain_user = self.salesperson
        invoice = self.create_invoice([1000.0])
        dispute = self.create_dispute([(invoice, 300.0)])

        with self.assertRaises(AccessError):
            self.resolve(dispute, "fixed", user=plain_user)

        self.assertFalse(dispute.is_closed)


@tagged("post_install", "-at_install")
class TestDisputeApproval(DisputeResolutionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls.create_invoice([1000.0])
        cls.invoice.invoice_user_id = cls.salesperson
        cls.dispute = cls.create_dispute(
            [(cls.invoice, 300.0)], team_id=cls.team.id, user_id=cls.billing_user.id
        )

    def _approval_activities(self):
        # Routing also gives the assignee a review activity: look at approvals only.
        approval = self.env.ref("ar_dispute_management.mail_activity_dispute_approval")
        return self.dispute.activity_ids.filtered(
            lambda activity: activity.activity_type_id == approval
        )

    def _request_credit_above_limit(self):
        self.resolve(
            self.dispute.with_user(self.billing_user),
            "credit_note",
            user=self.billing_user,
        )

    def test_credit_above_limit_awaits_approval(self):
        self._request_credit_above_limit()

        self.assertRecordValues(
            self.dispute,
            [
                {
                    "approval_state": "pending",
                    "approval_user_id": self.env.user.id,
                    "approval_requested_by_id": self.billing_user.id,
                    "pending_resolution": "credit_note",
                    "pending_amount": 300.0,
                    "is_closed": False,
                }
            ],
        )
        activity = self._approval_activities()
        self.assertEqual(activity.user_id, self.env.user)
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("ar_dispute_management.mail_activity_dispute_approval"),
        )
        self.assertFalse(self.dispute.credit_note_ids)
        self.assertTrue(self.invoice.dispute_hold)

    def test_credit_within_limit_needs_no_approval(self):
        self.resolve(
            self.dispute, "credit_note", amounts=[90.0], user=self.billing_user
        )

        self.assertEqual(self.dispute.approval_state, "none")
        self.assertEqual(self.dispute.credit_note_ids.amount_total, 90.0)
        self.assertTrue(self.dispute.is_closed)

    def test_approval_carries_out_the_resolution(self):
        self._request_credit_above_limit()

        self.dispute.action_approve_resolution()

        self.assertRecordValues(
            self.dispute,
            [
                {
                    "approval_state": "approved",
                    "resolution": "credit_note",
                    "root_cause_id": self.root_cause.id,
                    "is_closed": True,
                    "pending_amount": 0.0,
                }
            ],
        )
        self.assertEqual(self.dispute.credit_note_ids.amount_total, 300.0)
        self.assertEqual(self.invoice.amount_residual, 700.0)
        self.assertFalse(self._approval_activities())
        notified = self.dispute.message_ids[0].partner_ids
        self.assertEqual(
            notified,
            (self.billing_user | self.salesperson).partner_id,
        )

    def test_refusal_keeps_dispute_open(self):
        self._request_credit_above_limit()

        self.dispute.action_refuse_resolution()

        self.assertRecordValues(
            self.dispute,
            [
                {
                    "approval_state": "refused",
                    "is_closed": False,
                    "pending_resolution": False,
                    "amount_disputed": 300.0,
                }
            ],
        )
        self.assertFalse(self.dispute.credit_note_ids)
        self.assertFalse(self._approval_activities())
        self.assertTrue(self.invoice.dispute_hold)
        self.assertIn("refused", self.dispute.message_ids[0].body)
        self.assertEqual(
            self.dispute.message_ids[0].partner_ids,
            (self.billing_user | self.salesperson).partner_id,
        )

    def test_payment_settles_a_dispute_awaiting_approval(self):
        self._request_credit_above_limit()

        self.register_payment(self.invoice, 1000.0)

        self.assertRecordValues(
            self.dispute,
            [
                {
                    "resolution": "settled",
                    "approval_state": "none",
                    "pending_amount": 0.0,
                }
            ],
        )
        self.assertFalse(self.dispute.activity_ids)

    def test_approval_refused_when_payments_shrank_the_dispute(self):
        self._request_credit_above_limit()
        self.register_payment(self.invoice, 800.0)

        with self.assertRaisesText(UserError, "remaining disputed"):
            self.dispute.action_approve_resolution()

        self.assertEqual(self.dispute.approval_state, "pending")
        self.assertFalse(self.dispute.credit_note_ids)

    def test_requester_cannot_approve_own_request(self):
        self._request_credit_above_limit()

        with self.assertRaisesText(UserError, "approval limit does not cover"):
            self.dispute.with_user(self.billing_user).action_approve_resolution()

        self.assertEqual(self.dispute.approval_state, "pending")
        self.assertFalse(self.dispute.credit_note_ids)

    def test_administrator_approves_when_leader_cannot(self):
        self.env.user.dispute_approval_limit = 50.0
        admin = self.env["res.users"].create(
            {
                "name": "Chief Accountant",
                "login": "dispute_chief",
                "company_id": self.company.id,
                "company_ids": [Command.set(self.company.ids)],
                "groups_id": [
                    Command.set(self.env.ref("account.group_account_manager").ids)
                ],
            }
        )
        admin.dispute_approval_limit = 5000.0

        self._request_credit_above_limit()

        self.assertEqual(self.dispute.approval_user_id, admin)
        self.assertEqual(self._approval_activities().user_id, admin)

    def test_refused_without_any_approver(self):
        self.env.user.dispute_approval_limit = 50.0

        with self.assertRaisesText(UserError, "no dispute administrator"):
            self._request_credit_above_limit()

        self.assertEqual(self.dispute.approval_state, "none")

    def test_clerk_cannot_change_limits(self):
        with self.assertRaises(AccessError):
            self.env["account.dispute.approval.limit"].with_user(
                self.billing_user
            ).create({"user_id": self.billing_user.id, "amount": 1e9})
