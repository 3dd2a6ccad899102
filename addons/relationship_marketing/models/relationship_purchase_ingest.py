# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from contextlib import closing

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare

from ..tools import ingest_lock
from ..tools.batch import write_each
from ..tools.purchase_rows import (
    MAX_BATCH_ROWS,
    MAX_SOURCE_LENGTH,
    STATUSES,
    RowError,
    order_label,
    parse_row,
    parse_source,
    raw_order_id,
    row_contract,
    row_fingerprint,
)


# The ingestion of relationship.purchase, apart from the model itself.
class RelationshipPurchase(models.Model):
    """Ingestion: the batches of purchases a connector sends, and their customers."""

    _inherit = "relationship.purchase"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # Ingestion: the one method the connector calls
    # ------------------------------------------------------------------

    def init(self):
        ingest_lock.create_table(self.env.cr)

    @api.model
    def ingest_info(self):
        """What a connector needs to know before it sends batches."""
        can_ingest = self._can_ingest()
        return {
            "addon_version": self.env["ir.module.module"]
            .sudo()  # reading the installed version is harmless; users may not read modules
            .search([("name", "=", "relationship_marketing")], limit=1)
            .latest_version
            or False,
            "max_batch_size": MAX_BATCH_ROWS,
            "row_contract": row_contract(fields.Datetime.now()),
            "can_ingest": can_ingest,
            "user": self.env.user.login,
            "company": self.env.company.name,
            "reason": False
            if can_ingest
            else _(
                "User %(user)s is not in the group 'Relationship: User'.", user=self.env.user.login
            ),
        }

    @api.model
    def _can_ingest(self):
        return self.env.user.has_group(
            "relationship_marketing.group_relationship_user"
        ) and self.has_access("create")

    @api.model
    def ingest_batch(self, rows, source, dry_run=False):
        """Land a batch of purchases from one source system.

        Validates each row, matches or creates its customer (by the source's
        customer id, then normalised email, then VAT), creates or updates the
        purchase by its order id, then recomputes the touched customers'
        figures and stages. One bad row never spoils the batch, and sending
        the same batch again changes nothing.

        :param list rows: dicts in the standard input format
        :param str source: name of the source system
        :param bool dry_run: compute the answer, write nothing
        :return: ``{"source", "dry_run", "counts", "results"}``; ``results``
            holds one dict per row, in order, with ``status`` one of
            ``created``, ``updated``, ``unchanged``, ``rejected`` and, when
            rejected, the ``field`` at fault and the ``reason``
        """
        if not self._can_ingest():
            raise AccessError(
                _(
                    "You are not allowed to send purchases: "
                    "the group 'Relationship: User' is required."
                )
            )
        try:
            source = parse_source(source)
        except RowError as error:
            raise UserError(
                _(
                    "The source must be a name of 1 to %(limit)s characters, without NUL "
                    "or invalid Unicode characters (%(reason)s).",
                    limit=MAX_SOURCE_LENGTH,
                    reason=error.reason,
                )
            ) from None
        if not isinstance(rows, list | tuple):
            raise UserError(_("Rows must be a list of mappings."))
        if len(rows) > MAX_BATCH_ROWS:
            raise UserError(
                _(
                    "A batch holds at most %(limit)s rows; this one has %(count)s. "
                    "Send it in smaller batches.",
                    limit=MAX_BATCH_ROWS,
                    count=len(rows),
                )
            )
        # Batches of one company are serialised, and each sees the customers
        # of the one before: two connectors sending the same new customer at
        # once must not create it twice (tools/ingest_lock.py).
        ingest_lock.lock_company_batches(self.env.cr, self.env.company.id)
        ingest = self.with_context(
            relationship_ingest=True, tracking_disable=True, mail_create_nolog=True
        )
        if not dry_run:
            return ingest._ingest(rows, source, dry_run=False)
        # A dry run does the real work inside a savepoint that is always
        # rolled back, so that its answer is exactly the real one.
        with closing(self.env.cr.savepoint()):
            answer = ingest._ingest(rows, source, dry_run=True)
        self.env.invalidate_all()
        return answer

    def _ingest(self, rows, source, dry_run):
        company = self.env.company
        results = [None] * len(rows)
        existing, fingerprints, repeats = self._ingest_recognise(rows, source, results)
        parsed = self._ingest_parse(rows, results)
        currencies = self._ingest_currencies(parsed, rows, results)
        salesperson_of_row = self._ingest_salespeople(parsed, rows, results)
        partner_of_row, referrer_of_row = self._relationship_match_customers(
            parsed, source, salesperson_of_row
        )
        to_create, to_update, refingerprint = [], {}, {}
        for index, row in parsed.items():
            currency = currencies[row.currency or company.currency_id.name]
            vals = {
                "partner_id": partner_of_row[index].id,
                "date_order": row.order_date,
                "amount": currency.round(row.amount),
                "margin": currency.round(row.margin or 0.0),
                "amount_refunded": currency.round(row.refunded or 0.0),
                "state": row.state,
                "currency_id": currency.id,
                "channel": row.channel or False,
                "customer_ref": row.customer_id or False,
                "user_id": salesperson_of_row.get(index, self.env["res.users"]).id,
            }
            fingerprint = fingerprints.get(index) or False
            purchase = existing.get(row.order_id)
            if purchase is None:
                to_create.append((index, dict(vals, ingest_fingerprint=fingerprint)))
            elif self._purchase_differs(purchase, vals):
                to_update[index] = (purchase, dict(vals, ingest_fingerprint=fingerprint))
            else:
                # Same purchase, sent differently (e.g. "12.50" for 12.5):
                # remember this form too, so that it is recognised next time.
                if purchase.ingest_fingerprint != fingerprint:
                    refingerprint[purchase.id] = {"ingest_fingerprint": fingerprint}
                results[index] = self._accepted(index, row.order_id, "unchanged", purchase)

        created = self.create(
            [
                dict(vals, source=source, external_id=parsed[index].order_id, company_id=company.id)
                for index, vals in to_create
            ]
        )
        for (index, _vals), purchase in zip(to_create, created, strict=True):
            results[index] = self._accepted(index, parsed[index].order_id, "created", purchase)

        # The buyers' accounts at once: each write below follows its account.
        self.env["res.partner"].browse(
            {vals["partner_id"] for _purchase, vals in to_update.values() if vals.get("partner_id")}
        ).fetch(["commercial_partner_id"])
        updated = write_each(self, {purchase.id: vals for purchase, vals in to_update.values()})
        for index, (purchase, _vals) in to_update.items():
            results[index] = self._accepted(index, parsed[index].order_id, "updated", purchase)
        write_each(self, refingerprint)
        # Customers who lost an updated purchase need their figures too, but
        # their stage only moves forward, so only the new owners advance.
        # Purchases count on their account (B2B roll-up): refresh that.
        touched = (created.partner_id | updated.partner_id).commercial_partner_id

        self._relationship_record_referrals(partner_of_row, referrer_of_row)
        if touched:
            touched._relationship_refresh_depth(
                reason=_("Purchases from %(system)s", system=source), purchased=True
            )
            touched._relationship_advance_stages(
                reason=_("Purchases from %(system)s", system=source), purchased=True
            )
        self.env.flush_all()

        # An exact repeat of an order's last row is answered like that row.
        for index, winner in repeats.items():
            answer = results[winner]
            if answer["status"] == "rejected":
                results[index] = dict(answer, index=index)
            else:
                results[index] = dict(answer, index=index, status="unchanged")
        counts = dict.fromkeys(STATUSES, 0)
        for result in results:
            counts[result["status"]] += 1
        return {"source": source, "dry_run": dry_run, "counts": counts, "results": results}

    def _ingest_recognise(self, rows, source, results):
        """Find the purchases the rows name, and answer the rows sent again as is.

        The last row of an order in the batch is the one that counts. An
        earlier row that repeats it exactly is answered as it is (see
        ``repeats``); an earlier row that differs is ``superseded``: it is
        neither parsed nor written. So a file gives the same database
        however it is cut into batches, and a re-push never flips values.

        :return: ``({order id: purchase}, {row index: digest of the row},
            {row index: index of the last row it repeats})``, the digests for
            the last row of each order
        """
        last_row_of_order = {}
        for index, raw in enumerate(rows):
            order_id = raw_order_id(raw)
            if order_id is not None:
                last_row_of_order[order_id] = index
        existing = {
            purchase.external_id: purchase
            for purchase in self.search(
                [
                    ("source", "=", source),
                    ("company_id", "=", self.env.company.id),
                    ("external_id", "in", list(last_row_of_order)),
                ]
            )
        }
        fingerprints = {}
        for order_id, index in last_row_of_order.items():
            fingerprint = fingerprints[index] = row_fingerprint(rows[index])
            purchase = existing.get(order_id)
            # The very row that set the purchase last time: nothing to do.
            if purchase and fingerprint and purchase.ingest_fingerprint == fingerprint:
                results[index] = self._accepted(index, order_id, "unchanged", purchase)
        repeats = {}
        for index, raw in enumerate(rows):
            order_id = raw_order_id(raw)
            last = last_row_of_order.get(order_id)
            if last is None or last == index:
                continue
            if fingerprints[last] and row_fingerprint(raw) == fingerprints[last]:
                repeats[index] = last  # answered once the last row is, in _ingest
            # A placeholder for a repeat, so that it is not parsed.
            results[index] = self._superseded(index, order_id)
        return existing, fingerprints, repeats

    @api.model
    def _ingest_parse(self, rows, results):
        """Validate the rows not answered yet: ``{row index: PurchaseRow}``."""
        now = fields.Datetime.now()
        parsed = {}
        for index, raw in enumerate(rows):
            if results[index] is not None:
                continue
            try:
                parsed[index] = parse_row(raw, now)
            except RowError as error:
                results[index] = self._rejected(index, raw, error.field, error.reason)
        return parsed

    @api.model
    def _ingest_salespeople(self, parsed, rows, results):
        """The salesperson of each row that names one: ``{row index: user}``.

        A row's ``salesperson`` is the login or the email of an active
        internal user of the batch's company; anything else rejects the row.
        One search for all the batch's salespeople.
        """
        names = {row.salesperson.lower() for row in parsed.values() if row.salesperson}
        if not names:
            return {}
        company = self.env.company
        # Logins are stored as typed: compared without case (=ilike), the
        # exact match is made below (a "_" or "%" of a login only widens the
        # search).
        named = [("login", "=ilike", name) for name in sorted(names)]
        emails = [name for name in names if "@" in name]
        if emails:
            named.append(("partner_id.email_normalized", "in", emails))
        named = ["|"] * (len(named) - 1) + named
        users = self.env["res.users"].search(
            [("share", "=", False), ("company_ids", "in", company.id), *named], order="id"
        )
        # A login names one user; an email may be shared, the oldest user wins.
        user_of_name = {}
        for seller in users:
            if seller.partner_id.email_normalized:
                user_of_name.setdefault(seller.partner_id.email_normalized, seller)
        for seller in users:
            user_of_name[seller.login.lower()] = seller
        salesperson_of_row = {}
        for index, row in list(parsed.items()):
            if not row.salesperson:
                continue
            seller = user_of_name.get(row.salesperson.lower())
            if seller:
                salesperson_of_row[index] = seller
                continue
            results[index] = self._rejected(
                index,
                rows[index],
                "salesperson",
                _(
                    "salesperson: %(name)s is not the login or email of an active "
                    "internal user of %(company)s",
                    name=row.salesperson,
                    company=company.name,
                ),
            )
            del parsed[index]
        return salesperson_of_row

    @api.model
    def _ingest_currencies(self, parsed, rows, results):
        """Map the currency codes of the rows to currencies; reject unknown ones."""
        company_code = self.env.company.currency_id.name
        codes = {row.currency or company_code for row in parsed.values()} | {company_code}
        currencies = {
            currency.name: currency
            for currency in self.env["res.currency"]
            .with_context(active_test=False)
            .search([("name", "in", list(codes))])
        }
        first_rate = self._ingest_first_rates(
            [c for c in currencies.values() if c.active and c.name != company_code]
        )
        for index, row in list(parsed.items()):
            code = row.currency or company_code
            currency = currencies.get(code)
            if not currency:
                reason = _("currency: %(code)s is not a known currency", code=code)
            elif not currency.active:
                reason = _(
                    "currency: %(code)s exists but is not active in this database: "
                    "activate it in Invoicing or Accounting > Configuration > Currencies "
                    "(without those apps, as an administrator at "
                    "/odoo/action-base.action_currency_form), then push again",
                    code=code,
                )
            elif code == company_code or (
                code in first_rate and first_rate[code] <= row.order_date.date()
            ):
                continue
            else:
                # Odoo would convert at 1:1 without a rate: a wrong figure.
                reason = _(
                    "currency: %(code)s has no exchange rate on or before %(date)s: add one "
                    "on the currency (Rates) in Invoicing or Accounting > Configuration > "
                    "Currencies, then push again",
                    code=code,
                    date=row.order_date.date(),
                )
            results[index] = self._rejected(index, rows[index], "currency", reason)
            del parsed[index]
        return currencies

    @api.model
    def _ingest_first_rates(self, currencies):
        """The date of the first rate of each currency for the company: ``{code: date}``.

        One query; none for a batch in the company's currency.
        """
        if not currencies:
            return {}
        company = self.env.company
        groups = self.env["res.currency.rate"]._read_group(
            [
                ("currency_id", "in", [c.id for c in currencies]),
                ("company_id", "in", [company.root_id.id, False]),
            ],
            ["currency_id"],
            ["name:min"],
        )
        return {currency.name: first for currency, first in groups}

    @staticmethod
    def _purchase_differs(purchase, vals):
        """Whether writing ``vals`` would change ``purchase`` (records by id,
        amounts in the rounding of its currency): ingestion and the bridges
        write only what changed."""
        currency = purchase.currency_id
        for fname, value in vals.items():
            current = purchase[fname]
            if isinstance(current, models.BaseModel):
                if current.id != (value or False):
                    return True
            elif fname in ("amount", "margin", "amount_refunded"):
                if currency.id != vals.get("currency_id", currency.id) or float_compare(
                    current, value, precision_rounding=currency.rounding
                ):
                    return True
            elif (current or False) != (value or False):
                return True
        return False

    @staticmethod
    def _order_label(raw):
        return order_label(raw)

    @classmethod
    def _rejected(cls, index, raw, field, reason):
        return {
            "index": index,
            "order_id": cls._order_label(raw),
            "status": "rejected",
            "purchase_id": False,
            "partner_id": False,
            "field": field,
            "reason": reason,
        }

    def _superseded(self, index, order_id):
        return {
            "index": index,
            "order_id": order_id,
            "status": "superseded",
            "purchase_id": False,
            "partner_id": False,
            "field": False,
            "reason": self.env._(
                "a later row of order %(order)s replaces this one", order=order_id
            ),
        }

    @staticmethod
    def _accepted(index, order_id, status, purchase):
        return {
            "index": index,
            "order_id": order_id,
            "status": status,
            "purchase_id": purchase.id,
            "partner_id": purchase.partner_id.id,
            "field": False,
            "reason": False,
        }
