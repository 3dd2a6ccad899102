# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    relationship_followup_occurrence_id = fields.Many2one(
        "relationship.followup.occurrence",
        string="Sent With Follow-up",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        groups="relationship_marketing.group_relationship_user",
        help="The playbook follow-up that emailed this survey to the customer.",
    )
