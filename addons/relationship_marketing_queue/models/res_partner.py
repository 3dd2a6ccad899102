# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import _, api, models

from odoo.addons.queue_job.delay import group

_logger = logging.getLogger(__name__)

RANGE_JOB = "_relationship_nightly_range_job"
END_JOB = "_relationship_nightly_end_job"
# Jobs of a night that will still run (queue_job's states).
RUNNING = ("pending", "enqueued", "started")


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
        Job = self.env["queue.job"]
        night = [
            ("model_name", "=", self._name),
            ("method_name", "in", [RANGE_JOB, END_JOB]),
        ]
        running = Job.search_count([*night, ("state", "in", RUNNING)])
        if running:
            _logger.info(
                "Relationship refresh: %s jobs of the last night are not done; not started",
                running,
            )
            return 0
        # The end of a night one of whose ranges failed waits for nothing that
        # will come: tonight's end takes its place.
        Job.search([*night, ("state", "=", "wait_dependencies")]).button_cancelled()
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
