# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Writing different values to many records with a constant number of queries."""

import threading
from collections import defaultdict
from contextlib import contextmanager
from contextvars import ContextVar

from odoo import models
from odoo.tools import SQL

# True while an ingestion batch runs in this thread: see whole_batch_statements.
_WHOLE_BATCH = ContextVar("relationship_whole_batch", default=False)
_insert_lock = threading.Lock()
_insert_users = 0
_insert_default = models.INSERT_BATCH_SIZE


def _vals_key(vals):
    """A hashable form of a dict of values, or None when a value is not hashable."""
    try:
        key = tuple(sorted(vals.items()))
        hash(key)
    except TypeError:
        return None
    return key


def write_each(model, vals_by_id):
    """Write ``vals_by_id[id]`` on each record of ``model``.

    ``write()`` on one record checks access rules with a query; doing that
    for every record of a batch makes the query count grow with the batch.
    Access is checked once here for the whole set, then the records that get
    the same values are written together (one ``write()`` per distinct set of
    values: a nightly run gives thousands of customers the same phase or flag),
    which only fills the cache, and the ORM flushes all of them in one
    ``UPDATE ... FROM (VALUES ...)`` per hundred rows.

    :return: the written records
    """
    records = model.browse(list(vals_by_id))
    if not records:
        return records
    records.check_access("write")
    fnames = set()
    groups = defaultdict(list)  # values -> ids
    alone = []
    for record_id, vals in vals_by_id.items():
        fnames.update(vals)
        key = _vals_key(vals)
        if key is None:
            alone.append(record_id)
        else:
            groups[key].append(record_id)
    trusted = records.sudo()  # access checked for the whole set above
    for key, ids in groups.items():
        trusted.browse(ids).with_prefetch(records._prefetch_ids).write(dict(key))
    for record in trusted.browse(alone).with_prefetch(records._prefetch_ids):
        record.write(vals_by_id[record.id])
    records._check_company(list(fnames))
    return records


@contextmanager
def whole_batch_statements(max_rows):
    """Let the ORM write a whole ingestion batch in one statement per table.

    Odoo writes at most 100 rows per ``INSERT`` and per ``UPDATE``, and one
    ``UPDATE`` per set of changed columns, so an ingestion batch's query
    count would grow with its size. Inside this block:

    - ``INSERT`` statements hold up to ``max_rows`` rows. Odoo reads its
      ``INSERT_BATCH_SIZE`` at each call, so it is raised for the block (and
      put back by the last block to end, should several threads ingest). A
      ``create()`` of another thread meanwhile only sends fewer, larger
      statements: the rows, fields and overrides are the ORM's all the same.
    - the ``UPDATE`` of a flush is one statement per table
      (see :func:`write_multi_in_one_statement`).

    Batches are capped (``MAX_BATCH_ROWS``), which bounds the statements.
    """
    global _insert_users
    with _insert_lock:
        if not _insert_users:
            models.INSERT_BATCH_SIZE = max(max_rows, _insert_default)
        _insert_users += 1
    token = _WHOLE_BATCH.set(True)
    try:
        yield
    finally:
        _WHOLE_BATCH.reset(token)
        with _insert_lock:
            _insert_users -= 1
            if not _insert_users:
                models.INSERT_BATCH_SIZE = _insert_default


def write_multi_in_one_statement(records, vals_list):
    """Flush ``vals_list`` to ``records`` in one ``UPDATE``, if it can be.

    Odoo's ``_write_multi`` sends one ``UPDATE ... FROM (VALUES ...)`` per
    100 rows and per set of changed columns; customers of one batch change
    different columns (one moved up a rung, another only got points), so the
    statements grow with the batch. Here each row carries, per column, a flag
    saying whether it sets that column, and keeps the column's value where it
    does not: the same rows and values, in one statement.

    Used only during an ingestion batch (:func:`whole_batch_statements`),
    for plain columns: a translated or company-dependent field, or a model
    with a parent path, goes the ORM's way.

    :return: whether the rows were written
    """
    if not _WHOLE_BATCH.get() or len(records) < 2 or records._parent_store:
        return False
    if records._log_access:
        log_vals = {"write_uid": records.env.uid, "write_date": records.env.cr.now()}
        vals_list = [log_vals | vals for vals in vals_list]
    fnames = sorted(set().union(*vals_list))
    fields = [records._fields[fname] for fname in fnames]
    if any(
        not (field.store and field.column_type) or field.translate or field.company_dependent
        for field in fields
    ):
        return False
    table = SQL.identifier(records._table)
    columns, assignments = [], []
    for index, field in enumerate(fields):
        flag, value = SQL.identifier(f"set_{index}"), SQL.identifier(f"value_{index}")
        columns += [flag, value]
        assignments.append(
            SQL(
                '%(column)s = CASE WHEN "__tmp".%(flag)s THEN "__tmp".%(value)s::%(type)s '
                "ELSE %(table)s.%(column)s END",
                column=SQL.identifier(field.name),
                flag=flag,
                value=value,
                type=SQL(field.column_type[1]),
                table=table,
            )
        )
    rows = []
    for record_id, vals in zip(records._ids, vals_list, strict=True):
        row = [record_id]
        for fname in fnames:
            row += [True, vals[fname]] if fname in vals else [False, None]
        rows.append(tuple(row))
    records.env.execute_query(
        SQL(
            """UPDATE %(table)s SET %(assignments)s
               FROM (VALUES %(rows)s) AS "__tmp"("id", %(columns)s)
               WHERE %(table)s."id" = "__tmp"."id"
            """,
            table=table,
            assignments=SQL(", ").join(assignments),
            rows=SQL(", ").join(rows),
            columns=SQL(", ").join(columns),
        )
    )
    return True
