# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

from .loyalty_card import PENDING_KEY


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _relationship_follow_loyalty_cards_later(self):
        """Count these customers' cards once, at the end of the transaction."""
        self._relationship_at_precommit(PENDING_KEY, "_relationship_follow_loyalty_cards")

    def _relationship_follow_loyalty_cards(self):
        """The frequency programmes whose points Odoo holds follow these
        customers' cards: memberships, points, tiers and the ladder."""
        return self.env["relationship.membership"]._relationship_follow_cards(self)

    def _relationship_nightly_refresh(self):
        """Cards expire with time: the nightly ends the memberships they made."""
        result = super()._relationship_nightly_refresh()
        self._relationship_follow_loyalty_cards()
        return result
