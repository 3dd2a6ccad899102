# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import etree

from odoo.tests import Form, tagged

from .common import RelationshipCase


@tagged("post_install", "-at_install")
class TestLadder(RelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer = cls.Partner.create(
            {"name": "Ada Lovelace", "email": "ada@example.com", "company_id": cls.company.id}
        )
        cls.club = cls.env["relationship.programme"].create(
            {
                "name": "Summit Club",
                "kind": "club",
                "club_access": "open",
                "auto_enrol": False,
                "company_id": cls.company.id,
            }
        )

    def join(self, partner=None):
        """Make the customer an active member of the club, as a salesperson would."""
        return (
            self.env["relationship.membership"]
            .with_user(self.user)
            .create(
                {
                    "partner_id": (partner or self.customer).id,
                    "programme_id": self.club.id,
                    "company_id": self.company.id,
                    "state": "active",
                }
            )
        )

    def buy(self, *days_ago, partner=None):
        partner = partner or self.customer
        now = self.env.cr.now()
        from datetime import timedelta

        return self.Purchase.create(
            [
                {
                    "source": "pos",
                    "external_id": f"{partner.id}-{n}-{days}",
                    "partner_id": partner.id,
                    "date_order": now - timedelta(days=days),
                    "amount": 50.0,
                }
                for n, days in enumerate(days_ago)
            ]
        )

    def test_default_ladder(self):
        self.assertEqual(
            self.stages.mapped("name"),
            [
                "Prospect",
                "First-time customer",
                "Repeat customer",
                "Client",
                "Member",
                "Advocate",
                "Partner",
            ],
        )
        self.assertEqual(self.stage_client.min_order_count, 3)
        self.assertEqual(self.stage_client.period_days, 365)
        self.assertTrue(self.stage_member.require_membership)
        self.assertEqual(self.stage_advocate.min_referral_count, 1)
        self.assertTrue(self.stage_partner.require_agreement)

    def test_new_company_gets_its_own_ladder(self):
        company = self.env["res.company"].create({"name": "Second Shop"})
        ladder = self.Stage.search([("company_id", "=", company.id)])
        self.assertEqual(len(ladder), 7)
        self.assertFalse(ladder & self.stages)

    def test_purchases_climb_the_rungs(self):
        self.customer._relationship_advance_stages()
        self.assertEqual(self.customer.relationship_stage_id, self.stage_prospect)
        self.buy(200)
        self.assertEqual(self.customer.relationship_stage_id, self.stage_first_time)
        self.buy(100)
        self.assertEqual(self.customer.relationship_stage_id, self.stage_repeat)
        self.buy(10)
        self.assertEqual(self.customer.relationship_stage_id, self.stage_client)
        moves = self.customer.relationship_stage_history_ids.sorted("id")
        self.assertEqual(
            [(m.stage_from_id.name or False, m.stage_to_id.name, m.move_type) for m in moves],
            [
                (False, "Prospect", "automatic"),
                ("Prospect", "First-time customer", "automatic"),
                ("First-time customer", "Repeat customer", "automatic"),
                ("Repeat customer", "Client", "automatic"),
            ],
        )
        self.assertEqual(moves[-1].reason, "New purchase")
        self.assertTrue(all(moves.mapped("is_forward")))

    def test_period_criterion(self):
        # Three orders, but not within the last year: a repeat customer, no client.
        self.buy(900, 800, 700)
        self.assertEqual(self.customer.relationship_stage_id, self.stage_repeat)
        self.buy(5)
        self.assertEqual(self.customer.relationship_stage_id, self.stage_repeat)
        self.buy(3, 1)
        self.assertEqual(self.customer.relationship_stage_id, self.stage_client)

    def test_each_rung_requires_the_one_below(self):
        # A member with a single purchase is no client, so no member either.
        self.join()
        self.buy(1)
        self.assertEqual(self.customer.relationship_stage_id, self.stage_first_time)
        self.buy(2, 3)
        self.assertEqual(self.customer.relationship_stage_id, self.stage_member)

    def test_membership_referral_agreement_climb(self):
        self.buy(1, 2, 3)
        self.assertEqual(self.customer.relationship_stage_id, self.stage_client)
        self.join()
        self.assertEqual(self.customer.relationship_stage_id, self.stage_member)
        friend = self.Partner.create({"name": "Friend", "company_id": self.company.id})
        friend.relationship_referred_by_id = self.customer
        self.assertEqual(self.customer.relationship_referral_count, 1)
        self.assertEqual(self.customer.relationship_stage_id, self.stage_advocate)
        self.customer.relationship_agreement = True
        self.assertEqual(self.customer.relationship_stage_id, self.stage_partner)

    def test_automatic_moves_are_forward_only(self):
        purchases = self.buy(1, 2)
        self.assertEqual(self.customer.relationship_stage_id, self.stage_repeat)
        purchases[0].with_user(self.manager).unlink()
        self.customer._relationship_advance_stages()
        self.assertEqual(self.customer.relationship_stage_id, self.stage_repeat)
        self.customer.relationship_stage_id = self.stage_advocate
        self.buy(4)
        self.assertEqual(self.customer.relationship_stage_id, self.stage_advocate)

    def test_lock_keeps_a_manual_stage(self):
        self.customer.with_user(self.user).action_relationship_put_on_ladder()
        with Form(self.customer.with_user(self.user)) as form:
            form.relationship_stage_locked = True
        self.buy(1, 2, 3)
        self.assertEqual(self.customer.relationship_stage_id, self.stage_prospect)
        self.customer.relationship_stage_locked = False
        self.customer._relationship_advance_stages()
        self.assertEqual(self.customer.relationship_stage_id, self.stage_client)

    def test_manual_move_is_logged_with_its_author(self):
        self.buy(1)
        self.customer.with_user(self.user).write({"relationship_stage_id": self.stage_client.id})
        move = self.customer.relationship_stage_history_ids.sorted("id")[-1]
        self.assertEqual(
            (move.stage_from_id, move.stage_to_id, move.move_type, move.user_id, move.reason),
            (self.stage_first_time, self.stage_client, "manual", self.user, "Set by hand"),
        )
        self.customer.with_user(self.user).write({"relationship_stage_id": self.stage_client.id})
        self.assertEqual(
            len(self.customer.relationship_stage_history_ids), 2, "a non-move is not logged"
        )
        self.assertTrue(self.customer.relationship_stage_date)

    def test_consultant_edits_criteria(self):
        self.buy(1, 2)
        with Form(self.stage_client.with_user(self.manager)) as form:
            form.min_order_count = 2
            form.min_revenue = 75
        self.assertEqual(self.customer.relationship_stage_id, self.stage_repeat)
        self.env["res.partner"]._cron_relationship_refresh()
        self.assertEqual(self.customer.relationship_stage_id, self.stage_client)
        self.assertEqual(
            self.customer.relationship_stage_history_ids[:1].reason, "Nightly recomputation"
        )

    def test_nightly_refresh_runs_in_resumable_batches(self):
        customers = self.Partner.create(
            [{"name": f"Buyer {n}", "company_id": self.company.id} for n in range(5)]
        )
        for customer in customers:
            self.buy(1, 2, partner=customer)
        self.stage_client.min_order_count = 2
        Partner = self.env["res.partner"]
        total = Partner.search_count(
            ["|", ("relationship_order_count", ">", 0), ("relationship_stage_id", "!=", False)]
        )
        remaining = Partner._cron_relationship_refresh(batch_size=3)
        self.assertEqual(remaining, total - 3)
        # A crash now loses nothing done: the next run starts after the cursor.
        while remaining:
            remaining = Partner._cron_relationship_refresh(batch_size=3)
        self.assertEqual(set(customers.mapped("relationship_stage_id")), {self.stage_client})
        self.assertEqual(
            self.env["ir.config_parameter"].get_param("relationship_marketing.refresh_cursor"), "0"
        )

    def test_consultant_reorders_and_adds_rungs(self):
        vip = self.Stage.with_user(self.manager).create(
            {"name": "VIP buyer", "sequence": 35, "min_revenue": 200, "company_id": self.company.id}
        )
        # Three orders make a client, but the new rung below asks for more revenue.
        self.buy(1, 2, 3)
        self.assertEqual(self.customer.relationship_stage_id, self.stage_repeat)
        self.buy(4)
        self.assertEqual(self.customer.relationship_stage_id, self.stage_client)
        vip.sequence = 45
        self.join()
        self.assertEqual(self.customer.relationship_stage_id, self.stage_member)

    def test_kanban_shows_every_rung(self):
        self.buy(1)
        groups = self.Partner.with_user(self.user).read_group(
            [("relationship_stage_id", "!=", False)],
            ["relationship_stage_id"],
            ["relationship_stage_id"],
        )
        counts = {
            group["relationship_stage_id"][0]: group["relationship_stage_id_count"]
            for group in groups
        }
        self.assertEqual(counts[self.stage_first_time.id], 1)
        self.assertEqual(counts[self.stage_partner.id], 0)
        self.assertEqual([group["relationship_stage_id"][0] for group in groups], self.stages.ids)

    def test_scores(self):
        others = self.Partner.create(
            [{"name": f"Buyer {n}", "company_id": self.company.id} for n in range(4)]
        )
        for n, partner in enumerate(others):
            self.buy(*range(1, n + 2), partner=partner)
        self.buy(*range(1, 9))
        self.env["res.partner"]._cron_relationship_refresh()
        self.assertEqual(self.customer.relationship_frequency_score, 5)
        self.assertEqual(others[0].relationship_frequency_score, 1)
        self.assertEqual(self.customer.relationship_monetary_score, 5)

    def test_partner_form_shows_the_ladder_to_relationship_users_only(self):
        def stage_bar(user):
            arch = self.Partner.with_user(user).get_views([(False, "form")])["views"]["form"][
                "arch"
            ]
            return etree.fromstring(arch).xpath(
                "//header/field[@name='relationship_stage_id'][@widget='statusbar']"
            )

        clerk = self.env["res.users"].create(
            {
                "name": "Clerk",
                "login": "rm_ladder_clerk",
                "company_id": self.company.id,
                "company_ids": [(6, 0, self.company.ids)],
            }
        )
        self.assertTrue(stage_bar(self.user))
        self.assertFalse(stage_bar(clerk))
