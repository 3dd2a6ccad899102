# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta
from itertools import count

from odoo import fields

from .common import RelationshipCase

_ORDER_IDS = count(1)


class DepthCase(RelationshipCase):
    """Helpers to buy at given ages and to find the company's defaults."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Segment = cls.env["relationship.segment"]
        cls.segment_all = cls.Segment.search([("company_id", "=", cls.company.id)])
        cls.Programme = cls.env["relationship.programme"]
        cls.Membership = cls.env["relationship.membership"]

    @classmethod
    def new_customer(cls, name="Ada Lovelace", **values):
        return cls.env["res.partner"].create(
            dict({"name": name, "company_id": cls.company.id}, **values)
        )

    def buy(self, partner, *days_ago, amount=100.0, margin=0.0):
        """Purchases of the customer, ``days_ago`` days before now, entered by a user."""
        now = fields.Datetime.now()
        return self.Purchase.create(
            [
                {
                    "source": "pos",
                    "external_id": f"T-{next(_ORDER_IDS)}",
                    "partner_id": partner.id,
                    "date_order": now - timedelta(days=days),
                    "amount": amount,
                    "margin": margin,
                }
                for days in days_ago
            ]
        )

    def refresh(self):
        """Run the nightly recomputation to its end."""
        Partner = self.env["res.partner"]
        while Partner._cron_relationship_refresh():
            pass
