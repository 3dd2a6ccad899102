# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, freeze_time, tagged
from odoo.tools import mute_logger

from .common_depth import DepthCase


@tagged("post_install", "-at_install")
class TestProgramme(DepthCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.points = cls.Programme.create(
            {
                "name": "Trail Points",
                "kind": "frequency",
                "auto_enrol": True,
                "counts_for_ladder": False,
                "points_per_unit": 1.0,
                "qualifying_days": 365,
                "company_id": cls.company.id,
                "tier_ids": [
                    (0, 0, {"name": "Bronze", "threshold": 0}),
                    (0, 0, {"name": "Silver", "threshold": 300}),
                    (0, 0, {"name": "Gold", "threshold": 600}),
                ],
            }
        )
        cls.bronze, cls.silver, cls.gold = cls.points.tier_ids
        cls.club = cls.Programme.create(
            {
                "name": "Summit Club",
                "kind": "club",
                "club_access": "paid",
                "auto_enrol": False,
                "fee": 49,
                "company_id": cls.company.id,
            }
        )
        cls.ada = cls.new_customer()

    def membership(self, partner, programme):
        return self.Membership.search(
            [("partner_id", "=", partner.id), ("programme_id", "=", programme.id)]
        )

    def test_points_and_tier_upgrades(self):
        self.buy(self.ada, 30, amount=200)
        card = self.membership(self.ada, self.points)
        self.assertEqual(card.state, "active", "buyers join the points programme")
        self.assertEqual(card.date_start, self.ada.relationship_first_purchase)
        self.assertEqual((card.points, card.tier_id), (200, self.bronze))
        self.buy(self.ada, 20, amount=150.5)
        self.assertEqual((card.points, card.tier_id), (350, self.silver))
        self.buy(self.ada, 10, amount=300)
        self.assertEqual((card.points, card.qualifying_points, card.tier_id), (650, 650, self.gold))
        changes = card.tier_change_ids.sorted("id")
        self.assertEqual(
            [(c.tier_from_id.name or False, c.tier_to_id.name, c.direction) for c in changes],
            [
                (False, "Bronze", "upgrade"),
                ("Bronze", "Silver", "upgrade"),
                ("Silver", "Gold", "upgrade"),
            ],
        )
        self.assertEqual(self.ada.relationship_loyalty_points, 650)
        self.assertFalse(self.ada.relationship_membership_active, "this programme makes no members")

    def test_a_tier_of_no_points_is_held_from_the_enrolment(self):
        # an order older than the qualifying window: no points qualify, and
        # Bronze (no points needed) was the customer's from the enrolment on
        self.buy(self.ada, 400, amount=80)
        card = self.membership(self.ada, self.points)
        self.assertEqual((card.qualifying_points, card.tier_id), (0, self.bronze))
        self.assertEqual(
            [(c.tier_to_id, c.date.date()) for c in card.tier_change_ids],
            [(self.bronze, card.date_start)],
        )
        self.assertLess(card.date_start, fields.Date.today() - timedelta(days=365))

    def test_downgrade_when_purchases_leave_the_window(self):
        self.buy(self.ada, 300, amount=400)
        self.buy(self.ada, 200, amount=250)
        card = self.membership(self.ada, self.points)
        self.assertEqual(card.tier_id, self.gold)
        with freeze_time(fields.Datetime.now() + timedelta(days=100)):
            self.refresh()
            # The 400 of 400 days ago left the window: 250 points qualify.
            self.assertEqual((card.qualifying_points, card.points), (250, 650))
            self.assertEqual(card.tier_id, self.bronze)
            self.buy(self.ada, 0, amount=100)
            self.assertEqual(card.tier_id, self.silver)
        changes = card.tier_change_ids.sorted("id")
        self.assertEqual(
            [(c.tier_to_id.name, c.direction, c.qualifying_points) for c in changes[-2:]],
            [("Bronze", "downgrade", 250), ("Silver", "upgrade", 350)],
        )
        self.assertEqual(changes[-2].reason, "Nightly recomputation")
        downgrades = (
            self.env["relationship.tier.change"]
            .with_user(self.user)
            .search([("direction", "=", "downgrade"), ("partner_id", "=", self.ada.id)])
        )
        self.assertEqual(len(downgrades), 1)

    def test_member_rung_follows_an_active_membership(self):
        self.buy(self.ada, 30, 20, 10)
        self.assertEqual(self.ada.relationship_stage_id, self.stage_client)
        form = Form(self.Membership.with_user(self.user))
        form.partner_id = self.ada
        form.programme_id = self.club
        membership = form.save()
        self.assertEqual(membership.state, "draft")
        self.assertFalse(self.ada.relationship_membership_active)
        self.assertEqual(self.ada.relationship_stage_id, self.stage_client)
        with self.assertRaises(ValidationError), mute_logger("odoo.models"):
            membership.action_activate()  # the fee is not paid
        membership.fee_paid = True
        membership.action_activate()
        self.assertTrue(self.ada.relationship_membership_active)
        self.assertEqual(self.ada.relationship_stage_id, self.stage_member)
        self.assertEqual(
            self.ada.relationship_stage_history_ids.sorted("id")[-1:].reason, "Membership changed"
        )
        membership.action_cancel()
        self.assertFalse(self.ada.relationship_membership_active)
        self.assertEqual(
            self.ada.relationship_stage_id, self.stage_member, "the ladder stays forward only"
        )

    def test_memberships_expire_at_night(self):
        self.buy(self.ada, 30, 20, 10)
        membership = self.Membership.create(
            {
                "partner_id": self.ada.id,
                "programme_id": self.club.id,
                "company_id": self.company.id,
                "date_start": fields.Date.today() - timedelta(days=400),
                "fee_paid": True,
                "state": "active",
            }
        )
        self.club.duration_days = 365
        membership.date_end = fields.Date.today() - timedelta(days=1)
        self.assertTrue(self.ada.relationship_membership_active)
        self.refresh()
        self.assertEqual(membership.state, "expired")
        self.assertFalse(self.ada.relationship_membership_active)
        # A new membership ends after the programme's length.
        renewal = self.Membership.create(
            {"partner_id": self.ada.id, "programme_id": self.club.id, "company_id": self.company.id}
        )
        self.assertEqual(renewal.date_end, fields.Date.today() + timedelta(days=365))

    def test_club_access_rules(self):
        tag = self.env["res.partner.category"].create({"name": "Mountain guides"})
        guides = self.Programme.create(
            {
                "name": "Guides' Club",
                "kind": "club",
                "club_access": "affinity",
                "affinity_category_ids": [(6, 0, tag.ids)],
                "company_id": self.company.id,
            }
        )
        guide = self.new_customer("Guide", category_id=[(6, 0, tag.ids)])
        self.buy(self.ada, 5)
        self.buy(guide, 5)
        self.assertFalse(self.membership(self.ada, guides), "not in the affinity group")
        self.assertEqual(self.membership(guide, guides).state, "active")
        with self.assertRaises(ValidationError), mute_logger("odoo.models"):
            self.Membership.create(
                {
                    "partner_id": self.ada.id,
                    "programme_id": guides.id,
                    "company_id": self.company.id,
                    "state": "active",
                }
            )
        with self.assertRaises(ValidationError), mute_logger("odoo.models"):
            self.Membership.create(
                {"partner_id": guide.id, "programme_id": guides.id, "company_id": self.company.id}
            )  # one current membership per programme
        with self.assertRaises(ValidationError), mute_logger("odoo.models"):
            self.club.auto_enrol = True  # paid clubs enrol by hand
        with self.assertRaises(ValidationError), mute_logger("odoo.models"):
            guides.affinity_category_ids = False

    def test_open_club_enrols_every_buyer_from_ingestion(self):
        club = self.Programme.create(
            {
                "name": "Friends",
                "kind": "club",
                "club_access": "open",
                "company_id": self.company.id,
            }
        )
        answer = self.ingest(
            [self.row("1"), self.row("2"), self.row("3", customer_id="C-2", email="b@example.com")]
        )
        partners = self.Partner.browse({r["partner_id"] for r in answer["results"]})
        memberships = self.Membership.search([("partner_id", "in", partners.ids)])
        self.assertEqual(
            sorted(memberships.mapped(lambda m: (m.partner_id.email, m.programme_id.name))),
            [
                ("ada@example.com", "Friends"),
                ("ada@example.com", "Trail Points"),
                ("b@example.com", "Friends"),
                ("b@example.com", "Trail Points"),
            ],
        )
        ada = partners.filtered(lambda p: p.email == "ada@example.com")
        self.assertEqual(self.membership(ada, self.points).points, 200)
        self.assertTrue(ada.relationship_membership_active)
        # Sending the batch again enrols nobody twice.
        self.ingest([self.row("1"), self.row("2")])
        self.assertEqual(self.Membership.search_count([("partner_id", "in", partners.ids)]), 4)
        self.assertEqual(club.member_count, 2)

    def test_top_customers_make_80_percent_of_revenue(self):
        spenders = {
            amount: self.new_customer(f"Spender {amount}") for amount in (1000, 500, 200, 100, 50)
        }
        for amount, partner in spenders.items():
            self.buy(partner, 300, amount=amount)

        def tops():
            return {amount for amount, partner in spenders.items() if partner.relationship_pareto}

        # Before the first night, purchases rank the customers exactly.
        self.assertEqual(tops(), {1000})
        self.assertEqual(self.company.relationship_pareto_threshold, 1000)
        self.refresh()
        # 1850 in all: 1000 and 500 make 1500 (81 %); the others are not needed.
        self.assertEqual(tops(), {1000, 500})
        self.assertEqual(self.company.relationship_pareto_threshold, 500)
        self.buy(spenders[200], 5, amount=100)
        self.assertEqual(tops(), {1000, 500}, "300 is below the smallest top customer")
        self.buy(spenders[50], 5, amount=3000)
        # A purchase that reaches the threshold makes a top customer at once;
        # nobody drops out before the night.
        self.assertEqual(tops(), {50, 1000, 500})
        self.refresh()
        # 4950 in all: 3050 and 1000 make 4050 (82 %).
        self.assertEqual(tops(), {50, 1000})
        # At night, revenue older than the last 365 days no longer counts.
        with freeze_time(fields.Datetime.now() + timedelta(days=100)):
            self.refresh()
            self.assertEqual(tops(), {50})
        found = self.Partner.with_user(self.user).search([("relationship_pareto", "=", True)])
        self.assertEqual(found, spenders[50])

    def test_top_customers_ranked_again_when_the_rule_changes(self):
        spenders = {amount: self.new_customer(f"Spender {amount}") for amount in (600, 300, 100)}
        for amount, partner in spenders.items():
            self.buy(partner, 10, amount=amount)

        def tops():
            return {amount for amount, partner in spenders.items() if partner.relationship_pareto}

        self.refresh()
        # 1000 in all: 600 and 300 make 900 (90 %).
        self.assertEqual(tops(), {600, 300})
        self.env["relationship.settings"].with_user(self.manager).create(
            {"relationship_pareto_share": 50.0}
        )
        self.assertFalse(self.company.relationship_pareto_threshold)
        self.buy(spenders[100], 1, amount=1)
        # The next purchase ranks again: 600 alone make 60 % of 1001.
        self.assertEqual(tops(), {600})

    def test_manager_configures_a_programme(self):
        form = Form(self.Programme.with_user(self.manager))
        form.name = "Coffee Stamps"
        form.kind = "frequency"
        form.points_per_unit = 0.1
        with form.tier_ids.new() as tier:
            tier.name = "Regular"
            tier.threshold = 10
        programme = form.save()
        self.buy(self.ada, 3, amount=250)
        card = self.membership(self.ada, programme)
        self.assertEqual((card.points, card.tier_id.name), (25, "Regular"))
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.Programme.with_user(self.user).create(
                {"name": "Mine", "company_id": self.company.id}
            )
