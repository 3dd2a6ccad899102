# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.relationship_marketing.tests.common import RelationshipCase


class CrmCase(RelationshipCase):
    """The core's company and ladder, a salesperson with a sales team."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Lead = cls.env["crm.lead"]
        cls.salesperson = new_test_user(
            cls.env,
            login="rm_crm_seller",
            name="Sam Seller",
            groups="sales_team.group_sale_salesman,relationship_marketing.group_relationship_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        # As shipped with CRM (the core's tests turn it off): only people who
        # showed interest are prospects.
        cls.stage_prospect.require_interest = True
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Outdoor sales",
                "company_id": cls.company.id,
                "member_ids": [Command.set(cls.salesperson.ids)],
            }
        )

    def contact(self, name, **values):
        return self.Partner.create(
            {
                "name": name,
                "company_id": self.company.id,
                "user_id": self.salesperson.id,
                **values,
            }
        )

    def lead(self, partner, **values):
        return self.Lead.with_user(self.salesperson).create(
            {"name": f"Interest of {partner.name}", "partner_id": partner.id, **values}
        )

    def buy(self, partner, days_ago=1, amount=80.0):
        return self.env["relationship.purchase"].create(
            {
                "source": "pos",
                "external_id": f"{partner.id}-{days_ago}-{amount}",
                "partner_id": partner.id,
                "date_order": fields.Datetime.now() - timedelta(days=days_ago),
                "amount": amount,
                "company_id": self.company.id,
            }
        )
