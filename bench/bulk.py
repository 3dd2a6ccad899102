# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Bulk writing for the generator: rows streamed into PostgreSQL with COPY."""

from __future__ import annotations

import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


BATCH_ROWS = 50_000


def copy_rows(cr, table, columns, rows):
    """COPY an iterable of tuples into ``table`` (text format, ``None`` is NULL)."""
    buf = io.StringIO()
    count = 0
    total = 0

    def send():
        buf.seek(0)
        cr._obj.copy_expert(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT text)", buf
        )
        buf.seek(0)
        buf.truncate()

    for row in rows:
        buf.write("\t".join(r"\N" if value is None else str(value) for value in row))
        buf.write("\n")
        count += 1
        if count == BATCH_ROWS:
            send()
            total += count
            count = 0
    if count:
        send()
        total += count
    return total
