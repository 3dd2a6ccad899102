# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from odoo.addons.membership.models.membership import STATE as ODOO_STATES
from odoo.addons.relationship_marketing.tools.batch import write_each

# Odoo's membership state -> the state of the club membership, and whether the
# fee is settled (paid, or waived for a free member).
STATE_OF = {
    "paid": ("active", True),
    "free": ("active", True),
    "invoiced": ("draft", False),
    "waiting": ("draft", False),
    "none": ("draft", False),
    "old": ("expired", True),
    "canceled": ("cancelled", False),
}
CURRENT_STATES = ("draft", "active")


class RelationshipMembership(models.Model):
    """A club membership that follows a membership line of Odoo's Members app."""

    _inherit = "relationship.membership"

    membership_line_id = fields.Many2one(
        "membership.membership_line",
        string="Odoo Membership",
        index="btree_not_null",
        ondelete="set null",
        readonly=True,
        copy=False,
        help="The membership line of Odoo (its invoice) that this membership follows.",
    )
    odoo_membership_state = fields.Selection(
        ODOO_STATES,
        readonly=True,
        copy=False,
        help="Odoo's state of the membership this club membership follows; empty "
        "for memberships kept by hand.",
    )
    invoice_id = fields.Many2one(
        related="membership_line_id.account_invoice_id",
        string="Fee Invoice",
        groups="account.group_account_invoice",
    )
    fees_owned_by_odoo = fields.Boolean(related="programme_id.fees_owned_by_odoo")
    partner_stage_id = fields.Many2one(
        related="partner_id.relationship_stage_id",
        string="Customer's Rung",
        help="Where the member stands on the development ladder.",
    )

    def action_activate(self):
        for membership in self:
            programme = membership.programme_id
            if programme.fees_owned_by_odoo and programme.club_access == "paid":
                raise UserError(
                    _(
                        "The fee of %(club)s is invoiced through Odoo: invoice it to "
                        "%(customer)s, the membership starts when the invoice is paid.",
                        club=programme.name,
                        customer=membership.partner_id.name,
                    )
                )
        return super().action_activate()

    def action_invoice_fee(self):
        """Invoice the club's fee (Odoo's membership invoice) to these members.

        The invoice makes Odoo's membership line; paying it activates the
        membership.
        """
        memberships = self.filtered(lambda m: m.state == "draft" and not m.invoice_id)
        if not memberships:
            raise UserError(_("These memberships have no fee left to invoice."))
        invoices = self.env["account.move"]
        for programme, members in memberships.grouped("programme_id").items():
            if not programme.fees_owned_by_odoo:
                raise UserError(
                    _("Switch %s to memberships invoiced by Odoo first.", programme.name)
                )
            product = programme.membership_product_id
            price = programme.fee or product.lst_price
            invoices |= members.partner_id.with_company(
                programme.company_id
            ).create_membership_invoice(product, price)
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "account.action_move_out_invoice_type"
        )
        if len(invoices) == 1:
            action.update(
                views=[(self.env.ref("account.view_move_form").id, "form")], res_id=invoices.id
            )
        else:
            action["domain"] = [("id", "in", invoices.ids)]
        return action

    @api.model
    def _relationship_follow_odoo(self, partners):
        """Bring the memberships of these customers in the clubs that Odoo
        invoices into line with Odoo's membership lines.

        Per customer and club, the line that covers today (else the latest)
        gives the state: paid or free members are active, invoiced ones are
        waiting (draft), lines whose period ended are expired, cancelled
        invoices cancel. A renewal carries the same membership on. Members of
        an affinity club who left its group are not made active. A few queries
        whatever the number of customers; the memberships are written one set
        per state, then the ladder moves for all of them at once.
        """
        partners = partners.filtered("id")
        clubs = self.env["relationship.programme"]._relationship_odoo_clubs(
            partners.company_id | self.env.companies
        )
        if not partners or not clubs:
            return self
        Membership = self.sudo()  # see the comment of _relationship_odoo_clubs
        today = fields.Date.context_today(self)
        line_of = self._relationship_deciding_lines(partners, clubs, today)
        existing = defaultdict(lambda: Membership)
        for membership in Membership.search(
            [("partner_id", "in", partners.ids), ("programme_id", "in", clubs.ids)],
            order="id desc",
        ):
            existing[membership.partner_id.id, membership.programme_id.id] |= membership

        to_create, by_state, links = [], defaultdict(list), {}
        for partner in partners:
            for club in clubs:
                if partner.company_id and partner.company_id != club.company_id:
                    continue
                line, covers = line_of.get((partner.id, club.id), (None, False))
                odoo_state = self._relationship_odoo_state(line, covers, partner, today)
                memberships = existing[partner.id, club.id]
                # The membership that follows Odoo's, else the one kept here
                # so far (it is adopted: its start and history stay).
                membership = (
                    memberships.filtered("odoo_membership_state")[:1]
                    or memberships.filtered(lambda m: m.state in CURRENT_STATES)[:1]
                )
                if not odoo_state:
                    if membership.odoo_membership_state and membership.state in CURRENT_STATES:
                        by_state["cancelled", False, "canceled"].append(membership.id)
                    continue
                state, settled = STATE_OF[odoo_state]
                if state == "active" and not club._may_join(partner):
                    state = "draft"  # paid, but no longer in the affinity group
                line_values = {
                    "membership_line_id": line.id if line else False,
                    "date_end": line.date_to if line else membership.date_end,
                }
                if not membership:
                    if state in CURRENT_STATES:
                        to_create.append(
                            dict(
                                line_values,
                                partner_id=partner.id,
                                programme_id=club.id,
                                company_id=club.company_id.id,
                                date_start=(line and (line.date_from or line.date)) or today,
                                state=state,
                                fee_paid=settled,
                                odoo_membership_state=odoo_state,
                            )
                        )
                    continue
                current = (membership.state, membership.fee_paid, membership.odoo_membership_state)
                if current != (state, settled, odoo_state):
                    by_state[state, settled, odoo_state].append(membership.id)
                if (membership.membership_line_id.id or False, membership.date_end) != (
                    line_values["membership_line_id"],
                    line_values["date_end"],
                ):
                    links[membership.id] = line_values
        # Links and end dates move nobody on the ladder: written first, one
        # statement per hundred memberships.
        write_each(Membership, links)
        changed = Membership.browse()
        for (state, settled, odoo_state), ids in by_state.items():
            memberships = Membership.browse(ids)
            memberships.write(
                {"state": state, "fee_paid": settled, "odoo_membership_state": odoo_state}
            )
            changed |= memberships
        return (changed | Membership.create(to_create)).sudo(False)

    @api.model
    def _relationship_deciding_lines(self, partners, clubs, today):
        """``{(partner id, club id): (line, it covers today)}``: per customer and
        club, Odoo's membership line of the club's product (of the club's
        company) that covers today, else the latest one. One query."""
        clubs_of_product = clubs.grouped("membership_product_id")
        lines = (
            self.env["membership.membership_line"]
            .sudo()  # see the comment of _relationship_odoo_clubs
            .search(
                [
                    ("partner", "in", partners.ids),
                    ("membership_id", "in", clubs.membership_product_id.ids),
                ],
                order="id desc",
            )
        )
        line_of = {}
        for line in lines:
            covers = (line.date_from or today) <= today <= (line.date_to or today)
            for club in clubs_of_product[line.membership_id]:
                if line.company_id and line.company_id != club.company_id:
                    continue
                key = (line.partner.id, club.id)
                if key not in line_of or (covers and not line_of[key][1]):
                    line_of[key] = (line, covers)
        return line_of

    @api.model
    def _relationship_odoo_state(self, line, covers, partner, today):
        """Odoo's membership state of ``partner`` in one club, from the line
        that decides (Odoo's own rules, per product): the line's state while it
        covers today; once its period ended, old if it was paid, else
        cancelled; a line still to come waits. A free member without a line is
        free. ``False``: not a member of Odoo's at all."""
        if not line:
            return "free" if partner.free_member else False
        if covers:
            return line.state
        if line.date_to and line.date_to < today:
            return "old" if line.state == "paid" else "canceled"
        return "waiting"
