from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest
from fakeodoo import FakeClient, FakeDB, row_contract

from rm_sync.errors import GaveUpError, TransientError
from rm_sync.mapping import ColumnMapper
from rm_sync.readers import open_input
from rm_sync.report import RejectsWriter
from rm_sync.state import StateStore
from rm_sync.sync import Backoff, Pusher, retry_transient

HEADER = "order_id,order_date,customer_id,email,name,amount\n"


def make_csv(
    path: Path, n: int, bad_every: int = 0, negative_every: int = 0, unknown_currency_every: int = 0
) -> Path:
    """Rows with a bad amount every ``bad_every`` rows and a negative one every
    ``negative_every`` (both rejected by rm-sync: the contract's minimum is 0), and a
    currency the server does not know every ``unknown_currency_every`` (rejected by it)."""
    lines = [HEADER.replace("\n", ",currency\n")]
    for i in range(1, n + 1):
        amount = f"{i % 97}.50"
        if bad_every and i % bad_every == 0:
            amount = "twelve"
        elif negative_every and i % negative_every == 0:
            amount = "-1"
        currency = "XYZ" if unknown_currency_every and i % unknown_currency_every == 0 else "EUR"
        lines.append(
            f"O{i},2024-01-{1 + i % 28:02d},C{i % 50},c{i % 50}@example.com,N{i},{amount},"
            f"{currency}\n"
        )
    path.write_text("".join(lines))
    return path


class Sleeper:
    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.delays.append(seconds)


def pusher(client, store=None, **kw) -> Pusher:
    kw.setdefault("source", "shop")
    kw.setdefault("batch_size", 500)
    kw.setdefault("sleep", Sleeper())
    kw.setdefault("backoff", Backoff(base=1.0, cap=30.0, rng=lambda: 1.0))
    kw.setdefault("contract", row_contract())
    return Pusher(client, store=store, run_id=1, **kw)


def push_file(p: Pusher, path: Path):
    with open_input(str(path)) as inp:
        return p.push(inp)


@pytest.fixture
def store(tmp_path):
    with StateStore(tmp_path / "state") as s:
        yield s


def test_batches_and_idempotent_second_push(tmp_path, store):
    path = make_csv(tmp_path / "o.csv", 1200)
    client = FakeClient()
    fr = push_file(pusher(client, store), path)
    assert [c[0] for c in client.calls] == [500, 500, 200]
    assert (fr.rows_read, fr.created, fr.updated, fr.unchanged, fr.rejected) == (
        1200,
        1200,
        0,
        0,
        0,
    )
    state = store.get_file("shop", fr.file_id)
    assert state.status == "done" and state.committed_rows == 1200
    before = client.db.snapshot()
    second = pusher(client, store)
    fr2 = push_file(second, path)
    assert (fr2.created, fr2.unchanged) == (0, 1200)
    assert "already pushed completely" in fr2.note
    assert client.db.snapshot() == before


def test_client_and_server_rejects_are_reported_and_never_stop_good_rows(tmp_path, store):
    path = make_csv(tmp_path / "o.csv", 100, bad_every=10, unknown_currency_every=7)
    rejects_path = tmp_path / "rejects.csv"
    writer = RejectsWriter(str(rejects_path))
    client = FakeClient()
    p = pusher(client, store, batch_size=30, rejects=writer)
    fr = push_file(p, path)
    writer.close()
    assert fr.rejected_client == 10
    assert fr.rejected_server == 13  # multiples of 7 (14) that are not multiples of 10 (70)
    assert fr.rejected == 23
    assert fr.created == 100 - 23
    with rejects_path.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 23
    assert [int(r["line"]) for r in rows] == sorted(int(r["line"]) for r in rows)
    first_bad = next(r for r in rows if r["field"] == "amount" and r["amount"] == "twelve")
    assert first_bad["order_id"] == "O10" and first_bad["line"] == "11"
    assert "not a number" in first_bad["reason"]
    server_bad = next(r for r in rows if r["order_id"] == "O7")
    assert server_bad["reason"] == "currency: unknown currency 'XYZ'"
    assert server_bad["file"] == str(path)


def test_transient_faults_are_retried_with_backoff(tmp_path, store):
    path = make_csv(tmp_path / "o.csv", 10)
    client = FakeClient(plan=["transient", "transient", None])
    sleeper = Sleeper()
    p = pusher(client, store, sleep=sleeper)
    fr = push_file(p, path)
    assert fr.created == 10
    assert p.report.retries == 2
    assert sleeper.delays == [1.0, 2.0]


def test_backoff_grows_caps_and_jitters():
    b = Backoff(base=1.0, cap=8.0, rng=lambda: 0.0)
    assert [b.delay(n) for n in range(1, 7)] == [0.5, 1.0, 2.0, 4.0, 4.0, 4.0]
    b = Backoff(base=1.0, cap=8.0, rng=lambda: 1.0)
    assert [b.delay(n) for n in range(1, 6)] == [1.0, 2.0, 4.0, 8.0, 8.0]


def test_gives_up_after_max_tries_and_keeps_committed_progress(tmp_path, store):
    path = make_csv(tmp_path / "o.csv", 1000)
    client = FakeClient(plan=[None] + ["transient"] * 3)
    p = pusher(client, store, max_tries=3)
    with pytest.raises(GaveUpError, match="gave up after 3 tries"):
        push_file(p, path)
    state = store.get_file("shop", p.report.files[0].file_id)
    assert state.committed_rows == 500 and state.status == "in_progress"
    assert p.report.retries == 2


def test_timeout_after_commit_is_reconciled_without_resending(tmp_path, store):
    path = make_csv(tmp_path / "o.csv", 1000)
    client = FakeClient(plan=[None, "lost"])
    p = pusher(client, store)
    fr = push_file(p, path)
    assert client.calls == [(500, False), (500, False), (500, True)]
    assert p.report.reconciled == 500
    assert fr.created == 500 and fr.unchanged == 500
    assert len(client.db.purchases) == 1000


def test_timeout_before_commit_resends_only_what_did_not_land(tmp_path, store):
    db = FakeDB()
    make_csv(tmp_path / "first.csv", 100)
    push_file(pusher(FakeClient(db), store), tmp_path / "first.csv")
    path = make_csv(tmp_path / "o.csv", 200)

    class LostBefore(FakeClient):
        def ingest_batch(self, rows, *, source, dry_run):
            if not self.calls:
                self.calls.append((len(rows), dry_run))
                raise TransientError("connection reset", maybe_sent=True)
            return super().ingest_batch(rows, source=source, dry_run=dry_run)

    client = LostBefore(db)
    p = pusher(client, store, batch_size=200)
    fr = push_file(p, path)
    assert client.calls == [(200, False), (200, True), (100, False)]
    assert (fr.created, fr.unchanged) == (100, 100)
    assert len(db.purchases) == 200


def test_server_fault_is_bisected_to_the_bad_row(tmp_path, store):
    path = tmp_path / "o.csv"
    lines = [HEADER] + [
        f"{'POISON' if i == 6 else 'O'}{i},2024-01-01,C{i},,N,{i}\n" for i in range(1, 9)
    ]
    path.write_text("".join(lines))
    client = FakeClient()
    p = pusher(client, store)
    fr = push_file(p, path)
    assert fr.created == 7 and fr.rejected_server == 1
    assert len(client.db.purchases) == 7


def test_systemic_server_failure_gives_up(tmp_path, store):
    path = make_csv(tmp_path / "o.csv", 64)
    client = FakeClient(plan=["server"] * 200)
    with pytest.raises(GaveUpError, match="fails on every row"):
        push_file(pusher(client, store), path)
    assert len(client.calls) < 20


class Killed(BaseException):
    """Stands for kill -9: nothing after it runs."""


class DiesAfter(FakeClient):
    def __init__(self, db: FakeDB, calls_before_death: int) -> None:
        super().__init__(db)
        self.left = calls_before_death

    def ingest_batch(self, rows, *, source, dry_run):
        if self.left == 0:
            # The batch lands on the server, then the client dies before the answer.
            self.db.ingest(rows, source, dry_run)
            raise Killed()
        self.left -= 1
        return super().ingest_batch(rows, source=source, dry_run=dry_run)


@pytest.mark.parametrize("death_after", [0, 1, 3])
def test_killed_run_resumes_to_the_same_data_report_and_rejects(tmp_path, death_after):
    path = make_csv(tmp_path / "o.csv", 2100, bad_every=13, unknown_currency_every=17)

    # Uninterrupted reference run.
    ref_db = FakeDB()
    with StateStore(tmp_path / "ref-state") as ref_store:
        ref_writer = RejectsWriter(str(tmp_path / "ref-rejects.csv"))
        ref = push_file(pusher(FakeClient(ref_db), ref_store, rejects=ref_writer), path)
        ref_writer.close()

    db = FakeDB()
    with StateStore(tmp_path / "state") as store:
        first_writer = RejectsWriter(str(tmp_path / "rejects.csv"))
        with pytest.raises(Killed):
            push_file(pusher(DiesAfter(db, death_after), store, rejects=first_writer), path)
        first_writer.close()
        committed = store.get_file("shop", ref.file_id).committed_rows
        # Progress counts input rows (client-rejected ones included) of answered batches.
        assert (committed > 500 * death_after) if death_after else committed == 0

        writer = RejectsWriter(str(tmp_path / "rejects.csv"))
        client = FakeClient(db)
        p = pusher(client, store, rejects=writer)
        fr = push_file(p, path)
        writer.close()
    assert fr.resumed_rows == committed
    assert sum(n for n, _ in client.calls) <= 2100 - committed
    assert db.snapshot() == ref_db.snapshot()
    assert fr.rejected == ref.rejected
    # Who rejected what adds up across the resume as in the uninterrupted run.
    assert (fr.rejected_client, fr.rejected_server) == (ref.rejected_client, ref.rejected_server)
    assert fr.rejected_client + fr.rejected_server == fr.rejected
    assert ref.rejected_client and ref.rejected_server
    assert fr.created + fr.unchanged == ref.created  # the in-flight batch answers unchanged
    assert (tmp_path / "rejects.csv").read_text() == (tmp_path / "ref-rejects.csv").read_text()


def test_a_state_from_before_reject_origins_still_resumes(tmp_path):
    """A state database written before rejects were counted by origin gets the columns."""
    from rm_sync import state

    old_schema = state.SCHEMA.replace("    rejected_client INTEGER NOT NULL DEFAULT 0,\n", "")
    old_schema = old_schema.replace("    rejected_server INTEGER NOT NULL DEFAULT 0,\n", "")
    assert "rejected_client" not in old_schema
    (tmp_path / "state").mkdir(mode=0o700)
    with sqlite3.connect(tmp_path / "state" / "state.sqlite3") as conn:
        conn.executescript(old_schema)
    path = make_csv(tmp_path / "o.csv", 1000, bad_every=10)
    db = FakeDB()
    with StateStore(tmp_path / "state") as old:
        with pytest.raises(Killed):
            push_file(pusher(DiesAfter(db, 1), old), path)
        fr = push_file(pusher(FakeClient(db), old), path)
    assert fr.resumed_rows > 0
    assert (fr.rejected, fr.rejected_client, fr.rejected_server) == (100, 100, 0)


def test_resume_restarts_when_the_mapping_changed(tmp_path, store):
    path = make_csv(tmp_path / "o.csv", 1000)
    db = FakeDB()
    with pytest.raises(Killed):
        push_file(pusher(DiesAfter(db, 1), store), path)
    p = pusher(FakeClient(db), store, mapper=ColumnMapper({"name": "channel"}))
    fr = push_file(p, path)
    assert fr.resumed_rows == 0
    assert "another mapping" in fr.note


def test_dry_run_writes_nothing_and_records_no_progress(tmp_path, store):
    path = make_csv(tmp_path / "o.csv", 700, bad_every=100)
    client = FakeClient()
    p = pusher(client, store, dry_run=True)
    fr = push_file(p, path)
    assert client.db.purchases == {}
    assert all(dry for _, dry in client.calls)
    assert (fr.created, fr.rejected) == (693, 7)
    assert store.get_file("shop", fr.file_id) is None


def test_all_rows_rejected_still_commits_progress_without_server_calls(tmp_path, store):
    path = make_csv(tmp_path / "o.csv", 2500, bad_every=1)
    client = FakeClient()
    fr = push_file(pusher(client, store), path)
    assert client.calls == []
    assert fr.rejected == 2500
    assert store.get_file("shop", fr.file_id).committed_rows == 2500


def test_retry_transient_helper():
    attempts = []

    def flaky():
        attempts.append(1)
        if len(attempts) < 3:
            raise TransientError("refused")
        return "ok"

    sleeper = Sleeper()
    assert retry_transient(flaky, max_tries=3, sleep=sleeper) == "ok"
    with pytest.raises(GaveUpError):
        retry_transient(
            lambda: (_ for _ in ()).throw(TransientError("x")), max_tries=2, sleep=sleeper
        )
