# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class RelationshipCustomerRef(models.Model):
    """The id a source system gives to one of our customers.

    Ingestion matches customers by this reference first, so that a customer
    who changes email stays the same partner.
    """

    _name = "relationship.customer.ref"
    _description = "Customer Reference in a Source System"
    _order = "source, external_id"
    _rec_name = "external_id"
    _check_company_auto = True

    source = fields.Char(required=True, help="The system that sent the reference.")
    external_id = fields.Char(
        string="Customer ID", required=True, help="The customer's id in that system."
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )

    _sql_constraints = [
        (
            "source_external_company_uniq",
            "UNIQUE(source, external_id, company_id)",
            "A source system's customer id points to one customer per company.",
        ),
    ]
