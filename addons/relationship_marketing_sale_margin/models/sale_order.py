# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    def _relationship_purchase_values(self):
        values = super()._relationship_purchase_values()
        # sale_margin's margin is untaxed, in the order's currency, like the
        # amount; a loss counts as none (the level matrix reads unit margins)
        values["margin"] = max(self.margin, 0.0)
        return values
