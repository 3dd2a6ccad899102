# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, time

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL


class RelationshipPurchase(models.Model):
    """One order of a customer, as an external system (shop, POS, ...) saw it."""

    _name = "relationship.purchase"
    _description = "Customer Purchase"
    _order = "date_order desc, id desc"
    _check_company_auto = True

    # Precomputed (like the amounts in company currency): set by the INSERT
    # itself, rather than by an UPDATE of every 100 new purchases after it.
    name = fields.Char(compute="_compute_name", store=True, precompute=True, index="trigram")
    source = fields.Char(
        required=True, index=True, help="The system the order comes from, e.g. 'webshop'."
    )
    external_id = fields.Char(
        string="Order ID", required=True, index=True, help="The order's id in its source system."
    )
    date_order = fields.Datetime(
        string="Order Date", required=True, index=True, default=fields.Datetime.now
    )
    # Most sources give the day of an order only, which lands at midnight UTC:
    # the form shows such an order's day as a date (no "00:00:00", and no day
    # shifted by the user's time zone); date_order stays the one stored value.
    date_order_has_time = fields.Boolean(
        string="Order Has a Time",
        compute="_compute_date_order_day",
        help="The source gave the time of the order, not only its day.",
    )
    date_order_day = fields.Date(
        string="Order Day",
        compute="_compute_date_order_day",
        inverse="_inverse_date_order_day",
        help="The day of the order, as its source gave it.",
    )
    # Optional: an anonymous ticket of a point of sale is a sale on no
    # customer (it counts in the key indicators' sales, in no customer's
    # figures). Ingestion still requires a customer for every row.
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        ondelete="restrict",
        check_company=True,
        help="Who bought: the person, or a contact of a company; empty for an "
        "anonymous sale (a ticket of a point of sale without a customer).",
    )
    # B2B roll-up: the contact who bought stays on the purchase; the figures,
    # the stage and the phase are the account's (the commercial partner's).
    commercial_partner_id = fields.Many2one(
        "res.partner",
        string="Account",
        related="partner_id.commercial_partner_id",
        store=True,
        precompute=True,
        index=True,
        help="The company the customer buys for (the customer itself when it buys "
        "for itself): whose figures and stage the purchase counts in.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(
        "res.currency",
        required=True,
        default=lambda self: self.env.company.currency_id,
        help="Currency of the order's amount and margin.",
    )
    amount = fields.Monetary(required=True, help="Total of the order, in its currency.")
    margin = fields.Monetary(help="Profit made on the order, in its currency.")
    state = fields.Selection(
        [("done", "Done"), ("cancel", "Cancelled")],
        required=True,
        default="done",
        index=True,
        help="A cancelled order counts in none of the customer's figures.",
    )
    amount_refunded = fields.Monetary(
        string="Refunded",
        default=0.0,
        help="Part of the amount given back to the customer (credit notes, returns), "
        "in the order's currency. The figures count the amount net of it.",
    )
    counts_as_order = fields.Boolean(
        compute="_compute_company_amounts",
        store=True,
        precompute=True,
        index=True,
        help="Counts in the customer's number of orders: neither cancelled nor "
        "refunded in full (a customer who gave everything back did not buy).",
    )
    # Stored: each of the five amounts in company currency is rounded in it
    # when a purchase is inserted, and a related field that is not stored is
    # computed for each amount of each new purchase, one by one (half a
    # second for a batch of 1,000).
    company_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Company Currency", store=True, precompute=True
    )
    amount_company = fields.Monetary(
        string="Amount in Company Currency",
        compute="_compute_company_amounts",
        store=True,
        precompute=True,
        currency_field="company_currency_id",
    )
    margin_company = fields.Monetary(
        string="Margin in Company Currency",
        compute="_compute_company_amounts",
        store=True,
        precompute=True,
        currency_field="company_currency_id",
    )
    amount_refunded_company = fields.Monetary(
        string="Refunded in Company Currency",
        compute="_compute_company_amounts",
        store=True,
        precompute=True,
        currency_field="company_currency_id",
    )
    amount_net_company = fields.Monetary(
        string="Net Amount in Company Currency",
        compute="_compute_company_amounts",
        store=True,
        precompute=True,
        currency_field="company_currency_id",
        help="What the revenue figures count: the amount less its refunds, nothing when cancelled.",
    )
    margin_net_company = fields.Monetary(
        string="Net Margin in Company Currency",
        compute="_compute_company_amounts",
        store=True,
        precompute=True,
        currency_field="company_currency_id",
        help="What the margin figures count: the margin lowered in proportion to "
        "the refunded share of the amount, nothing when cancelled.",
    )
    channel = fields.Char(help="Where the customer bought: web, store, phone, ...")
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        index="btree_not_null",
        help="Who sold the order, when its source says so.",
    )
    customer_ref = fields.Char(
        string="Customer ID in Source", help="The customer's id in the source system."
    )
    ingest_fingerprint = fields.Char(
        readonly=True,
        copy=False,
        help="Technical: digest of the row that last set this purchase, so that the "
        "same row sent again is recognised without being parsed. Cleared by any "
        "change made in Odoo.",
    )

    _sql_constraints = [
        (
            "source_external_company_uniq",
            "UNIQUE(source, external_id, company_id)",
            "An order of a source system lands once per company.",
        ),
        ("amount_positive", "CHECK(amount >= 0)", "A purchase amount cannot be negative."),
        (
            "amount_refunded_range",
            "CHECK(amount_refunded >= 0 AND amount_refunded <= amount)",
            "A refund is between nothing and the whole amount of its purchase.",
        ),
    ]

    @api.depends("date_order")
    def _compute_date_order_day(self):
        for purchase in self:
            moment = purchase.date_order
            purchase.date_order_day = moment and moment.date()
            purchase.date_order_has_time = bool(moment and moment.time() != time.min)

    def _inverse_date_order_day(self):
        for day, purchases in self.filtered("date_order_day").grouped("date_order_day").items():
            purchases.date_order = datetime.combine(day, time.min)

    @api.depends("source", "external_id")
    def _compute_name(self):
        for purchase in self:
            purchase.name = f"{purchase.source or ''}/{purchase.external_id or ''}"

    @api.depends(
        "amount", "margin", "amount_refunded", "state", "currency_id", "date_order", "company_id"
    )
    def _compute_company_amounts(self):
        foreign = self.filtered(
            lambda p: p.currency_id and p.company_id and p.currency_id != p.company_id.currency_id
        )
        rates = self._conversion_rates(foreign)
        for purchase in self:
            rate = rates.get(purchase.id, 1.0)
            purchase.amount_company = purchase.amount * rate
            purchase.margin_company = purchase.margin * rate
            purchase.amount_refunded_company = purchase.amount_refunded * rate
            # The rule of what a refund or a cancellation leaves, written once
            # here for every figure (customer, ladder, points, key indicators).
            done = purchase.state == "done"
            refunded = min(purchase.amount_refunded, purchase.amount)
            kept = (1.0 - refunded / purchase.amount) if purchase.amount else 1.0
            purchase.counts_as_order = done and not (purchase.amount and kept <= 0.0)
            purchase.amount_net_company = (purchase.amount - refunded) * rate if done else 0.0
            purchase.margin_net_company = purchase.margin * kept * rate if done else 0.0

    @api.model
    def _conversion_rates(self, purchases):
        """Rates from each purchase's currency to its company's, at the order date.

        One query for the whole set, whatever the number of dates.
        """
        keys = {
            (
                p.currency_id.id,
                p.company_id.currency_id.id,
                p.company_id.root_id.id,
                p.date_order.date(),
            )
            for p in purchases
            if p.date_order
        }
        if not keys:
            return {}
        self.env["res.currency.rate"].flush_model(["rate", "currency_id", "company_id", "name"])

        def rate_at(currency_column):
            # The latest rate of the currency at the order date, 1.0 without one.
            return SQL(
                """COALESCE((SELECT r.rate FROM res_currency_rate r
                     WHERE r.currency_id = %s AND r.name <= v.day
                       AND (r.company_id IS NULL OR r.company_id = v.company_id)
                     ORDER BY r.company_id, r.name DESC LIMIT 1), 1.0)""",
                SQL.identifier("v", currency_column),
            )

        rows = self.env.execute_query(
            SQL(
                """SELECT v.from_id, v.to_id, v.company_id, v.day, %s / %s
                     FROM (VALUES %s) AS v(from_id, to_id, company_id, day)""",
                rate_at("to_id"),
                rate_at("from_id"),
                SQL(", ").join(SQL("(%s, %s, %s, %s::date)", *key) for key in keys),
            )
        )
        by_key = {tuple(row[:4]): row[4] for row in rows}
        return {
            p.id: by_key.get(
                (
                    p.currency_id.id,
                    p.company_id.currency_id.id,
                    p.company_id.root_id.id,
                    p.date_order.date(),
                ),
                1.0,
            )
            for p in purchases
        }

    @api.model_create_multi
    def create(self, vals_list):
        # The account is precomputed per new purchase: read the buyers'
        # accounts at once, not one buyer at a time.
        self.env["res.partner"].browse(
            {vals["partner_id"] for vals in vals_list if vals.get("partner_id")}
        ).fetch(["commercial_partner_id"])
        purchases = super().create(vals_list)
        # An ingestion batch refreshes its customers once at its end
        # (a deferral only: what it then logs and checks is the same).
        if not self.env.context.get("relationship_ingest"):
            reason = _("New purchase")
            accounts = purchases.commercial_partner_id
            accounts._relationship_refresh_depth(reason=reason, purchased=True)
            accounts._relationship_advance_stages(reason=reason, purchased=True)
        return purchases

    def write(self, vals):
        if "company_id" in vals and self.filtered(
            lambda purchase: purchase.company_id.id != vals["company_id"]
        ):
            # The sale was made by its company: moving it would hand it, and
            # its customer's figures, to another company's users.
            raise UserError(_("The company of a purchase is fixed once it is created."))
        if "ingest_fingerprint" not in vals:
            # Changed in Odoo: the source's next row is compared in full.
            vals = dict(vals, ingest_fingerprint=False)
        accounts = self.commercial_partner_id
        result = super().write(vals)
        # An ingestion batch refreshes its customers once at its end.
        if not self.env.context.get("relationship_ingest") and vals.keys() & {
            "amount",
            "margin",
            "amount_refunded",
            "state",
            "date_order",
            "partner_id",
            "currency_id",
        }:
            reason = _("Purchase changed")
            # The customers who lost a purchase are refreshed too (their
            # stage stays: the ladder only goes forward).
            (accounts | self.commercial_partner_id)._relationship_refresh_depth(
                reason=reason, purchased=True
            )
            self.commercial_partner_id._relationship_advance_stages(reason=reason, purchased=True)
        return result

    def action_cancel(self):
        """Cancel these purchases: they leave every figure of their customers.

        A manager's decision (the button is theirs): a salesperson corrects
        an order through its source system.
        """
        if not self.env.user.has_group("relationship_marketing.group_relationship_manager"):
            raise AccessError(_("Only a relationship manager may cancel a purchase."))
        self.filtered(lambda p: p.state != "cancel").write({"state": "cancel"})
        return True
