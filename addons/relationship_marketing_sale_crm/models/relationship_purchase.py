# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class RelationshipPurchase(models.Model):
    _inherit = "relationship.purchase"

    # The opportunity adds no purchase of its own (relationship_marketing_crm
    # makes none): the sale is its confirmed order, counted once, which tells
    # where it came from.
    opportunity_id = fields.Many2one(
        related="sale_order_id.opportunity_id",
        string="Opportunity",
        groups="sales_team.group_sale_salesman",
        help="The CRM opportunity the sale order came from.",
    )
