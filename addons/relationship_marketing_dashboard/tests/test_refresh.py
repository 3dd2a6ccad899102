# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import SALES_GROUPS, DashboardCase

MODEL = "relationship.kpi.report"


@tagged("post_install", "-at_install")
class TestRefresh(DashboardCase):
    """The reports show the figures of their last refresh: nightly, or by hand."""

    def buy(self, name, amount):
        self.env["relationship.purchase"].create(
            {
                "source": "shop",
                "external_id": f"{name}-late-{amount}",
                "partner_id": self.customers[name].id,
                "company_id": self.company.id,
                "date_order": self.now,
                "amount": amount,
            }
        )
        self.env.flush_all()

    def sales(self):
        [(sales,)] = self.read_group(MODEL, [("kind", "=", "sale")], [], ["sales_amount:sum"])
        return sales

    def test_the_nightly_cron_has_the_reports_refreshed_after_its_last_call(self):
        self.buy("carol", 40.0)
        self.assertEqual(self.sales(), 1300.0, "not refreshed yet: last night's figures")
        Partner = self.env["res.partner"]
        remaining = Partner._cron_relationship_refresh(batch_size=2)
        self.assertTrue(remaining)
        self.assertEqual(self.sales(), 1300.0, "the cron is not done: still last night's")
        cron = self.env.ref("relationship_marketing_dashboard.ir_cron_relationship_reports")
        Trigger = self.env["ir.cron.trigger"]
        self.assertFalse(Trigger.search([("cron_id", "=", cron.id)]))
        while remaining:
            remaining = Partner._cron_relationship_refresh(batch_size=2)
        # The last call hands the refresh to the reports' own job, due at once.
        [trigger] = Trigger.search([("cron_id", "=", cron.id)])
        self.assertLessEqual(trigger.call_at, fields.Datetime.now())
        self.assertEqual(self.sales(), 1300.0, "the job has not run yet")
        cron.method_direct_trigger()
        self.assertEqual(self.sales(), 1340.0)
        # the figures carry the time of their refresh
        row = self.env[MODEL].with_user(self.user).search([], limit=1)
        self.assertEqual(row.refreshed_at, self.env.cr.now().replace(microsecond=0))

    def test_a_manager_refreshes_by_hand(self):
        manager = new_test_user(
            self.env,
            login="rm_dash_manager",
            groups="base.group_user,relationship_marketing.group_relationship_manager",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.buy("carol", 40.0)
        action = self.env.ref(
            "relationship_marketing_dashboard.action_relationship_refresh_reports"
        )
        result = action.with_user(manager).run()
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(self.sales(), 1340.0)
        # and on the dashboard's own path: the grouping of the summary and the rows agree
        [(rows_sales,)] = (
            self.env[MODEL]
            .with_user(self.user)
            .with_context(tz="Europe/Brussels")
            ._read_group([("kind", "=", "sale")], [], ["sales_amount:sum"])
        )
        self.assertEqual(rows_sales, 1340.0)

    def test_a_salesperson_refreshes_the_dashboard(self):
        """Any relationship user refreshes the figures, from the dashboard's button."""
        self.buy("carol", 40.0)
        before = self.env["relationship.report.materialized"]._get_refreshed_at()
        dashboard = self.env["relationship.dashboard"].with_user(self.user).action_refresh()
        self.assertEqual(self.sales(), 1340.0)
        self.assertEqual(
            dashboard["refreshed_at"],
            fields.Datetime.to_string(self.env.cr.now().replace(microsecond=0)),
        )
        self.assertGreaterEqual(fields.Datetime.to_datetime(dashboard["refreshed_at"]), before)

    def test_a_refresh_brings_every_allowed_company_up_to_date(self):
        """One Refresh recomputes the figures of all the user's companies; each
        reader then sees those of the companies they may read, no other."""
        north = self.env["res.company"].create({"name": "Outdoor Goods North"})
        both = self.company | north
        roaming = new_test_user(
            self.env,
            login="rm_dash_roaming",
            groups=SALES_GROUPS,
            company_id=self.company.id,
            company_ids=[Command.set(both.ids)],
        )
        northerner = new_test_user(
            self.env,
            login="rm_dash_north",
            groups=SALES_GROUPS,
            company_id=north.id,
            company_ids=[Command.set(north.ids)],
        )
        nora = self.env["res.partner"].create({"name": "Nora North", "company_id": north.id})
        self.env["relationship.purchase"].with_company(north).create(
            {
                "source": "shop",
                "external_id": "north-1",
                "partner_id": nora.id,
                "company_id": north.id,
                "date_order": self.now,
                "amount": 70.0,
            }
        )
        self.buy("carol", 40.0)

        def sales_by_company(user, companies):
            Report = self.env[MODEL].with_user(user).with_context(allowed_company_ids=companies.ids)
            return dict(
                Report._read_group([("kind", "=", "sale")], ["company_id"], ["sales_amount:sum"])
            )

        self.assertEqual(
            sales_by_company(roaming, both), {self.company: 1300.0}, "last night's figures"
        )
        # from the dashboard, with both companies ticked in the company switcher
        dashboard = (
            self.env["relationship.dashboard"]
            .with_user(roaming)
            .with_context(allowed_company_ids=both.ids)
            .action_refresh()
        )
        self.assertTrue(dashboard["refreshed_at"])
        self.assertEqual(sales_by_company(roaming, both), {self.company: 1340.0, north: 70.0})
        self.assertEqual(sales_by_company(roaming, north), {north: 70.0})
        self.assertEqual(sales_by_company(northerner, north), {north: 70.0})
        with self.assertRaises(AccessError):
            sales_by_company(northerner, both)

    def test_only_relationship_users_refresh(self):
        clerk = new_test_user(
            self.env,
            login="rm_dash_clerk",
            groups="base.group_user",
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        self.buy("carol", 40.0)
        with self.assertRaises(AccessError):
            self.env[MODEL].with_user(clerk).action_refresh_reports()
        self.assertEqual(self.sales(), 1300.0)

    def test_every_summary_reads_as_a_model(self):
        """The summaries answer the reports' grouped reads; read directly (an
        export, an API call) they give their rows, not an error."""
        for model in (
            "relationship.kpi.summary",
            "relationship.kpi.summary.hourly",
            "relationship.kpi.summary.lean",
            "relationship.kpi.summary.hourly.lean",
        ):
            with self.subTest(model=model):
                rows = self.env[model].with_user(self.user).search_read([("kind", "=", "sale")])
                self.assertEqual(sum(row["sales_amount"] for row in rows), 1300.0)
        for model in ("relationship.funnel.summary", "relationship.stage.duration.summary"):
            with self.subTest(model=model):
                self.assertTrue(self.env[model].with_user(self.user).search_read([]))
