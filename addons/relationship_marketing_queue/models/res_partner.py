# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import _, api, models

from odoo.addons.queue_job.delay import group

_logger = logging.getLogger(__name__)

# Jobs of a night, until all are done (queue_job's states).
UNFINISHED = ("wait_dependencies", "pending", "enqueued", "started")


class ResPartner(models.Model):
    _inherit = "res.partner"

    @api.model
    def _cron_relationship_refresh_jobs(self, range_size=5000):
        """Nightly, with the job queue: the work that spans every customer
        here, then one job per range of ``range_size`` customers, which
        several workers run at once, then one job after them all.

        A night whose jobs are not all done yet is not started again: the
        ranges would only queue up behind each other.

        :return: the number of range jobs enqueued
        """
        unfinished = self.env["queue.job"].search_count(
            [
                ("model_name", "=", self._name),
                (
                    "method_name",
                    "in",
                    ["_relationship_nightly_range_job", "_relationship_nightly_end_job"],
                ),
                ("state", "in", UNFINISHED),
            ]
        )
        if unfinished:
            _logger.info(
                "Relationship refresh: %s jobs of the last night are not done; not started",
                unfinished,
            )
            return 0
        companies = self.env["res.company"].search([])
        self._relationship_nightly_start(companies)
        ids = self.search(self._relationship_nightly_domain(), order="id").ids
        ranges = [ids[start : start + range_size] for start in range(0, len(ids), range_size)]
        end = self.delayable(
            description=_("Relationship: end of the nightly recomputation")
        )._relationship_nightly_end_job()
        if ranges:
            group(
                *(
                    self.browse(range_ids)
                    .delayable(
                        description=_(
                            "Relationship: nightly recomputation of %(count)s customers",
                            count=len(range_ids),
                        )
                    )
                    ._relationship_nightly_range_job()
                    for range_ids in ranges
                )
            ).on_done(end).delay()
        else:
            end.delay()
        _logger.info("Relationship refresh: %s customers in %s jobs", len(ids), len(ranges))
        return len(ranges)

    def _relationship_nightly_range_job(self):
        """One range of customers (those deleted since the night began are
        skipped)."""
        partners = self.exists()
        partners._relationship_nightly_refresh()
        return _("%s customers recomputed", len(partners))

    @api.model
    def _relationship_nightly_end_job(self):
        """After every range: what counts all customers again."""
        self._relationship_nightly_end(self.env["res.company"].search([]))
        return _("Nightly recomputation done")
