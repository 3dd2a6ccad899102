# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.models import parse_read_group_spec
from odoo.osv import expression
from odoo.tools import SQL, sql

from .relationship_report_materialized import MEDIAN, MEDIAN_AGGREGATE


class RelationshipReportSummary(models.AbstractModel):
    """A report's rows added up per group of dimensions, for the fast groupings.

    Sums are stored as sums, averages as a sum and a count (columns ``<field>``
    and ``<field>_n``), medians as the list of values (so that the median of
    any grouping of summary rows is exact), ``__count`` as ``row_count``.
    """

    _name = "relationship.report.summary"
    _inherit = "relationship.report.materialized"
    _description = "Relationship Report Summary"
    # {field: granularities allowed ("" for none)}
    _summary_dims = {}
    # {field: aggregator}: "sum", "avg" or "median"
    _summary_measures = {}

    # the report table the summary adds up
    _summary_source = None
    # boolean dimensions a precomputed median may be filtered on
    _median_filters = ()

    company_id = fields.Many2one("res.company", readonly=True)
    row_count = fields.Integer(readonly=True)

    def _summary_dims_sql(self):
        """``[(name, SQL of the source's column)]`` of the dimensions."""
        return [(name, SQL.identifier(self._summary_source, name)) for name in self._summary_dims]

    def _report_query(self):
        return self._summary_query(self._summary_source, self._summary_dims_sql())

    # ------------------------------------------------------------------ medians
    # A median of many summary rows sorts all their values: ~100 ms per read at
    # 100,000 customers. The medians of each company, rung and filter of
    # ``_median_filters`` (the groupings of the dashboard) are computed at
    # refresh time, in the companion view ``<table>_median``.

    @property
    def _median_table(self):
        return f"{self._table}_median"

    def _median_measures(self):
        return [fname for fname, func in self._summary_measures.items() if func == MEDIAN]

    def init(self):
        super().init()
        if self._abstract or not self._median_measures():
            return
        sql.drop_view_if_exists(self.env.cr, self._median_table)
        dims = dict(self._summary_dims_sql())
        keys = ["company_id", "stage_id", *self._median_filters]
        sets = [
            SQL("(%s)", SQL(", ").join(SQL.identifier(key) for key in keys if key in chosen))
            for chosen in self._median_grouping_sets(keys)
        ]
        self.env.cr.execute(
            SQL(
                """
                CREATE MATERIALIZED VIEW %(table)s AS (
                    SELECT ROW_NUMBER() OVER () AS id, %(keys)s, %(medians)s
                      FROM (SELECT %(columns)s FROM %(source)s) src
                     GROUP BY GROUPING SETS (%(sets)s)
                ) WITH DATA
                """,
                table=SQL.identifier(self._median_table),
                keys=SQL(", ").join(SQL.identifier(key) for key in keys),
                medians=SQL(", ").join(
                    SQL(
                        "PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY %s) AS %s",
                        SQL.identifier(fname),
                        SQL.identifier(fname),
                    )
                    for fname in self._median_measures()
                ),
                columns=SQL(", ").join(
                    [SQL("%s AS %s", dims[key], SQL.identifier(key)) for key in keys]
                    + [
                        SQL.identifier(self._summary_source, fname)
                        for fname in self._median_measures()
                    ]
                ),
                source=SQL.identifier(self._summary_source),
                sets=SQL(", ").join(sets),
            )
        )
        self.env.cr.execute(
            SQL(
                "CREATE UNIQUE INDEX %s ON %s (id)",
                SQL.identifier(f"{self._median_table}_id_index"),
                SQL.identifier(self._median_table),
            )
        )

    @api.model
    def _median_grouping_sets(self, keys):
        """Company with or without the rung, each filter set or not."""
        sets = [("company_id", "stage_id"), ("company_id",)]
        for key in keys[2:]:
            sets += [(*chosen, key) for chosen in sets]
        return sets

    def _refresh_report(self):
        result = super()._refresh_report()
        if self._median_measures():
            self._refresh_view(self._median_table)
        return result

    def _precomputed_median_filters(self, domain, groupby, aggregates, order):
        """``{filter: value or None}`` when the medians asked are precomputed, else None."""
        medians = [spec for spec in aggregates if spec.endswith(f":{MEDIAN}")]
        if not medians or list(groupby) not in ([], ["stage_id"]):
            return None
        if any(spec in (order or "") for spec in medians):
            return None
        filters = dict.fromkeys(self._median_filters)
        for leaf in domain:
            if leaf == expression.AND_OPERATOR or tuple(leaf) == expression.TRUE_LEAF:
                continue
            if not expression.is_leaf(leaf):
                return None  # an OR or a NOT
            if leaf[0] == "company_id":
                continue
            if leaf[0] not in filters or leaf[1] != "=" or not isinstance(leaf[2], bool):
                return None
            filters[leaf[0]] = leaf[2]
        return filters

    def _read_group(
        self, domain, groupby=(), aggregates=(), having=(), offset=0, limit=None, order=None
    ):
        filters = self._precomputed_median_filters(domain, groupby, aggregates, order)
        if filters is None or having:
            return super()._read_group(domain, groupby, aggregates, having, offset, limit, order)
        medians = [spec for spec in aggregates if spec.endswith(f":{MEDIAN}")]
        others = [spec for spec in aggregates if spec not in medians]
        if groupby:
            rows = super()._read_group(domain, groupby, others, having, offset, limit, order)
            keys = [(row[0].company_id.id, row[0].id) for row in rows]
        else:
            # the medians of all rungs are one company's: the rows of one company only
            companies = super()._read_group(domain, ["company_id"], [])
            if len(companies) != 1:
                return super()._read_group(
                    domain, groupby, aggregates, having, offset, limit, order
                )
            rows = super()._read_group(domain, groupby, others, having, offset, limit, order)
            keys = [(companies[0][0].id, None)]
        values = self._precomputed_medians(keys, filters, medians)
        result = []
        for row, key in zip(rows, keys, strict=True):
            aggregated = dict(zip(others, row[len(groupby) :], strict=True))
            aggregated.update(values.get(key, {}))
            result.append((*row[: len(groupby)], *(aggregated.get(spec) for spec in aggregates)))
        return result

    def _precomputed_medians(self, keys, filters, medians):
        """``{(company id, stage id or None): {median spec: value}}``."""
        if not keys:
            return {}
        fnames = [parse_read_group_spec(spec)[0] for spec in medians]
        conditions = [
            SQL("%s IS NOT DISTINCT FROM %s", SQL.identifier(name), value)
            for name, value in filters.items()
        ]
        self.env.cr.execute(
            SQL(
                """
                SELECT company_id, stage_id, %(medians)s
                  FROM %(table)s
                 WHERE (company_id, COALESCE(stage_id, 0)) IN %(keys)s
                   AND %(conditions)s
                """,
                medians=SQL(", ").join(SQL.identifier(fname) for fname in fnames),
                table=SQL.identifier(self._median_table),
                keys=tuple((company, stage or 0) for company, stage in keys),
                conditions=SQL(" AND ").join(conditions) if conditions else SQL("TRUE"),
            )
        )
        # no value: False, as the ORM gives an aggregate of no value
        return {
            (company, stage): {
                spec: False if value is None else value
                for spec, value in zip(medians, values, strict=True)
            }
            for company, stage, *values in self.env.cr.fetchall()
        }

    def _summary_groupby_ok(self, fname, granularity):
        return granularity in self._summary_dims.get(fname, ())

    def _summary_aggregates(self):
        return {f"{fname}:{func}" for fname, func in self._summary_measures.items()}

    def _summary_leaf(self, leaf):
        """The leaf on the summary for the report's leaf, or None."""
        fname = leaf[0]
        if not isinstance(fname, str) or "" not in self._summary_dims.get(fname, ()):
            return None
        return leaf

    def _read_group_select(self, aggregate_spec, query):
        table = query.table
        if aggregate_spec == "__count":
            return SQL("COALESCE(SUM(%s), 0)::int", SQL.identifier(table, "row_count"))
        fname, _property, func = parse_read_group_spec(aggregate_spec)
        column = SQL.identifier(table, fname)
        if func == "avg":
            return SQL("SUM(%s) / NULLIF(SUM(%s), 0)", column, SQL.identifier(table, f"{fname}_n"))
        if func == MEDIAN:
            return SQL("%s(%s)", SQL.identifier(MEDIAN_AGGREGATE), column)
        return super()._read_group_select(aggregate_spec, query)

    @api.model
    def _summary_measure_columns(self, source):
        """SQL of the summary's measures, aggregated from the report ``source``."""
        columns = [SQL("COUNT(*) AS row_count")]
        for fname, func in self._summary_measures.items():
            value = SQL.identifier(source, fname)
            if func == "sum":
                # an integer sum of integers (a sum of the sums stays an integer)
                cast = SQL("::int4") if self._fields[fname].type == "integer" else SQL()
                columns.append(SQL("SUM(%s)%s AS %s", value, cast, SQL.identifier(fname)))
            elif func == "avg":
                columns.append(SQL("SUM(%s)::float8 AS %s", value, SQL.identifier(fname)))
                columns.append(SQL("COUNT(%s) AS %s", value, SQL.identifier(f"{fname}_n")))
            else:
                columns.append(
                    SQL(
                        "ARRAY_AGG(%s::float8) FILTER (WHERE %s IS NOT NULL) AS %s",
                        value,
                        value,
                        SQL.identifier(fname),
                    )
                )
        return SQL(", ").join(columns)

    @api.model
    def _summary_query(self, source, dims):
        """Sum the rows of the report table ``source`` per ``dims`` (SQL column expressions
        by name)."""
        return SQL(
            """
            SELECT ROW_NUMBER() OVER () AS id, %(dims)s, %(measures)s
              FROM %(source)s
             GROUP BY %(group)s
            """,
            dims=SQL(", ").join(SQL("%s AS %s", expr, SQL.identifier(name)) for name, expr in dims),
            measures=self._summary_measure_columns(source),
            source=SQL.identifier(source),
            group=SQL(", ").join(expr for _name, expr in dims),
        )
