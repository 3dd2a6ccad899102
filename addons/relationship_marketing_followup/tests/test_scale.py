# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from datetime import date, timedelta
from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged

from ..models.relationship_followup_rule_date import RelationshipFollowupRule
from ..models.relationship_followup_rule_event import PENDING
from .common import FollowupCase

_logger = logging.getLogger(__name__)

DATE_RULES = (
    "birthday",
    "anniversary",
    "checkin_proactive",
    "checkin_partnership",
    "gone_quiet",
    "interest_news",
)


@tagged("post_install", "-at_install")
class TestDueInDatabase(FollowupCase):
    """The daily run picks the customers due in the database: the same follow-ups
    as the rules' own arithmetic, and nothing read when nothing is due."""

    def date_rules(self):
        return self.Rule.search(
            [("company_id", "=", self.company.id), ("code", "in", DATE_RULES)]
        ).sudo()

    def due_keys(self, partners, today):
        """What the cron creates for ``partners`` on ``today``, by the database's
        selection and by the rules' Python arithmetic (less what the log holds)."""
        rules = self.date_rules()
        self.env.invalidate_all()
        domain = [("id", "in", partners.ids), ("relationship_stage_id", "!=", False)]
        selected = {
            (c.rule.code, c.partner.name, c.key, c.date_due)
            for c in rules._followup_due_candidates(domain, today)
        }
        computed = rules._followup_date_candidates(partners.sudo(), today)
        existing = self.Occurrence.sudo()._followup_existing(
            {(c.rule.id, c.partner.id, c.key) for c in computed}
        )
        computed = [c for c in computed if (c.rule.id, c.partner.id, c.key) not in existing]
        # The database selects exactly these customers: no one read for nothing.
        self.assertEqual(
            sorted(rules._followup_due_pairs(domain, today)),
            sorted((c.rule.id, c.partner.id) for c in computed),
            f"on {today}",
        )
        return selected, {(c.rule.code, c.partner.name, c.key, c.date_due) for c in computed}

    def test_same_as_the_rules_arithmetic(self):
        self.only(*DATE_RULES)
        interest = self.env["res.partner.category"].create({"name": "Hiking"})
        customers = self.env["res.partner"]
        for n, (born, level) in enumerate(
            [
                (date(2004, 2, 29), "accountable"),
                (date(1990, 3, 12), "reactive"),
                (date(1985, 12, 31), "proactive"),
                (date(1970, 1, 2), "partnership"),
                (False, "basic"),
                (date(1999, 3, 1), "proactive"),
            ]
        ):
            customer = self.customer(
                f"Customer {n}",
                relationship_birthday=born,
                relationship_level=level,
                category_id=[Command.set(interest.ids)] if n % 2 else [],
            )
            self.buy(customer, 400 - 50 * n, 200 - 30 * n)
            customers |= customer
        # A relationship that ended: neither quiet nor checked in.
        customers[-1].write(
            {"relationship_phase": "dissolution", "relationship_dissolution_reason": "other"}
        )
        # Every day of a year, over a year's end and a February 28 of a common year.
        day, checked = date(2026, 3, 10), 0
        while day < date(2027, 3, 15):
            selected, computed = self.due_keys(customers, day)
            self.assertEqual(selected, computed, f"on {day}")
            checked += len(selected)
            if selected:
                with self.freeze(day):
                    self.run_cron()
            day += timedelta(days=1)
        self.assertGreater(checked, 20)
        birthdays = self.followups(customers[0], self.rule["birthday"])
        self.assertEqual(birthdays.mapped("date_due"), [date(2027, 2, 28)], "February 29")

    def test_birthday_over_the_year_end(self):
        self.only("birthday")
        eve = self.customer("Eve Newyear", relationship_birthday=date(1980, 1, 3))
        late = self.customer("Sylvester Late", relationship_birthday=date(1981, 12, 30))
        self.assertEqual(late.relationship_next_birthday, date(2026, 12, 30))
        with self.freeze("2026-12-28"):
            self.run_cron()
        # Created 7 days ahead: Eve's birthday of next year is due already.
        self.assertEqual(self.followups(eve).mapped("occurrence_key"), ["birthday:2027-01-03"])
        self.assertEqual(self.followups(late).mapped("date_due"), [date(2026, 12, 30)])
        self.followups(late).activity_id.unlink()
        with self.freeze("2027-01-02"):
            self.run_cron()
            # Cancelled is not made again; the next birthday is a year away.
            self.assertEqual(late.relationship_next_birthday, date(2027, 12, 30))
        self.assertEqual(len(self.followups(late)), 1)
        self.assertEqual(len(self.followups(eve)), 1)

    def test_birthday_not_yet_moved_on(self):
        """A next birthday the daily run has not moved on yet (it missed days) is
        still followed up while not too late, once."""
        self.only("birthday")
        ada = self.customer("Ada Lovelace", relationship_birthday=date(1990, 3, 12))
        with self.freeze("2026-03-16"):
            self.run_cron()
            self.assertEqual(ada.relationship_next_birthday, date(2027, 3, 12))
        self.assertEqual(self.followups(ada).mapped("occurrence_key"), ["birthday:2026-03-12"])
        self.assertEqual(self.followups(ada).activity_id.date_deadline, date(2026, 3, 12))

    def test_served_customers_are_not_read_again(self):
        self.only(*DATE_RULES)
        served = self.customer(
            "Ada Lovelace", relationship_birthday=date(1990, 3, 12), relationship_level="proactive"
        )
        self.buy(served, 358, 90)
        self.customer("Bob Basic")
        self.run_cron()
        self.assertEqual(
            sorted(self.followups(served).mapped("rule_id.code")),
            ["anniversary", "birthday", "checkin_proactive"],
        )
        self.followups(served, self.rule["birthday"]).activity_id.action_feedback("Card sent")
        rules = self.date_rules()
        domain = [("relationship_stage_id", "!=", False)]
        self.assertEqual(rules._followup_due_pairs(domain, date(2026, 3, 10)), [])
        calls = []
        original = RelationshipFollowupRule._followup_date_candidate

        def spy(rule, partner, *args):
            calls.append(partner.name)
            return original(rule, partner, *args)

        with patch.object(RelationshipFollowupRule, "_followup_date_candidate", spy):
            self.run_cron()
            self.assertEqual(calls, [], "nothing due: no customer read")
            # The next day, the check-in is not due again (60 days after the last).
            with self.freeze("2026-03-11"):
                self.run_cron()
            self.assertEqual(calls, [])
        self.assertEqual(len(self.followups(served)), 3)


@tagged("post_install", "-at_install")
class TestIngestionQueries(FollowupCase):
    """A batch of purchases costs a number of queries that does not grow with the
    number of customers, and so do its follow-ups, made by the cron."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.known = cls.env["res.partner"].create(
            [
                {
                    "name": f"Known Customer {n}",
                    "email": f"known{n}@example.com",
                    "company_id": cls.company.id,
                    "user_id": cls.salesperson.id,
                    # The level whose salesperson calls after a sale.
                    "relationship_level": "accountable",
                    "relationship_level_set_by_hand": True,
                }
                for n in range(130)
            ]
        )
        # Existing customers: each bought once last year (too long ago for a
        # thank-you call).
        cls.env["relationship.purchase"].create(
            [
                {
                    "source": "pos",
                    "external_id": f"known-{customer.id}",
                    "partner_id": customer.id,
                    "date_order": "2025-06-01 08:00:00",
                    "amount": 100.0,
                    "company_id": cls.company.id,
                }
                for customer in cls.known
            ]
        )
        cls.known._relationship_advance_stages()

    def rows(self, customers, tag):
        return [
            self.row(
                f"{tag}-{customer.id}",
                customer_id=False,
                email=customer.email,
                name=customer.name,
                order_date="2026-03-09 10:00:00",
            )
            for customer in customers
        ]

    def queries(self, customers, tag):
        """The queries of the batch, then those of the cron making its follow-ups."""
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.ingest(self.rows(customers, tag))
        self.env.flush_all()
        ingested = self.env.cr.sql_log_count
        self.env.invalidate_all()
        self.env["relationship.purchase"]._cron_relationship_followup_purchases()
        self.env.flush_all()
        return ingested - before, self.env.cr.sql_log_count - ingested

    def small_and_large(self, what):
        """The queries of a batch of 45 customers and of its follow-ups,
        checked to be those of a batch of 5, after two batches that warm the
        caches (as a connector's earlier batches do)."""
        self.queries(self.known[:5], "warm")
        self.queries(self.known[5:10], "warm")
        # The cron creates two activities per customer: 45 customers stay under
        # the 100 rows that the ORM inserts at once outside an ingestion batch.
        small = self.queries(self.known[10:15], "small")
        large = self.queries(self.known[15:60], "large")
        _logger.info(
            "Ingestion %s: %s queries for 5 customers, %s for 45; their follow-ups: %s and %s",
            what,
            small[0],
            large[0],
            small[1],
            large[1],
        )
        self.assertEqual(small, large, "the same number of queries for 5 and 45 customers")
        return large

    def test_thank_you_calls_in_constant_queries(self):
        self.only("thank_you_call", "satisfaction_check")
        self.rule["thank_you_call"].note = "<p>Call {first_name} ({orders} orders, {revenue}).</p>"
        large = self.small_and_large("with thank-you calls")
        # The batch no longer makes the activities (57 queries when it did): it
        # flags its purchases and wakes the cron up; 2 record it on its sync run, 2
        # read the order dates that date its moves (true dates), 2 date again the
        # moves of the buyers who stay where they are (an old order arriving late).
        self.assertLessEqual(large[0], 36)
        customer = self.known[40]
        self.assertEqual(
            sorted(self.activities(customer).mapped("summary")),
            [f"Check that {customer.name} is satisfied", f"Thank {customer.name} for the purchase"],
        )
        thanks = self.followups(customer, self.rule["thank_you_call"]).activity_id
        self.assertEqual(thanks.date_deadline, date(2026, 3, 10))
        self.assertIn("Call Known (2 orders, ", thanks.note)
        self.assertIn("200.00", thanks.note)
        self.assertEqual(
            self.followups().partner_id, self.known[:60], "none for last year's purchases"
        )

    def test_welcomes_in_constant_queries(self):
        """The stage moves of a batch leave their follow-ups to the cron too."""
        self.only("welcome_member")
        # The shipped welcome, for the rung the batches' customers reach.
        self.rule["welcome_member"].write(
            {"stage_ids": self.stage_repeat.ids, "action": "activity"}
        )
        large = self.small_and_large("with welcomes")
        # No more than without the welcomes (51 queries when the batch made them):
        # it flags the moves and wakes the cron up; 2 record it on its sync run, 2
        # read the order dates that date its moves (true dates), 2 date again the
        # moves of the buyers who stay where they are (an old order arriving late).
        self.assertLessEqual(large[0], 36)
        customer = self.known[40]
        self.assertEqual(customer.relationship_stage_id, self.stage_repeat)
        self.assertEqual(
            self.activities(customer).mapped("summary"), [f"Welcome {customer.name} as a member"]
        )
        # a day after the move, which is dated at its order (2026-03-09)
        self.assertEqual(self.activities(customer).date_deadline, date(2026, 3, 10))
        self.assertFalse(self.env["relationship.stage.history"].search(PENDING))
        self.assertEqual(self.followups().partner_id, self.known[:60])
