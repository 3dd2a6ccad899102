# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        # The playbook is part of the company's set-up, like its ladder; the
        # user creating a company may not manage follow-up rules.
        self.env["relationship.followup.rule"].sudo()._create_default_rules(companies)
        return companies
