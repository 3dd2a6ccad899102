# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Relationship Marketing: Follow-ups with CRM",
    "summary": "Follow-up rules that open an opportunity for key customers, for their "
    "salesperson and sales team",
    "version": "18.0.1.1.0",
    "category": "Sales/CRM",
    "website": "https://github.com/relationship-marketing/relationship-marketing",
    "author": "Relationship Marketing contributors",
    "license": "LGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": ["relationship_marketing_followup", "relationship_marketing_crm"],
    "data": [
        "views/relationship_followup_rule_views.xml",
        "views/crm_lead_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "relationship_marketing_followup_crm/static/tests/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
}
