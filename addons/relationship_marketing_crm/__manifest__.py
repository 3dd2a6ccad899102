# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
{
    "name": "Relationship Marketing: CRM",
    "summary": "Leads make prospects, inquiries and complaints come from leads, and key "
    "customers get opportunities for their salesperson",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/relationship-marketing/relationship-marketing",
    "author": "Relationship Marketing contributors",
    "license": "LGPL-3",
    "installable": True,
    "auto_install": True,
    "depends": ["relationship_marketing", "crm"],
    "data": [
        "data/ir_actions_server_data.xml",
        "views/relationship_stage_views.xml",
        "views/crm_lead_views.xml",
        "views/relationship_inquiry_views.xml",
        "views/res_partner_views.xml",
    ],
    "post_init_hook": "post_init_hook",
}
