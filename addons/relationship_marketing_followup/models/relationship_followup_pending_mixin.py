# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class RelationshipFollowupPendingMixin(models.AbstractModel):
    """Records whose creation sets off follow-ups: at once when they are entered
    in Odoo, by the cron 'Relationship: follow-ups after ingestion' when an
    ingestion batch creates them (the connector does not wait for them).

    A model using it names its event trigger in ``_followup_trigger`` and
    implements :meth:`_relationship_followup_event_of` and
    :meth:`_relationship_followup_fire`. It lists the mixin first in its
    ``_inherit``, so that this ``create`` wraps the model's own: the follow-ups
    are made once the record and what it changes (the customer's figures,
    stage, ...) are written.
    """

    _name = "relationship.followup.pending.mixin"
    _description = "Follow-ups Made After Ingestion"

    # The event trigger of the rules that follow these records up.
    _followup_trigger = None

    # NULL once handled, so that the partial index holds the pending rows only.
    relationship_followup_pending = fields.Boolean(
        string="Follow-ups Pending",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Technical: a record from a connector's batch whose follow-ups the cron "
        "'Relationship: follow-ups after ingestion' has not created yet.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        Rule = self.env["relationship.followup.rule"]
        vals_list, cron, inline = Rule._followup_defer_ingested(
            self._followup_trigger, vals_list, self._relationship_followup_event_of
        )
        records = super().create(vals_list)
        if cron:
            Rule._followup_wake_after_batch(cron)
        elif inline:
            records._relationship_followup_fire()
        return records

    @api.model
    def _relationship_followup_event_of(self, vals):
        """What the event of a new record is known by before it is created: its
        ``date`` (a day) and what the trigger's rules filter on (see
        ``relationship.followup.rule._followup_event_keys``)."""
        raise NotImplementedError

    def _relationship_followup_fire(self):
        """Make the follow-ups of these records (at once, or by the cron)."""
        raise NotImplementedError
