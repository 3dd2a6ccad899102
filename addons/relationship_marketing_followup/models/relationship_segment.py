# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class RelationshipSegment(models.Model):
    _inherit = "relationship.segment"

    relationship_followup_user_id = fields.Many2one(
        "res.users",
        string="Default Salesperson",
        check_company=True,
        domain="[('share', '=', False)]",
        help="Gets the follow-ups of the segment's customers who have no salesperson "
        "(customers created by a connector, for example).",
    )
