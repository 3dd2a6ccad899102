# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import math
from collections import defaultdict
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.tools import SQL

from odoo.addons.relationship_marketing.tools.batch import write_each


class RelationshipMembership(models.Model):
    """A membership of a frequency programme whose points a loyalty card holds."""

    _inherit = "relationship.membership"

    loyalty_card_id = fields.Many2one(
        "loyalty.card",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        copy=False,
        help="The customer's card of the Odoo loyalty programme that holds the points.",
    )
    points_before_switch = fields.Integer(
        string="Points Counted Before the Switch",
        readonly=True,
        copy=False,
        help="The points this programme had counted from the purchases when Odoo's "
        "loyalty cards took over: kept as history, no longer a balance.",
    )
    points_owned_by_odoo = fields.Boolean(related="programme_id.points_owned_by_odoo")
    card_points_from_purchases = fields.Integer(
        string="Points Earned on the Card by Purchases",
        readonly=True,
        copy=False,
        help="The points this programme put on the card for the purchases recorded "
        "since the switch (card lines 'Purchases from other systems').",
    )

    def _relationship_refresh_points(self, reason=False):
        """Members of programmes whose points Odoo holds take them from their
        cards; the others are counted from the purchases, as before."""
        held = self.filtered(
            lambda m: (
                m.id
                and m.state == "active"
                and m.programme_id.kind == "frequency"
                and m.programme_id.points_owned_by_odoo
            )
        )
        changes = super(RelationshipMembership, self - held)._relationship_refresh_points(
            reason=reason
        )
        held._relationship_earn_purchases_on_cards()
        return changes | held._relationship_points_from_cards(reason)

    def _relationship_card_purchases(self):
        """The purchases that earn on the cards: those recorded after the
        switch (the ones before were counted here and carried over: purchase
        ids grow as they are recorded), from the membership's start. A bridge
        whose purchases come from Odoo documents that Odoo's loyalty rules
        reward already (sales, point of sale) leaves them out here, so that no
        purchase earns twice.

        :return: an SQL condition on ``p`` (purchase), ``m`` and ``g`` (programme)
        """
        return SQL("p.id > g.points_counted_up_to AND p.date_order >= m.date_start")

    def _relationship_earn_purchases_on_cards(self):
        """Put on the members' cards the points of their purchases from other
        systems, at the programme's rate: the difference with what was put
        before, as one card line each (a refund takes its points back). One query for
        the amounts, one ``create`` of the card lines; members without a card
        get one.
        """
        memberships = self.filtered(lambda m: m.programme_id.card_earns_purchases)
        if not memberships:
            return
        self.env["relationship.purchase"].flush_model(
            ["commercial_partner_id", "company_id", "date_order", "amount_net_company"]
        )
        self.flush_model(["partner_id", "company_id", "date_start", "programme_id"])
        self.env["relationship.programme"].flush_model(["points_counted_up_to"])
        rows = self.env.execute_query(
            SQL(
                """
                SELECT m.id, COALESCE(SUM(p.amount_net_company), 0)::float
                  FROM relationship_membership m
                  JOIN relationship_programme g ON g.id = m.programme_id
                  LEFT JOIN relationship_purchase p
                         ON p.commercial_partner_id = m.partner_id
                        AND p.company_id = m.company_id
                        AND %(earning)s
                 WHERE m.id IN %(ids)s
                 GROUP BY m.id
                """,
                earning=self._relationship_card_purchases(),
                ids=tuple(memberships.ids),
            )
        )
        due = {}
        for membership_id, amount in rows:
            membership = self.browse(membership_id)
            points = math.floor(amount * membership.programme_id.points_per_unit + 1e-6)
            if points != membership.card_points_from_purchases:
                due[membership] = points
        if not due:
            return
        # The members' cards take the points whoever records the purchase (the
        # connector's user need not manage loyalty cards).
        Card = self.env["loyalty.card"].sudo()
        due_memberships = self.browse([m.id for m in due])
        cards = Card._relationship_cards_of(
            due_memberships.partner_id, due_memberships.programme_id.loyalty_program_id
        )
        missing = [
            m for m in due if (m.partner_id.id, m.programme_id.loyalty_program_id.id) not in cards
        ]
        for membership, card in zip(
            missing,
            Card.create(
                [
                    {
                        "program_id": m.programme_id.loyalty_program_id.id,
                        "partner_id": m.partner_id.id,
                    }
                    for m in missing
                ]
            ),
            strict=True,
        ):
            cards[membership.partner_id.id, card.program_id.id] = card
        lines, balances, earned = [], {}, {}
        for membership, points in due.items():
            card = cards[membership.partner_id.id, membership.programme_id.loyalty_program_id.id]
            delta = points - membership.card_points_from_purchases
            lines.append(
                {
                    "card_id": card.id,
                    "description": self.env._("Purchases from other systems"),
                    # a refund takes earned points back (not spent ones): the
                    # qualifying points, which count what was issued, drop too
                    "issued": delta,
                }
            )
            balances[card.id] = {
                "points": balances.get(card.id, {}).get("points", card.points) + delta
            }
            earned[membership.id] = {"card_points_from_purchases": points}
        self.env["loyalty.history"].sudo().create(lines)
        write_each(Card, balances)
        write_each(self.sudo(), earned)

    def _relationship_points_from_cards(self, reason=False):
        """Points and tiers of these memberships from Odoo's loyalty cards.

        The points are the balance of the member's cards of the programme (what
        Odoo's rewards spend); the qualifying points, which set the tier, are
        the points the cards earned within the qualifying window (card lines
        issued), so that spending points on a reward costs no tier. A card
        without any line (points set when it was made) counts its balance,
        earned when the card was made. Three queries, whatever the number of
        members.
        """
        if not self:
            return self.env["relationship.tier.change"]
        programmes = self.programme_id
        # The cards and their lines are the points of the members: read them
        # whoever triggers the recount, as the core counts every purchase.
        Card = self.env["loyalty.card"].sudo()
        cards = Card.search(
            [
                ("partner_id", "in", self.partner_id.ids),
                ("program_id", "in", programmes.loyalty_program_id.ids),
                ("active", "=", True),
                "|",
                ("expiration_date", "=", False),
                ("expiration_date", ">=", fields.Date.context_today(self)),
            ]
        )
        now = fields.Datetime.now()
        widest = max(programmes.mapped("qualifying_days"), default=0)
        History = self.env["loyalty.history"].sudo()
        with_lines = {
            card.id for [card] in History._read_group([("card_id", "in", cards.ids)], ["card_id"])
        }
        earned = defaultdict(float)  # (card id, day) -> points issued that day
        for card, day, issued in History._read_group(
            [
                ("card_id", "in", cards.ids),
                ("create_date", ">=", now - timedelta(days=widest + 1)),
            ],
            ["card_id", "create_date:day"],
            ["issued:sum"],
        ):
            earned[card.id, day.date()] += issued
        balance, window = defaultdict(float), defaultdict(float)
        for card in cards:
            key = (card.partner_id.id, card.program_id.id)
            balance[key] += card.points
            days = programmes.filtered(
                lambda p, card=card: p.loyalty_program_id == card.program_id
            ).qualifying_days
            since = (now - timedelta(days=days)).date()
            if card.id in with_lines:
                window[key] += sum(
                    issued
                    for (card_id, day), issued in earned.items()
                    if card_id == card.id and day >= since
                )
            elif card.create_date.date() >= since:
                window[key] += card.points
        figures = {}
        for membership in self:
            key = (membership.partner_id.id, membership.programme_id.loyalty_program_id.id)
            figures[membership.id] = (
                math.floor(balance[key] + 1e-6),
                math.floor(window[key] + 1e-6),
            )
        return self._relationship_apply_points(figures, reason)

    def _relationship_apply_points(self, figures, reason=False):
        """Write ``{membership id: (points, qualifying points)}`` and move the
        tiers, logging the changes in one ``create``, as the core's count does.
        """
        points, targets, changes = {}, defaultdict(list), []
        now = fields.Datetime.now()
        Tier = self.env["relationship.programme.tier"]
        for membership in self:
            earned, qualifying = figures[membership.id]
            if (earned, qualifying) != (membership.points, membership.qualifying_points):
                points[membership.id] = {"points": earned, "qualifying_points": qualifying}
            tier = Tier._tier_for(membership.programme_id.tier_ids, qualifying)
            if tier == membership.tier_id:
                continue
            targets[tier].append(membership.id)
            upgrade = bool(tier) and (
                not membership.tier_id or tier.threshold > membership.tier_id.threshold
            )
            changes.append(
                {
                    "membership_id": membership.id,
                    "company_id": membership.company_id.id,
                    "tier_from_id": membership.tier_id.id,
                    "tier_to_id": tier.id,
                    "date": now,
                    "direction": "upgrade" if upgrade else "downgrade",
                    "qualifying_points": qualifying,
                    "reason": reason or _("Points of the loyalty card"),
                }
            )
        self._relationship_write_points(points)
        for tier, ids in targets.items():
            self.browse(ids).write({"tier_id": tier.id})
        # History is written by the addon only (users may not create it):
        # these lines are the tier changes just made.
        return self.env["relationship.tier.change"].sudo().create(changes).sudo(False)

    @api.model
    def _relationship_follow_cards(self, partners):
        """Card holders of the programmes whose points Odoo holds are members:
        a customer with a card becomes one (from the day the card was made), a
        membership that came with a card ends when the customer has no card
        left; then the points and tiers of all of them are counted at once.
        """
        partners = partners.filtered("id")
        programmes = self.env["relationship.programme"]._relationship_card_programmes(
            partners.company_id | self.env.companies
        )
        if not partners or not programmes:
            return self
        Membership = self.sudo()  # see _relationship_card_programmes
        cards = self.env["loyalty.card"]._relationship_cards_of(
            partners, programmes.loyalty_program_id
        )
        current = {
            (m.partner_id.id, m.programme_id.id): m
            for m in Membership.search(
                [
                    ("partner_id", "in", partners.ids),
                    ("programme_id", "in", programmes.ids),
                    ("state", "in", ("draft", "active")),
                ]
            )
        }
        to_create, to_end, to_link = [], Membership, {}
        for programme in programmes:
            for partner in partners:
                if partner.company_id and partner.company_id != programme.company_id:
                    continue
                card = cards.get((partner.id, programme.loyalty_program_id.id))
                membership = current.get((partner.id, programme.id), Membership)
                if card and not membership:
                    to_create.append(
                        {
                            "partner_id": partner.id,
                            "programme_id": programme.id,
                            "company_id": programme.company_id.id,
                            "date_start": card.create_date.date(),
                            "state": "active",
                            "loyalty_card_id": card.id,
                        }
                    )
                elif card and membership.loyalty_card_id != card:
                    to_link[membership.id] = {"loyalty_card_id": card.id}
                elif not card and membership.loyalty_card_id:
                    to_end |= membership
        write_each(Membership, to_link)
        to_end.write({"state": "expired"})
        created = Membership.create(to_create)
        held = Membership.search(
            [
                ("partner_id", "in", partners.ids),
                ("programme_id", "in", programmes.ids),
                ("state", "=", "active"),
            ]
        )
        held._relationship_refresh_points(reason=_("Points of the loyalty card"))
        return (created | to_end).sudo(False)
