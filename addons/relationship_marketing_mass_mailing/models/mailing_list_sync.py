# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

from odoo.addons.relationship_marketing.models.relationship_level_matrix import LEVELS

LEVEL_KEYS = [key for key, _label in LEVELS]
MOVES_CURSOR = "relationship_marketing_mass_mailing.moves_synced_up_to"


class MailingList(models.Model):
    """Keeping a list in step with its customers, in bulk."""

    _inherit = "mailing.list"  # pylint: disable=consider-merging-classes-inherited

    def _relationship_partner_domain(self, ladders=None):
        """The customers this list follows, as a domain on res.partner.

        :param ladders: the stages of the lists' companies, grouped by company
            (read once for several lists)
        """
        self.ensure_one()
        company = self.relationship_company_id
        Partner = self.env["res.partner"]
        if self.relationship_rule == "stage":
            stage = self.relationship_stage_id
            if self.relationship_stage_and_above:
                if ladders is None:
                    ladders = self._relationship_ladders()
                ladder = ladders.get(company, stage)
                stage = ladder[list(ladder).index(stage) :] if stage in ladder else stage
            domain = [("relationship_stage_id", "in", stage.ids)]
        elif self.relationship_rule == "level":
            rank = LEVEL_KEYS.index(self.relationship_level)
            levels = LEVEL_KEYS[rank:] if self.relationship_level_and_above else [LEVEL_KEYS[rank]]
            domain = [
                ("relationship_level", "in", levels),
                *Partner._relationship_customer_domain(company),
            ]
        else:
            domain = [("relationship_segment_id", "=", self.relationship_segment_id.id)]
        return [*domain, ("email_normalized", "!=", False)]

    def _relationship_ladders(self):
        """The ladders of these lists' companies: ``{company: stages in order}``."""
        return (
            self.env["relationship.stage"]
            .sudo()
            .search([("company_id", "in", self.relationship_company_id.ids)])
            .grouped("company_id")
        )

    @api.model
    def _relationship_moves_synced_up_to(self, move_id=None):
        """The last stage move the lists took in (set it when ``move_id`` is given)."""
        # The cursor of the lists' automation, whoever runs it.
        parameters = self.env["ir.config_parameter"].sudo()
        if move_id is not None:
            parameters.set_param(MOVES_CURSOR, str(move_id))
            return move_id
        return int(parameters.get_param(MOVES_CURSOR, "0") or 0)

    @api.model
    def _cron_relationship_sync_moves(self, batch_size=5000):
        """Every few minutes: the customers who moved up the ladder since the
        last run join (or leave) the lists that follow a rung.

        The stage history is the queue: a batch of moves (an ingestion, the
        nightly run, a move by hand) costs the moving transaction nothing, and
        the lists take the moves in order, ``batch_size`` at a time, through
        Odoo's cron progress API.
        """
        History = self.env["relationship.stage.history"].sudo()
        after = self._relationship_moves_synced_up_to()
        moves = History.search([("id", ">", after)], order="id", limit=batch_size)
        if not moves:
            return
        self.sudo().search(
            [
                ("relationship_rule", "=", "stage"),
                ("relationship_company_id", "in", moves.company_id.ids),
            ]
        )._relationship_sync(partners=moves.partner_id)
        self._relationship_moves_synced_up_to(moves[-1].id)
        remaining = History.search_count([("id", ">", moves[-1].id)])
        self.env["ir.cron"]._notify_progress(done=len(moves), remaining=remaining)

    @api.model
    def _relationship_sync_companies(self, companies):
        """Bring every list that follows customers of these companies in step."""
        self.search(
            [("relationship_rule", "!=", False), ("relationship_company_id", "in", companies.ids)]
        )._relationship_sync()

    def _relationship_sync(self, partners=None):
        """Subscribe the customers these lists follow, take off those who left.

        Set-based: one search of the customers per list, then one search of the
        subscriptions, of the blacklist and of the contacts, one ``create`` of
        the new contacts, one of the new subscriptions and one ``unlink`` of
        the old ones for all the lists, whatever the number of customers.

        Unsubscriptions are respected: an opted-out subscription stays as it
        is (never re-subscribed, never deleted, so that it is remembered), and
        a blacklisted email is never subscribed.

        :param partners: only look at these customers (those who just moved);
            all the customers of each list when None
        """
        # The lists follow the customers' relationship fields, which only
        # relationship users may read, while marketing users run the lists;
        # the sync reads those fields to fill the lists, it shows none of them.
        lists = self.sudo().filtered(lambda ml: ml.active and ml.relationship_rule)
        if not lists:
            return
        Partner = self.env["res.partner"].sudo()
        fields_read = ["email_normalized", "email", "name"]
        scope = None
        if partners is not None:
            # The customers who just moved are few: read them once and match
            # each list's domain in memory, so that a batch of moves costs the
            # same queries whatever the number of lists.
            partners = partners.sudo().with_context(active_test=True).filtered("active")
            scope = set(partners.mapped("email_normalized")) - {False}
            if not scope:
                return
        wanted = {}
        ladders = lists._relationship_ladders()
        for mailing_list in lists:
            domain = mailing_list._relationship_partner_domain(ladders)
            if partners is not None:
                rows = partners.filtered_domain(domain).read(fields_read)
            else:
                rows = Partner.search_read(domain, fields_read)
            wanted[mailing_list.id] = {row["email_normalized"]: row for row in rows}
        subscription_domain = [("list_id", "in", lists.ids)]
        if scope is not None:
            subscription_domain.append(("contact_id.email_normalized", "in", list(scope)))
        subscriptions = (
            self.env["mailing.subscription"]
            .sudo()
            .search_fetch(subscription_domain, ["list_id", "contact_id", "opt_out"])
        )
        subscribed = {(sub.list_id.id, sub.contact_id.email_normalized) for sub in subscriptions}
        leaving = subscriptions.filtered(
            lambda sub: (
                not sub.opt_out and sub.contact_id.email_normalized not in wanted[sub.list_id.id]
            )
        )
        emails = {email for rows in wanted.values() for email in rows}
        blacklisted = set(
            self.env["mail.blacklist"]
            .sudo()
            .search_fetch([("email", "in", list(emails))], ["email"])
            .mapped("email")
        )
        joining = [
            (list_id, email)
            for list_id, rows in wanted.items()
            for email in rows
            if email not in blacklisted and (list_id, email) not in subscribed
        ]
        if joining:
            contact_of = self._relationship_contacts(
                {email: row for rows in wanted.values() for email, row in rows.items()},
                {email for _list_id, email in joining},
            )
            self.env["mailing.subscription"].sudo().create(
                [
                    {"list_id": list_id, "contact_id": contact_of[email]}
                    for list_id, email in joining
                ]
            )
        leaving.unlink()
        if partners is None:
            lists.write({"relationship_synced_on": fields.Datetime.now()})

    @api.model
    def _relationship_contacts(self, partner_rows, emails):
        """The mailing contact of each email (the oldest one), created if missing.

        :return: ``{normalized email: mailing.contact id}``
        """
        Contact = self.env["mailing.contact"].sudo()
        contact_of = {}
        for contact in Contact.search_fetch(
            [("email_normalized", "in", list(emails))], ["email_normalized"], order="id"
        ):
            contact_of.setdefault(contact.email_normalized, contact.id)
        missing = sorted(emails - contact_of.keys())
        created = Contact.create(
            [
                {"name": partner_rows[email]["name"], "email": partner_rows[email]["email"]}
                for email in missing
            ]
        )
        contact_of.update(zip(missing, created.ids, strict=True))
        return contact_of
