# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Relationship Marketing: Point of Sale",
    "summary": "A paid POS order is a purchase of its customer, a POS refund gives "
    "part of it back, anonymous tickets count in the sales",
    "version": "18.0.1.0.0",
    "category": "Sales/Point of Sale",
    "website": "https://github.com/relationship-marketing/relationship-marketing",
    "author": "Relationship Marketing contributors",
    "license": "LGPL-3",
    "installable": True,
    "auto_install": True,
    # the invoicing bridge keeps a POS order's invoice from counting again
    "depends": ["relationship_marketing_account", "point_of_sale"],
    "data": [
        "views/relationship_purchase_views.xml",
        "views/pos_order_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "relationship_marketing_pos/static/tests/tours/*.js",
        ],
    },
}
