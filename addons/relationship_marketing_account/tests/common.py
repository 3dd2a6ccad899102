# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import Form, new_test_user

from odoo.addons.relationship_marketing.tests.common import RelationshipCase


class InvoiceCase(RelationshipCase):
    """The company, with its accounting, invoices a tent (10% tax on top)
    through an invoicing user who has no relationship rights; a company
    customer buys through its buyer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.country_id = cls.env.ref("base.us")
        cls.load_accounting(cls.company)
        cls.clerk = cls.new_clerk("rm_clerk", cls.company)
        cls.tax = cls.env["account.tax"].create(
            {
                "name": "VAT 10%",
                "amount": 10.0,
                "type_tax_use": "sale",
                "company_id": cls.company.id,
                "country_id": cls.company.country_id.id,
            }
        )
        cls.tent = cls.env["product.product"].create(
            {"name": "Trail Tent", "list_price": 200.0, "company_id": False}
        )
        cls.acme = cls.Partner.create({"name": "Acme Hiking Club", "is_company": True})
        cls.buyer = cls.Partner.create({"name": "Grace Hopper", "parent_id": cls.acme.id})
        cls.ada = cls.Partner.create({"name": "Ada Lovelace"})

    @classmethod
    def load_accounting(cls, company):
        cls.env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)

    @classmethod
    def new_clerk(cls, login, company):
        return new_test_user(
            cls.env,
            login=login,
            groups="base.group_user,account.group_account_invoice",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )

    @classmethod
    def env_of(cls, user, company=None):
        company = company or cls.company
        return cls.env(user=user, context=dict(cls.env.context, allowed_company_ids=company.ids))

    @classmethod
    def invoice(
        cls, partner, qty=1, price=200.0, user=None, company=None, currency=None, date="2026-03-02"
    ):
        """An invoice made in the form and posted, as an invoicing user does."""
        user = user or cls.clerk
        env = cls.env_of(user, company)
        tax = env["account.tax"].search(
            [("company_id", "=", env.company.id), ("name", "=", "VAT 10%")], limit=1
        )
        with Form(env["account.move"].with_context(default_move_type="out_invoice")) as form:
            form.partner_id = partner
            form.invoice_date = date
            if currency:
                form.currency_id = currency
            with form.invoice_line_ids.new() as line:
                line.product_id = cls.tent
                line.quantity = qty
                line.price_unit = price
                line.tax_ids.clear()
                if tax:
                    line.tax_ids.add(tax)
        move = form.record
        move.action_post()
        # the test reads the invoice as the administrator; each test says who acts
        return move.with_env(cls.env)

    @classmethod
    def credit_note(cls, invoice, qty=None, user=None):
        """The credit note of ``invoice`` made with *Credit Note* and posted;
        ``qty`` gives back part of its first line only."""
        env = cls.env_of(user or cls.clerk, invoice.company_id)
        wizard = (
            env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"reason": "Returned", "journal_id": invoice.journal_id.id})
        )
        action = wizard.refund_moves()
        note = env["account.move"].browse(action["res_id"])
        if qty is not None:
            with Form(note) as form:
                with form.invoice_line_ids.edit(0) as line:
                    line.quantity = qty
        note.action_post()
        return note.with_env(cls.env)

    def purchase_of(self, move):
        return self.env["relationship.purchase"].search([("invoice_id", "=", move.id)])

    def purchases(self):
        """The purchases of the test's company (the database may hold demo data)."""
        return self.env["relationship.purchase"].search([("company_id", "=", self.company.id)])
