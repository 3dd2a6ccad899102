# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common_depth import DepthCase


@tagged("post_install", "-at_install")
class TestAuditTrail(DepthCase):
    """The history is the addon's: a user reads it and cannot forge it; a
    manager's correction leaves a trace on the customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.new_customer("Ada Lovelace")
        cls.as_user = cls.customer.with_user(cls.user)

    def moves(self, partner):
        return self.env["relationship.stage.history"].search([("partner_id", "=", partner.id)])

    def test_a_user_cannot_write_history(self):
        self.buy(self.customer, 3)
        move = self.moves(self.customer)[:1]
        phase = self.customer.relationship_phase_history_ids[:1]
        self.assertTrue(move and phase)
        forged = {
            "relationship.stage.history": {
                "partner_id": self.customer.id,
                "stage_to_id": self.stage_partner.id,
                "move_type": "automatic",
                "user_id": self.manager.id,
                "date": "2020-01-01 00:00:00",
            },
            "relationship.phase.history": {
                "partner_id": self.customer.id,
                "phase_to": "commitment",
                "move_type": "automatic",
                "date": "2020-01-01 00:00:00",
            },
        }
        for model, values in forged.items():
            with (
                self.subTest(model=model),
                self.assertRaises(AccessError),
                mute_logger("odoo.models"),
            ):
                self.env[model].with_user(self.user).create(values)
        for line in (move, phase):
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                line.with_user(self.user).write({"date": "2020-01-01 00:00:00"})
            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                line.with_user(self.user).unlink()
        self.assertEqual(self.moves(self.customer), move, "nothing forged")

    def test_a_tier_change_is_not_created_by_a_user(self):
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.env["relationship.tier.change"].with_user(self.user).create(
                {"membership_id": False, "direction": "upgrade"}
            )

    def test_the_old_context_key_does_not_hide_a_move(self):
        self.as_user.with_context(
            relationship_moves_logged_by_caller=True,
            relationship_move_type="automatic",
            relationship_move_reason="Forged",
        ).write({"relationship_stage_id": self.stage_client.id})
        move = self.moves(self.customer)
        self.assertEqual(len(move), 1)
        self.assertEqual(
            (move.stage_to_id, move.move_type, move.user_id, move.reason),
            (self.stage_client, "manual", self.user, "Set by hand"),
        )

    def test_a_user_without_the_group_cannot_move_a_stage(self):
        clerk = new_test_user(
            self.env,
            login="rm_audit_clerk",
            groups="base.group_user",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.customer.with_user(clerk).write({"relationship_stage_id": self.stage_client.id})
        self.assertFalse(self.customer.relationship_stage_id)
        self.assertFalse(self.moves(self.customer))

    def test_the_old_context_key_does_not_hide_a_phase_set_by_hand(self):
        self.as_user.with_context(relationship_phase_auto=True).write(
            {"relationship_phase": "commitment"}
        )
        move = self.customer.relationship_phase_history_ids
        self.assertEqual(
            (move.phase_to, move.move_type, move.user_id), ("commitment", "manual", self.user)
        )
        self.assertTrue(self.customer.relationship_phase_manual)

    def test_the_addon_logs_its_own_moves_for_a_user(self):
        # A user's purchase moves the customer: the move is the addon's, by the user.
        self.buy(self.customer, 3)
        move = self.moves(self.customer)
        self.assertEqual(
            (move.stage_to_id, move.move_type, move.user_id),
            (self.stage_first_time, "automatic", self.user),
        )

    def test_a_manager_corrects_with_a_trace(self):
        self.as_user.relationship_stage_id = self.stage_client
        move = self.moves(self.customer)
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.env["relationship.stage.history"].with_user(self.manager).create(
                {"partner_id": self.customer.id, "stage_to_id": self.stage_partner.id}
            )
        move.with_user(self.manager).write({"reason": "Signed the framework contract"})
        note = self.customer.message_ids[:1]
        self.assertEqual(note.author_id, self.manager.partner_id)
        self.assertIn("Set by hand → Signed the framework contract", note.body)
        move.with_user(self.manager).unlink()
        self.assertFalse(self.moves(self.customer))
        self.assertIn("deleted", self.customer.message_ids[:1].body)


@tagged("post_install", "-at_install")
class TestPurchaseCompany(DepthCase):
    """A purchase stays with the company that made the sale."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Company B"})
        cls.user_ab = new_test_user(
            cls.env,
            login="rm_user_ab",
            groups="base.group_user,relationship_marketing.group_relationship_user",
            company_id=cls.company.id,
            company_ids=[Command.set((cls.company | cls.company_b).ids)],
        )
        cls.shared = cls.new_customer("Shared Contact", company_id=False)

    def test_a_user_of_a_cannot_move_a_purchase_to_b(self):
        purchase = self.buy(self.shared, 3)
        self.assertEqual(purchase.company_id, self.company)
        for user in (self.user, self.user_ab):
            with self.subTest(user=user.login), self.assertRaises(UserError):
                purchase.with_user(user).with_context(
                    allowed_company_ids=(self.company | self.company_b).ids
                    if user == self.user_ab
                    else self.company.ids
                ).write({"company_id": self.company_b.id})
        self.assertEqual(purchase.company_id, self.company)
        self.assertEqual(self.shared.relationship_order_count, 1)
        # Any other change of the purchase still goes.
        purchase.with_user(self.user).write(
            {"amount": 250.0, "company_id": self.company.id, "date_order": fields.Datetime.now()}
        )
        self.assertEqual(self.shared.relationship_revenue, 250.0)
