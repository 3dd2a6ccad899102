# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError

USER_GROUP = "relationship_marketing.group_relationship_user"


class RelationshipDashboard(models.AbstractModel):
    """What the Relationships dashboard (an OWL client action) shows.

    The boxes are the report actions' own graph, pivot and list views, so that
    a click on a bar or a cell drills into the customers. The figures of the
    reports are stored and refreshed (nightly, or by the Refresh button): the
    dashboard says as of when. "My customers" narrows every box to the
    customers whose salesperson is the user (and to the follow-ups assigned
    to the user).
    """

    _name = "relationship.dashboard"
    _description = "Relationship Dashboard"

    @api.model
    def _check_dashboard_reader(self):
        # an abstract model has no access rights: its entry points say who may call them
        if not self.env.user.has_group(USER_GROUP):
            raise AccessError(_("Only relationship users can open the relationship dashboard."))

    @api.model
    def get_dashboard(self):
        """The boxes of the dashboard and the time of its figures."""
        self._check_dashboard_reader()
        refreshed_at = self.env["relationship.report.materialized"]._get_refreshed_at()
        return {
            "refreshed_at": fields.Datetime.to_string(refreshed_at) if refreshed_at else False,
            "boxes": self._dashboard_boxes(),
        }

    @api.model
    def action_refresh(self):
        """The figures of now, for any relationship user (the reports are
        stored views: one refresh computes them for every company; each user
        reads the rows of the companies allowed)."""
        self._check_dashboard_reader()
        self.env["relationship.report.materialized"]._refresh_reports()
        return self.get_dashboard()

    @api.model
    def _dashboard_boxes(self):
        mine = [("user_id", "=", self.env.uid)]
        action = self.env.ref
        addon = "relationship_marketing_dashboard"
        boxes = [
            {
                "name": "funnel",
                "title": _("Funnel: Customers Who Reached Each Rung"),
                "action": f"{addon}.relationship_funnel_report_action",
                "view_mode": "graph",
                "context": {
                    "graph_measure": "customer_count",
                    "graph_mode": "bar",
                    "graph_groupbys": ["stage_id"],
                },
            },
            {
                "name": "conversion",
                "title": _("Conversion and Days Between Rungs"),
                "action": f"{addon}.relationship_funnel_report_action",
                "view_mode": "pivot",
                "context": {
                    "pivot_measures": [
                        "customer_count",
                        "conversion_rate",
                        "top_rate",
                        "days_to_next",
                        "days_to_next_median",
                    ],
                    "pivot_row_groupby": ["stage_id"],
                },
            },
            {
                "name": "time_in_stage",
                "title": _("Days in Each Stage (Finished Stays)"),
                "action": f"{addon}.relationship_stage_duration_report_action",
                "view_mode": "pivot",
                "domain": [("date_end", "!=", False)],
                "context": {
                    "pivot_measures": ["stay_count", "days", "days_median"],
                    "pivot_row_groupby": ["stage_id"],
                },
            },
            {
                "name": "indicators",
                "title": _("Key Indicators per Month"),
                "action": f"{addon}.relationship_kpi_report_action",
                "view_mode": "pivot",
                "context": {
                    "search_default_last_12_months": 1,
                    "pivot_measures": [
                        "sales_amount",
                        "new_customer_count",
                        "referral_count",
                        "satisfaction_score",
                        "complaint_count",
                        "at_risk_count",
                        "won_back_count",
                    ],
                    "pivot_row_groupby": ["date:month"],
                },
            },
            {
                "name": "sales",
                "title": _("Sales per Month"),
                "action": f"{addon}.relationship_kpi_report_action",
                "view_mode": "graph",
                "context": {
                    "search_default_last_12_months": 1,
                    "graph_measure": "sales_amount",
                    "graph_mode": "line",
                    "graph_groupbys": ["date:month"],
                },
            },
            {
                "name": "stuck",
                "title": _("Stuck Customers"),
                "action": f"{addon}.relationship_stuck_partner_action",
                "view_mode": "list",
                "domain": [("relationship_stuck", "=", True)],
            },
            {
                "name": "at_risk",
                "title": _("Customers at Risk"),
                "action": f"{addon}.relationship_at_risk_partner_action",
                "view_mode": "list",
                "domain": [("relationship_at_risk", "=", True)],
            },
            {
                "name": "level_gaps",
                "title": _("Level Gaps: Practised Below Recommended"),
                "action": "relationship_marketing.relationship_level_gap_action",
                "view_mode": "list",
                "domain": [("relationship_level_gap", "=", True)],
            },
            {
                "name": "followups",
                "title": _("Follow-ups Due"),
                "action": f"{addon}.relationship_followup_activity_action",
                "view_mode": "list",
                # due means today or overdue: in the box's own domain, as the box
                # has no search panel to take a filter off
                "domain": [
                    ("res_model", "=", "res.partner"),
                    ("relationship_followup_rule_id", "!=", False),
                    ("date_deadline", "<=", fields.Date.context_today(self)),
                ],
            },
        ]
        for box in boxes:
            box["action_id"] = action(box.pop("action")).id
            box.setdefault("domain", [])
            box.setdefault("context", {})
            # the reports and customers by salesperson, the follow-ups by assignee
            box["my_domain"] = mine
        return boxes
