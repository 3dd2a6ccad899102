# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        # A user creating a company may not manage relationship stages; the
        # ladder is part of the company's set-up, like its default journals.
        self.env["relationship.stage"].sudo()._create_default_ladder(companies)
        return companies
