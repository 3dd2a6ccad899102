# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.relationship_marketing.tests.common_ui import ScreenshotTourMixin

from .common import SALES_GROUPS, RelationshipScenario


@tagged("post_install", "-at_install")
class TestRelationshipTours(ScreenshotTourMixin, HttpCase, RelationshipScenario):
    """The relationship screens, clicked through in a headless browser."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env["res.company"].create({"name": "Outdoor Goods Ltd"})
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=cls.company.ids))
        cls.tour_user = new_test_user(
            cls.env,
            login="rm_tour_manager",
            name="Mia Manager",
            groups="base.group_user,base.group_partner_manager,"
            "relationship_marketing.group_relationship_manager",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
            tz="UTC",
        )
        cls.sales_1, cls.sales_2 = (
            new_test_user(
                cls.env,
                login=login,
                name=name,
                groups=SALES_GROUPS,
                company_id=cls.company.id,
                company_ids=[Command.set(cls.company.ids)],
            )
            for login, name in (
                ("rm_tour_sales_1", "Sam Seller"),
                ("rm_tour_sales_2", "Tess Trader"),
            )
        )
        cls.build_scenario(cls.company, cls.sales_1, cls.sales_2)
        # The team did the follow-ups of the past weeks; the recent ones are due.
        cls.env["mail.activity"].search(
            [
                ("res_model", "=", "res.partner"),
                ("res_id", "in", [customer.id for customer in cls.customers.values()]),
                ("date_deadline", "<", cls.days_ago(7).date()),
            ]
        ).action_done()

    def start_tour(self, url_path, tour_name, **kwargs):
        return super().start_tour(url_path, tour_name, login=self.tour_user.login, **kwargs)

    def test_dashboard_drill_down_to_a_customer(self):
        # a long tour on a loaded machine: more than the default minute
        self.start_tour("/odoo", "relationship_dashboard_tour", timeout=240)

    def test_kanban_move_is_logged(self):
        bob = self.customers["bob"]
        self.start_tour("/odoo", "relationship_kanban_tour")
        self.assertEqual(bob.relationship_stage_id, self.rungs["repeat"])
        move = bob.relationship_stage_history_ids.sorted("id")[-1]
        self.assertEqual(
            (move.stage_from_id, move.stage_to_id, move.move_type, move.user_id),
            (self.rungs["first_time"], self.rungs["repeat"], "manual", self.tour_user),
        )

    def test_configure_a_followup_rule(self):
        self.start_tour("/odoo", "relationship_followup_rule_tour")
        rule = self.env["relationship.followup.rule"].search(
            [("name", "=", "Call back after a complaint")]
        )
        self.assertEqual(
            (
                rule.trigger,
                rule.delay_days,
                rule.activity_type_id,
                rule.assign_to,
                rule.summary,
                rule.company_id,
            ),
            (
                "complaint",
                1,
                self.env.ref("mail.mail_activity_data_call"),
                "salesperson",
                "Call {name} about the complaint",
                self.company,
            ),
        )

    def test_consultant_configures_a_rung_and_the_matrix(self):
        self.start_tour("/odoo", "relationship_configure_tour", timeout=180)
        self.assertEqual(self.rungs["client"].min_order_count, 4)
        cell = self.env["relationship.level.matrix"].search(
            [
                ("company_id", "=", self.company.id),
                ("customer_band", "=", "few"),
                ("margin_band", "=", "medium"),
            ]
        )
        self.assertEqual(cell.level, "partnership")
