# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class RelationshipFollowupOption(models.Model):
    """A relationship level or phase, as something a rule can filter on.

    The partner holds its level and phase as selections; rules pick several
    of them, which a selection cannot do, hence these records (shipped as
    data, one per key).
    """

    _name = "relationship.followup.option"
    _description = "Follow-up Filter Value (Level or Phase)"
    _order = "kind, sequence, id"

    name = fields.Char(required=True, translate=True)
    kind = fields.Selection(
        [("level", "Relationship Level"), ("phase", "Relationship Phase")],
        required=True,
        help="Which field of the customer the value belongs to.",
    )
    code = fields.Char(
        required=True, help="The value's key in the customer's level or phase field."
    )
    sequence = fields.Integer(default=10)

    _sql_constraints = [
        ("kind_code_uniq", "UNIQUE(kind, code)", "Each level and phase exists once."),
    ]
