# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from .pos_order import PAID_STATES


class RelationshipBackfill(models.Model):
    _inherit = "relationship.backfill"

    @api.model
    def _relationship_backfill_sources(self):
        sources = super()._relationship_backfill_sources()
        # the paid orders, in id order (an order before the refunds of it); a
        # draft or cancelled order was never a purchase
        sources["pos"] = (
            "pos.order",
            [("state", "in", PAID_STATES)],
            "_relationship_follow_pos_orders",
        )
        return sources
