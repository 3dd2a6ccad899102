# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo.tests import Form, tagged

from .common import FollowupCase


@tagged("post_install", "-at_install")
class TestAssignment(FollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fallback = cls._user("rm_fallback", "Fran Fallback")
        cls.kam = cls._user("rm_kam", "Kim Account")
        cls.other_company = cls.env["res.company"].create({"name": "Elsewhere Ltd"})
        cls.outsider = cls._user("rm_outsider", "Otto Outsider", company=cls.other_company)
        cls.birthday = cls.rule["birthday"]

    def setUp(self):
        super().setUp()
        self.only("birthday")

    def assignee(self, **values):
        """Who gets the birthday follow-up of a new customer with these values."""
        values = {"relationship_birthday": date(1990, 3, 12)} | values
        customer = self.customer(values.pop("name", "Ada Lovelace"), **values)
        self.run_cron()
        return self.followups(customer).user_id

    def test_salesperson(self):
        self.assertEqual(self.assignee(), self.salesperson)

    def test_no_salesperson_goes_to_the_fallback_user(self):
        self.birthday.fallback_user_id = self.fallback
        self.assertEqual(self.assignee(user_id=False), self.fallback)

    def test_nobody_creates_nothing_until_someone_is_there(self):
        ada = self.customer("Ada Lovelace", user_id=False, relationship_birthday=date(1990, 3, 12))
        self.run_cron()
        self.assertFalse(self.followups(ada), "no assignee: nothing created, nothing logged")
        ada.user_id = self.salesperson
        self.run_cron()
        self.assertEqual(self.followups(ada).user_id, self.salesperson)

    def test_archived_salesperson_goes_to_the_fallback_user(self):
        self.birthday.fallback_user_id = self.fallback
        gone = self._user("rm_gone", "Gone Seller")
        gone.active = False
        self.assertEqual(self.assignee(user_id=gone.id), self.fallback)

    def test_salesperson_of_another_company_goes_to_the_fallback_user(self):
        self.birthday.fallback_user_id = self.fallback
        self.assertEqual(self.assignee(user_id=self.outsider.id), self.fallback)

    def test_contact_person_uses_the_salesperson_of_its_company(self):
        firm = self.customer("Brightwater Café", is_company=True)
        self.assertEqual(self.assignee(user_id=False, parent_id=firm.id), self.salesperson)

    def test_key_account_manager_then_salesperson_then_fallback(self):
        self.birthday.assign_to = "key_account_manager"
        self.birthday.fallback_user_id = self.fallback
        self.assertEqual(
            self.assignee(name="Key", relationship_key_account_manager_id=self.kam.id), self.kam
        )
        self.assertEqual(self.assignee(name="Sold"), self.salesperson)
        self.assertEqual(self.assignee(name="Nobody", user_id=False), self.fallback)

    def test_team_leader_without_sales_teams_goes_to_the_fallback_then_the_salesperson(self):
        self.birthday.assign_to = "team_leader"
        self.assertEqual(self.assignee(name="Leaderless"), self.salesperson)
        self.birthday.fallback_user_id = self.leader
        self.assertEqual(self.assignee(name="Escalated"), self.leader)

    def test_fixed_user(self):
        self.birthday.write({"assign_to": "fixed_user", "user_id": self.kam.id})
        self.assertEqual(self.assignee(), self.kam)

    def test_segment_default_then_company_fallback(self):
        segment = self.env["relationship.segment"].create(
            {"name": "Hotels", "company_id": self.company.id}
        )
        segment.relationship_followup_user_id = self.kam
        customer = self.customer(
            "Hotel Ada", user_id=False, relationship_birthday=date(1990, 3, 12)
        )
        customer.sudo().relationship_segment_id = segment
        self.company.relationship_followup_user_id = self.fallback
        self.run_cron()
        self.assertEqual(self.followups(customer).user_id, self.kam, "the segment's default")
        self.assertEqual(self.assignee(name="Lone", user_id=False), self.fallback, "the company's")
        self.assertEqual(self.assignee(name="Sold"), self.salesperson, "the salesperson first")
        self.birthday.write({"assign_to": "fixed_user", "user_id": self.leader.id})
        self.assertEqual(self.assignee(name="Fixed"), self.leader, "the rule's fixed user first")

    def test_fallback_user_in_settings(self):
        with Form(self.env["res.config.settings"]) as form:
            form.relationship_followup_user_id = self.fallback
        form.record.execute()
        self.assertEqual(self.company.relationship_followup_user_id, self.fallback)

    def test_preview_says_why_nobody(self):
        ada = self.customer("Ada Lovelace", user_id=False, relationship_birthday=date(1990, 3, 12))
        action = ada.with_user(self.user).action_relationship_followup_preview()
        line = self.env[action["res_model"]].browse(action["res_id"]).line_ids
        self.assertFalse(line.user_id)
        self.assertIn("Not created: no salesperson", line.assignment)
