# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class ClubCase(AccountTestInvoicingCommon):
    """A company with its accounting, its ladder, a paid club invoiced through
    Odoo's membership product, and a client who is not a member yet."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.env.user.groups_id += cls.env.ref("relationship_marketing.group_relationship_manager")
        stages = cls.env["relationship.stage"].search([("company_id", "=", cls.company.id)])
        cls.stage_of = dict(
            zip(["prospect", "first", "repeat", "client", "member"], stages, strict=False)
        )
        cls.today = fields.Date.context_today(cls.env.user)
        cls.product = cls.env["product.product"].create(
            {
                "name": "Trail Club Membership",
                "membership": True,
                "type": "service",
                "list_price": 60.0,
                "membership_date_from": cls.today - timedelta(days=10),
                "membership_date_to": cls.today + timedelta(days=355),
                "taxes_id": False,
            }
        )
        cls.club = cls.env["relationship.programme"].create(
            {
                "name": "Trail Club",
                "kind": "club",
                "club_access": "paid",
                "auto_enrol": False,
                "fee": 60.0,
                "membership_product_id": cls.product.id,
                "company_id": cls.company.id,
            }
        )
        cls.ada = cls.client("Ada Lovelace")

    @classmethod
    def client(cls, name, **values):
        """A customer of the company who bought three times this year: a Client."""
        partner = cls.env["res.partner"].create(
            dict({"name": name, "company_id": cls.company.id, "street": "1 Main St"}, **values)
        )
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

    def pay(self, invoices):
        invoices.filtered(lambda i: i.state == "draft").action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoices.ids
        ).create({})._create_payments()
        self.end_transaction()

    def membership_of(self, partner, club=None):
        return self.env["relationship.membership"].search(
            [("partner_id", "=", partner.id), ("programme_id", "=", (club or self.club).id)]
        )
