# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class RelationshipMembership(models.Model):
    _inherit = "relationship.membership"

    @api.model_create_multi
    def create(self, vals_list):
        memberships = super().create(vals_list)
        memberships.filtered(lambda m: m.state == "active")._relationship_followup_joined()
        return memberships

    def write(self, vals):
        activated = (
            self.filtered(lambda m: m.state != "active")
            if vals.get("state") == "active"
            else self.browse()
        )
        result = super().write(vals)
        activated._relationship_followup_joined()
        return result

    def _relationship_followup_joined(self):
        """Fire the 'Joining a membership programme' rules: once per membership."""
        today = fields.Date.today()
        events = [
            {
                "partner": membership.partner_id,
                "company": membership.company_id,
                "date": max(membership.date_start or today, today),
                "key": f"membership:{membership.id}",
                "origin": self.env._(
                    "Joined %(programme)s", programme=membership.programme_id.name
                ),
                "programme": membership.programme_id,
                "values": {"programme": membership.programme_id.name},
            }
            for membership in self
        ]
        self.env["relationship.followup.rule"]._followup_on_events("membership", events)
