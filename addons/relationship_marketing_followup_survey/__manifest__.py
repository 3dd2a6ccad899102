# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Relationship Marketing: Surveys in Follow-up Playbooks",
    "summary": "The satisfaction check after a sale sends the satisfaction survey by email",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/relationship-marketing/relationship-marketing",
    "author": "Relationship Marketing contributors",
    "license": "LGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": ["relationship_marketing_followup", "relationship_marketing_survey"],
    "data": [
        "data/mail_template_data.xml",
        "views/relationship_followup_rule_views.xml",
        "views/survey_user_input_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "relationship_marketing_followup_survey/static/tests/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
}
