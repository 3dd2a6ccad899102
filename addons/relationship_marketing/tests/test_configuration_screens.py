# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import etree

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import RelationshipCase

MATRIX_VIEW = "relationship_marketing.relationship_settings_view_form_matrix"


@tagged("post_install", "-at_install")
class TestConfigurationScreens(RelationshipCase):
    """What a consultant meets in Relationships > Configuration."""

    def matrix_cell(self, customers, margin):
        return self.env["relationship.level.matrix"].search(
            [
                ("company_id", "=", self.company.id),
                ("customer_band", "=", customers),
                ("margin_band", "=", margin),
            ]
        )

    def test_settings_open_the_companys_record_ready_to_edit(self):
        action = self.env.ref("relationship_marketing.relationship_settings_action_open")
        result = action.with_user(self.manager).run()
        settings = self.env["relationship.settings"].browse(result["res_id"])
        # an existing record: the form shows its name, not "New"
        self.assertTrue(settings.exists())
        self.assertEqual(settings.display_name, "Relationship Settings")
        self.assertEqual(settings.company_id, self.company)
        self.assertEqual(
            settings.relationship_customers_few, self.company.relationship_customers_few
        )
        for view_id in (False, self.env.ref(MATRIX_VIEW).id):
            arch = etree.fromstring(
                self.env["relationship.settings"].get_view(view_id, "form")["arch"]
            )
            self.assertEqual(arch.get("create"), "0", "no New button")

    def test_the_level_matrix_is_a_grid_of_nine_cells(self):
        action = self.env.ref("relationship_marketing.relationship_level_matrix_action_open")
        result = action.with_user(self.manager).run()
        self.assertEqual(result["views"], [(self.env.ref(MATRIX_VIEW).id, "form")])
        arch = etree.fromstring(self.env.ref(MATRIX_VIEW).arch)
        rows = arch.xpath("//table[hasclass('o_relationship_level_matrix')]/tbody/tr")
        self.assertEqual(
            [[field.get("name") for field in row.xpath(".//field")] for row in rows],
            [
                [f"level_{customers}_{margin}" for margin in ("high", "medium", "low")]
                for customers in ("many", "medium", "few")
            ],
        )
        settings = self.env["relationship.settings"].browse(result["res_id"])
        self.assertEqual(settings.level_few_high, "partnership", "the company's matrix")
        with Form(settings.with_user(self.manager), view=MATRIX_VIEW) as form:
            form.level_many_low = "reactive"
            form.level_few_low = "proactive"
        self.assertEqual(self.matrix_cell("many", "low").level, "reactive")
        self.assertEqual(self.matrix_cell("few", "low").level, "proactive")
        self.assertEqual(self.matrix_cell("few", "high").level, "partnership", "untouched")

    def test_a_rung_with_history_is_archived_not_deleted(self):
        customer = self.Partner.create({"name": "Ada Lovelace", "company_id": self.company.id})
        customer.with_user(self.manager).relationship_stage_id = self.stage_client
        with self.assertRaisesRegex(UserError, "Archive it instead"):
            self.stage_client.with_user(self.manager).unlink()
        self.assertTrue(self.stage_client.exists())
        self.stage_client.with_user(self.manager).action_archive()
        self.assertFalse(self.stage_client.active)
        # a rung nobody used goes
        unused = self.Stage.create({"name": "Unused", "sequence": 99})
        unused.with_user(self.manager).unlink()
        self.assertFalse(unused.exists())

    def test_a_new_purchase_is_dated_now(self):
        before = fields.Datetime.now()
        form = Form(self.env["relationship.purchase"].with_user(self.user))
        self.assertTrue(before <= form.date_order <= fields.Datetime.now())
