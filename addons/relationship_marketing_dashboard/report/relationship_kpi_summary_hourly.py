# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class RelationshipKpiSummaryHourly(models.Model):
    """The key indicators per hour: the months of the users in other timezones."""

    _name = "relationship.kpi.summary.hourly"
    _inherit = "relationship.kpi.summary"
    _description = "Relationship Key Indicators Summary per Hour"
    _auto = False  # a materialized view (no create/write columns either)
    _date_grain = "hour"
