# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Writing different values to many records with a constant number of queries."""


def write_each(model, vals_by_id):
    """Write ``vals_by_id[id]`` on each record of ``model``.

    ``write()`` on one record checks access rules with a query; doing that
    for every record of a batch makes the query count grow with the batch.
    Access is checked once here for the whole set, then each write only fills
    the cache, and the ORM flushes all of them in one ``UPDATE ... FROM
    (VALUES ...)``.

    :return: the written records
    """
    records = model.browse(list(vals_by_id))
    if not records:
        return records
    records.check_access("write")
    fnames = set()
    for record in records.sudo():  # access checked for the whole set above
        vals = vals_by_id[record.id]
        fnames.update(vals)
        record.write(vals)
    records._check_company(list(fnames))
    return records
