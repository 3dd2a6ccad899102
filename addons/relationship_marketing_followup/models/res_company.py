# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    relationship_followup_user_id = fields.Many2one(
        "res.users",
        string="Follow-ups Fallback User",
        domain="[('share', '=', False)]",
        help="Gets the follow-ups that nobody else can take: no salesperson, no default "
        "salesperson of the segment, no fallback user on the rule. Empty: such "
        "follow-ups are not created (the preview tells why).",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        # The playbook is part of the company's set-up, like its ladder; the
        # user creating a company may not manage follow-up rules.
        self.env["relationship.followup.rule"].sudo()._create_default_rules(companies)
        return companies
