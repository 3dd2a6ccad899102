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

    @api.model
    def _rule_applies(self, rule, partner, facts):
        # What an opportunity rule would leave out (no key customer, an open
        # opportunity) is no follow-up in store for the customer.
        if rule.action == "opportunity" and partner.id in rule._relationship_opportunity_skips(
            partner
        ):
            return False
        return super()._rule_applies(rule, partner, facts)
