# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Relationship Marketing: Email Marketing",
    "summary": "Mailing lists kept in step with a rung of the ladder, a relationship "
    "level or a segment, unsubscriptions respected",
    "version": "18.0.1.0.0",
    "category": "Marketing/Email Marketing",
    "website": "https://github.com/relationship-marketing/relationship-marketing",
    "author": "Relationship Marketing contributors",
    "license": "LGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": ["relationship_marketing", "mass_mailing"],
    "data": [
        "security/relationship_mass_mailing_security.xml",
        "data/ir_cron_data.xml",
        "views/mailing_list_views.xml",
    ],
    "post_init_hook": "post_init_hook",
}
