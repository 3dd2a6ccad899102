# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import CardCase


@tagged("post_install", "-at_install")
class TestCardPoints(CardCase):
    """Odoo holds the points: the card's balance is the customer's only one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.programme.action_switch_points_to_odoo()
        # Only Odoo's loyalty rules earn (the purchases' points: their own test)
        cls.programme.write({"auto_enrol": False, "card_earns_purchases": False})
        cls.bob = cls.client("Bob Builder")

    def test_a_card_makes_a_member_whose_points_are_its_balance(self):
        self.assertFalse(self.membership_of(self.bob))
        self.assertEqual(self.bob.relationship_stage_id, self.stage_client)
        card = self.card(self.bob)
        self.earn(card, 120)
        self.end_transaction()
        membership = self.membership_of(self.bob)
        self.assertEqual(
            (membership.state, membership.loyalty_card_id, membership.points, membership.tier_id),
            ("active", card, 120, self.silver),
        )
        self.assertEqual(self.bob.relationship_loyalty_points, 120)
        self.assertEqual(self.bob.relationship_stage_id, self.stage_member)
        change = membership.tier_change_ids
        self.assertEqual((change.tier_to_id, change.direction), (self.silver, "upgrade"))

    def test_a_redeemed_reward_lowers_the_balance_not_the_tier(self):
        card = self.card(self.bob)
        self.earn(card, 300)
        self.end_transaction()
        membership = self.membership_of(self.bob)
        self.assertEqual((membership.points, membership.tier_id), (300, self.gold))
        # Odoo's own redemption with the loyalty app alone: the balance update
        wizard = Form(self.env["loyalty.card.update.balance"].with_context(default_card_id=card.id))
        wizard.new_balance = 50
        wizard.description = "Reward: a trail lamp"
        wizard.save().action_update_card_point()
        self.end_transaction()
        self.assertEqual(
            (membership.points, membership.qualifying_points, membership.tier_id),
            (50, 300, self.gold),
        )
        self.assertEqual(self.bob.relationship_loyalty_points, 50)

    def test_points_earned_long_ago_leave_the_qualifying_window(self):
        card = self.card(self.bob)
        self.earn(card, 300)
        self.env.flush_all()
        long_ago = fields.Datetime.now() - timedelta(days=400)
        self.env.cr.execute(
            "UPDATE loyalty_history SET create_date = %s WHERE card_id = %s", (long_ago, card.id)
        )
        self.env.invalidate_all()
        self.earn(card, 120, "This year's order")
        self.end_transaction()
        membership = self.membership_of(self.bob)
        self.assertEqual(
            (membership.points, membership.qualifying_points, membership.tier_id),
            (420, 120, self.silver),
        )

    def purchase(self, partner, amount, order_id):
        return self.env["relationship.purchase"].create(
            {
                "partner_id": partner.id,
                "source": "webshop",
                "external_id": order_id,
                "date_order": fields.Datetime.now(),
                "amount": amount,
            }
        )

    def test_purchases_no_longer_count_points_here(self):
        card = self.card(self.bob, points=30)
        self.end_transaction()
        self.purchase(self.bob, 500.0, "B-new")
        self.end_transaction()
        self.assertEqual(self.membership_of(self.bob).points, 30, "one balance: the card's")
        self.assertEqual(card.points, 30)

    def test_purchases_from_other_systems_earn_on_the_card(self):
        self.programme.card_earns_purchases = True
        card = self.card(self.bob, points=30)
        self.end_transaction()
        membership = self.membership_of(self.bob)
        # Bob's purchases before he joined (his card) earn nothing
        self.assertEqual((card.points, membership.points), (30, 30))
        order = self.purchase(self.bob, 280.0, "B-new")
        self.end_transaction()
        self.assertEqual(
            (card.points, membership.points, membership.tier_id), (310, 310, self.gold)
        )
        order.amount = 100.0  # part refunded: the points go back
        self.end_transaction()
        self.assertEqual((card.points, membership.card_points_from_purchases), (130, 100))
        self.assertEqual(membership.tier_id, self.silver)
        lines = card.history_ids.filtered(lambda h: h.description == "Purchases from other systems")
        self.assertEqual(sorted(lines.mapped("issued")), [-180, 280])
        self.assertEqual(lines.mapped("used"), [0, 0], "taken back, not spent")
        # recomputed again, nothing more is earned
        membership._relationship_refresh_points()
        self.assertEqual(card.points, 130)

    def test_a_customer_without_a_card_is_no_longer_a_card_member(self):
        card = self.card(self.bob, points=10)
        self.end_transaction()
        membership = self.membership_of(self.bob)
        card.active = False
        self.end_transaction()
        self.assertEqual(membership.state, "expired")
        self.assertFalse(self.bob.relationship_membership_active)
        self.assertEqual(self.bob.relationship_stage_id, self.stage_member, "never down")

    def test_an_expired_card_ends_the_membership_at_night(self):
        card = self.card(self.bob, points=10)
        self.end_transaction()
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE loyalty_card SET expiration_date = %s WHERE id = %s",
            (fields.Date.today() - timedelta(days=1), card.id),
        )
        self.env.invalidate_all()
        self.bob._relationship_nightly_refresh()
        self.assertEqual(self.membership_of(self.bob).state, "expired")

    def test_cards_changed_together_are_counted_in_one_go(self):
        def queries_to_follow(count):
            customers = self.env["res.partner"].create(
                [{"name": f"Card {count}-{n}", "company_id": self.company.id} for n in range(count)]
            )
            self.env["loyalty.card"].create(
                [
                    {"program_id": self.program.id, "partner_id": partner.id, "points": 150}
                    for partner in customers
                ]
            )
            self.env.flush_all()
            self.env.cr.precommit.clear()  # followed below, measured
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            customers._relationship_follow_loyalty_cards()
            self.env.flush_all()
            memberships = self.env["relationship.membership"].search(
                [("partner_id", "in", customers.ids)]
            )
            self.assertEqual(memberships.mapped("tier_id"), self.silver)
            self.assertEqual(len(memberships), count)
            return self.env.cr.sql_log_count - before

        queries_to_follow(1)  # caches of the registry and of the access rules
        few = queries_to_follow(2)
        self.assertEqual(queries_to_follow(20), few)

    def test_a_programme_of_another_company_makes_no_member_here(self):
        other = self.env["res.company"].create({"name": "Other Trails Ltd"})
        program = (
            self.env["loyalty.program"]
            .with_company(other)
            .create({"name": "Other Rewards", "program_type": "loyalty", "company_id": other.id})
        )
        programme = (
            self.env["relationship.programme"]
            .with_company(other)
            .create(
                {
                    "name": "Other Points",
                    "kind": "frequency",
                    "company_id": other.id,
                    "loyalty_program_id": program.id,
                }
            )
        )
        programme.action_switch_points_to_odoo()
        self.env["loyalty.card"].sudo().create(
            {"program_id": program.id, "partner_id": self.bob.id, "points": 500}
        )
        self.end_transaction()
        memberships = (
            self.env["relationship.membership"].sudo().search([("partner_id", "=", self.bob.id)])
        )
        self.assertFalse(memberships, "Bob is a customer of the first company only")
        self.assertEqual(self.bob.relationship_loyalty_points, 0)

    def test_users_see_the_card_managers_redeem(self):
        card = self.card(self.bob, points=10)
        self.end_transaction()
        membership = self.membership_of(self.bob).with_user(self.user)
        self.assertEqual(membership.loyalty_card_id.points, 10)
        with self.assertRaises(AccessError):
            card.with_user(self.user).points = 0
        card.with_user(self.manager).action_loyalty_update_balance()


@tagged("post_install", "-at_install")
class TestSwitchToCards(CardCase):
    """A database that counted its own points: nothing is lost, the consultant
    chooses when the cards take over."""

    def test_until_switched_the_programme_counts_its_own_points(self):
        membership = self.membership_of(self.ada)
        self.assertEqual((membership.points, membership.tier_id), (300, self.gold))
        card = self.card(self.ada)
        self.earn(card, 20)
        self.end_transaction()
        self.assertEqual(membership.points, 300)
        self.assertFalse(membership.loyalty_card_id)

    def test_the_switch_keeps_the_points_and_gives_one_balance(self):
        ada_membership = self.membership_of(self.ada)
        bob = self.client("Bob Builder")
        bob_membership = self.membership_of(bob)
        bob_card = self.card(bob, points=40)
        self.end_transaction()
        self.assertEqual(bob_membership.points, 300)

        self.programme.action_switch_points_to_odoo()
        self.assertTrue(self.programme.points_owned_by_odoo)
        ada_card = ada_membership.loyalty_card_id
        self.assertEqual(
            (ada_card.program_id, ada_card.points, ada_card.history_ids.issued),
            (self.program, 300, 300),
            "Ada's points are carried over onto a new card",
        )
        self.assertEqual(
            (ada_membership.points, ada_membership.points_before_switch, ada_membership.tier_id),
            (300, 300, self.gold),
        )
        self.assertEqual(
            (
                bob_membership.loyalty_card_id,
                bob_membership.points,
                bob_membership.points_before_switch,
            ),
            (bob_card, 40, 300),
            "Bob keeps the balance of his card; what was counted here is history",
        )
        self.assertEqual(bob.relationship_loyalty_points, 40)
        self.assertEqual(
            bob_card.points, 40, "purchases counted before the switch earn nothing twice"
        )
        with self.assertRaises(UserError):
            self.programme.action_switch_points_to_odoo()

        self.programme.action_switch_points_to_addon()
        self.assertEqual(bob_membership.points, 300, "counted from the purchases again")
        self.assertEqual(bob_card.points, 40, "the card is left as it is")

    def test_a_programme_links_one_loyalty_programme_of_its_own(self):
        with self.assertRaises(ValidationError):
            self.env["relationship.programme"].create(
                {"name": "Twin", "kind": "frequency", "loyalty_program_id": self.program.id}
            )
        with self.assertRaises(ValidationError):
            self.env["relationship.programme"].create(
                {
                    "name": "Club",
                    "kind": "club",
                    "club_access": "open",
                    "loyalty_program_id": self.new_program("Summit Rewards").id,
                }
            )
        unlinked = self.env["relationship.programme"].create({"name": "Plain", "kind": "frequency"})
        with self.assertRaises(UserError):
            unlinked.action_switch_points_to_odoo()

    def test_the_form_links_a_loyalty_programme(self):
        form = Form(self.env["relationship.programme"])
        form.name = "Summit Points"
        form.loyalty_program_id = self.new_program("Summit Rewards")
        programme = form.save()
        self.assertFalse(programme.points_owned_by_odoo, "the consultant switches when ready")
        self.assertEqual(programme.loyalty_card_count, 0)
        self.assertEqual(self.programme.loyalty_card_count, 0)
        self.card(self.ada)
        self.programme.invalidate_recordset(["loyalty_card_count"])
        self.assertEqual(self.programme.loyalty_card_count, 1)
        action = self.programme.action_view_loyalty_cards()
        self.assertEqual(action["domain"], [("program_id", "=", self.program.id)])
