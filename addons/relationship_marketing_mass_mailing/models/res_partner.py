# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _relationship_nightly_end(self, companies):
        """After the nightly recomputation: levels and segments moved too."""
        result = super()._relationship_nightly_end(companies)
        self.env["mailing.list"]._relationship_sync_companies(companies)
        return result
