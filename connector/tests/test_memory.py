"""Streaming: pushing a 1,000,000-row file keeps the connector's RSS under 200 MB, and a
file without a newline is read in bounded memory."""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROWS = 1_000_000
RSS_LIMIT_MB = 200

RUNNER = """
import resource, sys
from rm_sync.cli import main
sys.argv = ["rm-sync", *sys.argv[1:]]
try:
    main()
except SystemExit as exc:
    code = exc.code
print("MAXRSS_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


def write_big_csv(path: Path, rows: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        fh.write("order_id,order_date,customer_id,email,name,amount\n")
        chunk = []
        for i in range(rows):
            c = i % 200_000
            chunk.append(
                f"B{i},2024-{1 + i % 12:02d}-{1 + i % 28:02d},C{c},c{c}@example.com,"
                f"Customer {c},{i % 1000}.{i % 100:02d}\n"
            )
            if len(chunk) == 10_000:
                fh.write("".join(chunk))
                chunk.clear()
        fh.write("".join(chunk))


@pytest.mark.slow
def test_million_rows_in_constant_memory(odoo_env, tmp_path):
    odoo_env.db.store = False  # the fake server keeps nothing: only the client is measured
    path = tmp_path / "million.csv"
    write_big_csv(path, ROWS)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            RUNNER,
            "push",
            str(path),
            "--source",
            "big",
            "--json",
            "--batch-size",
            "5000",
        ],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert report["rows_read"] == ROWS and report["created"] == ROWS
    maxrss_kb = int(result.stderr.split("MAXRSS_KB")[-1].split()[0])
    print(f"peak RSS of rm-sync for {ROWS:,} rows: {maxrss_kb / 1024:.0f} MB")
    assert maxrss_kb / 1024 < RSS_LIMIT_MB, f"peak RSS {maxrss_kb / 1024:.0f} MB"


READER = """
import resource, sys
from rm_sync.readers import open_input
with open_input(sys.argv[1]) as inp:
    records = [(r.seq, r.line, r.error) for r in inp.records()]
print(repr(records))
print("MAXRSS_KB", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def read_in_subprocess(path: Path) -> tuple[list, float]:
    result = subprocess.run(
        [sys.executable, "-c", READER, str(path)],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    maxrss_kb = int(result.stderr.split("MAXRSS_KB")[-1].split()[0])
    return ast.literal_eval(result.stdout), maxrss_kb / 1024


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_a_file_without_newline_is_read_in_bounded_memory(tmp_path, fmt):
    """96 MB on one line: the record is rejected as too long and memory stays bounded
    (1,000,000 characters per record), as for JSON Lines; the next line is read."""
    small, big = tmp_path / f"small.{fmt}", tmp_path / f"big.{fmt}"
    if fmt == "csv":
        head, body, tail = b"order_id,name\nA1,", b"x", b"\nA2,ok\n"
    else:
        head, body, tail = b'{"order_id": "A1", "name": "', b"x", b'"}\n{"order_id": "A2"}\n'
    small.write_bytes(head + body * 10 + tail)
    with big.open("wb") as fh:
        fh.write(head)
        for _ in range(96):
            fh.write(body * (1 << 20))
        fh.write(tail)
    _, baseline_mb = read_in_subprocess(small)
    records, peak_mb = read_in_subprocess(big)
    print(f"{fmt}: peak RSS {peak_mb:.0f} MB reading 96 MB on one line, {baseline_mb:.0f} MB idle")
    assert peak_mb - baseline_mb < 32, f"{peak_mb:.0f} MB against {baseline_mb:.0f} MB"
    first, second = records
    assert "record longer than 1000000 characters" in first[2][1]
    assert second == (2, 3 if fmt == "csv" else 2, None)
