# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Writing different values to many records with a constant number of queries."""

from collections import defaultdict


def _vals_key(vals):
    """A hashable form of a dict of values, or None when a value is not hashable."""
    try:
        key = tuple(sorted(vals.items()))
        hash(key)
    except TypeError:
        return None
    return key


def write_each(model, vals_by_id, write=None):
    """Write ``vals_by_id[id]`` on each record of ``model``.

    ``write()`` on one record checks access rules with a query; doing that
    for every record of a batch makes the query count grow with the batch.
    Access is checked once here for the whole set, then the records that get
    the same values are written together (one ``write()`` per distinct set of
    values: a nightly run gives thousands of customers the same phase or flag),
    which only fills the cache, and the ORM flushes all of them in one
    ``UPDATE ... FROM (VALUES ...)`` per hundred rows.

    :param write: ``write(records, vals)`` to call instead of ``records.write(vals)``
        (a model's own write path below its public ``write``)
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
    if write is None:

        def write(records, vals):
            return records.write(vals)

    trusted = records.sudo()  # access checked for the whole set above
    for key, ids in groups.items():
        write(trusted.browse(ids).with_prefetch(records._prefetch_ids), dict(key))
    for record in trusted.browse(alone).with_prefetch(records._prefetch_ids):
        write(record, vals_by_id[record.id])
    records._check_company(list(fnames))
    return records
