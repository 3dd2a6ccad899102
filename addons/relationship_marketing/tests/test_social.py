# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import Form, freeze_time, new_test_user, tagged

from .common_depth import DepthCase


@tagged("post_install", "-at_install")
class TestSocial(DepthCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ada = cls.new_customer()
        cls.community = cls.env["relationship.community"].create(
            {"name": "Trail Runners", "kind": "events", "company_id": cls.company.id}
        )
        cls.equipment = cls.env.ref("relationship_marketing.tie_type_equipment")
        cls.portal = cls.env.ref("relationship_marketing.tie_type_portal")

    def test_manager_sets_up_a_community_and_users_add_members(self):
        form = Form(self.env["relationship.community"].with_user(self.manager))
        form.name = "Coffee Lovers"
        form.kind = "online"
        with form.member_ids.new() as member:
            member.partner_id = self.ada
            member.role = "ambassador"
        community = form.save()
        self.assertEqual(community.member_count, 1)
        self.assertEqual(community.company_id, self.company)
        with Form(self.ada.with_user(self.user)) as partner_form:
            with partner_form.relationship_community_member_ids.new() as line:
                line.community_id = self.community
        self.assertEqual(self.ada.relationship_community_count, 2)
        self.assertEqual(self.community.member_count, 1)
        self.assertEqual(
            sorted(self.ada.relationship_community_member_ids.mapped("community_id.name")),
            ["Coffee Lovers", "Trail Runners"],
        )

    def test_known_personally(self):
        self.assertFalse(self.ada.relationship_known_personally)
        with Form(self.ada.with_user(self.user)) as form:
            form.relationship_contact_owner_id = self.user
        self.assertTrue(self.ada.relationship_known_personally)

    def test_structural_ties_with_dates(self):
        Tie = self.env["relationship.tie"].with_user(self.user)
        Tie.create(
            {
                "partner_id": self.ada.id,
                "type_id": self.equipment.id,
                "name": "Espresso machine 4711",
            }
        )
        Tie.create(
            {
                "partner_id": self.ada.id,
                "type_id": self.portal.id,
                "name": "Trade portal",
                "date_start": fields.Date.today() - timedelta(days=100),
                "date_end": fields.Date.today() + timedelta(days=10),
            }
        )
        self.assertEqual(self.ada.relationship_tie_count, 2)
        self.assertEqual(set(self.ada.relationship_tie_ids.mapped("kind")), {"equipment", "portal"})
        self.buy(self.ada, 1)
        with freeze_time(fields.Datetime.now() + timedelta(days=11)):
            self.refresh()
            self.assertEqual(self.ada.relationship_tie_count, 1, "the portal access ended")
        tie_types = self.env["relationship.tie.type"].with_user(self.user).search([])
        self.assertIn(self.equipment, tie_types, "shipped types are shared by all companies")

    def test_referrals_feed_the_advocate_rung(self):
        club = self.Programme.create(
            {
                "name": "Friends",
                "kind": "club",
                "club_access": "open",
                "company_id": self.company.id,
            }
        )
        answer = self.ingest(
            [self.row(str(n), customer_id="ADA", order_date=f"2026-0{n}-01") for n in (6, 7, 8)]
        )
        ada = self.Partner.browse(answer["results"][0]["partner_id"])
        self.assertTrue(ada.relationship_membership_active)
        self.assertEqual(ada.relationship_stage_id, self.stage_member)
        self.assertEqual(ada.relationship_membership_ids.programme_id, club)
        answer = self.ingest(
            [
                self.row(
                    "9",
                    customer_id="GRACE",
                    email="grace@example.com",
                    name="Grace",
                    referred_by="ADA",
                )
            ]
        )
        grace = self.Partner.browse(answer["results"][0]["partner_id"])
        self.assertEqual(grace.relationship_referred_by_id, ada)
        self.assertEqual(ada.relationship_referral_count, 1)
        self.assertEqual(ada.relationship_stage_id, self.stage_advocate)
        self.assertEqual(ada.relationship_referral_ids, grace)

    def test_satisfaction_history_promoters_and_suggested_advocates(self):
        Score = self.env["relationship.satisfaction"].with_user(self.user)
        now = fields.Datetime.now()
        Score.create(
            [
                {"partner_id": self.ada.id, "score": 9.5, "source": "SurveyMonkey", "date": now},
                {
                    "partner_id": self.ada.id,
                    "score": 3,
                    "source": "call",
                    "date": now - timedelta(days=30),
                },
            ]
        )
        self.assertEqual(len(self.ada.relationship_satisfaction_ids), 2)
        self.assertEqual(self.ada.relationship_satisfaction_score, 9.5, "the latest score counts")
        self.assertEqual(
            self.ada.relationship_satisfaction_ids.sorted("date").mapped("category"),
            ["detractor", "promoter"],
        )
        self.assertTrue(self.ada.relationship_promoter)
        self.assertTrue(self.ada.relationship_advocate_suggested)
        suggested = self.Partner.with_user(self.user).search(
            [("relationship_advocate_suggested", "=", True)]
        )
        self.assertEqual(suggested, self.ada)
        friend = self.new_customer("Friend")
        friend.with_user(self.user).relationship_referred_by_id = self.ada
        self.assertFalse(self.ada.relationship_advocate_suggested, "already recommends us")
        self.assertTrue(self.ada.relationship_promoter)
        Score.create({"partner_id": self.ada.id, "score": 7, "source": "call"})
        self.assertFalse(self.ada.relationship_promoter)
        self.assertEqual(self.ada.relationship_satisfaction_score, 7)

    def test_inquiries_and_complaints_are_counted(self):
        Inquiry = self.env["relationship.inquiry"].with_user(self.user)
        Inquiry.create(
            [
                {"partner_id": self.ada.id, "name": "Sizes?", "kind": "inquiry"},
                {"partner_id": self.ada.id, "name": "Opening hours?", "kind": "inquiry"},
                {"partner_id": self.ada.id, "name": "Late delivery", "kind": "complaint"},
            ]
        )
        self.assertEqual(
            (self.ada.relationship_inquiry_count, self.ada.relationship_complaint_count), (2, 1)
        )
        complaint = self.ada.relationship_inquiry_ids.filtered(lambda i: i.kind == "complaint")
        self.assertEqual((complaint.state, complaint.user_id), ("open", self.user))
        complaint.action_done()
        self.assertEqual(complaint.state, "done")
        complaint.kind = "inquiry"
        self.assertEqual(
            (self.ada.relationship_inquiry_count, self.ada.relationship_complaint_count), (3, 0)
        )

    def test_partner_form_shows_the_depth_of_the_relationship(self):
        view = (
            self.env["res.partner"]
            .with_user(self.user)
            .get_views([(False, "form")])["views"]["form"]
        )
        for fname in (
            "relationship_level",
            "relationship_level_recommended",
            "relationship_level_gap",
            "relationship_phase",
            "relationship_at_risk",
            "relationship_dissolution_reason",
            "relationship_lifecycle_focus",
            "relationship_type",
            "relationship_service_mode",
            "relationship_membership_ids",
            "relationship_community_member_ids",
            "relationship_tie_ids",
            "relationship_referral_ids",
            "relationship_satisfaction_ids",
            "relationship_inquiry_ids",
            "relationship_phase_history_ids",
        ):
            with self.subTest(field=fname):
                self.assertIn(f'name="{fname}"', view["arch"])
        clerk = new_test_user(
            self.env,
            login="rm_social_clerk",
            groups="base.group_user,base.group_partner_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        clerk_view = (
            self.env["res.partner"].with_user(clerk).get_views([(False, "form")])["views"]["form"]
        )
        self.assertNotIn('name="relationship_phase"', clerk_view["arch"])
