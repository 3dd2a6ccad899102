# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from ..tools.kind_rows import customer_contract, score_contract
from ..tools.purchase_rows import row_contract


class RelationshipPurchase(models.Model):
    """What a connector may send besides orders, published with the orders' contract."""

    _inherit = "relationship.purchase"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def ingest_info(self):
        """Add ``kinds``: for each kind of row (``orders``, ``customers``,
        ``scores``), the server method that lands it, its row contract and
        whether the user may send it."""
        info = super().ingest_info()
        now = fields.Datetime.now()
        info["kinds"] = {
            "orders": {
                "model": self._name,
                "method": "ingest_batch",
                "id_column": "order_id",
                "row_contract": info.get("row_contract") or row_contract(now),
                "can_ingest": info["can_ingest"],
            },
            "customers": {
                "model": "res.partner",
                "method": "ingest_customers",
                "id_column": "customer_id",
                "row_contract": customer_contract(now),
                "can_ingest": self.env["res.partner"]._relationship_can_ingest_customers(),
            },
            "scores": {
                "model": "relationship.satisfaction",
                "method": "ingest_scores",
                "id_column": "score_id",
                "row_contract": score_contract(now),
                "can_ingest": self.env[
                    "relationship.satisfaction"
                ]._relationship_can_ingest_scores(),
            },
        }
        return info
