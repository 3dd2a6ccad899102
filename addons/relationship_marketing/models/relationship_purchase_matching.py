# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from collections import defaultdict

from odoo import Command, _, api, models

from ..tools.batch import write_each


class RelationshipPurchase(models.Model):
    """Ingestion's customer matching: who the rows of a batch name (the
    source's customer ids, Internal References, emails, VAT numbers), the new
    customers they bring, and who referred them."""

    _inherit = "relationship.purchase"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _relationship_create_customers(self, vals_list):
        """Create the new customers of a batch in one ``create``.

        Defaults depend on the context only, so they are the same for every
        new customer of the batch: asked once here, not once per customer by
        ``create()`` (some apps' defaults run a query each, e.g. Accounting's
        choice of invoice report).
        """
        Partner = self.env["res.partner"].with_context(
            tracking_disable=True, mail_create_nolog=True
        )
        if not vals_list:
            return Partner
        defaults = Partner.default_get(
            [name for name, field in Partner._fields.items() if not field.automatic]
        )
        for name, value in defaults.items():
            if Partner._fields[name].type == "many2many" and value and isinstance(value[0], int):
                defaults[name] = [Command.set(value)]
        return Partner.create([{**defaults, **values} for values in vals_list])

    @api.model
    def _relationship_match_customers(self, parsed, source, salesperson_of_row=None):
        """Find or create the customer of each row, and its referrer.

        Customers are matched by the source's customer id, then by the
        contact's Internal Reference (``partner_ref``), then by normalised
        email, then by VAT number, among the partners of the current company
        (or shared ones). Rows of one new customer share one new partner; it
        takes the row's ``partner_ref`` as its reference, so that the next
        row naming it finds it.
        A customer without a salesperson takes the one of its row.

        :param parsed: ``{row index: PurchaseRow}``
        :param salesperson_of_row: ``{row index: res.users}``
        :return: ``({row index: partner}, {row index: referrer partner})``
        """
        company = self.env.company
        salesperson_of_row = salesperson_of_row or {}
        Partner = self.env["res.partner"]
        referrals = {index: row.referred_by for index, row in parsed.items() if row.referred_by}
        known, known_refs = self._relationship_known_customers(parsed, source, referrals)
        new_partners = []  # values of the partners to create
        target_of_row = {}  # row index -> partner, or index in new_partners
        new_refs = {}
        enrich = defaultdict(dict)
        for index, row in parsed.items():
            keys = self._relationship_customer_keys(row)
            target = next((known[key] for key in keys if key in known), None)
            salesperson = salesperson_of_row.get(index)
            if target is None:
                target = len(new_partners)
                new_partners.append(self._relationship_new_customer_values(row, source))
            else:
                if row.birthday and not target.relationship_birthday:
                    enrich[target.id]["relationship_birthday"] = row.birthday
                if salesperson and not target.user_id:
                    enrich[target.id].setdefault("user_id", salesperson.id)
            if isinstance(target, int) and salesperson:
                new_partners[target].setdefault("user_id", salesperson.id)
            for key in keys:
                known.setdefault(key, target)
            if row.customer_id and row.customer_id not in known_refs:
                new_refs.setdefault(row.customer_id, target)
            target_of_row[index] = target

        created = self._relationship_create_customers(new_partners)

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
        write_each(Partner, enrich)
        partner_of_row = {index: resolve(target) for index, target in target_of_row.items()}
        referrer_of_row = {}
        for index, value in referrals.items():
            # A new customer is the index of its values: 0 for the first.
            referrer = known.get(("ref", value))
            if referrer is None:
                referrer = known.get(("email", value.lower()))
            if referrer is not None:
                referrer_of_row[index] = resolve(referrer)
        return partner_of_row, referrer_of_row

    @staticmethod
    def _relationship_customer_keys(row):
        """The keys that name a row's customer, in the order they are tried."""
        return [
            key
            for key in (
                ("ref", row.customer_id),
                ("partner_ref", row.partner_ref),
                ("email", row.email),
                ("vat", row.vat_key),
            )
            if key[1]
        ]

    @api.model
    def _relationship_known_customers(self, parsed, source, referrals=None):
        """The existing customers the rows (and their referrers) name.

        :return: ``({(kind of key, value): partner}, {the source's customer
            ids already known})``, the kinds being ``ref`` (the source's
            customer id), ``partner_ref``, ``email`` and ``vat``
        """
        referrals = referrals or {}
        customer_ids = {row.customer_id for row in parsed.values() if row.customer_id}
        customer_ids |= set(referrals.values())
        known = {}
        refs = self.env["relationship.customer.ref"].search(
            [
                ("source", "=", source),
                ("company_id", "=", self.env.company.id),
                ("external_id", "in", list(customer_ids)),
            ]
        )
        for ref in refs:
            known[("ref", ref.external_id)] = ref.partner_id
        self._relationship_find_by_keys(parsed, referrals, known)
        return known, {ref.external_id for ref in refs}

    @api.model
    def _relationship_find_by_keys(self, parsed, referrals, known):
        """Add to ``known`` the partners that the rows' Internal References,
        emails and VAT numbers name (one search per kind of key).

        They are only looked up for what the source's ids did not find: the
        usual batch of known customers needs no search.
        """
        partners = self.env["res.partner"].with_context(active_test=False)
        in_company = [("company_id", "in", [self.env.company.id, False])]
        unmatched = [row for row in parsed.values() if ("ref", row.customer_id) not in known]
        emails = {row.email for row in unmatched if row.email}
        emails |= {
            value.lower()
            for value in referrals.values()
            if "@" in value and ("ref", value) not in known
        }
        lookups = (
            ("partner_ref", "ref", {row.partner_ref for row in unmatched if row.partner_ref}),
            ("email", "email_normalized", emails),
            ("vat", "relationship_vat_key", {row.vat_key for row in unmatched if row.vat_key}),
        )
        for kind, fname, values in lookups:
            if values:
                for partner in partners.search(
                    [(fname, "in", list(values))] + in_company, order="id"
                ):
                    known.setdefault((kind, partner[fname]), partner)

    @api.model
    def _relationship_new_customer_values(self, row, source):
        return {
            "name": row.name
            or row.email
            or _(
                "Customer %(id)s of %(system)s",
                id=row.customer_id or row.vat or row.partner_ref,
                system=source,
            ),
            "email": row.email or False,
            "phone": row.phone or False,
            "vat": row.vat or False,
            "relationship_birthday": row.birthday or False,
            "ref": row.partner_ref or False,
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
        Partner = self.env["res.partner"]
        write_each(Partner, referred)
        referrers = Partner.browse(
            {vals["relationship_referred_by_id"] for vals in referred.values()}
        )
        referrers._relationship_advance_stages(reason=_("New referral"))
