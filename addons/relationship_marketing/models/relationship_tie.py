# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class RelationshipTie(models.Model):
    """A structural tie of a customer to the company, e.g. equipment we provided."""

    _name = "relationship.tie"
    _description = "Structural Tie"
    _order = "date_start desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="Description",
        required=True,
        help="What the tie is, e.g. 'Espresso machine, serial 4711'.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        help="The customer bound to the company.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        help="The company the customer is tied to.",
    )
    type_id = fields.Many2one(
        "relationship.tie.type",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        help="The kind of tie.",
    )
    kind = fields.Selection(related="type_id.kind", store=True, string="Kind")
    date_start = fields.Date(
        string="Since",
        required=True,
        default=fields.Date.context_today,
        help="When the tie was set up.",
    )
    date_end = fields.Date(string="Until", help="When the tie ends or ended; empty while it lasts.")
    note = fields.Text(help="Details of the tie.")

    _sql_constraints = [
        (
            "dates_ordered",
            "CHECK(date_end IS NULL OR date_end >= date_start)",
            "A tie cannot end before it starts.",
        ),
    ]
