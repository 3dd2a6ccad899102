# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import contextmanager
from unittest.mock import patch

from odoo import models
from odoo.tests import tagged

from ..tools.batch import whole_batch_statements
from .common import RelationshipCase


@tagged("post_install", "-at_install")
class TestBatchStatements(RelationshipCase):
    """An ingestion batch writes each table in one statement, and the rows
    read back exactly as the ORM's own statements would have left them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partners = cls.Partner.create(
            [
                {"name": f"Customer {n}", "phone": f"+32 2 555 00 0{n}", "ref": f"R{n}"}
                for n in range(3)
            ]
        )

    @contextmanager
    def _statements(self, prefix):
        """The statements starting with ``prefix`` sent inside the block."""
        sent = []
        execute = type(self.env.cr).execute

        def spy(cr, query, params=None, log_exceptions=True):
            code = str(getattr(query, "code", query)).strip()
            if code.startswith(prefix):
                sent.append(code)
            return execute(cr, query, params, log_exceptions)

        with patch.object(type(self.env.cr), "execute", spy):
            yield sent

    def _write_three(self):
        first, second, third = self.partners
        # Each customer changes different columns; one sets a column empty.
        first.phone = "+32 2 555 99 00"
        second.write({"phone": False, "ref": "R-changed"})
        third.ref = "R-third"
        self.env.flush_all()

    def _assert_three_written(self):
        self.env.invalidate_all()
        self.assertEqual(
            [(p.phone, p.ref, p.write_uid) for p in self.partners],
            [
                ("+32 2 555 99 00", "R0", self.env.user),
                (False, "R-changed", self.env.user),
                ("+32 2 555 00 02", "R-third", self.env.user),
            ],
            "each customer keeps the columns it did not change",
        )

    def test_updates_of_different_columns_are_one_statement(self):
        with whole_batch_statements(1000), self._statements('UPDATE "res_partner"') as sent:
            self._write_three()
        self.assertEqual(len(sent), 1)
        self._assert_three_written()

    def test_same_rows_as_the_orm_outside_a_batch(self):
        with self._statements('UPDATE "res_partner"') as sent:
            self._write_three()
        self.assertEqual(len(sent), 3, "one per set of columns")
        self._assert_three_written()

    def test_translated_fields_go_the_orm_way(self):
        # The ORM merges a translated value into the other languages' ones;
        # a plain column write would drop them.
        self.env["res.lang"]._activate_lang("fr_FR")
        stages = self.stages[:2]
        stages[0].with_context(lang="fr_FR").name = "Client potentiel"
        self.env.flush_all()
        with whole_batch_statements(1000):
            stages[0].name = "Suspect"
            stages[1].write({"name": "Buyer", "sequence": 99})
            self.env.flush_all()
        self.env.invalidate_all()
        self.assertEqual(stages.mapped("name"), ["Suspect", "Buyer"])
        self.assertEqual(stages[1].sequence, 99)
        self.assertEqual(stages[0].with_context(lang="fr_FR").name, "Client potentiel")

    def test_inserts_are_one_statement_and_the_limit_comes_back(self):
        default = models.INSERT_BATCH_SIZE
        with (
            whole_batch_statements(1000),
            whole_batch_statements(1000),
            self._statements('INSERT INTO "res_partner"') as sent,
        ):
            self.Partner.create([{"name": f"Bulk {n}"} for n in range(250)])
        self.assertEqual(len(sent), 1)
        self.assertEqual(self.Partner.search_count([("name", "=like", "Bulk %")]), 250)
        self.assertEqual(models.INSERT_BATCH_SIZE, default)
        with self.assertRaises(ZeroDivisionError), whole_batch_statements(1000):
            self.assertEqual(models.INSERT_BATCH_SIZE, 1000)
            _ = 1 / 0
        self.assertEqual(models.INSERT_BATCH_SIZE, default, "put back after an error too")
