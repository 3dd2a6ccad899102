# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

# Where the customers whose cards changed wait for the end of the transaction
# (the cursor's precommit data, as mail's tracking does): a sale or a point of
# sale order writes its cards one by one, the members are counted once.
PENDING_KEY = "relationship_marketing_loyalty.partners"
CARD_FIELDS = {"points", "partner_id", "program_id", "active", "expiration_date"}


class LoyaltyCard(models.Model):
    _inherit = "loyalty.card"

    @api.model_create_multi
    def create(self, vals_list):
        cards = super().create(vals_list)
        cards.partner_id._relationship_follow_loyalty_cards_later()
        return cards

    def write(self, vals):
        before = self.partner_id if "partner_id" in vals else self.browse().partner_id
        result = super().write(vals)
        if vals.keys() & CARD_FIELDS:
            (before | self.partner_id)._relationship_follow_loyalty_cards_later()
        return result

    @api.model
    def _relationship_cards_of(self, partners, programs):
        """``{(partner id, program id): card}``: the valid card (active, not
        expired) of each of these customers in each of these programs."""
        today = fields.Date.context_today(self)
        cards = (
            self.sudo()  # a member's card counts whoever looks at the member
            .with_context(active_test=True)
            .search(
                [
                    ("partner_id", "in", partners.ids),
                    ("program_id", "in", programs.ids),
                    "|",
                    ("expiration_date", "=", False),
                    ("expiration_date", ">=", today),
                ],
                order="id",
            )
        )
        return {(card.partner_id.id, card.program_id.id): card for card in cards}
