# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common_depth import DepthCase

CONFIGURATION = [
    "relationship.segment",
    "relationship.level.matrix",
    "relationship.programme",
    "relationship.programme.tier",
    "relationship.community",
    "relationship.tie.type",
]
WORK = [
    "relationship.membership",
    "relationship.community.member",
    "relationship.tie",
    "relationship.satisfaction",
    "relationship.inquiry",
]
LOGS = ["relationship.phase.history", "relationship.tier.change"]


@tagged("post_install", "-at_install")
class TestDepthSecurity(DepthCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = new_test_user(
            cls.env,
            login="rm_depth_clerk",
            groups="base.group_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.company_b = cls.env["res.company"].create({"name": "Company B"})
        cls.user_b = new_test_user(
            cls.env,
            login="rm_depth_user_b",
            groups="base.group_user,relationship_marketing.group_relationship_manager",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        cls.records_a = cls._depth_records(cls.env, cls.company)
        cls.env_b = cls.env(user=cls.user_b, context={"allowed_company_ids": cls.company_b.ids})
        cls.records_b = cls._depth_records(
            cls.env(context={"allowed_company_ids": cls.company_b.ids}), cls.company_b
        )

    @classmethod
    def _depth_records(cls, env, company):
        """One record of every new model, in the company."""
        partner = env["res.partner"].create(
            {"name": f"Customer of {company.name}", "company_id": company.id}
        )
        programme = env["relationship.programme"].create(
            {
                "name": "Points",
                "company_id": company.id,
                "tier_ids": [Command.create({"name": "Gold", "threshold": 0})],
            }
        )
        env["relationship.purchase"].create(
            {
                "source": "pos",
                "external_id": f"{company.id}-1",
                "partner_id": partner.id,
                "company_id": company.id,
                "date_order": fields.Datetime.now(),
                "amount": 10,
            }
        )
        community = env["relationship.community"].create({"name": "Club", "company_id": company.id})
        tie_type = env["relationship.tie.type"].create(
            {"name": "Own type", "company_id": company.id}
        )
        return {
            "res.partner": partner,
            "relationship.segment": env["relationship.segment"].search(
                [("company_id", "=", company.id)], limit=1
            ),
            "relationship.level.matrix": env["relationship.level.matrix"].search(
                [("company_id", "=", company.id)], limit=1
            ),
            "relationship.programme": programme,
            "relationship.programme.tier": programme.tier_ids,
            "relationship.membership": partner.relationship_membership_ids,
            "relationship.tier.change": partner.relationship_membership_ids.tier_change_ids,
            "relationship.phase.history": partner.relationship_phase_history_ids,
            "relationship.community": community,
            "relationship.community.member": env["relationship.community.member"].create(
                {"community_id": community.id, "partner_id": partner.id}
            ),
            "relationship.tie.type": tie_type,
            "relationship.tie": env["relationship.tie"].create(
                {
                    "partner_id": partner.id,
                    "type_id": tie_type.id,
                    "name": "Rack",
                    "company_id": company.id,
                }
            ),
            "relationship.satisfaction": env["relationship.satisfaction"].create(
                {"partner_id": partner.id, "score": 8, "source": "test", "company_id": company.id}
            ),
            "relationship.inquiry": env["relationship.inquiry"].create(
                {"partner_id": partner.id, "name": "Question", "company_id": company.id}
            ),
        }

    def test_every_model_has_a_record(self):
        for model, record in self.records_a.items():
            with self.subTest(model=model):
                self.assertEqual(len(record), 1)
                self.assertEqual(record.company_id, self.company)

    def test_access_by_group(self):
        expected = {
            "manager": dict.fromkeys(CONFIGURATION + WORK, "rwcu") | dict.fromkeys(LOGS, "rwu"),
            "user": dict.fromkeys(CONFIGURATION, "r")
            | dict.fromkeys(
                ["relationship.membership", "relationship.satisfaction", "relationship.inquiry"],
                "rwc",
            )
            | dict.fromkeys(["relationship.community.member", "relationship.tie"], "rwcu")
            | dict.fromkeys(LOGS, "r"),
            "clerk": dict.fromkeys(CONFIGURATION + WORK + LOGS, ""),
        }
        operations = {"r": "read", "w": "write", "c": "create", "u": "unlink"}
        for login, models in expected.items():
            user = getattr(self, login)
            for model, allowed in models.items():
                record = self.records_a[model]
                for letter, operation in operations.items():
                    with self.subTest(user=login, model=model, operation=operation):
                        self.assertEqual(
                            record.with_user(user).has_access(operation), letter in allowed
                        )

    def test_companies_do_not_see_each_other(self):
        for model, record_a in self.records_a.items():
            if model == "res.partner":
                continue
            with self.subTest(model=model):
                visible = self.env_b[model].search([])
                self.assertNotIn(record_a, visible)
                self.assertIn(self.records_b[model], visible)
                with self.assertRaises(AccessError), mute_logger("odoo.models"):
                    record_a.with_env(self.env_b).read(["id"])
        shared = self.env.ref("relationship_marketing.tie_type_equipment")
        self.assertIn(shared, self.env_b["relationship.tie.type"].search([]))

    def test_cross_company_links_are_refused(self):
        partner_a = self.records_a["res.partner"]
        links = {
            "relationship.membership": {
                "programme_id": self.records_b["relationship.programme"].id
            },
            "relationship.community.member": {
                "community_id": self.records_b["relationship.community"].id
            },
            "relationship.tie": {
                "type_id": self.records_b["relationship.tie.type"].id,
                "name": "x",
            },
            "relationship.satisfaction": {"score": 5},
            "relationship.inquiry": {"name": "x"},
            "relationship.phase.history": {"phase_to": "awareness"},
        }
        for model, values in links.items():
            with (
                self.subTest(model=model),
                self.assertRaises(UserError),
                mute_logger("odoo.models"),
            ):
                self.env[model].create(
                    dict(values, partner_id=partner_a.id, company_id=self.company_b.id)
                )

    def test_new_company_gets_its_matrix_and_segment(self):
        cells = self.env["relationship.level.matrix"].search(
            [("company_id", "=", self.company_b.id)]
        )
        self.assertEqual(len(cells), 9)
        segment = self.env_b["relationship.segment"].search([])
        self.assertEqual((segment.rule, segment.company_id), ("all", self.company_b))
        self.assertEqual(self.records_b["res.partner"].relationship_segment_id, segment)
