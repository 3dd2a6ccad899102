# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class RelationshipFollowupRule(models.Model):
    _inherit = "relationship.followup.rule"

    create_opportunity = fields.Boolean(
        string="Create an Opportunity",
        help="Alert the sales team: for a key customer (a top customer, a relationship "
        "below its recommended level, a suggested advocate) the follow-up also opens an "
        "opportunity in CRM, assigned to the customer's salesperson and sales team. A "
        "customer with an open opportunity gets none.",
    )
