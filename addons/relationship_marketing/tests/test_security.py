# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import RelationshipCase


@tagged("post_install", "-at_install")
class TestSecurity(RelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = new_test_user(
            cls.env,
            login="rm_clerk",
            groups="base.group_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.portal = new_test_user(
            cls.env,
            login="rm_portal",
            groups="base.group_portal",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        answer = cls.Purchase.ingest_batch([cls.row("1"), cls.row("2")], "webshop")
        cls.purchase = cls.env["relationship.purchase"].browse(answer["results"][0]["purchase_id"])
        cls.customer = cls.purchase.partner_id
        cls.history = cls.customer.relationship_stage_history_ids[:1]
        cls.ref = cls.customer.relationship_customer_ref_ids[:1]

    def records(self):
        return {
            "relationship.stage": self.stage_client,
            "relationship.stage.history": self.history,
            "relationship.purchase": self.purchase,
            "relationship.customer.ref": self.ref,
        }

    # operation allowed per model, for each group
    MATRIX = {
        "manager": {
            "relationship.stage": "rwcu",
            "relationship.stage.history": "rwu",
            "relationship.purchase": "rwcu",
            "relationship.customer.ref": "rwcu",
        },
        "user": {
            "relationship.stage": "r",
            "relationship.stage.history": "r",
            "relationship.purchase": "rwc",
            "relationship.customer.ref": "rwc",
        },
        "clerk": dict.fromkeys(
            [
                "relationship.stage",
                "relationship.stage.history",
                "relationship.purchase",
                "relationship.customer.ref",
            ],
            "",
        ),
        "portal": dict.fromkeys(
            [
                "relationship.stage",
                "relationship.stage.history",
                "relationship.purchase",
                "relationship.customer.ref",
            ],
            "",
        ),
    }
    OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}

    def test_access_matrix(self):
        for login, models in self.MATRIX.items():
            user = getattr(self, login)
            for model, allowed in models.items():
                record = self.records()[model]
                for letter, operation in self.OPERATIONS.items():
                    with self.subTest(user=login, model=model, operation=operation):
                        self.env.invalidate_all()
                        self.assertEqual(
                            record.with_user(user).has_access(operation),
                            letter in allowed,
                        )
                        if letter not in allowed and operation == "read":
                            with self.assertRaises(AccessError), mute_logger("odoo.models"):
                                record.with_user(user).read(["id"])

    def test_plain_users_do_not_see_relationship_fields(self):
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.customer.with_user(self.clerk).read(["relationship_stage_id"])
        self.assertTrue(self.customer.with_user(self.clerk).read(["name"]))

    def test_salesperson_cannot_change_the_configuration(self):
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.stage_client.with_user(self.user).write({"min_order_count": 1})
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            self.Stage.with_user(self.user).create({"name": "Mine", "company_id": self.company.id})

    def test_ingestion_needs_the_group(self):
        for user in (self.clerk, self.portal):
            with self.assertRaises(AccessError):
                self.env["relationship.purchase"].with_user(user).ingest_batch(
                    [self.row("9")], "webshop"
                )


@tagged("post_install", "-at_install")
class TestMultiCompany(RelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Company B"})
        cls.user_b = new_test_user(
            cls.env,
            login="rm_user_b",
            groups="base.group_user,relationship_marketing.group_relationship_manager",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )
        cls.answer_a = cls.Purchase.ingest_batch([cls.row("1")], "webshop")
        cls.env_b = cls.env(user=cls.user_b, context={"allowed_company_ids": cls.company_b.ids})
        cls.answer_b = cls.env_b["relationship.purchase"].ingest_batch([cls.row("1")], "webshop")

    def test_same_order_lands_once_per_company(self):
        self.assertEqual(self.statuses(self.answer_a), ["created"])
        self.assertEqual(self.statuses(self.answer_b), ["created"])
        self.assertNotEqual(
            self.answer_a["results"][0]["partner_id"], self.answer_b["results"][0]["partner_id"]
        )

    def test_company_b_sees_nothing_of_company_a(self):
        Purchase_b = self.env_b["relationship.purchase"]
        self.assertEqual(Purchase_b.search([]).ids, [self.answer_b["results"][0]["purchase_id"]])
        self.assertEqual(self.env_b["relationship.stage"].search([]).company_id, self.company_b)
        self.assertEqual(
            self.env_b["relationship.stage.history"].search([]).company_id,
            self.company_b,
        )
        partner_a = self.env["res.partner"].browse(self.answer_a["results"][0]["partner_id"])
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            partner_a.with_env(self.env_b).read(["name"])
        purchase_a = Purchase_b.browse(self.answer_a["results"][0]["purchase_id"])
        with self.assertRaises(AccessError), mute_logger("odoo.models"):
            purchase_a.write({"amount": 1})

    def test_cross_company_links_are_refused(self):
        partner_a = self.env["res.partner"].browse(self.answer_a["results"][0]["partner_id"])
        with self.assertRaises(UserError):
            self.env["relationship.purchase"].create(
                {
                    "source": "pos",
                    "external_id": "x",
                    "partner_id": partner_a.id,
                    "company_id": self.company_b.id,
                    "date_order": "2026-01-01",
                    "amount": 1,
                }
            )
        stage_b = self.env["relationship.stage"].search(
            [("company_id", "=", self.company_b.id)], limit=1
        )
        with self.assertRaises(UserError):
            self.env["relationship.stage.history"].create(
                {
                    "partner_id": partner_a.id,
                    "stage_to_id": stage_b.id,
                    "company_id": self.company.id,
                }
            )
