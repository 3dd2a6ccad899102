# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import FollowupCase


@tagged("post_install", "-at_install")
class TestSecurity(FollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = cls._user("rm_clerk", "Plain Clerk")
        cls.ada = cls.customer("Ada Lovelace", relationship_birthday=date(1990, 3, 12))
        cls.Rule._cron_relationship_followup()
        cls.occurrence = cls.Occurrence.search([("partner_id", "=", cls.ada.id)])

    MATRIX = {
        "manager": {"relationship.followup.rule": "rwcu", "relationship.followup.occurrence": "ru"},
        "user": {"relationship.followup.rule": "r", "relationship.followup.occurrence": "r"},
        "clerk": {"relationship.followup.rule": "", "relationship.followup.occurrence": ""},
    }
    OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}

    def test_access_matrix(self):
        self.assertEqual(len(self.occurrence), 1)
        records = {
            "relationship.followup.rule": self.rule["birthday"],
            "relationship.followup.occurrence": self.occurrence,
        }
        for login, models in self.MATRIX.items():
            user = getattr(self, login)
            for model, allowed in models.items():
                for letter, operation in self.OPERATIONS.items():
                    with self.subTest(user=login, model=model, operation=operation):
                        self.assertEqual(
                            records[model].with_user(user).has_access(operation), letter in allowed
                        )

    def test_salesperson_cannot_change_the_playbook(self):
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.rule["birthday"].with_user(self.user).write({"lead_days": 1})

    def test_users_without_the_group_see_no_follow_ups(self):
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.ada.with_user(self.clerk).read(["relationship_next_birthday"])
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.ada.with_user(self.clerk).action_relationship_followup_preview()
        # The salesperson (no relationship rights) reads its activity, not the rule.
        activity = self.occurrence.activity_id.with_user(self.salesperson)
        self.assertTrue(activity.has_access("read"))
        self.assertNotIn("relationship_followup_rule_id", activity.read()[0])
        self.assertEqual(activity.read(["summary"])[0]["summary"], self.occurrence.summary)

    def test_user_sees_the_follow_ups_of_the_customers(self):
        preview = self.env["relationship.followup.preview"].browse(
            self.ada.with_user(self.user).action_relationship_followup_preview()["res_id"]
        )
        self.assertEqual(preview.create_uid, self.user)
        self.assertIn("open", preview.line_ids.mapped("state"))
