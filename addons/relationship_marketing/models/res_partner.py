# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models

from ..tools.purchase_rows import vat_key

RELATIONSHIP_GROUP = "relationship_marketing.group_relationship_user"
# The addon's own columns on res.partner are read together, and only when one
# of them is: Odoo reads partners everywhere (record rules, names, lists of
# contacts) and would otherwise load these fifty-odd columns with every partner.
RELATIONSHIP_PREFETCH = "relationship_marketing"
# Fields whose change can let a customer climb the ladder.
# The active membership is computed from memberships, which let the customer
# climb themselves; writing it directly (older integrations) still climbs.
LADDER_FIELDS = {"relationship_membership_active", "relationship_agreement"}
# Fields whose change can move a customer to another segment.
SEGMENT_FIELDS = {"category_id", "industry_id"}


class ResPartner(models.Model):
    """The relationship on the partner: what every concern shares, create and write."""

    _inherit = "res.partner"

    relationship_purchase_ids = fields.One2many(
        "relationship.purchase", "partner_id", string="Purchases", groups=RELATIONSHIP_GROUP
    )
    relationship_currency_id = fields.Many2one(
        "res.currency", compute="_compute_relationship_currency_id", groups=RELATIONSHIP_GROUP
    )
    relationship_customer_ref_ids = fields.One2many(
        "relationship.customer.ref",
        "partner_id",
        string="Customer IDs in Sources",
        groups=RELATIONSHIP_GROUP,
    )
    relationship_birthday = fields.Date(
        string="Birthday",
        groups=RELATIONSHIP_GROUP,
        help="The customer's date of birth.",
        prefetch=RELATIONSHIP_PREFETCH,
    )
    relationship_vat_key = fields.Char(
        compute="_compute_relationship_vat_key",
        store=True,
        index="btree_not_null",
        help="Technical: the VAT number in a comparable form, to match customers.",
        prefetch=RELATIONSHIP_PREFETCH,
    )

    @api.depends("vat")
    def _compute_relationship_vat_key(self):
        for partner in self:
            partner.relationship_vat_key = vat_key(partner.vat)

    @api.depends("company_id")
    @api.depends_context("company")
    def _compute_relationship_currency_id(self):
        for partner in self:
            partner.relationship_currency_id = (
                partner.company_id.currency_id or self.env.company.currency_id
            )

    def _relationship_ids_with(self, fname):
        """Ids of these partners whose one2many ``fname`` may hold records.

        Partners just created are known to have none (the ORM caches their
        one2many fields as empty): counting their records needs no query.
        """
        field, cache = self._fields[fname], self.env.cache
        return [
            partner.id
            for partner in self._origin
            if partner.id and not (cache.contains(partner, field) and not cache.get(partner, field))
        ]

    def _relationship_company(self):
        """The company whose relationship settings apply to this customer."""
        self.ensure_one()
        return self.relationship_segment_id.company_id or self.company_id or self.env.company

    def write(self, vals):
        level_by_hand = (
            "relationship_level" in vals and "relationship_level_set_by_hand" not in vals
        )
        result = super().write(vals)
        # Within an ingestion batch, which climbs and segments its customers
        # once at its end (a deferral only: the stage moves, when they come,
        # are logged and checked as ever).
        ingest = self.env.context.get("relationship_ingest")
        if not ingest:
            self._relationship_climb_after_write(vals)
        if level_by_hand:
            # A level other than the segment's default was chosen for these
            # customers: keep it when the segment changes.
            self.filtered(
                lambda p: (
                    not p.relationship_level_set_by_hand
                    and p.relationship_level != p.relationship_segment_id.default_level
                )
            ).write({"relationship_level_set_by_hand": True})
        if vals.keys() & SEGMENT_FIELDS and not ingest:
            self._relationship_assign_segments()
        return result

    def _relationship_climb_after_write(self, vals):
        """Details that stage criteria read changed: let the customers climb."""
        if vals.keys() & LADDER_FIELDS:
            self._relationship_advance_stages(reason=_("Customer details changed"))
        elif "relationship_referred_by_id" in vals:
            self.relationship_referred_by_id._relationship_advance_stages(reason=_("New referral"))

    def _relationship_refresh_depth(self, reason=False, purchased=False):
        """Bring segments, memberships, points, tiers and phases up to date.

        Called for the customers an ingestion batch or a purchase touched
        (``purchased``: they just bought, which ends a phase set by hand and
        moves the top customers), by the nightly cron per batch, and by the
        demo data. Every step is set-based: a constant number of queries
        whatever the number of customers. Levels, gaps, bands and dates are
        stored computed fields that follow by themselves.
        """
        partners = self.filtered("id")
        if not partners:
            return
        partners._relationship_assign_segments()
        # Programmes are configuration every customer's refresh must read.
        programmes = (
            self.env["relationship.programme"]
            .sudo()
            .search_fetch(
                [("company_id", "in", (partners.company_id | self.env.company).ids)],
                ["company_id", "kind", "club_access", "auto_enrol", "active"],
            )
        )
        programmes._relationship_auto_enrol(partners)
        if programmes.filtered(lambda p: p.kind == "frequency"):
            self.env["relationship.membership"].search(
                [
                    ("partner_id", "in", partners.ids),
                    ("state", "=", "active"),
                    ("programme_id.kind", "=", "frequency"),
                ]
            )._relationship_refresh_points(reason=reason)
        partners._relationship_refresh_phases(reason=reason, purchased=purchased)
        if purchased:
            by_company = partners.grouped(lambda p: p.company_id or self.env.company)
            for company, buyers in by_company.items():
                buyers._relationship_raise_pareto(company)

    def _relationship_at_precommit(self, key, method):
        """Call ``method`` once, just before the transaction commits, on all
        the customers that asked for it under ``key`` during the transaction
        (the cursor's precommit data, as mail's tracking does): a bridge that
        follows another app's records reacts once per transaction, in bulk,
        not once per changed record."""
        ids = self._origin.ids
        if not ids:
            return
        precommit = self.env.cr.precommit
        pending = precommit.data.get(key)
        if pending is None:
            pending = precommit.data[key] = set()
            env = self.env

            @precommit.add
            def run():
                partners = env["res.partner"].browse(precommit.data.pop(key, ()))
                getattr(partners.exists(), method)()
                env.flush_all()

        pending.update(ids)
