# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class RelationshipStage(models.Model):
    _inherit = "relationship.stage"

    @api.model
    def _create_default_ladder(self, companies):
        """A new company's ladder comes with its newsletter lists."""
        stages = super()._create_default_ladder(companies)
        # Marketing configuration the company's creator may not manage.
        self.env["mailing.list"].sudo()._relationship_create_default_lists(stages)
        return stages
