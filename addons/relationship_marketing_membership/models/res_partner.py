# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models

# Where the customers whose Odoo membership changed wait for the end of the
# transaction (the cursor's precommit data, as mail's tracking does).
PENDING_KEY = "relationship_marketing_membership.partners"


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _compute_membership_state(self):
        """Odoo recomputes the membership state of a customer whenever an
        invoice, a payment, a cancellation, the free member flag or time
        (Odoo's daily membership cron) changes it: the clubs follow, once per
        transaction for all the customers it touched.

        Odoo's computation searches the membership lines three times per
        customer; a customer without any line, associate or free membership
        (every customer a connector's batch creates, which Odoo knows has no
        line) is simply no member, with no query: a batch of new customers
        then costs the queries of a small one.
        """
        bare = self.filtered(
            lambda p: not p.member_lines and not p.associate_member and not p.free_member
        )
        bare.membership_state = "none"
        bare.membership_start = bare.membership_stop = bare.membership_cancel = False
        result = super(ResPartner, self - bare)._compute_membership_state()
        self._relationship_follow_odoo_memberships_later()
        return result

    def _relationship_follow_odoo_memberships_later(self):
        self._relationship_at_precommit(PENDING_KEY, "_relationship_follow_odoo_memberships")

    def _relationship_follow_odoo_memberships(self):
        """The clubs invoiced by Odoo follow these customers' Odoo memberships;
        the customers who became or stopped being members move on the ladder
        through the memberships' own path (points and stages in one go)."""
        return self.env["relationship.membership"]._relationship_follow_odoo(self)
