# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import _, api, fields, models
from odoo.exceptions import RedirectWarning
from odoo.tools import format_amount

from .res_partner import RELATIONSHIP_GROUP


class ResPartner(models.Model):
    """Who is a customer of the company, what the next rung needs, and the
    confirmation a backward move by hand asks for."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    relationship_is_customer = fields.Boolean(
        string="Customer of the Company",
        compute="_compute_relationship_is_customer",
        groups=RELATIONSHIP_GROUP,
        help="On the ladder, or bought from us (a purchase, or a customer invoice or "
        "order); the company's own contacts and users are not customers unless put "
        "on the ladder by hand.",
    )
    relationship_next_step = fields.Char(
        string="Next Step",
        compute="_compute_relationship_next_step",
        groups=RELATIONSHIP_GROUP,
        help="What the customer still needs to reach the next rung of the ladder, "
        "from that rung's criteria.",
    )

    @api.depends("relationship_stage_id", "relationship_order_count")
    def _compute_relationship_is_customer(self):
        partners = self._origin.filtered("id")
        own = self._relationship_own_partners(partners)
        has_rank = "customer_rank" in self._fields  # with Invoicing installed
        for partner in self:
            origin = partner._origin
            partner.relationship_is_customer = bool(
                partner.relationship_stage_id
                or (
                    origin not in own
                    and (
                        partner.relationship_order_count or (has_rank and partner.customer_rank > 0)
                    )
                )
            )

    def _relationship_own_partners(self, partners):
        """The partners among ``partners`` who belong to the company itself:
        its companies, their contacts and the internal users (two queries)."""
        if not partners:
            return partners
        companies = self.env.user.company_ids.partner_id
        users = self.env["res.users"].search(
            [("partner_id", "in", partners.ids), ("share", "=", False)]
        )
        return partners.filtered(
            lambda p: p in companies or p.commercial_partner_id in companies
        ) | (users.partner_id & partners)

    # Not stored: the figures within a period change with the date alone.
    @api.depends(
        "relationship_stage_id",
        "relationship_order_count",
        "relationship_revenue",
        "relationship_referral_count",
        "relationship_membership_active",
        "relationship_agreement",
    )
    def _compute_relationship_next_step(self):
        step_of = {}
        partners = self._origin.filtered(lambda p: p.id and p.relationship_stage_id)
        by_company = partners.grouped(lambda p: p.company_id or self.env.company)
        for company, company_partners in by_company.items():
            stages, figures = company_partners._relationship_ladder_figures(company)
            # the rung above each rung, once per rung rather than per card
            above = {
                stage: stages.filtered(lambda s, c=stage: s.sequence > c.sequence)[:1]
                for stage in company_partners.relationship_stage_id
            }
            for partner in company_partners:
                following = above[partner.relationship_stage_id]
                step_of[partner.id] = (
                    following._relationship_next_step_text(figures[partner.id], company)
                    if following
                    else _("Top of the ladder")
                )
        for partner in self:
            partner.relationship_next_step = step_of.get(partner._origin.id, False)

    def action_relationship_put_on_ladder(self):
        """Put these contacts on the first rung of their company's ladder, by
        hand, and let their purchases climb them further."""
        stage_of = {}
        by_company = self.grouped(lambda p: p.company_id or self.env.company)
        for company, partners in by_company.items():
            first = self.env["relationship.stage"].search(
                [("company_id", "=", company.id)], limit=1
            )
            stage_of.update({partner.id: first for partner in partners if first})
        self._relationship_move_stages(stage_of, "manual", _("Put on the ladder"))
        self._relationship_advance_stages()
        return True

    def relationship_stage_drop_action(self, stage_id):
        """The backward-move wizard when putting these customers on ``stage_id``
        moves them down the ladder, else ``False`` (the kanban asks before a
        card dragged down moves)."""
        self.check_access("write")
        stage = self.env["relationship.stage"].browse(stage_id)
        backward = self._relationship_moving_back(stage)
        return backward._relationship_backward_action(stage) if backward else False

    def _relationship_moving_back(self, stage):
        return self.filtered(
            lambda p: p.relationship_stage_id and p.relationship_stage_id.sequence > stage.sequence
        )

    def write(self, vals):
        """A move down the ladder by hand asks for a reason (the backward move
        wizard); forward moves stay one click."""
        stage_id = vals.get("relationship_stage_id")
        if stage_id:
            stage = self.env["relationship.stage"].browse(stage_id)
            backward = self._relationship_moving_back(stage)
            if backward:
                refusal = RedirectWarning(
                    _(
                        "Moving %(customers)s back to %(stage)s takes a reason, and "
                        "locks the stage so that the next purchase does not undo it.",
                        customers=", ".join(backward.mapped("display_name")),
                        stage=stage.display_name,
                    ),
                    backward._relationship_backward_action(stage),
                    _("Move Back with a Reason"),
                )
                # A question to the user, not a server error: the HTTP layer
                # logs an exception at its ``loglevel`` when it has one.
                refusal.loglevel = logging.INFO
                raise refusal
        return super().write(vals)

    def _relationship_backward_action(self, stage):
        return {
            "type": "ir.actions.act_window",
            "name": _("Move Back on the Ladder"),
            "res_model": "relationship.stage.backward",
            "view_mode": "form",
            "views": [[False, "form"]],
            "target": "new",
            "context": {
                "default_partner_ids": self.ids,
                "default_stage_id": stage.id,
            },
        }


class RelationshipStage(models.Model):
    _inherit = "relationship.stage"

    def _relationship_next_step_text(self, figures, company):
        """What a customer with ``figures`` still lacks to meet this rung,
        e.g. "1 more order within 365 days → Client"."""
        self.ensure_one()
        within = _(" within %(days)s days", days=self.period_days) if self.period_days else ""
        needs = []
        orders = self.min_order_count - figures["orders"].get(self.period_days, 0)
        if orders > 0:
            needs.append(
                (_("1 more order") if orders == 1 else _("%(count)s more orders", count=orders))
                + within
            )
        revenue = self.min_revenue - figures["revenue"].get(self.period_days, 0.0)
        if not company.currency_id.is_zero(revenue) and revenue > 0:
            needs.append(
                _(
                    "%(amount)s more revenue",
                    amount=format_amount(self.env, revenue, company.currency_id),
                )
                + within
            )
        referrals = self.min_referral_count - figures["referrals"]
        if referrals > 0:
            needs.append(
                _("1 more referral")
                if referrals == 1
                else _("%(count)s more referrals", count=referrals)
            )
        if self.require_membership and not figures["member"]:
            needs.append(_("needs a membership"))
        if self.require_agreement and not figures["agreement"]:
            needs.append(_("needs a partnership agreement"))
        if not needs:
            criteria = (
                self.min_order_count
                or self.min_revenue
                or self.min_referral_count
                or self.require_membership
                or self.require_agreement
            )
            needs.append(_("criteria met") if criteria else _("set by hand"))
        return _("%(needs)s → %(stage)s", needs=", ".join(needs), stage=self.name)
