# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import _, api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

PURCHASE_CRON = "relationship_marketing_followup.ir_cron_relationship_followup_purchases"


class RelationshipPurchase(models.Model):
    _inherit = "relationship.purchase"

    # NULL once handled, so that the partial index holds the pending rows only.
    relationship_followup_pending = fields.Boolean(
        string="Follow-ups Pending",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Technical: a purchase from a connector's batch whose 'After a purchase' "
        "follow-ups the cron 'Relationship: follow-ups after purchases' has not "
        "created yet.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        deferred = self._relationship_followup_deferred(vals_list)
        cron = any(deferred or ()) and self.env.ref(PURCHASE_CRON, raise_if_not_found=False)
        if cron:
            # A connector waits on its batch: its follow-ups are left to the
            # cron, woken up at the batch's commit.
            vals_list = [
                dict(vals, relationship_followup_pending=True) if defer else vals
                for vals, defer in zip(vals_list, deferred, strict=True)
            ]
        purchases = super().create(vals_list)
        if cron:
            cron._trigger()
        elif deferred is None or any(deferred):
            # Entered in Odoo (or the cron was deleted): at once.
            purchases._relationship_followup_purchases()
        return purchases

    @api.model
    def _relationship_followup_deferred(self, vals_list):
        """Which of these new purchases leave their follow-ups to the cron.

        ``None`` for purchases entered in Odoo: their follow-ups come at once.
        For an ingestion batch, a flag per purchase: set when some active
        'After a purchase' rule may follow it up; old orders (the history of a
        source) are too late for all, and cost nothing more. Cached: no query.
        """
        if not self.env.context.get("relationship_ingest"):
            return None
        if self.env.context.get("relationship_followup_skip"):
            return [False] * len(vals_list)
        Rule = self.env["relationship.followup.rule"]
        today = fields.Date.today()

        def may_follow_up(vals):
            company_id = vals.get("company_id") or self.env.company.id
            date_order = fields.Datetime.to_datetime(vals.get("date_order"))
            return any(
                not date_order or not Rule._followup_event_too_late(spec, date_order.date(), today)
                for spec in Rule._followup_event_specs("purchase", company_id)
            )

        return [may_follow_up(vals) for vals in vals_list]

    def _relationship_followup_purchases(self):
        """Fire the 'After a purchase' rules: one event per customer and day bought.

        Several orders of one customer on one day make one thank-you call; the
        rules' 'skip when late' keeps old orders (an import of the history)
        from making any.
        """
        events = {}
        for purchase in self.sorted("date_order"):
            day = purchase.date_order.date()
            events[(purchase.partner_id.id, purchase.company_id.id, day)] = {
                "partner": purchase.partner_id,
                "company": purchase.company_id,
                "date": day,
                "key": f"purchase:{day.isoformat()}",
                "origin": _("Purchase %(order)s", order=purchase.name),
            }
        self.env["relationship.followup.rule"]._followup_on_events(
            "purchase", list(events.values())
        )

    @api.model
    def _cron_relationship_followup_purchases(self, batch_size=1000):
        """The follow-ups of the purchases that ingestion batches left pending.

        Runs in chunks with Odoo's cron progress API; the cron runner commits
        after each call. The follow-ups of a chunk and the clearing of its flags
        are one transaction, and the occurrence log creates nothing twice, so a
        crash or a second run never doubles an activity.

        :return: the number of purchases still pending
        """
        # Every company's purchases, whatever the cron's user may read: the
        # follow-ups are each company's automation.
        Purchase = self.sudo()
        domain = [("relationship_followup_pending", "=", True)]
        pending = Purchase.search(domain, order="id", limit=batch_size)
        for company in pending.company_id:
            # As when fired inline from the company's batch; labels in the
            # company's language.
            of_company = pending.filtered(lambda purchase, c=company: purchase.company_id == c)
            of_company.with_company(company).with_context(
                lang=company.partner_id.lang or self.env.lang
            )._relationship_followup_purchases()
        if pending:
            # A flag, not a change of the purchase: neither its last update nor
            # its ingestion fingerprint (cleared by any ORM write) may move.
            self.env.execute_query(
                SQL(
                    "UPDATE relationship_purchase SET relationship_followup_pending = NULL "
                    "WHERE id = ANY(%s)",
                    pending.ids,
                )
            )
            pending.invalidate_recordset(["relationship_followup_pending"])
        remaining = Purchase.search_count(domain)
        self.env["ir.cron"]._notify_progress(done=len(pending), remaining=remaining)
        _logger.info(
            "Relationship follow-ups after purchases: %s purchases done, %s remaining",
            len(pending),
            remaining,
        )
        return remaining
