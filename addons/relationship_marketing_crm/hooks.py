# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).


def post_init_hook(env):
    """Interest shown makes prospects; the contacts of open leads climb to it.

    The first rung of every existing ladder gets the criterion, as new ladders
    do. Only contacts of a company climb: a contact shared between companies
    climbs when one of its leads changes, on the ladder of the company working
    the lead (at install there is none to tell).
    """
    env["relationship.stage"]._relationship_first_rungs().require_interest = True
    env["crm.lead"].search(
        [("partner_id.commercial_partner_id.company_id", "!=", False)]
    )._relationship_prospects_climb()
