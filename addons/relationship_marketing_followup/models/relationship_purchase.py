# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, models


class RelationshipPurchase(models.Model):
    _inherit = "relationship.purchase"

    @api.model_create_multi
    def create(self, vals_list):
        purchases = super().create(vals_list)
        purchases._relationship_followup_purchases()
        return purchases

    def _relationship_followup_purchases(self):
        """Fire the 'After a purchase' rules: one event per customer and day bought.

        Several orders of one customer on one day make one thank-you call; the
        rules' 'skip when late' keeps old orders (an import of the history)
        from making any.
        """
        events = {}
        for purchase in self.sorted("date_order"):
            day = purchase.date_order.date()
            events[(purchase.partner_id.id, purchase.company_id.id, day)] = {
                "partner": purchase.partner_id,
                "company": purchase.company_id,
                "date": day,
                "key": f"purchase:{day.isoformat()}",
                "origin": _("Purchase %(order)s", order=purchase.name),
            }
        self.env["relationship.followup.rule"]._followup_on_events(
            "purchase", list(events.values())
        )
