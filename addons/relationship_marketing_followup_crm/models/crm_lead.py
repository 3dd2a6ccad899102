# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CrmLead(models.Model):
    _inherit = "crm.lead"

    relationship_followup_occurrence_id = fields.Many2one(
        "relationship.followup.occurrence",
        string="Follow-up",
        readonly=True,
        index="btree_not_null",
        ondelete="set null",
        copy=False,
        help="The follow-up of the relationship playbook that opened this opportunity.",
    )
