# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import date
from unittest.mock import patch

from odoo.tests import tagged

from odoo.addons.mail.models.mail_activity import MailActivity

from ..models.relationship_followup_occurrence import RelationshipFollowupOccurrence
from ..models.relationship_followup_rule_date import CURSOR
from ..tools.candidate import Candidate
from .common import FollowupCase

_logger = logging.getLogger(__name__)


class Crash(Exception):
    pass


@tagged("post_install", "-at_install")
class TestExactlyOnce(FollowupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rules.filtered(lambda rule: rule.code != "birthday").active = False
        # Ten customers whose birthday is in three days.
        cls.customers = cls.env["res.partner"].create(
            [
                {
                    "name": f"Customer {n}",
                    "company_id": cls.company.id,
                    "user_id": cls.salesperson.id,
                    "relationship_birthday": date(1980 + n, 3, 13),
                    # The level whose customers get birthday cards.
                    "relationship_level": "accountable",
                    "relationship_level_set_by_hand": True,
                }
                for n in range(10)
            ]
        )
        cls.customers._relationship_advance_stages()

    def start_at_customers(self):
        """Let the cron's next batch start at these customers (other tests' and
        demo customers come first, by id)."""
        self.env["ir.config_parameter"].set_param(CURSOR, self.customers[0].id - 1)

    def assertOncePerCustomer(self):
        occurrences = self.followups()
        self.assertEqual(occurrences.partner_id, self.customers)
        self.assertEqual(len(occurrences), 10)
        self.assertEqual(len(occurrences.activity_ids), 10)
        self.assertEqual(
            len(
                self.Activity.search(
                    [("res_id", "in", self.customers.ids), ("res_model", "=", "res.partner")]
                )
            ),
            10,
        )

    def test_repeated_runs(self):
        for _run in range(3):
            self.run_cron()
        self.assertOncePerCustomer()
        for _run in range(2):
            self.run_cron(batch_size=3)
        self.assertOncePerCustomer()

    def test_open_activity_is_not_doubled_by_a_race(self):
        """Another transaction created the occurrence after we looked: the unique
        index settles it and no second activity is made."""
        self.run_cron()
        with patch.object(RelationshipFollowupOccurrence, "_followup_existing", return_value=set()):
            self.run_cron()
            candidate = Candidate(
                rule=self.rule["birthday"],
                partner=self.customers[0],
                key="birthday:2026-03-13",
                date_due=date(2026, 3, 13),
                date_create=date(2026, 3, 10),
            )
            self.assertFalse(self.Occurrence._followup_create([candidate, candidate]))
        self.assertOncePerCustomer()

    def test_events_in_the_same_batch(self):
        self.only("thank_you_call")
        ada = self.customer("Ada Lovelace", email="ada@example.com")
        rows = [self.row(f"W-{n}", order_date="2026-03-10 08:00:00") for n in range(3)]
        self.ingest(rows)
        self.drain()
        self.assertEqual(len(self.followups(ada)), 1, "three orders of one day: one call")
        answer = self.ingest(rows)
        self.assertEqual(self.statuses(answer), ["unchanged"] * 3)
        self.ingest([self.row("W-9", order_date="2026-03-10 11:00:00")])
        self.drain()
        self.assertEqual(len(self.followups(ada)), 1, "sent again or later that day: still one")
        self.assertEqual(len(self.activities(ada)), 1)

    def test_done_is_not_recreated(self):
        self.run_cron()
        first = self.followups()[0]
        first.activity_id.action_feedback("Card sent")
        self.assertEqual((first.state, first.outcome), ("done", "on_time"))
        self.assertFalse(first.activity_ids, "Odoo deletes the done activity; the log stays")
        self.run_cron()
        self.assertEqual(len(self.followups()), 10)
        self.assertFalse(self.activities(first.partner_id), "not recreated")

    def test_cancelled_is_not_recreated(self):
        self.run_cron()
        first = self.followups()[0]
        first.activity_id.unlink()
        self.assertEqual((first.state, first.outcome), ("cancelled", "cancelled"))
        self.run_cron()
        self.assertEqual(len(self.followups()), 10)
        self.assertFalse(self.activities(first.partner_id))

    def test_crash_midway_resumes_without_doubles(self):
        Rule = self.Rule
        params = self.env["ir.config_parameter"]
        self.start_at_customers()
        # Batch 1 is done and committed by the cron runner.
        remaining = Rule._cron_relationship_followup(batch_size=4)
        self.assertEqual(remaining, 6)
        self.assertEqual(len(self.followups()), 4)
        cursor = params.get_param(CURSOR)
        self.assertEqual(cursor, str(self.customers[3].id))
        # Batch 2 crashes after its occurrences were inserted: the runner rolls
        # the batch back (the savepoint here), the cursor stays.
        with patch.object(MailActivity, "create", side_effect=Crash), self.assertRaises(Crash):
            with self.env.cr.savepoint():
                Rule._cron_relationship_followup(batch_size=4)
        self.env.invalidate_all()
        self.env.registry.clear_cache()
        self.assertEqual(params.get_param(CURSOR), cursor)
        self.assertEqual(len(self.followups()), 4)
        # The next run resumes after the cursor.
        self.assertEqual(Rule._cron_relationship_followup(batch_size=4), 2)
        self.assertEqual(Rule._cron_relationship_followup(batch_size=4), 0)
        self.assertOncePerCustomer()
        # A crash after the work but before the cursor moved redoes a batch: the
        # log makes it harmless.
        params.set_param(CURSOR, cursor)
        while Rule._cron_relationship_followup(batch_size=4):
            pass
        self.assertOncePerCustomer()
        self.assertEqual(params.get_param(CURSOR), "0", "the run is over: the next starts afresh")

    def test_bounded_queries_per_batch(self):
        more = self.env["res.partner"].create(
            [
                {
                    "name": f"More {n}",
                    "company_id": self.company.id,
                    "user_id": (self.salesperson | self.leader)[n % 2].id,
                    "relationship_birthday": date(1970 + n, 3, 12),
                    "relationship_level": "accountable",
                    "relationship_level_set_by_hand": True,
                }
                for n in range(16)
            ]
        )
        more._relationship_advance_stages()
        self.env["ir.config_parameter"].set_param(CURSOR, more[0].id - 1)
        self.env.flush_all()

        def queries(batch_size):
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            self.Rule._cron_relationship_followup(batch_size=batch_size)
            self.env.flush_all()
            return self.cr.sql_log_count - before

        queries(2)  # warm the caches
        small, large = queries(4), queries(8)
        _logger.info("Follow-up cron: %s queries for 4 customers, %s for 8", small, large)
        self.assertEqual(
            len(
                self.followups(rule=self.rule["birthday"]).filtered(lambda o: o.partner_id in more)
            ),
            14,
        )
        self.assertEqual(small, large, "the same number of queries for 4 and 8 customers")
        self.assertLess(small, 80)
