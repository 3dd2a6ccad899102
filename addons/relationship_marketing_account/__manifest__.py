# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Relationship Marketing: Invoicing",
    "summary": "A posted customer invoice is a purchase of its customer, a credit note "
    "a refund: invoices sold without a sale or POS order move the ladder",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/relationship-marketing/relationship-marketing",
    "author": "Relationship Marketing contributors",
    "license": "LGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": ["relationship_marketing", "account"],
    "data": [
        "views/relationship_purchase_views.xml",
        "views/account_move_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "relationship_marketing_account/static/tests/tours/*.js",
        ],
    },
}
