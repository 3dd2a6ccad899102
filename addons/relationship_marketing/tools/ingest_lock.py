# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""One company's ingestion batches, one after the other, each seeing the last.

Two batches that name the same new customer must not both create it. Making
them wait for each other is not enough: Odoo's transactions are REPEATABLE
READ, and their snapshot is fixed by the first query of the request, long
before the batch could wait for anything, so a batch that waited would still
not see the customers of the batch it waited for.

So each batch first writes its company's row of a small table. A second batch
blocks on that row until the first commits, and PostgreSQL then refuses its
write with a serialization failure (40001): it would overwrite a change its
snapshot cannot see. The same happens when the first batch committed after
the second's snapshot was taken but before the second reached the row. Odoo
answers a serialization failure the way it is meant to be answered
(``odoo.service.model.retrying``): it rolls the request back and replays it
with a fresh snapshot, which sees the first batch's customers. Batches of
different companies do not wait for each other.
"""

from odoo.tools import SQL

TABLE = "relationship_ingest_lock"


def create_table(cr):
    """Create the table of the companies' ingestion rows (at install and upgrade)."""
    cr.execute(
        SQL(
            """CREATE TABLE IF NOT EXISTS %s (
                   company_id integer PRIMARY KEY
                       REFERENCES res_company(id) ON DELETE CASCADE,
                   batch_count bigint NOT NULL DEFAULT 0
               )""",
            SQL.identifier(TABLE),
        )
    )


def lock_company_batches(cr, *company_ids):
    """Wait for the companies' running batches, and make sure we see what they did.

    To be called before reading anything a batch writes (the customers it
    matches). Raises ``psycopg2.errors.SerializationFailure`` when another
    batch of one of the companies committed after this transaction's
    snapshot; Odoo's RPC layer then retries the whole request. Several
    companies are locked in the order of their ids, as every caller does,
    so that two callers never wait for each other in a circle.
    """
    cr.execute(
        SQL(
            """INSERT INTO %(table)s AS lock (company_id, batch_count)
               SELECT company_id, 1 FROM unnest(%(companies)s::integer[]) AS company_id
                ORDER BY company_id
               ON CONFLICT (company_id) DO UPDATE SET batch_count = lock.batch_count + 1""",
            table=SQL.identifier(TABLE),
            companies=sorted(set(company_ids)),
        ),
        # Expected under concurrency and answered by a retry, not a bad query.
        log_exceptions=False,
    )
