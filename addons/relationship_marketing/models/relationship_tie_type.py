# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

TIE_KINDS = [
    ("equipment", "Equipment Provided"),
    ("system_link", "System Link"),
    ("portal", "Portal Access"),
    ("contract", "Contract"),
    ("other", "Other"),
]


class RelationshipTieType(models.Model):
    """A kind of structural tie between a customer and the company."""

    _name = "relationship.tie.type"
    _description = "Structural Tie Type"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True, help="Name of the tie type.")
    sequence = fields.Integer(default=10, help="Order of the types in lists.")
    active = fields.Boolean(default=True, help="Archived types cannot be used on new ties.")
    kind = fields.Selection(
        TIE_KINDS,
        required=True,
        default="other",
        help="What binds the customer: equipment we provide, a link between our "
        "systems, access to our portal, a contract, or something else.",
    )
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Leave empty to share the type between all companies.",
    )
    description = fields.Text(translate=True, help="What this tie gives the customer.")
