# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, fields, models
from odoo.models import parse_read_group_spec
from odoo.osv import expression
from odoo.tools import SQL

from .relationship_report_materialized import MEDIAN


class RelationshipReportMixin(models.AbstractModel):
    """Report models about customers, whose measures may be medians.

    Every report row belongs to a customer of a company; the customer's
    salesperson and segment are the dimensions all reports share.

    A numeric field declared with ``aggregator="median"`` is aggregated with
    PostgreSQL's ``percentile_cont(0.5)``, so that pivots, graphs and grouped
    lists show the median of any group (rung, month, salesperson...) the same
    way they show sums and averages.

    A report may name summaries (``_summary_models``, see
    ``relationship.report.summary``): groupings and filters the first fitting
    summary holds are read from it, the others (a customer, a date of a
    customer...) from the report's rows.
    """

    _name = "relationship.report.mixin"
    _inherit = "relationship.report.materialized"
    _description = "Relationship Report with Medians"
    _summary_models = ()

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
    refreshed_at = fields.Datetime(
        string="Figures As Of",
        compute="_compute_refreshed_at",
        help="When the report was last computed: every night, or when a manager "
        "refreshed the reports.",
    )

    def _compute_refreshed_at(self):
        self.refreshed_at = self._get_refreshed_at()

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

    def _read_group(
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None
    ):
        for model in self._summary_models:
            summary = self.env[model]
            summary_domain = self._summary_domain(
                summary, domain, groupby, aggregates, having, order
            )
            if summary_domain is not None:
                return summary._read_group(
                    summary_domain, groupby, aggregates, having, offset, limit, order
                )
        return super()._read_group(domain, groupby, aggregates, having, offset, limit, order)

    def _summary_domain(self, summary, domain, groupby, aggregates, having, order):
        """The domain of ``summary`` that answers this grouping, or None."""
        if having:
            return None
        for spec in groupby:
            fname, _sep, granularity = spec.partition(":")
            if not summary._summary_groupby_ok(fname, granularity):
                return None
        for spec in aggregates:
            if spec != "__count" and spec not in summary._summary_aggregates():
                return None
        for term in (order or "").split(","):
            name = term.strip().split(" ")[0]
            if name and name not in groupby and name not in aggregates:
                return None
        leaves = []
        for leaf in expression.normalize_domain(list(domain or [])):
            if expression.is_leaf(leaf) and leaf not in (
                expression.TRUE_LEAF,
                expression.FALSE_LEAF,
            ):
                leaf = summary._summary_leaf(tuple(leaf))
                if leaf is None:
                    return None
            leaves.append(leaf)
        return leaves

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
