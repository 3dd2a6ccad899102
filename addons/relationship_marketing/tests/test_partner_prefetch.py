# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import tagged

from ..models.res_partner import RELATIONSHIP_PREFETCH
from .common import RelationshipCase


@tagged("post_install", "-at_install")
class TestPartnerPrefetch(RelationshipCase):
    """The relationship's columns are read when a relationship field is, not
    with every partner that Odoo reads (names, record rules, Contacts)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.partners = cls.Partner.create(
            [{"name": f"Customer {n}", "email": f"c{n}@example.com"} for n in range(5)]
        )

    def test_every_relationship_column_is_in_the_group(self):
        ours = {
            name: field.prefetch
            for name, field in self.Partner._fields.items()
            if field.store
            and field.column_type
            and (field._module or "").startswith("relationship_marketing")
        }
        self.assertGreater(len(ours), 40)
        self.assertEqual(
            {name for name, prefetch in ours.items() if prefetch != RELATIONSHIP_PREFETCH},
            set(),
            "a stored relationship field on res.partner without prefetch=RELATIONSHIP_PREFETCH",
        )

    def test_a_name_reads_no_relationship_column(self):
        self.env.invalidate_all()
        partners = self.Partner.browse(self.partners.ids)
        with self._sent_statements('SELECT "res_partner".') as selects:
            emails = partners.mapped("email")
        self.assertEqual(emails, [f"c{n}@example.com" for n in range(5)])
        self.assertTrue(selects)
        self.assertNotIn("relationship_", " ".join(selects))

    def test_a_relationship_field_reads_the_group_at_once(self):
        self.env.invalidate_all()
        partners = self.Partner.browse(self.partners.ids)
        partners.mapped("name")
        with self._sent_statements('SELECT "res_partner".') as selects:
            self.assertEqual(partners.mapped("relationship_order_count"), [0] * 5)
            self.assertFalse(partners.mapped("relationship_stage_id"))
        self.assertEqual(len(selects), 1)
        self.assertIn("relationship_stage_id", selects[0])
        self.assertNotIn('"email"', selects[0])
