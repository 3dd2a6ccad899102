# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Relationship Marketing Dashboard",
    "summary": "Funnel, conversion, time in stage and key indicators of customer "
    "relationships, on one dashboard",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/relationship-marketing/relationship-marketing",
    "author": "Relationship Marketing contributors",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["relationship_marketing", "relationship_marketing_followup"],
    "data": [
        "security/relationship_dashboard_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/relationship_stage_views.xml",
        "report/relationship_funnel_report_views.xml",
        "report/relationship_stage_duration_report_views.xml",
        "report/relationship_kpi_report_views.xml",
        "views/res_partner_views.xml",
        "views/mail_activity_views.xml",
        "views/relationship_dashboard_views.xml",
        "views/relationship_dashboard_menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "relationship_marketing_dashboard/static/src/dashboard/*",
        ],
        "web.assets_tests": [
            "relationship_marketing_dashboard/static/tests/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
}
