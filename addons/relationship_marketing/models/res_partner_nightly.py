# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import logging

from odoo import _, api, models

from ..tools import ingest_lock

_logger = logging.getLogger(__name__)

REFRESH_CURSOR = "relationship_marketing.refresh_cursor"


# res.partner is extended by concern, one file each, as Odoo's mail does.
class ResPartner(models.Model):
    """The nightly recomputation of every customer."""

    _inherit = "res.partner"  # pylint: disable=consider-merging-classes-inherited

    # The nightly recomputation in three steps, shared by the cron below and
    # by the optional job-queue bridge (relationship_marketing_queue), which
    # runs the middle one for ranges of customers in parallel.

    @api.model
    def _relationship_nightly_domain(self):
        """The customers the nightly recomputation goes through."""
        return ["|", ("relationship_order_count", ">", 0), ("relationship_stage_id", "!=", False)]

    @api.model
    def _relationship_nightly_start(self, companies):
        """What spans every customer, once a night, before the batches: the
        figures first, since the scores and the top customers rank them."""
        self._relationship_refresh_figures(companies)
        for company in companies:
            self._relationship_refresh_scores(company)
            self._relationship_refresh_pareto(company)
        self.env["relationship.membership"]._relationship_expire()

    def _relationship_nightly_refresh(self):
        """One batch of customers: segments, points, tiers, phases, ties, stages
        (time passing moves them, and consultants change their rules)."""
        reason = _("Nightly recomputation")
        # Ties end with time: count the current ones again.
        self.env.add_to_compute(self._fields["relationship_tie_count"], self)
        self._relationship_refresh_depth(reason=reason)
        self._relationship_advance_stages(reason=reason)

    @api.model
    def _relationship_nightly_end(self, companies):
        """After the last batch: the segments' customer counts."""
        self._relationship_count_segments(companies)

    @api.model
    def _cron_relationship_refresh(self, batch_size=5000):
        """Nightly: purchase figures, scores, top customers and expired
        memberships; then, per batch of customers, segments, points, tiers,
        phases, ties and stages (time passing moves them, and consultants
        change their rules).

        Runs in batches with Odoo's cron progress API: each call handles the
        next ``batch_size`` customers after a cursor kept in a system
        parameter, so that the cron runner commits between batches and a
        crash resumes where the last committed batch ended. Segments are
        counted once the last batch is done.
        """
        # The cursor is cron bookkeeping, not user data: whoever runs the cron
        # must be able to move it.
        params = self.env["ir.config_parameter"].sudo()
        last_id = int(params.get_param(REFRESH_CURSOR, 0))
        companies = self.env["res.company"].search([])
        # A company's ingestion batches and this run of the cron, one after
        # the other: both write the same customers (tools/ingest_lock.py).
        ingest_lock.lock_company_batches(self.env.cr, *companies.ids)
        if not last_id:
            self._relationship_nightly_start(companies)
        domain = [("id", ">", last_id), *self._relationship_nightly_domain()]
        partners = self.search(domain, order="id", limit=batch_size)
        remaining = self.search_count(domain) - len(partners)
        partners._relationship_nightly_refresh()
        if not remaining:
            self._relationship_nightly_end(companies)
        params.set_param(REFRESH_CURSOR, partners[-1:].id if remaining else 0)
        self.env["ir.cron"]._notify_progress(done=len(partners), remaining=remaining)
        _logger.info(
            "Relationship refresh: %s customers done, %s remaining", len(partners), remaining
        )
        return remaining
