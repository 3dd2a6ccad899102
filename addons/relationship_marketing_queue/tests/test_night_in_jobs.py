# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.tests import tagged

from odoo.addons.queue_job.tests.common import trap_jobs
from odoo.addons.relationship_marketing.tests.common import RelationshipCase

from ..hooks import uninstall_hook


@tagged("post_install", "-at_install")
class TestNightInJobs(RelationshipCase):
    """The nightly recomputation as jobs: ranges of customers that several
    workers run at once, then one job after them all."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.Partner.create(
            [{"name": f"Buyer {n}", "company_id": cls.company.id} for n in range(5)]
        )
        now = cls.env.cr.now()
        cls.env["relationship.purchase"].create(
            [
                {
                    "source": "pos",
                    "external_id": f"{customer.id}-{days}",
                    "partner_id": customer.id,
                    "date_order": now - timedelta(days=days),
                    "amount": 50.0,
                    "company_id": cls.company.id,
                }
                for customer in cls.customers
                for days in (1, 2)
            ]
        )
        cls.everyone = cls.env["relationship.segment"].create(
            {"name": "Everyone", "rule": "all", "company_id": cls.company.id}
        )
        cls.Jobs = cls.env["res.partner"].with_context(allowed_company_ids=cls.company.ids)

    def setUp(self):
        super().setUp()
        self.before = self.env["queue.job"].search([])

    def _jobs(self):
        """The jobs of the nights enqueued by this test."""
        return self.env["queue.job"].search([("model_name", "=", "res.partner")]) - self.before

    def test_the_install_hands_the_night_to_jobs(self):
        core = self.env.ref("relationship_marketing.ir_cron_relationship_refresh")
        ours = self.env.ref("relationship_marketing_queue.ir_cron_relationship_refresh_jobs")
        self.assertFalse(core.active)
        self.assertTrue(ours.active)
        uninstall_hook(self.env)
        self.assertTrue(core.active, "uninstalled, the night goes back to the core cron")

    def test_ranges_then_the_end(self):
        # A consultant made the Client rung easier: the night moves them up.
        self.stage_client.min_order_count = 2
        self.assertEqual(set(self.customers.mapped("relationship_stage_id")), {self.stage_repeat})
        total = self.Jobs.search_count(self.Jobs._relationship_nightly_domain())
        counted = self.everyone.customer_count
        self.everyone.customer_count = 0  # as if customers joined since the last count
        with trap_jobs() as trap:
            ranges = self.Jobs._cron_relationship_refresh_jobs(range_size=2)
            self.assertEqual(ranges, (total + 1) // 2)
            range_jobs = [
                job
                for job in trap.enqueued_jobs
                if job.method_name == "_relationship_nightly_range_job"
            ]
            self.assertEqual(len(range_jobs), ranges)
            covered = [id_ for job in range_jobs for id_ in job.recordset.ids]
            self.assertEqual(len(covered), total, "each customer in one range")
            self.assertLessEqual(set(self.customers.ids), set(covered))
            self.assertEqual(
                {job.channel for job in range_jobs}, {"root.relationship"}, "on its channel"
            )
            trap.assert_jobs_count(1, only=self.Jobs._relationship_nightly_end_job)
            self.assertEqual(
                set(self.customers.mapped("relationship_stage_id")),
                {self.stage_repeat},
                "nothing moves before the jobs run",
            )
            self.assertEqual(self.everyone.customer_count, 0)
            trap.perform_enqueued_jobs()
        self.assertEqual(set(self.customers.mapped("relationship_stage_id")), {self.stage_client})
        self.assertEqual(
            set(self.customers.relationship_stage_history_ids[:1].mapped("reason")),
            {"Nightly recomputation"},
        )
        self.assertEqual(self.everyone.customer_count, counted, "counted again at the end")
        self.assertEqual(
            counted, self.Jobs.search_count([("relationship_segment_id", "=", self.everyone.id)])
        )
        self.assertGreaterEqual(counted, len(self.customers))

    def test_a_range_skips_customers_deleted_since(self):
        self.stage_client.min_order_count = 2
        gone, kept = self.customers[:1], self.customers[1:2]
        gone_id = gone.id
        gone.relationship_purchase_ids.unlink()
        gone.unlink()
        answer = self.Jobs.browse([gone_id, kept.id])._relationship_nightly_range_job()
        self.assertEqual(answer, "1 customers recomputed")
        self.assertEqual(kept.relationship_stage_id, self.stage_client)

    def test_a_night_not_done_is_not_started_again(self):
        first = self.Jobs._cron_relationship_refresh_jobs(range_size=2)
        self.assertTrue(first)
        night = self._jobs()
        self.assertEqual(len(night), first + 1, "the ranges and the end")
        self.assertEqual(set(night.mapped("channel")), {"root.relationship"})
        self.assertEqual(self.Jobs._cron_relationship_refresh_jobs(range_size=2), 0)
        self.assertEqual(self._jobs(), night)
        night.write({"state": "done"})
        self.assertEqual(self.Jobs._cron_relationship_refresh_jobs(range_size=2), first)

    def test_a_night_with_a_failed_range_does_not_block_the_next(self):
        first = self.Jobs._cron_relationship_refresh_jobs(range_size=2)
        night = self._jobs()
        ranges = night.filtered(lambda job: job.method_name == "_relationship_nightly_range_job")
        end = night - ranges
        self.assertEqual(end.state, "wait_dependencies")
        ranges[:1].write({"state": "failed"})
        ranges[1:].write({"state": "done"})
        self.assertEqual(self.Jobs._cron_relationship_refresh_jobs(range_size=2), first)
        self.assertEqual(end.state, "cancelled", "the last night's end will not come")
        tonight = self._jobs() - night
        self.assertEqual(len(tonight), first + 1)

    def test_a_night_without_customers_only_ends(self):
        self.env["relationship.purchase"].search([]).unlink()
        self.env["res.partner"].search([]).write({"relationship_stage_id": False})
        with trap_jobs() as trap:
            self.assertEqual(self.Jobs._cron_relationship_refresh_jobs(), 0)
            trap.assert_jobs_count(1)
            trap.assert_jobs_count(1, only=self.Jobs._relationship_nightly_end_job)
