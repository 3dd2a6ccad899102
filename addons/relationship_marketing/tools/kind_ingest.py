# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The frame every kind of batch but orders goes through (customers, scores).

The same promises as ``relationship.purchase.ingest_batch``: the batch cap,
one company's batches serialised (tools/ingest_lock.py), a dry run that does
the real work in a savepoint always rolled back, the last row of a key in the
batch wins (an exact repeat is answered like it, a different earlier row is
``superseded``), every batch recorded on a sync run, and one answer per row.
"""

import hashlib
import json
from contextlib import closing

from odoo.exceptions import UserError

from . import ingest_lock
from .purchase_rows import (
    MAX_BATCH_ROWS,
    MAX_SOURCE_LENGTH,
    STATUSES,
    RowError,
    _as_text,
    _is_storable,
    parse_source,
)


def raw_key(row, column, limit=128):
    """The id a row carries in ``column``, as sent, or None when it cannot be one."""
    value = row.get(column) if isinstance(row, dict) else None
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    text = (_as_text(value) or "").strip()
    if not text or len(text) > limit or not _is_storable(text):
        return None
    return text


def row_digest(row):
    """A digest of every column of a row, exactly as sent (None if it has none)."""
    if not isinstance(row, dict):
        return None
    values = {str(k): v for k, v in row.items() if v not in (None, "", False)}
    try:
        payload = json.dumps(values, sort_keys=True, default=repr)
    except (TypeError, ValueError, RecursionError):
        return None
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


def answer(index, key_name, key, status, **values):
    """One row's answer; ``values`` are the ids of what it landed on."""
    return {
        "index": index,
        key_name: key or False,
        "status": status,
        "field": False,
        "reason": False,
        **values,
    }


def rejected(index, key_name, key, field, reason, **values):
    return dict(answer(index, key_name, key, "rejected", **values), field=field, reason=reason)


def parse_kind_rows(rows, todo, results, parse, key_name, **empty):
    """Parse the rows of indexes ``todo`` with ``parse``; a row that does not
    parse is answered rejected in ``results``, naming its field.

    :param dict empty: the ids a rejected answer carries besides the key, all False
    :return: ``{index: parsed row}`` of the rows that parse
    """
    parsed = {}
    for index in todo:
        try:
            parsed[index] = parse(rows[index])
        except RowError as error:
            key = rows[index].get(key_name) if isinstance(rows[index], dict) else None
            results[index] = rejected(
                index,
                key_name,
                key if isinstance(key, str) else False,
                error.field,
                error.reason,
                **empty,
            )
    return parsed


def ingest_kind_batch(model, kind, rows, source, dry_run, run_key, key_name, land, empty):
    """Land a batch of one kind, and answer per row.

    :param model: the model the kind lands in, as the sender
    :param str kind: what the rows are, as the sync run records it (``customers``, ...)
    :param str key_name: the column whose id names a row (``customer_id``, ...)
    :param land: ``land(model, rows, todo, results, source)`` answers the rows
        of indexes ``todo`` (the last row of each key) in ``results``
    :param dict empty: the ids an answer carries besides the key, all False
    :return: ``{"source", "dry_run", "counts", "results"}``
    """
    env = model.env
    try:
        source = parse_source(source)
    except RowError as error:
        raise UserError(
            env._(
                "The source must be a name of 1 to %(limit)s characters, without NUL "
                "or invalid Unicode characters (%(reason)s).",
                limit=MAX_SOURCE_LENGTH,
                reason=error.reason,
            )
        ) from None
    if not isinstance(rows, list | tuple):
        raise UserError(env._("Rows must be a list of mappings."))
    if len(rows) > MAX_BATCH_ROWS:
        raise UserError(
            env._(
                "A batch holds at most %(limit)s rows; this one has %(count)s. "
                "Send it in smaller batches.",
                limit=MAX_BATCH_ROWS,
                count=len(rows),
            )
        )
    # The customers matched here are the ones orders match: the same lock.
    ingest_lock.lock_company_batches(env.cr, env.company.id)
    model = model.with_context(
        relationship_ingest=True, tracking_disable=True, mail_create_nolog=True
    )

    def run():
        results = [None] * len(rows)
        last = {}
        for index, row in enumerate(rows):
            key = raw_key(row, key_name)
            if key is not None:
                last[key] = index
        repeats = {}
        for index, row in enumerate(rows):
            key = raw_key(row, key_name)
            if key is None or last[key] == index:
                continue
            digest = row_digest(row)
            if digest and digest == row_digest(rows[last[key]]):
                repeats[index] = last[key]
            results[index] = dict(
                answer(index, key_name, key, "superseded", **empty),
                reason=env._("a later row of %(id)s replaces this one", id=key),
            )
        todo = [index for index in range(len(rows)) if results[index] is None]
        land(model, rows, todo, results, source)
        for index, winner in repeats.items():
            status = "rejected" if results[winner]["status"] == "rejected" else "unchanged"
            results[index] = dict(results[winner], index=index, status=status)
        counts = dict.fromkeys(STATUSES, 0)
        for result in results:
            counts[result["status"]] += 1
        return {"source": source, "dry_run": dry_run, "counts": counts, "results": results}

    if dry_run:
        with closing(env.cr.savepoint()):
            result = run()
        env.invalidate_all()
        return result
    # The run is the ingestion's own journal: the sender writes it, even
    # though only managers may read every run.
    sync_run = (
        env["relationship.sync.run"]
        .sudo()
        ._for_batch(source, run_key if isinstance(run_key, str) else False, kind)
    )
    model = model.with_context(relationship_sync_run_id=sync_run.id)
    result = run()
    # A run's rejects name the row by its id, whatever its kind.
    sync_run._record_batch(
        dict(result, results=[dict(r, order_id=r[key_name]) for r in result["results"]])
    )
    return result
