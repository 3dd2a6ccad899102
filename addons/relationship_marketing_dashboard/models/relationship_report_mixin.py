# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.models import parse_read_group_spec
from odoo.osv import expression
from odoo.tools import SQL, sql

MEDIAN = "median"
MANAGER_GROUP = "relationship_marketing.group_relationship_manager"
REFRESHED_AT_PARAM = "relationship_marketing_dashboard.reports_refreshed_at"
# Refreshed in this order: the summaries are aggregated from the reports.
REPORT_MODELS = [
    "relationship.funnel.report",
    "relationship.stage.duration.report",
    "relationship.kpi.report",
    "relationship.funnel.summary",
    "relationship.stage.duration.summary",
    "relationship.kpi.summary",
    "relationship.kpi.summary.hourly",
    "relationship.kpi.summary.lean",
    "relationship.kpi.summary.hourly.lean",
]
# Median of the values of float arrays: an aggregate of the summaries' value
# lists, so that a median over any grouping of summary rows stays exact.
MEDIAN_FUNCTION = "relationship_report_array_median"
MEDIAN_AGGREGATE = "relationship_report_median_of"


class RelationshipReportMaterialized(models.AbstractModel):
    """A report stored as a PostgreSQL materialized view, refreshed nightly.

    Reading the history of a large database at every click is too slow (the
    funnel of 100,000 customers took seconds): the reports are computed once,
    by the nightly cron or by a manager's Refresh, and read from storage.
    """

    _name = "relationship.report.materialized"
    _description = "Relationship Report Stored and Refreshed Nightly"
    # columns of the other indexes of the materialized view (one tuple per index)
    _report_indexes = ()

    def _report_query(self):
        """The SQL of the materialized view; must give a unique ``id``."""
        raise NotImplementedError

    def init(self):
        if self._abstract:
            return
        self._create_median_aggregate()
        sql.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE MATERIALIZED VIEW %s AS (%s) WITH DATA",
                SQL.identifier(self._table),
                self._report_query(),
            )
        )
        # unique: needed to refresh CONCURRENTLY, without blocking the readers
        for columns in [("id",), *self._report_indexes]:
            self.env.cr.execute(
                SQL(
                    "CREATE %s INDEX %s ON %s (%s)",
                    SQL("UNIQUE") if columns == ("id",) else SQL(),
                    SQL.identifier(f"{self._table}_{'_'.join(columns)}_index"),
                    SQL.identifier(self._table),
                    SQL(", ").join(SQL.identifier(column) for column in columns),
                )
            )
        self._set_refreshed_at()

    def _create_median_aggregate(self):
        cr = self.env.cr
        cr.execute(
            SQL(
                """
                CREATE OR REPLACE FUNCTION %s(float8[]) RETURNS float8
                LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
                'SELECT PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY v) FROM unnest($1) v'
                """,
                SQL.identifier(MEDIAN_FUNCTION),
            )
        )
        cr.execute("SELECT 1 FROM pg_proc WHERE proname = %s", [MEDIAN_AGGREGATE])
        if not cr.fetchone():
            cr.execute(
                SQL(
                    "CREATE AGGREGATE %s(float8[]) "
                    "(SFUNC = array_cat, STYPE = float8[], FINALFUNC = %s)",
                    SQL.identifier(MEDIAN_AGGREGATE),
                    SQL.identifier(MEDIAN_FUNCTION),
                )
            )

    def _refresh_report(self):
        self._refresh_view(self._table)

    def _refresh_view(self, name):
        self.env.cr.execute("SELECT ispopulated FROM pg_matviews WHERE matviewname = %s", [name])
        [populated] = self.env.cr.fetchone()
        self.env.cr.execute(
            SQL(
                "REFRESH MATERIALIZED VIEW %s %s",
                SQL("CONCURRENTLY") if populated else SQL(),
                SQL.identifier(name),
            )
        )

    @api.model
    def _refresh_reports(self):
        """Compute every relationship report again, from today's data."""
        self.env.flush_all()
        for model in REPORT_MODELS:
            self.env[model]._refresh_report()
        self._set_refreshed_at()

    @api.model
    def _cron_refresh_reports(self):
        """The nightly refresh: run when the nightly recomputation ends."""
        self._refresh_reports()

    @api.model
    def _set_refreshed_at(self):
        # The time of the figures is shown to every report reader.
        self.env["ir.config_parameter"].sudo().set_param(
            REFRESHED_AT_PARAM, fields.Datetime.to_string(self.env.cr.now())
        )

    @api.model
    def _get_refreshed_at(self):
        # Any report reader may see when the figures were computed.
        value = self.env["ir.config_parameter"].sudo().get_param(REFRESHED_AT_PARAM)
        return fields.Datetime.to_datetime(value) if value else False

    @api.model
    def action_refresh_reports(self):
        """The Refresh of the managers: the figures of now, without waiting a night."""
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(_("Only relationship managers can refresh the reports."))
        self._refresh_reports()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": _("Reports refreshed"),
                "message": _("The relationship reports show the figures of now."),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }


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
