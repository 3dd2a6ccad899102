# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

PHASES = [
    ("exploration", "Exploration"),
    ("awareness", "Awareness"),
    ("expansion", "Expansion"),
    ("commitment", "Commitment"),
    ("dissolution", "Dissolution"),
]
DISSOLUTION_REASONS = [
    ("dissatisfied", "Dissatisfied"),
    ("competitor", "Moved to a Competitor"),
    ("low_volume", "Too Little Volume"),
    ("fraud", "Fraud"),
    ("other", "Other"),
]


class RelationshipPhaseHistory(models.Model):
    """One move of a customer relationship from a phase to another.

    Unlike the ladder, phases move both ways; a move out of Dissolution is a
    customer won back.
    """

    _name = "relationship.phase.history"
    _inherit = ["relationship.history.mixin"]
    _description = "Relationship Phase Move"
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "phase_to"

    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        help="The customer whose relationship moved.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="The company the relationship belongs to.",
    )
    phase_from = fields.Selection(
        PHASES, string="From Phase", help="Empty when the relationship got its first phase."
    )
    phase_to = fields.Selection(
        PHASES, string="To Phase", required=True, index=True, help="The phase reached."
    )
    date = fields.Datetime(
        required=True, index=True, default=fields.Datetime.now, help="When the move happened."
    )
    move_type = fields.Selection(
        [("automatic", "Automatic"), ("manual", "Manual")],
        required=True,
        default="manual",
        help="Automatic moves follow the purchase behaviour; manual ones come from a person.",
    )
    won_back = fields.Boolean(
        index=True,
        help="The move brought back a customer whose relationship had ended.",
    )
    dissolution_reason = fields.Selection(
        DISSOLUTION_REASONS, help="Why the relationship ended, for moves to Dissolution."
    )
    reason = fields.Char(help="Why the relationship moved.")
    user_id = fields.Many2one(
        "res.users",
        string="By",
        default=lambda self: self.env.user,
        index=True,
        help="Who moved it, or whose action triggered the automatic move.",
    )
