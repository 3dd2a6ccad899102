# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class RelationshipTierChange(models.Model):
    """An upgrade or downgrade of a member's tier in a frequency programme."""

    _name = "relationship.tier.change"
    _inherit = ["relationship.history.mixin"]
    _description = "Loyalty Tier Change"
    _order = "date desc, id desc"
    _check_company_auto = True
    _rec_name = "tier_to_id"

    membership_id = fields.Many2one(
        "relationship.membership",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        help="The membership whose tier changed.",
    )
    partner_id = fields.Many2one(
        related="membership_id.partner_id", store=True, index=True, string="Customer"
    )
    programme_id = fields.Many2one(
        related="membership_id.programme_id", store=True, index=True, string="Programme"
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="The company running the programme.",
    )
    tier_from_id = fields.Many2one(
        "relationship.programme.tier",
        string="From Tier",
        ondelete="set null",
        help="Empty when the member reached its first tier.",
    )
    tier_to_id = fields.Many2one(
        "relationship.programme.tier",
        string="To Tier",
        ondelete="set null",
        help="Empty when the member fell below the lowest tier.",
    )
    date = fields.Datetime(
        required=True, index=True, default=fields.Datetime.now, help="When the tier changed."
    )
    direction = fields.Selection(
        [("upgrade", "Upgrade"), ("downgrade", "Downgrade")],
        required=True,
        help="Whether the member moved up or down.",
    )
    qualifying_points = fields.Integer(
        help="The member's points within the qualifying window at the change."
    )
    reason = fields.Char(help="What triggered the change.")
