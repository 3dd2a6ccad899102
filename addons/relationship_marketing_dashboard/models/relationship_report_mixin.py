# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, fields, models
from odoo.models import parse_read_group_spec
from odoo.tools import SQL

MEDIAN = "median"


class RelationshipReportMixin(models.AbstractModel):
    """Report models about customers, whose measures may be medians.

    Every report row belongs to a customer of a company; the customer's
    salesperson and segment are the dimensions all reports share.

    A numeric field declared with ``aggregator="median"`` is aggregated with
    PostgreSQL's ``percentile_cont(0.5)``, so that pivots, graphs and grouped
    lists show the median of any group (rung, month, salesperson...) the same
    way they show sums and averages.
    """

    _name = "relationship.report.mixin"
    _description = "Relationship Report with Medians"

    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Salesperson", readonly=True, help="The customer's salesperson."
    )
    segment_id = fields.Many2one(
        "relationship.segment",
        readonly=True,
        help="The customer's segment today.",
    )

    def _read_group_select(self, aggregate_spec, query):
        if aggregate_spec != "__count":
            fname, property_name, func = parse_read_group_spec(aggregate_spec)
            if func == MEDIAN and not property_name:
                field = self._fields.get(fname)
                if not field or field.type not in ("integer", "float", "monetary"):
                    raise ValueError(f"Invalid median aggregate {aggregate_spec!r}.")
                return SQL(
                    "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY %s)",
                    self._field_to_sql(self._table, fname, query),
                )
        return super()._read_group_select(aggregate_spec, query)

    def action_open_partner(self):
        """Open the customer of this row (a click on a row of a report's list).

        For the reports whose rows are about one customer (``partner_id``).
        """
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Customer"),
            "res_model": "res.partner",
            "res_id": self.partner_id.id,
            "views": [(False, "form")],
            "target": "current",
        }
