# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models

from .res_company import RELATIONSHIP_SETTINGS, write_relationship_settings


class RelationshipSettings(models.TransientModel):
    """The relationship settings of the current company, for relationship managers.

    Administrators find the same settings in Settings > Relationships; the
    relationship managers, who may not open the general settings, change
    them here (res.company lets them write these fields only).
    """

    _name = "relationship.settings"
    _inherit = "relationship.settings.mixin"
    _description = "Relationship Settings"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        readonly=True,
        default=lambda self: self.env.company,
        help="The company whose relationship settings these are.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        write_relationship_settings(self.env, vals_list)
        return super().create(vals_list)

    def write(self, vals):
        for company in self.company_id:
            write_relationship_settings(self.env, [dict(vals, company_id=company.id)])
        return super().write(
            {key: value for key, value in vals.items() if key not in RELATIONSHIP_SETTINGS}
        )

    def action_save(self):
        """The values are saved with the record; say so."""
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _("The relationship settings of %s are saved.", self.company_id.name),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }
