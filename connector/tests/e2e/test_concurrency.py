"""Connectors pushing at once: overlapping files with the nightly cron in between, and
several sources sending the same new customers to a prefork server."""

from __future__ import annotations

import json
import threading
import time
import xmlrpc.client
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from odoo_server import OdooServer
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


# -- Sources pushing the same new customers at once, on a prefork server --------------------

CUSTOMERS = 1000


@pytest.fixture(scope="module")
def prefork_odoo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OdooServer]:
    """A database of its own served by Odoo in prefork mode, as in production.

    Two workers answer two sources at the same time; the time limits are raised
    because a batch may wait for the batches before it.
    """
    server = OdooServer(tmp_path_factory.mktemp("prefork"))
    try:
        server.create_db()
        server.start(
            extra=("--workers=2", "--limit-time-real=900", "--limit-time-cpu=900"),
        )
        # The company has a purchase in the last 365 days (its top customers
        # are ranked on the recent year), as any company in production has.
        recent = (date.today() - timedelta(days=30)).isoformat()
        server.call(
            "relationship.purchase",
            "ingest_batch",
            [{"order_id": "R1", "order_date": recent, "email": "r@example.com", "amount": 10}],
            source="recent",
        )
        yield server
    finally:
        server.drop()


def _new_customer_rows(domain: str, source: str, count: int = CUSTOMERS) -> list[dict]:
    day = (date.today() - timedelta(days=2)).isoformat()
    return [
        {
            "order_id": f"{source}-{i}@{domain}",
            "order_date": f"{day} 10:00:00",
            "email": f"c{i}@{domain}",
            "name": f"Customer {i}",
            "amount": 10 + i % 50,
        }
        for i in range(count)
    ]


def _ingest(odoo: OdooServer, rows: list[dict], source: str) -> dict:
    """One batch over XML-RPC, sent again on a transient fault as a connector does."""
    common = xmlrpc.client.ServerProxy(f"{odoo.url}/xmlrpc/2/common")
    uid = common.authenticate(odoo.db, "admin", "admin", {})
    obj = xmlrpc.client.ServerProxy(f"{odoo.url}/xmlrpc/2/object", allow_none=True)
    for _attempt in range(5):
        try:
            return obj.execute_kw(
                odoo.db, uid, "admin", "relationship.purchase", "ingest_batch", [rows, source]
            )
        except xmlrpc.client.Fault as fault:
            if "could not serialize access" not in fault.faultString:
                raise
    raise AssertionError(f"{source}: the batch never landed")


def _partners_by_email(odoo: OdooServer, domain: str) -> dict[str, list[int]]:
    found = odoo.call(
        "res.partner", "search_read", [("email", "=like", f"%@{domain}")], fields=["email"]
    )
    by_email: dict[str, list[int]] = {}
    for partner in found:
        by_email.setdefault(partner["email"], []).append(partner["id"])
    return by_email


@pytest.mark.parametrize("delay", [0.0, 0.3])
def test_two_sources_sending_the_same_new_customers_create_each_once(prefork_odoo, delay):
    odoo = prefork_odoo
    domain = f"two{int(delay * 10)}.example.com"
    sources = ["web", "pos"]
    answers: dict[str, dict] = {}
    errors: list[BaseException] = []

    def push(source: str, wait: float) -> None:
        time.sleep(wait)
        try:
            answers[source] = _ingest(odoo, _new_customer_rows(domain, source), source)
        except BaseException as exc:  # reported by the test's thread
            errors.append(exc)

    threads = [
        threading.Thread(target=push, args=(source, n * delay)) for n, source in enumerate(sources)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=900)
    assert not errors, errors
    for source in sources:
        assert answers[source]["counts"] == {
            "created": CUSTOMERS,
            "updated": 0,
            "unchanged": 0,
            "superseded": 0,
            "rejected": 0,
        }

    by_email = _partners_by_email(odoo, domain)
    twice = {email: ids for email, ids in by_email.items() if len(ids) > 1}
    assert not twice, f"{len(twice)} of {CUSTOMERS} customers were created more than once"
    assert len(by_email) == CUSTOMERS
    # Both sources' order i belongs to the one customer i.
    first, second = (answers[source]["results"] for source in sources)
    assert [r["partner_id"] for r in first] == [r["partner_id"] for r in second]


def test_four_connectors_sending_the_same_new_customers_create_each_once(
    prefork_odoo, tmp_path, monkeypatch
):
    odoo = prefork_odoo
    for key, value in odoo.env().items():
        monkeypatch.setenv(key, value)
    domain = "four.example.com"
    sources = ["web", "pos", "phone", "market"]
    procs = []
    for source in sources:
        path = tmp_path / f"{source}.jsonl"
        path.write_text(
            "".join(json.dumps(row) + "\n" for row in _new_customer_rows(domain, source)),
            encoding="utf-8",
        )
        procs.append(_spawn_push(path, source, tmp_path / f"state-{source}", "--batch-size", "250"))
    try:
        outputs = [proc.communicate(timeout=1200) for proc in procs]
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    for proc, (_out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err.decode()
    reports = [json.loads(out) for out, _err in outputs]
    # Every run answered every row: all of them landed.
    assert [(r["rows_read"], r["created"], r["rejected"]) for r in reports] == [
        (CUSTOMERS, CUSTOMERS, 0)
    ] * len(sources)

    by_email = _partners_by_email(odoo, domain)
    twice = {email: ids for email, ids in by_email.items() if len(ids) > 1}
    assert not twice, f"{len(twice)} of {CUSTOMERS} customers were created more than once"
    assert len(by_email) == CUSTOMERS
    counts = odoo.call(
        "res.partner",
        "search_read",
        [("email", "=like", f"%@{domain}")],
        fields=["relationship_order_count"],
    )
    assert {c["relationship_order_count"] for c in counts} == {len(sources)}
