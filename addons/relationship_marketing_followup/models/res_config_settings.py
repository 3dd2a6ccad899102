# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    relationship_followup_user_id = fields.Many2one(
        related="company_id.relationship_followup_user_id", readonly=False
    )
