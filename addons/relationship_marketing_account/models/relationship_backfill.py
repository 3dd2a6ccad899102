# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from .account_move import MOVE_TYPES


class RelationshipBackfill(models.Model):
    _inherit = "relationship.backfill"

    @api.model
    def _relationship_backfill_sources(self):
        sources = super()._relationship_backfill_sources()
        # the posted customer invoices and credit notes, in id order (an
        # invoice before the credit notes that reverse it); those of a sale or
        # POS order are their bridge's, and the method leaves them out
        sources["account"] = (
            "account.move",
            [("state", "=", "posted"), ("move_type", "in", MOVE_TYPES)],
            "_relationship_follow_moves",
        )
        return sources
