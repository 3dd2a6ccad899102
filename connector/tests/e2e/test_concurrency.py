"""Two connectors pushing overlapping files at once, with the nightly cron in between."""

from __future__ import annotations

import json
from pathlib import Path

from test_e2e import _spawn_push, purchases, write_orders


def _orders(source: Path, target: Path, start: int, stop: int) -> Path:
    """Orders ``start`` to ``stop - 1`` of an export, with its header."""
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    target.write_text(lines[0] + "".join(lines[1 + start : 1 + stop]), encoding="utf-8")
    return target


def test_overlapping_pushes_and_the_cron_leave_no_duplicates(e2e_env, tmp_path):
    odoo = e2e_env
    full = write_orders(tmp_path / "full.csv", 1800, customers=60, prefix="O")
    first = _orders(full, tmp_path / "first.csv", 0, 1200)
    second = _orders(full, tmp_path / "second.csv", 600, 1800)
    cron_id = odoo.call(
        "ir.cron", "search", [("code", "like", "model._cron_relationship_refresh()")]
    )[0]

    # Two machines (separate state, so no shared lock) sending the same source.
    procs = [
        _spawn_push(first, "shop", tmp_path / "state-a", "--batch-size", "50"),
        _spawn_push(second, "shop", tmp_path / "state-b", "--batch-size", "50"),
    ]
    try:
        cron_runs = 0
        while any(proc.poll() is None for proc in procs):
            odoo.call("ir.cron", "method_direct_trigger", [cron_id])
            cron_runs += 1
        outputs = [proc.communicate(timeout=600) for proc in procs]
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err.decode()
    assert cron_runs >= 1
    reports = [json.loads(out) for out, _err in outputs]
    assert [r["rows_read"] for r in reports] == [1200, 1200]
    # The 600 orders both files hold landed once: created by one, unchanged for the other.
    assert sum(r["created"] for r in reports) == 1800
    assert sum(r["unchanged"] for r in reports) == 600

    landed = purchases(odoo, "shop", with_write_date=False)
    assert sorted(landed) == sorted(f"O{i}" for i in range(1800))
    customers = odoo.call(
        "res.partner", "search_read", [("email", "=like", "oc%@example.com")], fields=["email"]
    )
    emails = [c["email"] for c in customers]
    assert len(emails) == 60
    assert len(set(emails)) == 60, "a customer was created twice"
    counts = odoo.call(
        "res.partner",
        "search_read",
        [("email", "=like", "oc%@example.com")],
        fields=["relationship_order_count"],
    )
    assert sum(c["relationship_order_count"] for c in counts) == 1800
