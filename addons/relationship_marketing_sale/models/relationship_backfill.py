# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class RelationshipBackfill(models.Model):
    _inherit = "relationship.backfill"

    @api.model
    def _relationship_backfill_sources(self):
        sources = super()._relationship_backfill_sources()
        # the confirmed orders: a quotation, or an order cancelled before the
        # bridge came, was never a purchase
        sources["sale"] = ("sale.order", [("state", "=", "sale")], "_relationship_follow_orders")
        return sources
