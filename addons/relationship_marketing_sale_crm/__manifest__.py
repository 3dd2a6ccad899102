# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Relationship Marketing: Sales from Opportunities",
    "summary": "A won opportunity is no sale of its own: its confirmed order is the "
    "purchase, which names the opportunity it came from",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/relationship-marketing/relationship-marketing",
    "author": "Relationship Marketing contributors",
    "license": "LGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": ["relationship_marketing_crm", "relationship_marketing_sale", "sale_crm"],
    "data": ["views/relationship_purchase_views.xml"],
    "assets": {
        "web.assets_tests": [
            "relationship_marketing_sale_crm/static/tests/tours/*.js",
        ],
    },
}
