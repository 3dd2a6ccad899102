# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import _, api, fields, models

from .relationship_followup_rule_event import PENDING, WAKE_AFTER_BATCH

_logger = logging.getLogger(__name__)

# Drained by the cron, in this order (a purchase's moves after the purchase).
INGEST_DRAINS = (
    "relationship.purchase",
    "relationship.stage.history",
    "relationship.phase.history",
)


class RelationshipPurchase(models.Model):
    _name = "relationship.purchase"
    # The mixin first: see relationship.followup.pending.mixin.
    _inherit = ["relationship.followup.pending.mixin", "relationship.purchase"]
    _followup_trigger = "purchase"

    relationship_followup_pending = fields.Boolean(
        help="Technical: a purchase from a connector's batch whose 'After a purchase' "
        "follow-ups the cron 'Relationship: follow-ups after ingestion' has not "
        "created yet.",
    )

    def _ingest(self, rows, source, dry_run):
        answer = super()._ingest(rows, source, dry_run)
        # The purchases and moves this batch left pending wake the cron once
        # (a dry run's are rolled back: nothing to wake it for).
        cron_id = self.env.cr.precommit.data.pop(WAKE_AFTER_BATCH, None)
        if cron_id and not dry_run:
            self.env["ir.cron"].browse(cron_id)._trigger()
        return answer

    @api.model
    def ingest_history(self, rows, source, dry_run=False):
        """:meth:`ingest_batch` for the history of a new source: the same checks
        and the same answer, and no follow-up for what it lands (its purchases,
        and the stage and phase moves they cause), however recent.

        (The rules' *Skip When Late By* already drops old events; this is for a
        history that reaches up to the last days.)
        """
        Rule = self.env["relationship.followup.rule"]
        return Rule._followup_with_events_off(self).ingest_batch(rows, source, dry_run=dry_run)

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

    def _relationship_followup_fire(self):
        """Fire the 'After a purchase' rules: one event per customer and day bought.

        Several orders of one customer on one day make one thank-you call; the
        rules' 'skip when late' keeps old orders (an import of the history)
        from making any.
        """
        events = {}
        # an anonymous sale (no customer) has nobody to follow up
        for purchase in self.filtered("partner_id").sorted("date_order"):
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
        for model_name in INGEST_DRAINS:
            if done < batch_size:
                done += len(Rule._followup_drain(model_name, batch_size - done))
        # Counted as the drain reads them: every company's pending records.
        remaining = sum(
            self.env[model_name].sudo().search_count(PENDING) for model_name in INGEST_DRAINS
        )
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        _logger.info(
            "Relationship follow-ups after ingestion: %s records done, %s remaining",
            done,
            remaining,
        )
        return remaining
