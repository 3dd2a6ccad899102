# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Relationship Marketing: Sales Loyalty",
    "summary": "A sale order earns its loyalty points once: by Odoo's loyalty rules, "
    "not again as a purchase from another system",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/relationship-marketing/relationship-marketing",
    "author": "Relationship Marketing contributors",
    "license": "LGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": ["relationship_marketing_sale", "relationship_marketing_loyalty", "sale_loyalty"],
    "assets": {
        "web.assets_tests": [
            "relationship_marketing_sale_loyalty/static/tests/tours/*.js",
        ],
    },
}
