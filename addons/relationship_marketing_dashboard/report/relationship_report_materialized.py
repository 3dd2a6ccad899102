# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL, sql

MEDIAN = "median"
USER_GROUP = "relationship_marketing.group_relationship_user"
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
        """The Refresh of the report readers: the figures of now, without waiting a night."""
        if not self.env.user.has_group(USER_GROUP):
            raise AccessError(_("Only relationship users can refresh the reports."))
        # A stored view is refreshed as a whole (every company at once); each
        # reader then reads the rows of the allowed companies (record rules).
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
