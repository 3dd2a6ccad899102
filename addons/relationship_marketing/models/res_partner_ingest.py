# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import dataclasses
from collections import defaultdict

from odoo import Command, _, api, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..tools.batch import write_each
from ..tools.kind_ingest import answer, ingest_kind_batch, parse_kind_rows, rejected
from ..tools.kind_rows import parse_customer_row
from .res_partner import RELATIONSHIP_GROUP

# What a customer row fills on a contact, when the contact has no value yet.
FILLED_FIELDS = {
    "email": "email",
    "phone": "phone",
    "vat": "vat",
    "birthday": "relationship_birthday",
    "partner_ref": "ref",
}


# res.partner is extended by concern, one file each, as Odoo's mail does.
class ResPartner(models.Model):
    """Ingestion of customers without orders (prospects) from other systems."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _relationship_can_ingest_customers(self):
        return self.env.user.has_group(RELATIONSHIP_GROUP) and self.has_access("create")

    @api.model
    def ingest_customers(self, rows, source, dry_run=False, run_key=False):
        """Land a batch of contacts from one source system: newsletter sign-ups,
        leads from another tool, people who have not ordered yet.

        Each row names its contact by ``customer_id``, the source's id, and is
        matched to an existing customer exactly as orders are (the source's
        id, then ``partner_ref``, email, VAT); a new one is created. Either way
        the contact enters the ladder: one without a stage climbs as far as
        its figures allow, to the first rung (Prospect) for one without orders.

        The contact in Odoo is the truth once it exists: a row fills the
        fields it has empty (email, phone, VAT, birthday, Internal Reference,
        salesperson, referrer) and adds the row's tags, and never overwrites
        a value. Tags are named; one that does not exist is created. Sending
        the same rows again answers them ``unchanged``.

        The batch's queries do not grow with its rows, but for a phone or an
        email filled on a known contact: the records that follow a contact's
        phone and email (CRM's leads) are searched per written contact, as
        any write of them does.

        :param list rows: dicts with the columns of ``ingest_info()["kinds"]["customers"]``
        :param str source: name of the source system
        :param bool dry_run: compute the answer, write nothing
        :param str run_key: the connector's run (see ``relationship.purchase.ingest_batch``)
        :return: ``{"source", "dry_run", "counts", "results"}``; each result has
            ``index``, ``customer_id``, ``status`` (``created``, ``updated``,
            ``unchanged``, ``superseded``, ``rejected``), ``partner_id`` and,
            when rejected, the ``field`` at fault and the ``reason``
        """
        if not self._relationship_can_ingest_customers():
            raise AccessError(
                _(
                    "You are not allowed to send customers: "
                    "the group 'Relationship: User' is required."
                )
            )
        return ingest_kind_batch(
            self,
            "customers",
            rows,
            source,
            dry_run,
            run_key,
            "customer_id",
            type(self)._relationship_land_customers,
            {"partner_id": False},
        )

    def _relationship_land_customers(self, rows, todo, results, source):
        Purchase = self.env["relationship.purchase"]
        parsed = parse_kind_rows(
            rows, todo, results, parse_customer_row, "customer_id", partner_id=False
        )
        salesperson_of_row = Purchase._ingest_salespeople(parsed, rows, results)
        for index in todo:
            result = results[index]
            if result and "order_id" in result:  # an answer of the orders' checks
                results[index] = rejected(
                    index,
                    "customer_id",
                    rows[index].get("customer_id"),
                    result["field"],
                    result["reason"],
                    partner_id=False,
                )
        tag_of_name = self._relationship_ingest_tags(parsed)

        # Partners above this id are the ones the matching creates: ingestion
        # batches of the company are serialised (tools/ingest_lock.py).
        self.env.cr.execute(SQL("SELECT COALESCE(MAX(id), 0) FROM res_partner"))
        newest_before = self.env.cr.fetchone()[0]
        # The matching fills nothing itself: what a row fills is decided
        # below, from the contact as it was, so that the answer says it.
        partner_of_row, referrer_of_row = Purchase._relationship_match_customers(
            {index: dataclasses.replace(row, birthday=None) for index, row in parsed.items()},
            source,
        )
        partners = self.browse({partner.id for partner in partner_of_row.values()})
        partners.fetch(
            [*FILLED_FIELDS.values(), "user_id", "category_id", "relationship_referred_by_id"]
        )
        referred_before = {p.id: p.relationship_referred_by_id for p in partners}
        fill, tags, changed = defaultdict(dict), defaultdict(set), set()
        for index, row in parsed.items():
            partner = partner_of_row[index]
            for column, fname in FILLED_FIELDS.items():
                value = getattr(row, column)
                if value and not partner[fname]:
                    fill[partner.id][fname] = value
                    changed.add(index)
            seller = salesperson_of_row.get(index)
            if seller and not partner.user_id:
                fill[partner.id]["user_id"] = seller.id
                changed.add(index)
            missing = {tag_of_name[name.lower()].id for name in row.tags} - set(
                partner.category_id.ids
            )
            if missing:
                tags[partner.id] |= missing
                changed.add(index)
        write_each(self, {pid: vals for pid, vals in fill.items() if vals})
        # The contacts that get the same tags are written together.
        write_each(
            self,
            {pid: {"category_id": tuple(sorted(ids))} for pid, ids in tags.items() if ids},
            write=lambda partners, vals: partners.write(
                {"category_id": [Command.link(tag) for tag in vals["category_id"]]}
            ),
        )
        Purchase._relationship_record_referrals(partner_of_row, referrer_of_row)
        unstaged = partners.filtered(lambda p: not p.relationship_stage_id)
        climbed = unstaged._relationship_advance_stages(
            reason=_("Contact from %(system)s", system=source)
        )
        self.env.flush_all()
        for index, row in parsed.items():
            partner = partner_of_row[index]
            if partner.id > newest_before:
                status = "created"
            elif (
                index in changed
                or partner in climbed
                or partner.relationship_referred_by_id != referred_before[partner.id]
            ):
                status = "updated"
            else:
                status = "unchanged"
            results[index] = answer(
                index, "customer_id", row.customer_id, status, partner_id=partner.id
            )

    @api.model
    def _relationship_ingest_tags(self, parsed):
        """The contact tags the rows name, created when missing: ``{lower name: tag}``.

        Names are compared without case; one search, one create.
        """
        names = {}
        for row in parsed.values():
            for name in row.tags:
                names.setdefault(name.lower(), name)
        if not names:
            return {}
        Tag = self.env["res.partner.category"]
        domain = [("name", "=ilike", name) for name in sorted(names)]
        domain = ["|"] * (len(domain) - 1) + domain
        tag_of_name = {}
        for tag in Tag.search(domain, order="id"):
            tag_of_name.setdefault(tag.name.lower(), tag)
        missing = [name for key, name in names.items() if key not in tag_of_name]
        for tag in Tag.create([{"name": name} for name in missing]):
            tag_of_name[tag.name.lower()] = tag
        return tag_of_name
