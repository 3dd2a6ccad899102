# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class RelationshipInquiry(models.Model):
    _inherit = "relationship.inquiry"

    lead_id = fields.Many2one(
        "crm.lead",
        index="btree_not_null",
        ondelete="set null",
        help="The lead or opportunity the inquiry or complaint came in with.",
    )
