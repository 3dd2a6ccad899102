# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import _, api, models

from ..tools.purchase_rows import RowError, parse_source


class RelationshipPurchase(models.Model):
    """Every batch a connector sends is recorded on a sync run."""

    _inherit = "relationship.purchase"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def ingest_batch(self, rows, source, dry_run=False, run_key=False):
        """Land a batch (see the ingestion) and record it on a sync run.

        :param str run_key: the connector's identifier of its run; the batches
            that send the same key land on one run record. Without it, the
            batch is a run of its own.

        A dry run records nothing: it changes nothing either.
        """
        if dry_run or not self._can_ingest():
            return super().ingest_batch(rows, source, dry_run=dry_run)
        try:
            source_name = parse_source(source)
        except RowError:
            return super().ingest_batch(rows, source)  # which says what is wrong
        # The run is the ingestion's own journal: the sender writes it, even
        # though only managers may read every run.
        run = (
            self.env["relationship.sync.run"]
            .sudo()
            ._for_batch(source_name, run_key if isinstance(run_key, str) else False)
        )
        answer = super(
            RelationshipPurchase, self.with_context(relationship_sync_run_id=run.id)
        ).ingest_batch(rows, source, dry_run=False)
        run._record_batch(answer)
        return answer

    @api.model
    def _relationship_create_customers(self, vals_list):
        """Say in their chatter which run created the new customers, in one insert."""
        created = super()._relationship_create_customers(vals_list)
        run_id = self.env.context.get("relationship_sync_run_id")
        if not created or not run_id:
            return created
        run = self.env["relationship.sync.run"].sudo().browse(run_id)
        body = Markup(
            '%s <a href="#" data-oe-model="relationship.sync.run" data-oe-id="%s">%s</a>'
        ) % (
            _("Created by a sync from %(system)s:", system=run.source),
            run.id,
            _("run #%(id)s", id=run.id),
        )
        created._message_log_batch(dict.fromkeys(created.ids, body))
        run.customer_created_count += len(created)
        return created
