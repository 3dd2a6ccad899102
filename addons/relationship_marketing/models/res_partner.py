# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging
from collections import defaultdict
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.tools import SQL

from ..tools.batch import write_each
from ..tools.purchase_rows import vat_key

_logger = logging.getLogger(__name__)

RELATIONSHIP_GROUP = "relationship_marketing.group_relationship_user"
# Fields whose change can let a customer climb the ladder.
LADDER_FIELDS = {"relationship_membership_active", "relationship_agreement"}
REFRESH_CURSOR = "relationship_marketing.refresh_cursor"


class ResPartner(models.Model):
    _inherit = "res.partner"

    relationship_purchase_ids = fields.One2many(
        "relationship.purchase", "partner_id", string="Purchases", groups=RELATIONSHIP_GROUP
    )
    relationship_currency_id = fields.Many2one(
        "res.currency", compute="_compute_relationship_currency_id", groups=RELATIONSHIP_GROUP
    )
    relationship_order_count = fields.Integer(
        string="Orders",
        compute="_compute_relationship_figures",
        store=True,
        groups=RELATIONSHIP_GROUP,
        help="Number of purchases the customer made, from every source.",
    )
    relationship_revenue = fields.Monetary(
        string="Revenue",
        compute="_compute_relationship_figures",
        store=True,
        currency_field="relationship_currency_id",
        groups=RELATIONSHIP_GROUP,
        help="Total of the customer's purchases, in the company currency.",
    )
    relationship_average_order = fields.Monetary(
        string="Average Order",
        compute="_compute_relationship_figures",
        store=True,
        currency_field="relationship_currency_id",
        groups=RELATIONSHIP_GROUP,
        help="Revenue divided by the number of orders.",
    )
    relationship_first_purchase = fields.Date(
        string="First Purchase",
        compute="_compute_relationship_figures",
        store=True,
        groups=RELATIONSHIP_GROUP,
        help="Date of the customer's first purchase: the start of the relationship.",
    )
    relationship_last_purchase = fields.Date(
        string="Last Purchase",
        compute="_compute_relationship_figures",
        store=True,
        index=True,
        groups=RELATIONSHIP_GROUP,
        help="Date of the customer's most recent purchase.",
    )
    relationship_recency_score = fields.Integer(
        string="Recency",
        readonly=True,
        groups=RELATIONSHIP_GROUP,
        help="1 to 5: the customer's quintile by date of last purchase among the "
        "company's customers (5 = most recent). Refreshed nightly.",
    )
    relationship_frequency_score = fields.Integer(
        string="Frequency",
        readonly=True,
        groups=RELATIONSHIP_GROUP,
        help="1 to 5: the customer's quintile by number of orders (5 = most orders). "
        "Refreshed nightly.",
    )
    relationship_monetary_score = fields.Integer(
        string="Monetary",
        readonly=True,
        groups=RELATIONSHIP_GROUP,
        help="1 to 5: the customer's quintile by revenue (5 = highest). Refreshed nightly.",
    )
    relationship_stage_id = fields.Many2one(
        "relationship.stage",
        string="Development Stage",
        index=True,
        tracking=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_relationship_stage_ids",
        domain="[('company_id', 'in', [company_id or current_company_id])]",
        groups=RELATIONSHIP_GROUP,
        help="The customer's rung on the development ladder. Purchases move it up "
        "automatically; a person may set it by hand.",
    )
    relationship_stage_locked = fields.Boolean(
        string="Stage Locked",
        copy=False,
        groups=RELATIONSHIP_GROUP,
        help="Keep the stage as set by hand: automatic moves leave this customer alone.",
    )
    relationship_stage_date = fields.Datetime(
        string="In Stage Since",
        readonly=True,
        copy=False,
        groups=RELATIONSHIP_GROUP,
        help="When the customer reached the current stage.",
    )
    relationship_stage_history_ids = fields.One2many(
        "relationship.stage.history",
        "partner_id",
        string="Stage History",
        groups=RELATIONSHIP_GROUP,
    )
    relationship_customer_ref_ids = fields.One2many(
        "relationship.customer.ref",
        "partner_id",
        string="Customer IDs in Sources",
        groups=RELATIONSHIP_GROUP,
    )
    relationship_referred_by_id = fields.Many2one(
        "res.partner",
        string="Referred By",
        index="btree_not_null",
        copy=False,
        groups=RELATIONSHIP_GROUP,
        help="The customer who recommended us to this one.",
    )
    relationship_referral_ids = fields.One2many(
        "res.partner",
        "relationship_referred_by_id",
        string="Referrals",
        groups=RELATIONSHIP_GROUP,
    )
    relationship_referral_count = fields.Integer(
        string="Referrals Made",
        compute="_compute_relationship_referral_count",
        store=True,
        groups=RELATIONSHIP_GROUP,
        help="Number of customers this customer recommended us to.",
    )
    relationship_membership_active = fields.Boolean(
        string="Active Member",
        copy=False,
        groups=RELATIONSHIP_GROUP,
        help="The customer has joined a membership programme.",
    )
    relationship_agreement = fields.Boolean(
        string="Partnership Agreement",
        copy=False,
        groups=RELATIONSHIP_GROUP,
        help="The customer and the company agreed to work together for mutual benefit.",
    )
    relationship_birthday = fields.Date(
        string="Birthday", groups=RELATIONSHIP_GROUP, help="The customer's date of birth."
    )
    relationship_vat_key = fields.Char(
        compute="_compute_relationship_vat_key",
        store=True,
        index="btree_not_null",
        help="Technical: the VAT number in a comparable form, to match customers.",
    )

    # ------------------------------------------------------------------
    # Computes
    # ------------------------------------------------------------------

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

    @api.depends(
        "relationship_purchase_ids.amount_company",
        "relationship_purchase_ids.date_order",
    )
    def _compute_relationship_figures(self):
        figures = {
            partner.id: (count, revenue, first, last)
            for partner, count, revenue, first, last in self.env[
                "relationship.purchase"
            ]._read_group(
                [("partner_id", "in", self._origin.ids)],
                ["partner_id"],
                ["__count", "amount_company:sum", "date_order:min", "date_order:max"],
            )
        }
        for partner in self:
            count, revenue, first, last = figures.get(partner._origin.id, (0, 0.0, False, False))
            partner.relationship_order_count = count
            partner.relationship_revenue = revenue
            partner.relationship_average_order = revenue / count if count else 0.0
            partner.relationship_first_purchase = first and first.date()
            partner.relationship_last_purchase = last and last.date()

    @api.depends("relationship_referral_ids")
    def _compute_relationship_referral_count(self):
        counts = dict(
            self._read_group(
                [("relationship_referred_by_id", "in", self._origin.ids)],
                ["relationship_referred_by_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.relationship_referral_count = counts.get(partner._origin, 0)

    @api.model
    def _read_group_relationship_stage_ids(self, stages, domain):
        # Show every rung of the ladder in the kanban, even the empty ones.
        return stages.search([("company_id", "in", self.env.companies.ids)])

    # ------------------------------------------------------------------
    # Stage moves and their history
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        entered = partners.browse(
            [p.id for p, vals in zip(partners, vals_list, strict=True) if vals.get("relationship_stage_id")]
        )
        if entered:
            entered._relationship_log_moves({})
        return partners

    def write(self, vals):
        if "relationship_stage_id" not in vals:
            result = super().write(vals)
            if vals.keys() & LADDER_FIELDS and not self.env.context.get("relationship_ingest"):
                self._relationship_advance_stages(reason=_("Customer details changed"))
            elif "relationship_referred_by_id" in vals and not self.env.context.get(
                "relationship_ingest"
            ):
                self.relationship_referred_by_id._relationship_advance_stages(
                    reason=_("New referral")
                )
            return result
        previous = {partner.id: partner.relationship_stage_id for partner in self}
        vals = dict(vals, relationship_stage_date=fields.Datetime.now())
        result = super().write(vals)
        self._relationship_log_moves(previous)
        return result

    def _relationship_log_moves(self, previous):
        """Record the stage moves of these partners (one ``create`` for all).

        The move type and reason come from the context keys
        ``relationship_move_type`` (``manual`` by default: the web client's
        kanban and form write the stage directly) and ``relationship_move_reason``.
        """
        move_type = self.env.context.get("relationship_move_type", "manual")
        reason = self.env.context.get("relationship_move_reason") or (
            _("Set by hand") if move_type == "manual" else False
        )
        now = fields.Datetime.now()
        moves = [
            {
                "partner_id": partner.id,
                "company_id": partner.relationship_stage_id.company_id.id,
                "stage_from_id": previous.get(partner.id, self.env["relationship.stage"]).id,
                "stage_to_id": partner.relationship_stage_id.id,
                "date": now,
                "move_type": move_type,
                "user_id": self.env.uid,
                "reason": reason,
            }
            for partner in self
            if partner.relationship_stage_id
            and partner.relationship_stage_id != previous.get(partner.id)
        ]
        if moves:
            self.env["relationship.stage.history"].create(moves)

    def _relationship_ladder_figures(self, company):
        """What the stage criteria look at, for these partners, in one company.

        One ``_read_group`` per distinct criteria period, whatever the number
        of partners.
        """
        stages = self.env["relationship.stage"].search([("company_id", "=", company.id)])
        now = fields.Datetime.now()
        orders, revenue = defaultdict(dict), defaultdict(dict)
        for period in set(stages.mapped("period_days")):
            domain = [("partner_id", "in", self.ids), ("company_id", "=", company.id)]
            if period:
                domain.append(("date_order", ">=", now - timedelta(days=period)))
            for partner, count, total in self.env["relationship.purchase"]._read_group(
                domain, ["partner_id"], ["__count", "amount_company:sum"]
            ):
                orders[partner.id][period] = count
                revenue[partner.id][period] = total
        return stages, {
            partner.id: {
                "orders": orders[partner.id],
                "revenue": revenue[partner.id],
                "referrals": partner.relationship_referral_count,
                "member": partner.relationship_membership_active,
                "agreement": partner.relationship_agreement,
            }
            for partner in self
        }

    def _relationship_advance_stages(self, reason=False):
        """Move these customers up the ladder as far as their figures allow.

        Automatic moves only go forward, and never touch a locked stage. Work
        is set-based: a few reads per company and one write per target stage.

        :return: the partners that moved
        """
        partners = self.filtered(lambda p: p.id and not p.relationship_stage_locked)
        if not partners:
            return self.browse()
        self.env.flush_all()
        moved = self.browse()
        by_company = defaultdict(lambda: self.browse())
        for partner in partners:
            by_company[partner.company_id or self.env.company] |= partner
        for company, company_partners in by_company.items():
            stages, figures = company_partners._relationship_ladder_figures(company)
            targets = defaultdict(lambda: self.browse())
            for partner in company_partners:
                target = stages.browse()
                for stage in stages:
                    if not stage._qualifies(figures[partner.id]):
                        break
                    target = stage
                current = partner.relationship_stage_id
                if target and (not current or target.sequence > current.sequence):
                    targets[target] |= partner
            for target, stage_partners in targets.items():
                stage_partners.with_context(
                    relationship_move_type="automatic",
                    relationship_move_reason=reason,
                ).write({"relationship_stage_id": target.id})
                moved |= stage_partners
        return moved

    # ------------------------------------------------------------------
    # Ingestion helpers (called by relationship.purchase.ingest_batch)
    # ------------------------------------------------------------------

    @api.model
    def _relationship_match_customers(self, parsed, source):
        """Find or create the customer of each row, and its referrer.

        Customers are matched by the source's customer id, then by normalised
        email, then by VAT number, among the partners of the current company
        (or shared ones). Rows of one new customer share one new partner.

        :param parsed: ``{row index: PurchaseRow}``
        :return: ``({row index: partner}, {row index: referrer partner})``
        """
        company = self.env.company
        partners = self.with_context(active_test=False)
        in_company = [("company_id", "in", [company.id, False])]
        referrals = {index: row.referred_by for index, row in parsed.items() if row.referred_by}
        customer_ids = {row.customer_id for row in parsed.values() if row.customer_id}
        emails = {row.email for row in parsed.values() if row.email}
        vat_keys = {row.vat_key for row in parsed.values() if row.vat_key}
        customer_ids |= set(referrals.values())
        emails |= {value.lower() for value in referrals.values() if "@" in value}

        known = {}
        refs = self.env["relationship.customer.ref"].search(
            [
                ("source", "=", source),
                ("company_id", "=", company.id),
                ("external_id", "in", list(customer_ids)),
            ]
        )
        for ref in refs:
            known[("ref", ref.external_id)] = ref.partner_id
        if emails:
            for partner in partners.search([("email_normalized", "in", list(emails))] + in_company, order="id"):
                known.setdefault(("email", partner.email_normalized), partner)
        if vat_keys:
            for partner in partners.search([("relationship_vat_key", "in", list(vat_keys))] + in_company, order="id"):
                known.setdefault(("vat", partner.relationship_vat_key), partner)

        known_refs = {ref.external_id for ref in refs}
        new_partners = []  # values of the partners to create
        target_of_row = {}  # row index -> partner, or index in new_partners
        new_refs = {}
        enrich = defaultdict(dict)
        for index, row in parsed.items():
            keys = [
                key
                for key in (("ref", row.customer_id), ("email", row.email), ("vat", row.vat_key))
                if key[1]
            ]
            target = next((known[key] for key in keys if key in known), None)
            if target is None:
                target = len(new_partners)
                new_partners.append(self._relationship_new_customer_values(row, source))
            elif row.birthday and not target.relationship_birthday:
                enrich[target.id]["relationship_birthday"] = row.birthday
            for key in keys:
                known.setdefault(key, target)
            if row.customer_id and row.customer_id not in known_refs:
                new_refs.setdefault(row.customer_id, target)
            target_of_row[index] = target

        created = self.with_context(tracking_disable=True, mail_create_nolog=True).create(new_partners)

        def resolve(target):
            return created[target] if isinstance(target, int) else target

        if new_refs:
            self.env["relationship.customer.ref"].create(
                [
                    {
                        "source": source,
                        "external_id": external_id,
                        "partner_id": resolve(target).id,
                        "company_id": company.id,
                    }
                    for external_id, target in new_refs.items()
                ]
            )
        write_each(self, enrich)
        partner_of_row = {index: resolve(target) for index, target in target_of_row.items()}
        referrer_of_row = {}
        for index, value in referrals.items():
            referrer = known.get(("ref", value)) or known.get(("email", value.lower()))
            if referrer is not None:
                referrer_of_row[index] = resolve(referrer)
        return partner_of_row, referrer_of_row

    @api.model
    def _relationship_new_customer_values(self, row, source):
        return {
            "name": row.name or row.email or _("Customer %(id)s of %(system)s", id=row.customer_id or row.vat, system=source),
            "email": row.email or False,
            "phone": row.phone or False,
            "vat": row.vat or False,
            "relationship_birthday": row.birthday or False,
            "company_id": self.env.company.id,
        }

    @api.model
    def _relationship_record_referrals(self, partner_of_row, referrer_of_row):
        """Record who referred whom, when it is new; then let referrers climb."""
        referred = {}
        for index, referrer in referrer_of_row.items():
            partner = partner_of_row[index]
            if partner != referrer and not partner.relationship_referred_by_id:
                referred.setdefault(partner.id, {"relationship_referred_by_id": referrer.id})
        if not referred:
            return
        write_each(self, referred)
        referrers = self.browse({vals["relationship_referred_by_id"] for vals in referred.values()})
        referrers._relationship_advance_stages(reason=_("New referral"))

    # ------------------------------------------------------------------
    # Nightly recomputation
    # ------------------------------------------------------------------

    @api.model
    def _relationship_refresh_scores(self, company):
        """Recency, frequency and monetary quintiles of a company's customers.

        One UPDATE over the whole customer base: the scores are ranks, so they
        depend on every customer at once.
        """
        self.flush_model(["relationship_last_purchase", "relationship_order_count", "relationship_revenue"])
        self.env.cr.execute(
            SQL(
                """
                UPDATE res_partner p
                   SET relationship_recency_score = s.recency,
                       relationship_frequency_score = s.frequency,
                       relationship_monetary_score = s.monetary
                  FROM (
                    SELECT id,
                           ntile(5) OVER (ORDER BY relationship_last_purchase, id) AS recency,
                           ntile(5) OVER (ORDER BY relationship_order_count, id) AS frequency,
                           ntile(5) OVER (ORDER BY relationship_revenue, id) AS monetary
                      FROM res_partner
                     WHERE relationship_order_count > 0
                       AND (company_id = %(company)s OR company_id IS NULL)
                  ) s
                 WHERE p.id = s.id
                """,
                company=company.id,
            )
        )
        self.invalidate_model(
            ["relationship_recency_score", "relationship_frequency_score", "relationship_monetary_score"]
        )

    @api.model
    def _cron_relationship_refresh(self, batch_size=5000):
        """Nightly: scores, then stages for criteria that consultants changed.

        Runs in batches with Odoo's cron progress API: each call handles the
        next ``batch_size`` customers after a cursor kept in a system
        parameter, so that the cron runner commits between batches and a
        crash resumes where the last committed batch ended.
        """
        # The cursor is cron bookkeeping, not user data: whoever runs the cron
        # must be able to move it.
        params = self.env["ir.config_parameter"].sudo()
        last_id = int(params.get_param(REFRESH_CURSOR, 0))
        if not last_id:
            for company in self.env["res.company"].search([]):
                self._relationship_refresh_scores(company)
        domain = [
            ("id", ">", last_id),
            "|",
            ("relationship_order_count", ">", 0),
            ("relationship_stage_id", "!=", False),
        ]
        partners = self.search(domain, order="id", limit=batch_size)
        remaining = self.search_count(domain) - len(partners)
        partners._relationship_advance_stages(reason=_("Nightly recomputation"))
        params.set_param(REFRESH_CURSOR, partners[-1:].id if remaining else 0)
        self.env["ir.cron"]._notify_progress(done=len(partners), remaining=remaining)
        _logger.info("Relationship refresh: %s customers done, %s remaining", len(partners), remaining)
        return remaining
