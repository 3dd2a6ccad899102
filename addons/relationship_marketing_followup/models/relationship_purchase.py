# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import _, api, fields, models

from .relationship_followup_rule import PENDING, WAKE_AFTER_BATCH

_logger = logging.getLogger(__name__)

# Drained by the cron, in this order: (model, method making the follow-ups).
INGEST_DRAINS = (
    ("relationship.purchase", "_relationship_followup_purchases"),
    ("relationship.stage.history", "_relationship_followup_moves"),
    ("relationship.phase.history", "_relationship_followup_moves"),
)


class RelationshipPurchase(models.Model):
    _inherit = "relationship.purchase"

    # NULL once handled, so that the partial index holds the pending rows only.
    relationship_followup_pending = fields.Boolean(
        string="Follow-ups Pending",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Technical: a purchase from a connector's batch whose 'After a purchase' "
        "follow-ups the cron 'Relationship: follow-ups after ingestion' has not "
        "created yet.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        vals_list, cron, inline = self.env["relationship.followup.rule"]._followup_defer_ingested(
            "purchase", vals_list, self._relationship_followup_event_of
        )
        purchases = super().create(vals_list)
        if cron:
            self.env["relationship.followup.rule"]._followup_wake_after_batch(cron)
        elif inline:
            purchases._relationship_followup_purchases()
        return purchases

    def _ingest(self, rows, source, dry_run):
        answer = super()._ingest(rows, source, dry_run)
        # The purchases and moves this batch left pending wake the cron once
        # (a dry run's are rolled back: nothing to wake it for).
        cron_id = self.env.cr.precommit.data.pop(WAKE_AFTER_BATCH, None)
        if cron_id and not dry_run:
            self.env["ir.cron"].browse(cron_id)._trigger()
        return answer

    @api.model
    def _relationship_followup_event_of(self, vals):
        """What the event of a new purchase is known by before it is created:
        its day (old orders, the history of a source, are too late for all)."""
        return {
            "date": (
                fields.Datetime.to_datetime(vals.get("date_order")) or fields.Datetime.now()
            ).date(),
            "key": "purchase",
        }

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
        """The follow-ups that ingestion batches left pending: those of their
        purchases, then of the stage moves, then of the phase moves they caused.

        Runs in chunks of ``batch_size`` records with Odoo's cron progress API;
        the cron runner commits after each call. (The name is that of the first
        version, which drained purchases only, and which the cron of existing
        databases still calls.)

        :return: the number of records still pending
        """
        Rule = self.env["relationship.followup.rule"]
        done = 0
        for model_name, fire in INGEST_DRAINS:
            if done < batch_size:
                done += len(Rule._followup_drain(model_name, fire, batch_size - done))
        # Counted as the drain reads them: every company's pending records.
        remaining = sum(
            self.env[model_name].sudo().search_count(PENDING) for model_name, _fire in INGEST_DRAINS
        )
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        _logger.info(
            "Relationship follow-ups after ingestion: %s records done, %s remaining",
            done,
            remaining,
        )
        return remaining
