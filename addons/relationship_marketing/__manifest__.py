# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Relationship Marketing",
    "summary": "Customer development ladder, purchases from external systems "
    "and the relationship on the partner record",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/relationship-marketing/relationship-marketing",
    "author": "Relationship Marketing contributors",
    "license": "LGPL-3",
    "application": True,
    "installable": True,
    "depends": ["contacts", "mail"],
    "data": [
        "security/relationship_security.xml",
        "security/ir.model.access.csv",
        "data/relationship_stage_data.xml",
        "data/relationship_level_data.xml",
        "data/relationship_tie_type_data.xml",
        "data/ir_cron_data.xml",
        "views/relationship_stage_views.xml",
        "views/relationship_stage_history_views.xml",
        "views/relationship_purchase_views.xml",
        "views/relationship_customer_ref_views.xml",
        "views/res_partner_views.xml",
        "wizards/relationship_stage_backward_views.xml",
        "views/relationship_level_matrix_views.xml",
        "views/relationship_segment_views.xml",
        "views/relationship_phase_history_views.xml",
        "views/relationship_programme_views.xml",
        "views/relationship_membership_views.xml",
        "views/relationship_community_views.xml",
        "views/relationship_tie_views.xml",
        "views/relationship_satisfaction_views.xml",
        "views/relationship_inquiry_views.xml",
        "views/relationship_settings_views.xml",
        "views/res_config_settings_views.xml",
        "views/relationship_sync_run_views.xml",
        "views/relationship_menus.xml",
        "wizards/relationship_backfill_views.xml",
    ],
    "demo": [
        "demo/relationship_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "relationship_marketing/static/src/**/*.js",
        ],
        "web.assets_tests": [
            "relationship_marketing/static/tests/tours/*.js",
        ],
    },
}
