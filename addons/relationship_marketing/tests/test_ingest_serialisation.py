# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import closing

from psycopg2.errors import SerializationFailure

from odoo import Command
from odoo.exceptions import UserError
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL

from ..tools.ingest_lock import TABLE
from .common import RelationshipCase


def _batch_count(cr, company_id):
    cr.execute(
        SQL(
            "SELECT batch_count FROM %s WHERE company_id = %s",
            SQL.identifier(TABLE),
            company_id,
        )
    )
    row = cr.fetchone()
    return row[0] if row else 0


@tagged("post_install", "-at_install")
class TestIngestLockRow(RelationshipCase):
    """Every batch, even a dry run, writes its company's row first."""

    def test_each_batch_writes_its_company_row(self):
        before = _batch_count(self.env.cr, self.company.id)
        self.ingest([self.row("1")])
        self.ingest([self.row("2")], dry_run=True)
        self.ingest([self.row("bad", amount="twelve")])
        self.assertEqual(_batch_count(self.env.cr, self.company.id), before + 3)
        # The dry run still answers, and wrote nothing else.
        self.assertEqual(
            self.env["relationship.purchase"]
            .search([("company_id", "=", self.company.id)])
            .mapped("external_id"),
            ["1"],
        )

    def test_companies_do_not_wait_for_each_other(self):
        other = self.env["res.company"].create({"name": "Other Goods Ltd"})
        self.user.company_ids |= other
        before = _batch_count(self.env.cr, self.company.id)
        answer = self.Purchase.with_company(other).ingest_batch([self.row("1")], "webshop")
        self.assertEqual(self.statuses(answer), ["created"])
        self.assertEqual(_batch_count(self.env.cr, other.id), 1)
        self.assertEqual(_batch_count(self.env.cr, self.company.id), before)

    def test_a_rejected_source_takes_no_row(self):
        before = _batch_count(self.env.cr, self.company.id)
        with self.assertRaises(UserError):
            self.ingest([self.row("1")], source="")
        self.assertEqual(_batch_count(self.env.cr, self.company.id), before)


@tagged("post_install", "-at_install")
class TestIngestStaleSnapshot(TransactionCase):
    """A batch whose snapshot predates another batch of its company is refused.

    Odoo's RPC layer (``odoo.service.model.retrying``) then replays the
    request with a fresh snapshot, which sees what the other batch created.
    This class's transaction plays the late batch: its snapshot was taken
    when the class started. A second connection plays the batch that
    committed in the meantime, on a company both can see (the main company:
    committed before the test began).
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("base.main_company")
        cls.user = new_test_user(
            cls.env,
            login="rm_late_batch",
            groups="base.group_user,relationship_marketing.group_relationship_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )

    def _commit_other_batch(self):
        """Write the company's row from another connection, and commit: what
        another batch of the company does. Returns how to undo it."""
        with closing(db_connect(self.env.cr.dbname).cursor()) as other:
            other.execute(
                SQL(
                    "SELECT batch_count FROM %s WHERE company_id = %s",
                    SQL.identifier(TABLE),
                    self.company.id,
                )
            )
            previous = other.fetchone()
            other.execute(
                SQL(
                    """INSERT INTO %(table)s AS lock (company_id, batch_count)
                       VALUES (%(company)s, 1) ON CONFLICT (company_id)
                       DO UPDATE SET batch_count = lock.batch_count + 1""",
                    table=SQL.identifier(TABLE),
                    company=self.company.id,
                )
            )
            other.commit()
        return previous

    def _undo_other_batch(self, previous):
        with closing(db_connect(self.env.cr.dbname).cursor()) as other:
            if previous:
                other.execute(
                    SQL(
                        "UPDATE %s SET batch_count = %s WHERE company_id = %s",
                        SQL.identifier(TABLE),
                        previous[0],
                        self.company.id,
                    )
                )
            else:
                other.execute(
                    SQL(
                        "DELETE FROM %s WHERE company_id = %s",
                        SQL.identifier(TABLE),
                        self.company.id,
                    )
                )
            other.commit()

    def test_a_batch_that_cannot_see_the_last_batch_is_refused(self):
        Purchase = self.env["relationship.purchase"].with_user(self.user)
        row = {
            "order_id": "late-1",
            "order_date": "2026-03-01 10:00:00",
            "email": "late-1@example.com",
            "amount": 10,
        }
        # Fix this transaction's snapshot before the other batch commits.
        Purchase.ingest_info()
        previous = self._commit_other_batch()
        self.addCleanup(self._undo_other_batch, previous)
        with self.assertRaises(SerializationFailure), self.env.cr.savepoint():
            Purchase.ingest_batch([row], "webshop")
        self.env.invalidate_all()
        self.assertFalse(self.env["res.partner"].search([("email", "=", "late-1@example.com")]))
        self.assertFalse(self.env["relationship.purchase"].search([("external_id", "=", "late-1")]))
