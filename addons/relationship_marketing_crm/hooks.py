# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def post_init_hook(env):
    """The contacts of the open leads and opportunities climb to the first rung.

    Only contacts of a company: a contact shared between companies climbs when
    one of its leads changes, on the ladder of the company working the lead
    (at install there is none to tell).
    """
    env["crm.lead"].search(
        [("partner_id.commercial_partner_id.company_id", "!=", False)]
    )._relationship_prospects_climb()
