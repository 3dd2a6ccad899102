# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from ..tools.batch import write_each
from .common import RelationshipCase


@tagged("post_install", "-at_install")
class TestBatchStatements(RelationshipCase):
    """``write_each`` writes different values to many records with one access
    check, and leaves the statements to the ORM: one UPDATE per set of changed
    columns and per hundred rows."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partners = cls.Partner.create(
            [{"name": f"Customer {n}", "ref": f"R{n}"} for n in range(250)]
        )

    def test_different_values_in_the_orm_statements(self):
        # 250 customers, each its own reference; the first 10 also get a phone.
        vals = {p.id: {"ref": f"NEW-{p.id}"} for p in self.partners}
        for partner in self.partners[:10]:
            vals[partner.id]["phone"] = f"+32 2 555 00 {partner.id % 100:02}"
        self.env.flush_all()
        with self._sent_statements('UPDATE "res_partner"') as sent:
            write_each(self.Partner, vals)
            self.env.flush_all()
        # ceil(240 / 100) for the reference alone, one for the 10 with a phone.
        self.assertEqual(len(sent), 4)
        self.env.invalidate_all()
        self.assertEqual(self.partners.mapped("ref"), [f"NEW-{p.id}" for p in self.partners])
        self.assertEqual(
            self.partners[:10].mapped("phone"),
            [f"+32 2 555 00 {p.id % 100:02}" for p in self.partners[:10]],
        )
        self.assertFalse(self.partners[10:].filtered("phone"), "the others keep no phone")

    def test_the_access_check_is_for_the_whole_set(self):
        clerk = new_test_user(self.env, login="rm_batch_clerk", groups="base.group_portal")
        with self.assertRaises(AccessError):
            write_each(self.Partner.with_user(clerk), {self.partners[0].id: {"ref": "X"}})
        self.assertEqual(self.partners[0].ref, "R0")

    def test_own_write_path(self):
        written = []

        def write(records, vals):
            written.append((records.ids, vals))
            return records.write(vals)

        first, second = self.partners[:2]
        write_each(self.Partner, {first.id: {"ref": "A"}, second.id: {"ref": "A"}}, write=write)
        self.assertEqual(written, [([first.id, second.id], {"ref": "A"})], "one call per values")
        self.assertEqual((first | second).mapped("ref"), ["A", "A"])
