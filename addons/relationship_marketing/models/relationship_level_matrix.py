# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

# Kotler's levels of relationship marketing, in ascending order.
LEVELS = [
    ("basic", "Basic"),
    ("reactive", "Reactive"),
    ("accountable", "Accountable"),
    ("proactive", "Proactive"),
    ("partnership", "Partnership"),
]
LEVEL_RANK = {key: rank for rank, (key, _label) in enumerate(LEVELS)}
CUSTOMER_BANDS = [("many", "Many"), ("medium", "Medium"), ("few", "Few")]
MARGIN_BANDS = [("high", "High"), ("medium", "Medium"), ("low", "Low")]
# Kotler's matrix: (number of customers, unit profit margin) -> level.
DEFAULT_MATRIX = {
    ("many", "high"): "accountable",
    ("many", "medium"): "reactive",
    ("many", "low"): "basic",
    ("medium", "high"): "proactive",
    ("medium", "medium"): "accountable",
    ("medium", "low"): "reactive",
    ("few", "high"): "partnership",
    ("few", "medium"): "proactive",
    ("few", "low"): "accountable",
}


def customer_band(count, few_max, many_min):
    """Band of a number of customers: few up to ``few_max``, many from ``many_min``."""
    if count <= few_max:
        return "few"
    if count >= many_min:
        return "many"
    return "medium"


def margin_band(rate, low_max, high_min):
    """Band of a margin rate (%): low up to ``low_max``, high from ``high_min``."""
    if rate >= high_min:
        return "high"
    if rate <= low_max:
        return "low"
    return "medium"


class RelationshipLevelMatrix(models.Model):
    """One cell of Kotler's matrix: which level a kind of customer deserves.

    Each company has nine cells, one per band of number of customers and band
    of unit profit margin; consultants change the level of a cell.
    """

    _name = "relationship.level.matrix"
    _description = "Relationship Level Matrix Cell"
    _order = "company_id, sequence, id"
    _rec_name = "level"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        ondelete="cascade",
        default=lambda self: self.env.company,
        help="Each company has its own matrix.",
    )
    sequence = fields.Integer(default=10, help="Position of the cell in the matrix, row by row.")
    customer_band = fields.Selection(
        CUSTOMER_BANDS,
        string="Number of Customers",
        required=True,
        help="How many customers the segment has, in the bands set in the settings.",
    )
    margin_band = fields.Selection(
        MARGIN_BANDS,
        string="Unit Profit Margin",
        required=True,
        help="The customer's margin on its purchases, in the bands set in the settings.",
    )
    level = fields.Selection(
        LEVELS,
        string="Recommended Level",
        required=True,
        help="The relationship level recommended for customers in this cell.",
    )

    _sql_constraints = [
        (
            "company_cell_uniq",
            "UNIQUE(company_id, customer_band, margin_band)",
            "Each cell of the level matrix exists once per company.",
        ),
    ]

    @api.model
    def _default_matrix_values(self):
        """The nine cells of Kotler's matrix, row by row."""
        return [
            {
                "customer_band": customers,
                "margin_band": margin,
                "level": DEFAULT_MATRIX[customers, margin],
                "sequence": 10 * row + column,
            }
            for row, (customers, _label) in enumerate(CUSTOMER_BANDS)
            for column, (margin, _label2) in enumerate(MARGIN_BANDS)
        ]

    @api.model
    def _create_default_matrices(self):
        """Give every company that has none the shipped matrix (at install)."""
        return self._create_default_matrix(self.env["res.company"].search([]))

    @api.model
    def _create_default_matrix(self, companies):
        """Create the missing cells of the companies' matrices."""
        existing = {
            (company.id, customers, margin)
            for company, customers, margin in self._read_group(
                [("company_id", "in", companies.ids)],
                ["company_id", "customer_band", "margin_band"],
            )
        }
        return self.create(
            [
                dict(values, company_id=company.id)
                for company in companies
                for values in self._default_matrix_values()
                if (company.id, values["customer_band"], values["margin_band"]) not in existing
            ]
        )

    @api.model
    def _levels_by_company(self, companies):
        """``{company id: {(customer band, margin band): level}}`` in one query."""
        matrix = {company.id: {} for company in companies}
        if not companies:
            return matrix
        # The matrix is configuration that every computation must read,
        # whoever triggers it (a salesperson's purchase, a cron).
        for company, customers, margin, level in self.sudo()._read_group(
            [("company_id", "in", companies.ids)],
            ["company_id", "customer_band", "margin_band", "level"],
        ):
            matrix[company.id][customers, margin] = level
        return matrix
