# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import datetime

import pytz

from odoo import fields, models
from odoo.tools import SQL

from .relationship_kpi_report import KINDS, MEASURES

# Timezones whose days are the summary's days (UTC)
UTC_ZONES = (False, None, "", "UTC", "Etc/UTC", "GMT", "Etc/GMT")


def starts_a(grain, value):
    """Whether a domain's date value is the start of a day or an hour (UTC)."""
    if isinstance(value, str):
        value = fields.Datetime.to_datetime(value)
    if not isinstance(value, datetime.datetime):
        return isinstance(value, datetime.date)
    if grain == "day" and value.hour:
        return False
    return not (value.minute or value.second or value.microsecond)


def whole_hours(tz):
    """Whether the timezone is a whole number of hours from UTC, winter and summer."""
    try:
        zone = pytz.timezone(tz)
    except pytz.UnknownTimeZoneError:
        return False
    year = datetime.date.today().year
    return all(
        not zone.utcoffset(datetime.datetime(year, month, 1)).total_seconds() % 3600
        for month in (1, 7)
    )


class RelationshipKpiSummary(models.Model):
    """The key indicators added up per day, event, salesperson, segment and stage.

    Answers the indicators per day, week, month... of the dashboard without
    reading a row per purchase. Its days are UTC days: for a user in another
    timezone, the hourly summary answers (the user's midnight is an hour of
    UTC), or the report's rows for the timezones with half hours.
    """

    _name = "relationship.kpi.summary"
    _inherit = "relationship.report.summary"
    _description = "Relationship Key Indicators Summary"
    _auto = False
    _date_grain = "day"
    _summary_source = "relationship_kpi_report"
    _summary_dims = {
        **dict.fromkeys(
            ["company_id", "kind", "user_id", "segment_id", "stage_id", "currency_id"], ("",)
        ),
        "date": ("", "day", "week", "month", "quarter", "year"),
    }
    _summary_measures = {
        **dict.fromkeys(MEASURES, "sum"),
        "satisfaction_score": "avg",
    }

    date = fields.Datetime(readonly=True)
    kind = fields.Selection(KINDS, readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    user_id = fields.Many2one("res.users", readonly=True)
    segment_id = fields.Many2one("relationship.segment", readonly=True)
    stage_id = fields.Many2one("relationship.stage", readonly=True)
    sale_count = fields.Integer(readonly=True)
    sales_amount = fields.Monetary(readonly=True, currency_field="currency_id")
    margin_amount = fields.Monetary(readonly=True, currency_field="currency_id")
    new_customer_count = fields.Integer(readonly=True)
    entry_count = fields.Integer(readonly=True)
    promotion_count = fields.Integer(readonly=True)
    demotion_count = fields.Integer(readonly=True)
    referral_count = fields.Integer(readonly=True)
    score_count = fields.Integer(readonly=True)
    satisfaction_score = fields.Float(readonly=True)
    promoter_count = fields.Integer(readonly=True)
    detractor_count = fields.Integer(readonly=True)
    inquiry_count = fields.Integer(readonly=True)
    complaint_count = fields.Integer(readonly=True)
    dissolution_count = fields.Integer(readonly=True)
    won_back_count = fields.Integer(readonly=True)
    at_risk_count = fields.Integer(readonly=True)

    def _date_fits(self):
        tz = self.env.context.get("tz")
        if self._date_grain == "day":
            return tz in UTC_ZONES
        return tz in UTC_ZONES or whole_hours(tz)

    def _summary_groupby_ok(self, fname, granularity):
        if fname == "date" and not self._date_fits():
            return False
        return super()._summary_groupby_ok(fname, granularity)

    def _summary_leaf(self, leaf):
        # a day (hour) of the summary is whole: only a bound at its start splits alike
        if leaf[0] == "date" and not (
            self._date_fits() and leaf[1] in ("<", ">=") and starts_a(self._date_grain, leaf[2])
        ):
            return None
        return super()._summary_leaf(leaf)

    def _summary_dims_sql(self):
        date = SQL.identifier(self._summary_source, "date")
        return [
            *(item for item in super()._summary_dims_sql() if item[0] != "date"),
            ("date", SQL("DATE_TRUNC(%s, %s)", self._date_grain, date)),
        ]
