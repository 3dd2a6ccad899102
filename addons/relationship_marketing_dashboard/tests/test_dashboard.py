# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import xmlrpc.client
from datetime import timedelta

from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from odoo.addons.base.controllers.rpc import RPC_FAULT_CODE_ACCESS_ERROR

from .common import DashboardCase

DASHBOARD_VIEW = "relationship_marketing_dashboard.relationship_dashboard_view_form"
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
        """The Follow-ups Due box lists the follow-ups of the customers the user
        may read, and those assigned to the user: Odoo's access rules decide."""
        domain = followups_due_domain(self.env)
        self.assertEqual(
            domain,
            [("res_model", "=", "res.partner"), ("relationship_followup_rule_id", "!=", False)],
        )
        stranger_followups = stranger_with_a_followup(self)
        ours = self.env["mail.activity"].search(
            [*domain, ("res_id", "in", [partner.id for partner in self.customers.values()])]
        )
        self.assertTrue(ours, "the scenario's purchases made follow-ups")
        self.assertFalse(ours.user_id & self.user, "none is assigned to the user")
        Activity = self.env["mail.activity"].with_user(self.user)
        self.assertEqual(Activity.search(domain), ours)
        # the assignee of a follow-up sees it, whoever its customer is (mail's rule)
        stranger_followups[0].user_id = self.user
        self.assertEqual(Activity.search(domain), ours | stranger_followups[0])


def followups_due_domain(env):
    """The domain of the dashboard's Follow-ups Due box (a board reads the
    domains of its boxes, not those of their actions)."""
    action = env.ref("relationship_marketing_dashboard.relationship_followup_activity_action")
    board = etree.fromstring(env.ref(DASHBOARD_VIEW).arch)
    [box] = board.xpath(f"//board/column/action[@name='{action.id}']")
    return safe_eval(box.get("domain"))


def stranger_with_a_followup(case):
    """The follow-ups that a purchase made for a customer of another company
    (the thank-you call of its salesperson)."""
    company_b = case.env["res.company"].create({"name": "Other Shop"})
    env_b = case.env(context=dict(case.env.context, allowed_company_ids=company_b.ids))
    seller_b = new_test_user(
        case.env,
        login="rm_dash_seller_b",
        groups="base.group_user",
        company_id=company_b.id,
        company_ids=[Command.set(company_b.ids)],
    )
    stranger = env_b["res.partner"].create(
        {"name": "Stranger Example", "company_id": company_b.id, "user_id": seller_b.id}
    )
    env_b["relationship.purchase"].create(
        {
            "source": "shop",
            "external_id": "B-1",
            "partner_id": stranger.id,
            "company_id": company_b.id,
            "date_order": fields.Datetime.now() - timedelta(days=1),
            "amount": 100.0,
        }
    )
    followups = case.env["mail.activity"].search(
        [*followups_due_domain(case.env), ("res_id", "=", stranger.id)]
    )
    case.assertTrue(followups, "the playbook of the other company made a follow-up")
    return followups


@tagged("post_install", "-at_install")
class TestOldContextKeyOverRpc(HttpCase):
    """The dashboard once checked the customers' record rules itself when a
    context key was set, which any RPC caller can set: it opens nothing."""

    def test_the_old_context_key_gains_nothing(self):
        company = self.env["res.company"].create({"name": "Outdoor Goods Ltd"})
        user = new_test_user(
            self.env,
            login="rm_rpc_user",
            groups="base.group_user,relationship_marketing.group_relationship_user",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )
        followups = stranger_with_a_followup(self)
        stranger = self.env["res.partner"].browse(followups.mapped("res_id"))
        rpc = xmlrpc.client.ServerProxy(f"{self.base_url()}/xmlrpc/2/object")
        context = {"relationship_sql_access_check": True}

        def call(model, method, *args, **kwargs):
            return rpc.execute_kw(
                self.env.cr.dbname,
                user.id,
                user.login,
                model,
                method,
                list(args),
                {**kwargs, "context": context},
            )

        # the user reads the customers of his company, with the key or without
        ours = self.env["res.partner"].create({"name": "Our Example", "company_id": company.id})
        self.assertEqual(
            call("res.partner", "read", ours.ids, fields=["name"]),
            [{"id": ours.id, "name": "Our Example"}],
        )
        self.assertEqual(call("mail.activity", "search", [("id", "in", followups.ids)]), [])
        with (
            self.assertRaises(xmlrpc.client.Fault) as denied,
            mute_logger("odoo.http", "odoo.addons.base.models.ir_rule"),
        ):
            call("res.partner", "read", stranger.ids, fields=["name"])
        self.assertEqual(denied.exception.faultCode, RPC_FAULT_CODE_ACCESS_ERROR)
        self.assertIn("doesn't have 'read' access to:\n- Contact", denied.exception.faultString)
