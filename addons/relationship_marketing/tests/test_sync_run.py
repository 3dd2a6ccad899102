# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from ..models.relationship_sync_run import RETENTION_PARAMETER
from .common import RelationshipCase


@tagged("post_install", "-at_install")
class TestSyncRun(RelationshipCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Run = cls.env["relationship.sync.run"].with_user(cls.manager)

    def runs(self, source="webshop"):
        return self.Run.search([("source", "=", source)])

    def bad_row(self, order_id):
        return self.row(order_id, amount="lots")

    def test_batches_of_one_run_land_on_one_record(self):
        first = self.ingest(
            [
                self.row("1001"),
                self.bad_row("1002"),
                self.row("1003", customer_id="C-2", email="bob@example.com", name="Bob"),
            ],
            run_key="run-a",
        )
        second = self.ingest(
            [self.row("1001", amount=150), self.row("1004"), self.bad_row("1005")],
            run_key="run-a",
        )
        self.assertEqual(first["counts"]["rejected"], 1)
        self.assertEqual(second["counts"]["updated"], 1)
        run = self.runs()
        self.assertEqual(len(run), 1, "two batches of one run make one run record")
        self.assertEqual(
            (run.source, run.kind, run.user_id, run.company_id, run.batch_count),
            ("webshop", "orders", self.user, self.company, 2),
        )
        self.assertEqual(
            (
                run.created_count,
                run.updated_count,
                run.unchanged_count,
                run.rejected_count,
                run.row_count,
            ),
            (3, 1, 0, 2, 6),
        )
        self.assertEqual(run.customer_created_count, 2, "Ada and Bob are new")
        self.assertLessEqual(run.started_at, run.last_batch_at)
        self.assertEqual(
            [(r.batch, r.row, r.order_ref, r.field_name) for r in run.reject_ids],
            [(1, 2, "1002", "amount"), (2, 3, "1005", "amount")],
        )
        self.assertIn("amount", run.reject_ids[0].reason)
        self.assertEqual(run.display_name, f"Run #{run.id} from webshop")

    def test_each_kind_of_push_says_what_it_sent(self):
        """Customers and scores land on runs of their own kind, their rejects
        named by the row's id."""
        customers = self.env["res.partner"].with_user(self.user)
        customers.ingest_customers(
            [
                {"customer_id": "C-7", "email": "gus@example.com", "name": "Gus"},
                {"customer_id": "C-8", "email": "not an email"},
            ],
            "newsletter",
            run_key="run-c",
        )
        self.ingest([self.row("1001")], run_key="run-o")
        self.env["relationship.satisfaction"].with_user(self.user).ingest_scores(
            [{"score_id": "S-1", "customer_id": "C-1", "score": 9, "date": "2026-01-05"}],
            "webshop",
            run_key="run-s",
        )
        [newsletter] = self.runs("newsletter")
        self.assertEqual(newsletter.kind, "customers")
        self.assertEqual(
            [(r.order_ref, r.field_name) for r in newsletter.reject_ids], [("C-8", "email")]
        )
        self.assertEqual(
            sorted(self.runs().mapped("kind")), ["orders", "scores"], "one run per kind"
        )

    def test_batches_without_a_run_key_are_runs_of_their_own(self):
        self.ingest([self.row("1001")])
        self.ingest([self.row("1002")])
        self.ingest([self.row("1003")], source="pos", run_key="run-a")
        self.ingest([self.row("1004")], run_key="run-a")
        runs = self.runs()
        self.assertEqual(len(runs), 3)
        self.assertEqual(runs.mapped("batch_count"), [1, 1, 1])
        self.assertEqual(len(self.runs("pos")), 1, "a run key is per source")

    def test_sent_again_the_rows_are_counted_unchanged(self):
        rows = [self.row("1001"), self.row("1002")]
        self.ingest(rows, run_key="run-a")
        self.ingest(rows, run_key="run-b")
        first, second = self.runs().sorted("id")
        self.assertEqual((first.created_count, first.customer_created_count), (2, 1))
        self.assertEqual(
            (second.created_count, second.unchanged_count, second.customer_created_count),
            (0, 2, 0),
        )

    def test_dry_run_records_nothing(self):
        answer = self.ingest(
            [self.row("1001"), self.bad_row("1002")], dry_run=True, run_key="run-a"
        )
        self.assertEqual(answer["counts"]["created"], 1)
        self.assertFalse(self.runs())
        self.ingest([self.row("1001")], run_key="run-a")
        self.ingest([self.row("1002")], run_key="run-a", dry_run=True)
        self.assertEqual(self.runs().batch_count, 1, "the dry batch added nothing")

    def test_refused_batch_records_nothing(self):
        with self.assertRaises(UserError):
            self.ingest([self.row("1001")], source="  ")
        with self.assertRaises(UserError):
            self.ingest("not rows", run_key="run-a")
        self.assertFalse(self.Run.search([]))
        outsider = new_test_user(self.env, login="rm_outsider", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["relationship.purchase"].with_user(outsider).ingest_batch(
                [self.row("1001")], "webshop", run_key="run-a"
            )
        self.assertFalse(self.Run.search([]))

    def test_new_customers_say_which_run_created_them(self):
        known = self.Partner.create({"name": "Known", "email": "known@example.com"})
        known_messages = known.message_ids
        self.ingest(
            [
                self.row("1001"),
                self.row("1002", customer_id="C-2", email="known@example.com", name="Known"),
            ],
            run_key="run-a",
        )
        run = self.runs()
        ada = self.Partner.search([("email", "=", "ada@example.com")])
        message = ada.message_ids
        self.assertEqual(len(message), 1)
        self.assertIn("Created by a sync from webshop", message.body)
        self.assertIn(f"run #{run.id}", message.body)
        self.assertIn(f'data-oe-id="{run.id}"', message.body)
        self.assertEqual(message.author_id, self.user.partner_id)
        self.assertEqual(known.message_ids, known_messages, "a known customer gets no message")

    def test_runs_are_for_managers_of_their_company(self):
        self.ingest([self.bad_row("1001")], run_key="run-a")
        run = self.runs()
        self.assertEqual(run.reject_ids.with_user(self.manager).order_ref, "1001")
        with self.assertRaises(AccessError):
            self.env["relationship.sync.run"].with_user(self.user).search([])
        with self.assertRaises(AccessError):
            self.env["relationship.sync.run.reject"].with_user(self.user).search([])
        with self.assertRaises(AccessError):
            run.with_user(self.manager).write({"created_count": 7})
        other = self.env["res.company"].create({"name": "Other Goods Ltd"})
        other_manager = new_test_user(
            self.env,
            login="rm_other_manager",
            groups="base.group_user,relationship_marketing.group_relationship_manager",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        in_other = self.env(user=other_manager, context={"allowed_company_ids": other.ids})
        self.assertFalse(in_other["relationship.sync.run"].search([]))
        self.assertFalse(in_other["relationship.sync.run.reject"].search([]))

    def test_old_runs_are_deleted(self):
        self.ingest([self.bad_row("1001")], run_key="old")
        self.ingest([self.row("1002")], run_key="recent")
        old = self.runs().filtered(lambda run: run.run_key == "old")
        old.sudo().last_batch_at = fields.Datetime.now() - timedelta(days=181)
        self.env["relationship.sync.run"]._gc_old_runs()
        self.assertEqual(self.runs().mapped("run_key"), ["recent"])
        self.assertFalse(self.env["relationship.sync.run.reject"].search([]))
        self.env["ir.config_parameter"].set_param(RETENTION_PARAMETER, "0")
        self.runs().sudo().last_batch_at = fields.Datetime.now() - timedelta(days=999)
        self.env["relationship.sync.run"]._gc_old_runs()
        self.assertEqual(len(self.runs()), 1, "0 days keeps every run")
