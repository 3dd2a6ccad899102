# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from .res_company import write_relationship_settings


class ResConfigSettings(models.TransientModel):
    _name = "res.config.settings"
    _inherit = ["res.config.settings", "relationship.settings.mixin"]

    @api.model_create_multi
    def create(self, vals_list):
        write_relationship_settings(self.env, vals_list)
        return super().create(vals_list)
