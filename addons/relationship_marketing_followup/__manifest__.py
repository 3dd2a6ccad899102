# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Relationship Marketing: Follow-up Playbooks",
    "summary": "Rules that create the right activities for the right person at the right "
    "time: thank-you calls, birthdays, check-ins, warnings and escalations",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/relationship-marketing/relationship-marketing",
    "author": "Relationship Marketing contributors",
    "license": "LGPL-3",
    "installable": True,
    "depends": ["relationship_marketing", "mail"],
    "data": [
        "security/ir.model.access.csv",
        "security/relationship_followup_security.xml",
        "data/relationship_followup_option_data.xml",
        "data/mail_template_data.xml",
        "data/relationship_followup_rule_data.xml",
        "data/ir_cron_data.xml",
        "views/relationship_followup_rule_views.xml",
        "views/relationship_followup_occurrence_views.xml",
        "views/mail_activity_views.xml",
        "wizards/relationship_followup_preview_views.xml",
        "wizards/relationship_followup_score_views.xml",
        "views/res_partner_views.xml",
        "views/relationship_segment_views.xml",
        "views/res_config_settings_views.xml",
        "views/relationship_followup_menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "relationship_marketing_followup/static/src/js/activity_markasdone_popover.js",
        ],
        "web.assets_tests": [
            "relationship_marketing_followup/static/tests/tours/*.js",
        ],
    },
    "demo": [
        "demo/relationship_followup_demo.xml",
    ],
}
