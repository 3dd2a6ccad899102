# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Relationship Marketing: Sales",
    "summary": "A confirmed sale order is a purchase of its customer: Odoo's own "
    "sales move the ladder",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/relationship-marketing/relationship-marketing",
    "author": "Relationship Marketing contributors",
    "license": "LGPL-3",
    "installable": True,
    "auto_install": True,
    # the account bridge (sale needs account anyway) lets the invoices of an
    # order count once, as the order, and routes their credit notes to it
    "depends": ["relationship_marketing", "relationship_marketing_account", "sale"],
    "data": [
        "views/relationship_purchase_views.xml",
        "views/sale_order_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "relationship_marketing_sale/static/tests/tours/*.js",
        ],
    },
}
