# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class RelationshipStage(models.Model):
    _inherit = "relationship.stage"

    require_interest = fields.Boolean(
        string="Requires Interest Shown",
        help="The customer has an open lead or opportunity in CRM, or has bought "
        "already (a buyer has shown interest). Tick it on the first rung, Prospect, "
        "so that only people who showed interest are prospects.",
    )

    def _qualifies(self, figures):
        return super()._qualifies(figures) and (
            not self.require_interest or figures.get("interest", True)
        )
