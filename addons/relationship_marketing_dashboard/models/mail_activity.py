# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

# Context key: check the access to the customers of activities in SQL.
SQL_ACCESS_CHECK = "relationship_sql_access_check"


class MailActivity(models.Model):
    _inherit = "mail.activity"

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        # Mail keeps the activities whose document the user may access, which it
        # checks with the record rules evaluated in Python on every document:
        # seconds for the thousands of follow-ups due of the dashboard. The
        # customers' rules are checked in SQL instead (see res.partner).
        return super(MailActivity, self.with_context(**{SQL_ACCESS_CHECK: True}))._search(
            domain, offset, limit, order
        )
