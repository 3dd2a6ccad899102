# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import FollowupCase


@tagged("post_install", "-at_install")
class TestMultiCompany(FollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Company B"})
        cls._core_ladder(cls.company_b)
        cls.manager_b = new_test_user(
            cls.env,
            login="rm_manager_b",
            groups="base.group_user,relationship_marketing.group_relationship_manager",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        cls.seller_b = cls._user("rm_seller_b", "Bea Seller", company=cls.company_b)
        cls.env_b = cls.env(user=cls.manager_b, context={"allowed_company_ids": cls.company_b.ids})
        cls.rules_b = cls.Rule.search([("company_id", "=", cls.company_b.id)])
        cls.rule_b = {rule.code: rule for rule in cls.rules_b}

    def test_each_company_has_its_own_playbook(self):
        self.assertEqual(len(self.rules_b), 14)
        self.assertFalse(self.rules_b & self.rules)
        self.assertEqual(
            self.rule_b["welcome_member"].stage_ids.company_id, self.company_b, "its own ladder"
        )
        # Nobody takes the activities nobody else can: the superuser set it up.
        self.assertFalse(self.rules_b.fallback_user_id)
        admin = self.env.ref("base.user_admin")
        Company = self.env["res.company"].with_user(admin)
        company_c = Company.with_context(allowed_company_ids=admin.company_ids.ids).create(
            {"name": "Company C"}
        )
        rules_c = self.Rule.search([("company_id", "=", company_c.id)])
        self.assertEqual(len(rules_c), 14)
        # Not even the administrator who set it up: a consultant chooses a fallback.
        self.assertFalse(rules_c.fallback_user_id)

    def test_sales_follow_the_rules_of_their_company(self):
        self.rule_b["thank_you_call"].summary = "Company B thanks {name}"
        self.rule["thank_you_call"].active = False
        row = self.row("1", order_date="2026-03-10 08:00:00", email="ada@example.com")
        ada_a = self.customer("Ada Lovelace", email="ada@example.com")
        ada_b = self.env_b["res.partner"].create(
            {
                "relationship_level": "accountable",
                "relationship_level_set_by_hand": True,
                "name": "Ada Lovelace",
                "email": "ada@example.com",
                "company_id": self.company_b.id,
                "user_id": self.seller_b.id,
            }
        )
        self.ingest([row])
        self.env_b["relationship.purchase"].ingest_batch([row], "webshop")
        self.drain()
        self.assertFalse(self.followups(ada_a, self.rule["thank_you_call"]))
        occurrence = self.Occurrence.search(
            [("partner_id", "=", ada_b.id), ("rule_id", "=", self.rule_b["thank_you_call"].id)]
        )
        self.assertEqual(occurrence.company_id, self.company_b)
        self.assertEqual(occurrence.activity_id.summary, "Company B thanks Ada Lovelace")
        self.assertEqual(occurrence.user_id, self.seller_b)

    def test_cron_uses_each_customers_company(self):
        self.rule_b["birthday"].active = False
        ada_a = self.customer("Ada A", relationship_birthday=date(1990, 3, 12))
        ada_b = self.env_b["res.partner"].create(
            {
                "relationship_level": "accountable",
                "relationship_level_set_by_hand": True,
                "name": "Ada B",
                "company_id": self.company_b.id,
                "user_id": self.seller_b.id,
                "relationship_birthday": date(1990, 3, 12),
            }
        )
        ada_b._relationship_advance_stages()
        self.assertEqual(ada_b.relationship_stage_id.company_id, self.company_b)
        self.run_cron()
        self.assertEqual(self.followups(ada_a).rule_id, self.rule["birthday"])
        self.assertFalse(self.Occurrence.search([("partner_id", "=", ada_b.id)]))

    def test_users_see_their_company_only(self):
        ada = self.customer("Ada A", relationship_birthday=date(1990, 3, 12))
        self.run_cron()
        occurrence = self.followups(ada)
        Rule_b, Occurrence_b = (
            self.env_b["relationship.followup.rule"],
            self.env_b["relationship.followup.occurrence"],
        )
        self.assertEqual(Rule_b.search([]), self.rules_b)
        self.assertFalse(Occurrence_b.search([("id", "=", occurrence.id)]))
        with (
            self.assertRaises(AccessError),
            mute_logger("odoo.models", "odoo.addons.base.models.ir_rule"),
        ):
            self.rule["birthday"].with_env(self.env_b).read(["name"])

    def test_rule_filters_stay_in_their_company(self):
        with self.assertRaises(UserError):
            self.rule["welcome_member"].stage_ids = self.rule_b["welcome_member"].stage_ids

    def test_event_delay_cannot_be_negative(self):
        with self.assertRaises(ValidationError):
            self.rule["thank_you_call"].delay_days = -1

    def denied(self, call):
        """``(raised, result)``: whether ``call()`` raised an AccessError, and what it
        returned (no savepoint rolls its writes back: what it did stays visible)."""
        with mute_logger("odoo.models", "odoo.addons.base.models.ir_rule"):
            try:
                return False, call()
            except AccessError:
                return True, None

    def test_preview_of_another_companys_customer(self):
        """A User of A walking customer ids reads nothing of B's customers."""
        ada_b = self.env_b["res.partner"].create(
            {
                "relationship_level": "accountable",
                "relationship_level_set_by_hand": True,
                "name": "Ada B-only",
                "company_id": self.company_b.id,
                "user_id": self.seller_b.id,
                "relationship_birthday": date(1990, 3, 12),
            }
        )
        ada_b._relationship_advance_stages()
        self.run_cron()
        self.assertTrue(self.Occurrence.sudo().search([("partner_id", "=", ada_b.id)]))
        Preview = self.env["relationship.followup.preview"].with_user(self.user)
        partner = self.env["res.partner"].with_user(self.user).browse(ada_b.id)
        raised, action = self.denied(partner.action_relationship_followup_preview)
        self.assertEqual((raised, action), (True, None))
        self.assertFalse(Preview.sudo().search([("partner_id", "=", ada_b.id)]))
        # Nor through a preview made over RPC (the model is open to users).
        preview = Preview.create({"partner_id": ada_b.id})
        raised, _result = self.denied(preview._refresh_lines)
        self.assertTrue(raised)
        self.assertFalse(preview.sudo().line_ids, "no line: neither B's rules nor its log")
        self.assertFalse(preview.sudo().company_id)
        preview.rule_id = self.rule_b["thank_you_call"]
        raised, _result = self.denied(preview.action_schedule)
        self.assertTrue(raised)
        self.assertEqual(
            self.Occurrence.sudo().search([("partner_id", "=", ada_b.id)]).rule_id,
            self.rule_b["birthday"],
            "nothing scheduled",
        )

    def test_preview_shows_the_callers_playbook_only(self):
        """A contact shared by both companies and on B's ladder: its follow-ups are
        B's, which a User of A does not see."""
        shared = self.env_b["res.partner"].create(
            {
                "relationship_level": "accountable",
                "relationship_level_set_by_hand": True,
                "name": "Shared Ada",
                "company_id": self.company_b.id,
                "user_id": self.seller_b.id,
                "relationship_birthday": date(1990, 3, 12),
            }
        )
        shared._relationship_advance_stages()
        shared.company_id = False
        self.run_cron()
        self.assertEqual(
            self.Occurrence.sudo().search([("partner_id", "=", shared.id)]).rule_id,
            self.rule_b["birthday"],
        )
        as_user_a = self.env["res.partner"].with_user(self.user).browse(shared.id)
        preview = (
            self.env["relationship.followup.preview"]
            .with_user(self.user)
            .browse(as_user_a.action_relationship_followup_preview()["res_id"])
        )
        self.assertEqual(preview.partner_id, shared)
        self.assertFalse(preview.line_ids, "none of B's rules, none of B's follow-ups")
        self.assertFalse(preview.company_id)
        # B's manager sees B's playbook for the same contact.
        preview_b = self.env_b["relationship.followup.preview"].browse(
            shared.with_env(self.env_b).action_relationship_followup_preview()["res_id"]
        )
        self.assertEqual(preview_b.company_id, self.company_b)
        self.assertEqual(preview_b.line_ids.rule_id.company_id, self.company_b)
        self.assertIn("open", preview_b.line_ids.mapped("state"))
