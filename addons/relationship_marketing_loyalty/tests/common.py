# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields

from odoo.addons.relationship_marketing.tests.common import RelationshipCase


class CardCase(RelationshipCase):
    """A frequency programme with tiers, an Odoo loyalty card programme beside
    it, and a client."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref("relationship_marketing.group_relationship_manager")
        cls.program = cls.new_program("Trail Rewards")
        cls.programme = cls.env["relationship.programme"].create(
            {
                "name": "Trail Points",
                "kind": "frequency",
                "company_id": cls.company.id,
                "loyalty_program_id": cls.program.id,
                "tier_ids": [
                    (0, 0, {"name": "Silver", "threshold": 100}),
                    (0, 0, {"name": "Gold", "threshold": 250}),
                ],
            }
        )
        cls.silver, cls.gold = cls.programme.tier_ids.sorted("threshold")
        cls.ada = cls.client("Ada Lovelace")

    @classmethod
    def new_program(cls, name):
        """An Odoo loyalty card programme of the company, with Odoo's defaults."""
        return cls.env["loyalty.program"].create(
            {"name": name, "program_type": "loyalty", "company_id": cls.company.id}
        )

    @classmethod
    def client(cls, name):
        """A customer who bought three times this year for 100 each: a Client."""
        partner = cls.env["res.partner"].create({"name": name, "company_id": cls.company.id})
        cls.env["relationship.purchase"].create(
            [
                {
                    "partner_id": partner.id,
                    "source": "webshop",
                    "external_id": f"{name}-{days}",
                    "date_order": fields.Datetime.now() - timedelta(days=days),
                    "amount": 100.0,
                    "company_id": cls.company.id,
                }
                for days in (90, 60, 30)
            ]
        )
        return partner

    def end_transaction(self):
        """What the end of a request does: flush, then the precommit hooks."""
        self.env.flush_all()
        self.env.cr.flush()

    def card(self, partner, points=0.0, program=None):
        return self.env["loyalty.card"].create(
            {"program_id": (program or self.program).id, "partner_id": partner.id, "points": points}
        )

    def earn(self, card, points, description="Order"):
        """Points earned on the card, as Odoo's sales and point of sale do."""
        self.env["loyalty.history"].create(
            {"card_id": card.id, "description": description, "issued": points}
        )
        card.points += points

    def membership_of(self, partner):
        return self.env["relationship.membership"].search(
            [("partner_id", "=", partner.id), ("programme_id", "=", self.programme.id)]
        )
