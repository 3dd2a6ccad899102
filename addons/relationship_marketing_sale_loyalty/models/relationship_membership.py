# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.tools import SQL


class RelationshipMembership(models.Model):
    _inherit = "relationship.membership"

    def _relationship_card_purchases(self):
        # Odoo's loyalty rules put a sale order's points on the card when the
        # order is confirmed (sale_loyalty): its purchase earns nothing more.
        return SQL("%s AND p.sale_order_id IS NULL", super()._relationship_card_purchases())
