# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime

from odoo.tests import tagged

from .common_depth import DepthCase


@tagged("post_install", "-at_install")
class TestFollowDocuments(DepthCase):
    """The loop by which the bridges' purchases follow their documents
    (``relationship.purchase._relationship_follow_documents``), on documents
    the core has: contacts, linked by ``partner_id``, as a bridge's documents
    are by their own field."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.ada = cls.new_customer()
        cls.bob = cls.new_customer("Bob Byron")
        cls.documents = cls.ada | cls.bob

    def setUp(self):
        super().setUp()
        self.amounts = {}
        self.refunds_asked = []

    def values_of(self, document, purchase):
        amount = self.amounts.get(document.id)
        if amount is None:
            return None
        return {
            "date_order": datetime(2026, 1, 5),
            "amount": amount,
            "currency_id": self.company.currency_id.id,
            "state": "done",
        }

    def refunds(self, Purchase):
        self.refunds_asked.append(Purchase.env.context.get("relationship_ingest"))
        return Purchase

    def follow(self):
        return (
            self.env["relationship.purchase"]
            .sudo()
            ._relationship_follow_documents(
                self.documents, "partner_id", "odoo.test", self.values_of, "Tests", self.refunds
            )
        )

    def test_create_write_cancel_revive(self):
        self.amounts.update({self.ada.id: 100.0})
        created = self.follow()
        self.assertEqual(created.partner_id, self.ada)
        self.assertRecordValues(
            created,
            [
                {
                    "source": "odoo.test",
                    "external_id": str(self.ada.id),
                    "company_id": self.company.id,
                    "amount": 100.0,
                    "state": "done",
                }
            ],
        )
        self.assertEqual(self.refunds_asked, [True])
        self.assertEqual(self.ada.relationship_stage_id, self.stage_first_time)
        self.assertEqual(self.ada.relationship_order_count, 1)
        self.assertFalse(self.bob.relationship_order_count)

        # the same values: nothing written
        self.assertFalse(self.follow())

        # a changed document is written, a new one created
        self.amounts.update({self.ada.id: 80.0, self.bob.id: 30.0})
        written = self.follow()
        self.assertEqual(written.partner_id, self.ada | self.bob)
        self.assertEqual(created.amount, 80.0)

        # a document that is no purchase any more cancels its purchase
        del self.amounts[self.ada.id]
        self.assertEqual(self.follow(), created)
        self.assertEqual(created.state, "cancel")
        self.assertFalse(self.ada.relationship_order_count)
        # the ladder stays where it was
        self.assertEqual(self.ada.relationship_stage_id, self.stage_first_time)

        # and a purchase again revives it
        self.amounts[self.ada.id] = 80.0
        self.assertEqual(self.follow(), created)
        self.assertEqual(created.state, "done")
        self.assertEqual(self.ada.relationship_order_count, 1)
