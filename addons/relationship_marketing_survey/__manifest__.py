# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Relationship Marketing: Satisfaction Surveys",
    "summary": "A completed satisfaction survey becomes a satisfaction score on the customer",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/relationship-marketing/relationship-marketing",
    "author": "Relationship Marketing contributors",
    "license": "LGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": ["relationship_marketing", "survey"],
    "data": [
        "data/survey_satisfaction_data.xml",
        "views/survey_survey_views.xml",
        "views/relationship_satisfaction_views.xml",
    ],
}
