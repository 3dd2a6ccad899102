# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class RelationshipProgramme(models.Model):
    """A frequency programme whose points are held on Odoo's loyalty cards."""

    _inherit = "relationship.programme"

    loyalty_program_id = fields.Many2one(
        "loyalty.program",
        string="Odoo Loyalty Programme",
        index="btree_not_null",
        check_company=True,
        domain="[('program_type', '=', 'loyalty')]",
        help="The loyalty card programme of Odoo that holds this programme's points: "
        "Odoo's rules earn them on sales and at the point of sale, its rewards "
        "spend them.",
    )
    points_owned_by_odoo = fields.Boolean(
        string="Points Held by Odoo Loyalty",
        readonly=True,
        copy=False,
        help="On: a member's points are the balance of the loyalty card, the only "
        "balance shown; the tiers follow the points the card earned in the "
        "qualifying window. Off: the programme counts its own points from the "
        "purchases, as before.",
    )
    card_earns_purchases = fields.Boolean(
        string="Purchases from Other Systems Earn on the Card",
        default=True,
        help="With Odoo Loyalty holding the points: the purchases recorded after the "
        "switch (sent by rm-sync from shops, points of sale and other systems) earn "
        "points on the member's card at this programme's rate, as a card line. Off: "
        "only Odoo's loyalty rules earn points.",
    )
    points_switch_date = fields.Datetime(
        string="Points Held by Odoo Since",
        readonly=True,
        copy=False,
        help="When the consultant let Odoo's loyalty cards hold the points.",
    )
    points_counted_up_to = fields.Integer(
        readonly=True,
        copy=False,
        help="Technical: the last purchase (by id) when Odoo's cards took over; the "
        "purchases recorded after it earn on the cards, those before were counted here.",
    )
    loyalty_card_count = fields.Integer(
        string="Loyalty Cards",
        compute="_compute_loyalty_card_count",
        help="Customers' cards of the Odoo loyalty programme.",
    )

    @api.depends("loyalty_program_id")
    def _compute_loyalty_card_count(self):
        counts = dict(
            self.loyalty_program_id
            and self.env["loyalty.card"]._read_group(
                [("program_id", "in", self.loyalty_program_id.ids), ("partner_id", "!=", False)],
                ["program_id"],
                ["__count"],
            )
        )
        for programme in self:
            programme.loyalty_card_count = counts.get(programme.loyalty_program_id, 0)

    @api.constrains("kind", "loyalty_program_id")
    def _check_loyalty_program(self):
        for programme in self.filtered("loyalty_program_id"):
            if programme.kind != "frequency":
                raise ValidationError(
                    _(
                        "Only a frequency programme holds points on loyalty cards (%s).",
                        programme.name,
                    )
                )
        linked = self.search([("loyalty_program_id", "in", self.loyalty_program_id.ids)])
        for program in linked.loyalty_program_id:
            programmes = linked.filtered(lambda p, program=program: p.loyalty_program_id == program)
            if len(programmes) > 1:
                raise ValidationError(
                    _(
                        "The loyalty programme %(program)s already holds the points of "
                        "%(programmes)s: one balance per customer.",
                        program=program.name,
                        programmes=", ".join(programmes.mapped("name")),
                    )
                )

    @api.model
    def _relationship_card_programmes(self, companies):
        """The active frequency programmes of ``companies`` whose points Odoo holds."""
        # Configuration every member's points follow, whoever changes a card
        # (a cashier or a salesperson need not be a relationship user).
        return (
            self.sudo()
            .search(
                [
                    ("points_owned_by_odoo", "=", True),
                    ("loyalty_program_id", "!=", False),
                    ("company_id", "in", companies.ids),
                ]
            )
            .sudo(False)
        )

    def action_view_loyalty_cards(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("loyalty.loyalty_card_action")
        action["domain"] = [("program_id", "=", self.loyalty_program_id.id)]
        action["context"] = {"default_program_id": self.loyalty_program_id.id, "create": False}
        return action

    def action_switch_points_to_odoo(self):
        """The consultant's switch: from now on the loyalty card is the balance.

        Nothing is lost: each member's points counted here so far are kept on
        the membership, read-only, as history; a member without a card gets
        one holding those points (a card line says so), so that what the
        customer earned stays spendable; a member who already has a card keeps
        its balance (it is the balance the customer knows). Customers holding a
        card become members.
        """
        for programme in self:
            if programme.kind != "frequency" or not programme.loyalty_program_id:
                raise UserError(_("Choose the Odoo loyalty programme of %s first.", programme.name))
            if programme.points_owned_by_odoo:
                raise UserError(_("Odoo already holds the points of %s.", programme.name))
        Membership = self.env["relationship.membership"]
        memberships = Membership.search(
            [("programme_id", "in", self.ids), ("state", "=", "active")]
        )
        cards = self.env["loyalty.card"]._relationship_cards_of(
            memberships.partner_id, self.loyalty_program_id
        )
        new_cards, carried = [], []
        for membership in memberships:
            program = membership.programme_id.loyalty_program_id
            if (membership.partner_id.id, program.id) not in cards:
                new_cards.append(
                    {
                        "program_id": program.id,
                        "partner_id": membership.partner_id.id,
                        "points": membership.points,
                    }
                )
                carried.append(membership)
        created = self.env["loyalty.card"].with_context(loyalty_no_mail=True).create(new_cards)
        self.env["loyalty.history"].create(
            [
                {
                    "card_id": card.id,
                    "description": self.env._(
                        "Points carried over from %s", membership.programme_id.name
                    ),
                    "issued": card.points,
                }
                for card, membership in zip(created, carried, strict=True)
                if card.points
            ]
        )
        for points, group in memberships.grouped("points").items():
            group.write({"points_before_switch": points})
        last_purchase = (
            self.env["relationship.purchase"].sudo().search([], order="id desc", limit=1)
        )
        self.write(
            {
                "points_owned_by_odoo": True,
                "points_switch_date": fields.Datetime.now(),
                "points_counted_up_to": last_purchase.id,
            }
        )
        partners = (
            memberships.partner_id
            | self.env["loyalty.card"]
            .search(
                [("program_id", "in", self.loyalty_program_id.ids), ("partner_id", "!=", False)]
            )
            .partner_id
        )
        partners._relationship_follow_loyalty_cards()
        return True

    def action_switch_points_to_addon(self):
        """Back to points counted here from the purchases: cards stay as they are."""
        self.write({"points_owned_by_odoo": False})
        self.env["relationship.membership"].search(
            [("programme_id", "in", self.ids), ("state", "=", "active")]
        )._relationship_refresh_points(reason=_("Points counted from the purchases again"))
        return True
