# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class RelationshipSettingsMixin(models.AbstractModel):
    """The company's relationship settings, as fields of a settings form.

    Shared by the general settings (administrators) and the relationship
    settings form (relationship managers): both edit the same company fields.
    """

    _name = "relationship.settings.mixin"
    _description = "Relationship Settings Fields"

    company_id = fields.Many2one("res.company")
    relationship_customers_few = fields.Integer(
        related="company_id.relationship_customers_few", readonly=False
    )
    relationship_customers_many = fields.Integer(
        related="company_id.relationship_customers_many", readonly=False
    )
    relationship_margin_low = fields.Float(
        related="company_id.relationship_margin_low", readonly=False
    )
    relationship_margin_high = fields.Float(
        related="company_id.relationship_margin_high", readonly=False
    )
    relationship_expansion_min_orders = fields.Integer(
        related="company_id.relationship_expansion_min_orders", readonly=False
    )
    relationship_commitment_min_orders = fields.Integer(
        related="company_id.relationship_commitment_min_orders", readonly=False
    )
    relationship_commitment_min_days = fields.Integer(
        related="company_id.relationship_commitment_min_days", readonly=False
    )
    relationship_phase_window_days = fields.Integer(
        related="company_id.relationship_phase_window_days", readonly=False
    )
    relationship_risk_factor = fields.Float(
        related="company_id.relationship_risk_factor", readonly=False
    )
    relationship_risk_floor_days = fields.Integer(
        related="company_id.relationship_risk_floor_days", readonly=False
    )
    relationship_dissolution_factor = fields.Float(
        related="company_id.relationship_dissolution_factor", readonly=False
    )
    relationship_dissolution_floor_days = fields.Integer(
        related="company_id.relationship_dissolution_floor_days", readonly=False
    )
    relationship_satisfaction_low = fields.Float(
        related="company_id.relationship_satisfaction_low", readonly=False
    )
    relationship_promoter_min = fields.Float(
        related="company_id.relationship_promoter_min", readonly=False
    )
    relationship_pareto_share = fields.Float(
        related="company_id.relationship_pareto_share", readonly=False
    )
    relationship_pareto_days = fields.Integer(
        related="company_id.relationship_pareto_days", readonly=False
    )
