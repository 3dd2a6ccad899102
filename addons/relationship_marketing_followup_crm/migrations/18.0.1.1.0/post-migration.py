# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""18.0.1.1.0: 'create an opportunity' is an action of the rules, no longer a box.

A rule that had *Create an Opportunity* ticked made its activity for every
customer and, for key customers, an opportunity too. Nothing of that is lost:
the rule keeps its activity, and a copy of it, with the action *Create an
Opportunity*, opens the opportunities (active as the rule was). The companies
get the shipped opportunity rule as new installations do.
"""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL
from odoo.tools.sql import column_exists


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    Rule = env["relationship.followup.rule"].with_context(active_test=False)
    if column_exists(cr, "relationship_followup_rule", "create_opportunity"):
        cr.execute(
            SQL("SELECT id FROM relationship_followup_rule WHERE create_opportunity ORDER BY id")
        )
        Rule._relationship_split_opportunity_rules(Rule.browse([row[0] for row in cr.fetchall()]))
    Rule._relationship_create_opportunity_rules(env["res.company"].search([]))
