# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models


class RelationshipFollowupPreview(models.TransientModel):
    _inherit = "relationship.followup.preview"

    @api.model
    def _assignment(self, rule, user):
        if rule.action == "opportunity" and user:
            return _("Opportunity for %(user)s", user=user.name)
        return super()._assignment(rule, user)
