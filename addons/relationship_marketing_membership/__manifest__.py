# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Relationship Marketing: Membership",
    "summary": "Paid clubs invoiced through Odoo's memberships; Odoo's membership "
    "state makes members on the ladder",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/relationship-marketing/relationship-marketing",
    "author": "Relationship Marketing contributors",
    "license": "LGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": ["relationship_marketing", "membership"],
    "data": [
        "views/relationship_programme_views.xml",
        "views/relationship_membership_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "relationship_marketing_membership/static/tests/tours/*.js",
        ],
    },
}
