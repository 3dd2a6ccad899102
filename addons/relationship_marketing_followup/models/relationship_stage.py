# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class RelationshipStage(models.Model):
    _inherit = "relationship.stage"

    def write(self, vals):
        result = super().write(vals)
        if "sequence" in vals:
            # The follow-up rules on reaching a stage compare sequences.
            self.env.registry.clear_cache()
        return result
