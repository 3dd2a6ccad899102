# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Relationship Marketing: Loyalty",
    "summary": "Odoo's loyalty cards hold the points of the frequency programmes: "
    "one balance, redeemed where Odoo redeems rewards",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/relationship-marketing/relationship-marketing",
    "author": "Relationship Marketing contributors",
    "license": "LGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": ["relationship_marketing", "loyalty"],
    "data": [
        "security/ir.model.access.csv",
        "views/relationship_programme_views.xml",
        "views/relationship_membership_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "relationship_marketing_loyalty/static/tests/tours/*.js",
        ],
    },
}
