# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class RelationshipStage(models.Model):
    _inherit = "relationship.stage"

    require_interest = fields.Boolean(
        string="Requires Interest Shown",
        help="The contact has an open lead or opportunity in CRM, has bought already "
        "(a buyer has shown interest), or was put on the ladder. Ticked on the first "
        "rung, Prospect, as shipped with CRM: only people who showed interest become "
        "prospects by themselves.",
    )

    def _qualifies(self, figures):
        return super()._qualifies(figures) and (
            not self.require_interest or figures.get("interest", True)
        )

    @api.model
    def _default_ladder_values(self):
        values = super()._default_ladder_values()
        # With CRM, interest shown is what makes a prospect (issue 19).
        if values:
            values[0]["require_interest"] = True
        return values

    @api.model
    def _relationship_first_rungs(self):
        """The first rung of each company's ladder."""
        first = {}
        for stage in self.search([]).sorted(lambda s: (s.sequence, s.id), reverse=True):
            first[stage.company_id] = stage
        return self.browse([stage.id for stage in first.values()])
