# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.exceptions import RedirectWarning
from odoo.tests import Form, tagged

from .common import RelationshipCase


@tagged("post_install", "-at_install")
class TestPartnerForm(RelationshipCase):
    """The ladder on customers only, the next step, and backward moves by hand."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.Partner.create(
            {"name": "Ada Lovelace", "email": "ada@example.com", "company_id": cls.company.id}
        )
        cls.vendor = cls.Partner.create({"name": "Rope Supplies", "company_id": cls.company.id})
        cls.employee = cls.Partner.create(
            {"name": "Grace (our staff)", "parent_id": cls.company.partner_id.id}
        )

    def buy(self, *days_ago, partner=None, amount=50.0):
        partner = partner or self.customer
        now = self.env.cr.now()
        return self.Purchase.create(
            [
                {
                    "source": "pos",
                    "external_id": f"{partner.id}-{n}-{days}",
                    "partner_id": partner.id,
                    "date_order": now - timedelta(days=days),
                    "amount": amount,
                }
                for n, days in enumerate(days_ago)
            ]
        )

    def as_user(self, partner):
        return partner.with_user(self.user)

    def test_the_ladder_bar_is_for_customers(self):
        self.buy(3)
        partners = self.as_user(self.customer | self.vendor | self.employee | self.user.partner_id)
        self.assertEqual(
            partners.mapped("relationship_is_customer"),
            [True, False, False, False],
            "a buyer is a customer; a vendor, the company's staff and its users are not",
        )
        self.assertEqual(
            self.Partner._relationship_own_partners(partners),
            self.employee | self.user.partner_id,
            "the company's own people are never taken for customers",
        )
        self.as_user(self.vendor).action_relationship_put_on_ladder()
        self.assertTrue(self.as_user(self.vendor).relationship_is_customer)
        self.assertEqual(self.vendor.relationship_stage_id, self.stage_prospect)
        move = self.vendor.relationship_stage_history_ids
        self.assertEqual(
            (move.stage_to_id, move.move_type, move.user_id, move.reason),
            (self.stage_prospect, "manual", self.user, "Put on the ladder"),
        )

    def test_next_step_says_what_the_next_rung_needs(self):
        ada = self.as_user(self.customer)
        self.buy(10)
        self.assertEqual(ada.relationship_next_step, "1 more order → Repeat customer")
        self.buy(400)
        self.assertEqual(ada.relationship_stage_id, self.stage_repeat)
        self.assertEqual(ada.relationship_next_step, "2 more orders within 365 days → Client")
        self.buy(20, 30)
        self.assertEqual(ada.relationship_stage_id, self.stage_client)
        self.assertEqual(ada.relationship_next_step, "needs a membership → Member")
        self.stage_member.with_user(self.manager).write({"min_revenue": 320.0, "period_days": 365})
        ada.invalidate_recordset(["relationship_next_step"])
        self.assertEqual(
            ada.relationship_next_step,
            f"{self.format_amount(170.0)} more revenue within 365 days, "
            "needs a membership → Member",
        )
        ada.write({"relationship_stage_id": self.stage_partner.id})
        self.assertEqual(ada.relationship_next_step, "Top of the ladder")
        self.assertFalse(self.as_user(self.vendor).relationship_next_step)

    def format_amount(self, amount):
        from odoo.tools import format_amount

        return format_amount(self.env, amount, self.company.currency_id)

    def test_next_step_of_many_customers_at_once(self):
        others = self.Partner.create(
            [{"name": f"Customer {n}", "company_id": self.company.id} for n in range(3)]
        )
        for n, partner in enumerate(others):
            self.buy(*range(1, n + 2), partner=partner)
        steps = self.as_user(others).mapped("relationship_next_step")
        self.assertEqual(
            steps,
            [
                "1 more order → Repeat customer",
                "1 more order within 365 days → Client",
                "needs a membership → Member",
            ],
        )

    def test_forward_by_hand_is_one_click(self):
        self.buy(3)
        with Form(self.as_user(self.customer)) as form:
            form.relationship_stage_id = self.stage_client
        self.assertEqual(self.customer.relationship_stage_id, self.stage_client)
        self.assertFalse(self.customer.relationship_stage_locked)

    def test_backward_by_hand_asks_a_reason_and_locks(self):
        self.buy(3, 4)
        self.assertEqual(self.customer.relationship_stage_id, self.stage_repeat)
        form = Form(self.as_user(self.customer))
        form.relationship_stage_id = self.stage_first_time
        with self.assertRaises(RedirectWarning) as refused:
            form.save()
        self.assertIn("takes a reason", str(refused.exception.args[0]))
        self.assertEqual(self.customer.relationship_stage_id, self.stage_repeat)
        action = refused.exception.args[1]
        wizard_form = Form(
            self.env[action["res_model"]].with_user(self.user).with_context(**action["context"])
        )
        self.assertEqual(wizard_form.stage_from, "Repeat customer")
        self.assertTrue(wizard_form.lock, "a backward move locks the stage by default")
        wizard_form.reason = "The second order was a duplicate"
        wizard_form.save().action_confirm()
        self.assertEqual(self.customer.relationship_stage_id, self.stage_first_time)
        self.assertTrue(self.customer.relationship_stage_locked)
        move = self.customer.relationship_stage_history_ids.sorted("id")[-1]
        self.assertEqual(
            (move.stage_from_id, move.stage_to_id, move.move_type, move.user_id, move.reason),
            (
                self.stage_repeat,
                self.stage_first_time,
                "manual",
                self.user,
                "The second order was a duplicate",
            ),
        )
        self.buy(1, 2)
        self.assertEqual(
            self.customer.relationship_stage_id,
            self.stage_first_time,
            "the next purchase does not undo the backward move",
        )

    def test_a_kanban_drop_down_the_ladder_opens_the_wizard(self):
        """The kanban asks the server before a card dragged to a lower rung moves."""
        self.buy(3, 4)
        customer = self.as_user(self.customer)
        action = customer.relationship_stage_drop_action(self.stage_first_time.id)
        self.assertEqual(
            (action["res_model"], action["target"], action["context"]),
            (
                "relationship.stage.backward",
                "new",
                {"default_partner_ids": customer.ids, "default_stage_id": self.stage_first_time.id},
            ),
        )
        self.assertEqual(self.customer.relationship_stage_id, self.stage_repeat, "nothing moved")
        self.assertFalse(customer.relationship_stage_drop_action(self.stage_client.id), "up: none")

    def test_backward_move_without_lock(self):
        self.buy(3, 4)
        wizard = (
            self.env["relationship.stage.backward"]
            .with_user(self.user)
            .create(
                {
                    "partner_ids": self.customer.ids,
                    "stage_id": self.stage_prospect.id,
                    "reason": "Test order",
                    "lock": False,
                }
            )
        )
        wizard.action_confirm()
        self.assertEqual(self.customer.relationship_stage_id, self.stage_prospect)
        self.assertFalse(self.customer.relationship_stage_locked)
        self.customer._relationship_advance_stages()
        self.assertEqual(self.customer.relationship_stage_id, self.stage_repeat)
