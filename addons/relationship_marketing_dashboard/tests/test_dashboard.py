# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import etree

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import DashboardCase

REPORTS = [
    "relationship.funnel.report",
    "relationship.stage.duration.report",
    "relationship.kpi.report",
]


@tagged("post_install", "-at_install")
class TestDashboard(DashboardCase):
    def test_dashboard_is_made_of_the_report_views(self):
        action = self.env.ref("relationship_marketing_dashboard.relationship_dashboard_action")
        view = self.env["board.board"].with_user(self.user).get_view(action.view_id.id, "form")
        arch = etree.fromstring(view["arch"])
        self.assertEqual(arch.get("js_class"), "board")
        boxes = arch.xpath("//board/column/action")
        models = [
            (
                self.env["ir.actions.act_window"].browse(int(box.get("name"))).res_model,
                box.get("view_mode"),
            )
            for box in boxes
        ]
        self.assertEqual(
            models,
            [
                ("relationship.funnel.report", "graph"),
                ("relationship.funnel.report", "pivot"),
                ("relationship.stage.duration.report", "pivot"),
                ("relationship.kpi.report", "pivot"),
                ("relationship.kpi.report", "graph"),
                ("res.partner", "list"),
                ("res.partner", "list"),
                ("res.partner", "list"),
                ("mail.activity", "list"),
            ],
        )
        # every box's view exists and renders for a salesperson
        for box in boxes:
            loaded = self.env["ir.actions.act_window"].browse(int(box.get("name")))
            Model = self.env[loaded.res_model].with_user(self.user)
            self.assertTrue(Model.get_views([(False, box.get("view_mode")), (False, "search")]))

    def test_dashboard_menu_comes_first(self):
        menu = self.env.ref("relationship_marketing_dashboard.menu_relationship_dashboard")
        siblings = self.env["ir.ui.menu"].search([("parent_id", "=", menu.parent_id.id)])
        self.assertEqual(siblings[0], menu)
        visible = self.env["ir.ui.menu"].with_user(self.user)._visible_menu_ids()
        self.assertIn(menu.id, visible)
        clerk = new_test_user(self.env, login="rm_dash_clerk", groups="base.group_user")
        self.assertNotIn(menu.id, self.env["ir.ui.menu"].with_user(clerk)._visible_menu_ids())

    def test_reports_need_the_relationship_group(self):
        clerk = new_test_user(
            self.env,
            login="rm_dash_clerk",
            groups="base.group_user",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        for model in REPORTS:
            with (
                self.subTest(model=model),
                self.assertRaises(AccessError),
                mute_logger("odoo.models"),
            ):
                self.env[model].with_user(clerk).search([])

    def test_reports_show_only_the_users_companies(self):
        company_b = self.env["res.company"].create({"name": "Other Shop"})
        user_b = new_test_user(
            self.env,
            login="rm_dash_user_b",
            groups="base.group_user,relationship_marketing.group_relationship_user",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        env_b = self.env(user=user_b, context={"allowed_company_ids": company_b.ids})
        env_b["relationship.purchase"].ingest_batch(
            [self.row("B-1", customer_id="B-1", email="b@example.com")], "shop"
        )
        self.refresh_reports()
        for model in REPORTS:
            with self.subTest(model=model):
                self.assertEqual(env_b[model].search([]).company_id, company_b)
                self.assertEqual(
                    self.env[model].with_user(self.user).search([]).company_id, self.company
                )

    def test_follow_ups_of_customers_the_user_may_see(self):
        """The follow-ups list checks the access to the customers in SQL: same result."""
        company_b = self.env["res.company"].create({"name": "Other Shop"})
        stranger = self.env["res.partner"].create(
            {"name": "Stranger Example", "company_id": company_b.id}
        )
        alice = self.customers["alice"]
        activities = self.env["mail.activity"]
        for partner in (alice, stranger):
            activities |= partner.activity_schedule(
                "mail.mail_activity_data_todo", user_id=self.env.user.id
            )
        seen = self.env["mail.activity"].with_user(self.user).search([("id", "in", activities.ids)])
        self.assertEqual(seen.mapped("res_id"), [alice.id])
