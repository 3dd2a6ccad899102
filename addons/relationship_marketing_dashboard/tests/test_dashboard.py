# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import xmlrpc.client
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.base.controllers.rpc import RPC_FAULT_CODE_ACCESS_ERROR

from .common import DashboardCase

REPORTS = [
    "relationship.funnel.report",
    "relationship.stage.duration.report",
    "relationship.kpi.report",
]


@tagged("post_install", "-at_install")
class TestDashboard(DashboardCase):
    def test_dashboard_is_made_of_the_report_views(self):
        action = self.env.ref("relationship_marketing_dashboard.action_relationship_dashboard")
        self.assertEqual(
            (action.type, action.tag),
            ("ir.actions.client", "relationship_marketing_dashboard.dashboard"),
        )
        dashboard = self.env["relationship.dashboard"].with_user(self.user).get_dashboard()
        boxes = dashboard["boxes"]
        Action = self.env["ir.actions.act_window"]
        self.assertEqual(
            [(Action.browse(box["action_id"]).res_model, box["view_mode"]) for box in boxes],
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
        # every box's view exists and renders for a salesperson, narrowed or not
        for box in boxes:
            with self.subTest(box=box["name"]):
                Model = self.env[Action.browse(box["action_id"]).res_model].with_user(self.user)
                self.assertTrue(Model.get_views([(False, box["view_mode"]), (False, "search")]))
                Model.search([*box["domain"], *box["my_domain"]])
        # the figures say as of when
        self.assertEqual(
            dashboard["refreshed_at"],
            fields.Datetime.to_string(
                self.env["relationship.report.materialized"]._get_refreshed_at()
            ),
        )

    def test_my_customers_are_those_of_the_salesperson(self):
        """The dashboard's "My customers" narrows each box to the user's customers."""
        boxes = {
            box["name"]: box
            for box in self.env["relationship.dashboard"]
            .with_user(self.sales_2)
            .get_dashboard()["boxes"]
        }
        funnel = boxes["funnel"]
        Report = self.env["relationship.funnel.report"].with_user(self.sales_2)
        prospects = [*funnel["domain"], ("stage_id", "=", self.rungs["prospect"].id)]
        [(everyone,)] = Report._read_group(prospects, [], ["customer_count:sum"])
        [(mine,)] = Report._read_group(
            [*prospects, *funnel["my_domain"]], [], ["customer_count:sum"]
        )
        # every customer entered the ladder; carol, dave, gina are Tess's
        self.assertEqual((everyone, mine), (7, 3))
        for seller in (self.sales_1, self.sales_2):
            # each salesperson's own dashboard: "my" is the one who opens it
            Dashboard = self.env["relationship.dashboard"].with_user(seller)
            at_risk = {box["name"]: box for box in Dashboard.get_dashboard()["boxes"]}["at_risk"]
            Partner = self.env["res.partner"].with_user(seller)
            everyone = Partner.search(at_risk["domain"])
            self.assertTrue(everyone, "gina is at risk")
            mine = Partner.search([*at_risk["domain"], *at_risk["my_domain"]])
            self.assertEqual(mine, everyone.filtered(lambda p, s=seller: p.user_id == s))

    def test_dashboard_needs_the_relationship_group(self):
        clerk = new_test_user(self.env, login="rm_dash_clerk", groups="base.group_user")
        Dashboard = self.env["relationship.dashboard"].with_user(clerk)
        for method in ("get_dashboard", "action_refresh"):
            with self.subTest(method=method), self.assertRaises(AccessError):
                getattr(Dashboard, method)()

    def test_dashboard_menu_comes_first_in_reporting(self):
        menu = self.env.ref("relationship_marketing_dashboard.menu_relationship_dashboard")
        self.assertEqual(
            menu.parent_id, self.env.ref("relationship_marketing.menu_relationship_reporting")
        )
        siblings = self.env["ir.ui.menu"].search([("parent_id", "=", menu.parent_id.id)])
        self.assertEqual(siblings[0], menu)
        visible = self.env["ir.ui.menu"].with_user(self.user)._visible_menu_ids()
        self.assertIn(menu.id, visible)
        clerk = new_test_user(self.env, login="rm_dash_clerk", groups="base.group_user")
        self.assertNotIn(menu.id, self.env["ir.ui.menu"].with_user(clerk)._visible_menu_ids())

    def test_no_board_app(self):
        """The dashboard needs no Dashboards app (board) that says it has nothing."""
        manifest = self.env["ir.module.module"].search(
            [("name", "=", "relationship_marketing_dashboard")]
        )
        self.assertNotIn("board", manifest.dependencies_id.mapped("name"))

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

    def test_follow_ups_due_are_those_of_today_and_before(self):
        """The box lists what is due: a follow-up planned for tomorrow waits
        its day, one overdue or of today is there."""
        domain = followups_due_domain(self.env)
        Activity = self.env["mail.activity"]
        followups = Activity.search(
            [
                ("res_model", "=", "res.partner"),
                ("relationship_followup_rule_id", "!=", False),
                ("res_id", "in", [partner.id for partner in self.customers.values()]),
            ]
        )
        self.assertTrue(followups, "the scenario's purchases made a follow-up")
        followup = followups[0]
        today = fields.Date.context_today(followup)
        for deadline, listed in (
            (today - timedelta(days=3), True),
            (today, True),
            (today + timedelta(days=1), False),
        ):
            with self.subTest(deadline=deadline):
                followup.date_deadline = deadline
                self.assertEqual(followup in Activity.search(domain), listed)


def followups_due_domain(env):
    """The domain of the dashboard's Follow-ups Due box (the dashboard gives
    its boxes their domains, not those of their actions)."""
    boxes = env["relationship.dashboard"].get_dashboard()["boxes"]
    [box] = [box for box in boxes if box["name"] == "followups"]
    return box["domain"]


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
        {
            "name": "Stranger Example",
            "company_id": company_b.id,
            "user_id": seller_b.id,
            # the level whose customers get the after-sale call, chosen by hand
            # (not the segment's default)
            "relationship_level": "accountable",
            "relationship_level_set_by_hand": True,
        }
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
