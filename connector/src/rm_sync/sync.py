"""The push engine: read -> validate -> batch -> send (with retries) -> record progress.

No business rule lives here: every valid row goes to the server's
``relationship.purchase.ingest_batch``, which matches customers, upserts
purchases and answers per row (created / updated / unchanged / rejected).

Guarantees:

* memory: records are streamed; at most one batch (plus the rejected rows of
  that stretch of the file) is held at a time, besides 8 bytes per order of
  the file for the duplicate rule;
* one rule for duplicates, whatever the batch size: the last row of an order
  in a file is the one that is sent. An earlier row that repeats it exactly
  is answered ``unchanged``, an earlier row that differs ``superseded``;
  neither is sent. A first pass over the file finds them;
* resumable: after the server answered for a batch, the number of input
  records that are final is stored (with the batch's counts and rejects) in
  one SQLite transaction; a new run of the same file resumes after them;
* retries: transient faults are retried with exponential backoff and jitter;
  when a write may have reached the server (timeout, dropped connection), the
  batch is first replayed with ``dry_run=True``: rows answered ``unchanged``
  already landed and only the others are sent again;
* a server fault that is neither transient nor an access error is narrowed
  down by bisecting the batch, so that only the rows that trigger it are
  rejected (with the server's message); if every row keeps failing the run
  gives up (exit 4).
"""

from __future__ import annotations

import hashlib
import json
import random
import time
import uuid
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any, Protocol, TypeVar

from rm_sync.contract import RowContract
from rm_sync.errors import GaveUpError, ServerError, TransientError
from rm_sync.mapping import ColumnMapper
from rm_sync.readers import InputSource
from rm_sync.report import FileReport, RejectsWriter, Report
from rm_sync.state import StateStore, StoredReject
from rm_sync.validation import Options, RejectedRow, ValidRow, raw_values, validate

STATUSES = ("created", "updated", "unchanged", "superseded", "rejected")
# What a file's progress records besides the rows: the answers, and who rejected.
FILE_COUNTS = (*STATUSES, "rejected_client", "rejected_server")
DEFAULT_BATCH_SIZE = 500  # lowered to the server's cap (the row contract's max_batch_size)
SYSTEMIC_FAILURES = 8  # single-row faults in a row, with no success, before giving up
BACKOFF_BASE = 1.0  # seconds before the first retry (x2 per retry, jittered)
BACKOFF_CAP = 30.0  # longest wait between two tries


T = TypeVar("T")


class Ingestor(Protocol):
    def ingest_batch(
        self, rows: list[dict[str, Any]], *, source: str, dry_run: bool
    ) -> dict[str, Any]: ...


@dataclass
class Backoff:
    """Exponential backoff with 'equal jitter': half the delay fixed, half random."""

    base: float = field(default_factory=lambda: BACKOFF_BASE)
    cap: float = field(default_factory=lambda: BACKOFF_CAP)
    rng: Callable[[], float] = random.random

    def delay(self, attempt: int) -> float:
        ceiling = min(self.cap, self.base * (2 ** max(0, attempt - 1)))
        return ceiling / 2 + self.rng() * ceiling / 2


def retry_transient(
    func: Callable[[], T],
    *,
    max_tries: int,
    backoff: Backoff | None = None,
    sleep: Callable[[float], None] = time.sleep,
    log: Callable[[str], None] = lambda msg: None,
) -> T:
    """Call ``func``, retrying TransientError with backoff; GaveUpError when tries run out."""
    backoff = backoff or Backoff()
    attempt = 0
    while True:
        try:
            return func()
        except TransientError as exc:
            attempt += 1
            if attempt >= max_tries:
                raise GaveUpError(f"gave up after {attempt} tries: {exc.message}") from exc
            delay = backoff.delay(attempt)
            log(f"transient fault ({exc.message}); retry {attempt}/{max_tries - 1} in {delay:.1f}s")
            sleep(delay)


class Pusher:
    """Pushes inputs for one source; accumulates a :class:`Report`."""

    def __init__(
        self,
        client: Ingestor,
        *,
        source: str,
        contract: RowContract,
        batch_size: int = DEFAULT_BATCH_SIZE,
        dry_run: bool = False,
        max_tries: int = 8,
        store: StateStore | None = None,
        run_id: int | None = None,
        mapper: ColumnMapper | None = None,
        options: Options | None = None,
        rejects: RejectsWriter | None = None,
        backoff: Backoff | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        log: Callable[[str], None] = lambda msg: None,
        progress: Callable[[InputSource], None] | None = None,
        started: float | None = None,
        kind: str = "orders",
        id_column: str = "order_id",
        store_source: str | None = None,
    ) -> None:
        if not 1 <= batch_size <= contract.max_batch_size:
            raise ValueError(f"batch size must be between 1 and {contract.max_batch_size}")
        self.client = client
        self.source = source
        # Another kind than orders: the column whose id names a row (the last row
        # of an id wins), and the name its progress is kept under.
        self.id_column = id_column
        self.store_source = store_source or source
        self.contract = contract
        self.batch_size = batch_size
        self.dry_run = dry_run
        self.max_tries = max(1, max_tries)
        self.store = None if dry_run else store
        self.run_id = run_id
        self.mapper = mapper or ColumnMapper()
        self.options = options or Options()
        self.rejects = rejects
        self.backoff = backoff or Backoff()
        self.sleep = sleep
        self.clock = clock
        self.log = log
        self.progress = progress
        self.report = Report(source=source, dry_run=dry_run, run_id=run_id, kind=kind)
        if hasattr(client, "run_key"):
            # One key per run, unique across machines: Odoo records the run's
            # batches on one sync run (the local run id is only unique here).
            client.run_key = uuid.uuid4().hex
        if rejects is not None:
            self.report.rejects_path = rejects.path
        self._started = clock() if started is None else started
        self._warned_columns: set[str] = set()

    # -- public -------------------------------------------------------------------------------

    def push(self, inp: InputSource) -> FileReport:
        """Push one input; returns its report (also appended to ``self.report``)."""
        fr = FileReport(
            name=inp.name,
            file_id=inp.sha256,
            format=inp.format,
            encoding=inp.encoding,
            delimiter=inp.delimiter if inp.format == "csv" else None,
            size=inp.size,
        )
        self.report.files.append(fr)
        self.options.encoding = inp.encoding
        start_after = self._prepare(inp, fr)
        try:
            self._run(inp, fr, start_after)
        except BaseException:
            fr.status = "failed"
            raise
        finally:
            self.report.elapsed = self.clock() - self._started
            if self.rejects is not None:
                self.rejects.flush()
        fr.status = "done"
        return fr

    # -- preparation / resume -----------------------------------------------------------------

    def _prepare(self, inp: InputSource, fr: FileReport) -> int:
        if self.store is None:
            return 0
        digest = self.mapper.digest
        state = self.store.get_file(self.store_source, inp.sha256)
        if (
            state is not None
            and state.status == "in_progress"
            and state.committed_rows > 0
            and state.map_digest == digest
        ):
            self.store.resume_file(
                self.store_source, inp.sha256, name=inp.name, run_id=self.run_id or 0
            )
            for key in FILE_COUNTS:
                setattr(fr, key, getattr(state, key))
            for rej in self.store.stored_rejects(self.store_source, inp.sha256):
                self.report.reasons.add(rej.field, rej.reason)
                if self.rejects is not None:
                    self.rejects.write(inp.name, rej.line, rej.field, rej.reason, rej.raw)
            fr.note = (
                f"resumed after {state.committed_rows:,} rows committed by an earlier run "
                f"(started {state.started_at})"
            )
            return state.committed_rows
        if state is not None and state.status == "done":
            fr.note = (
                f"already pushed completely on {state.finished_at}; pushed again "
                "(rows that landed are answered unchanged)"
            )
        elif state is not None and state.status == "in_progress" and state.map_digest != digest:
            fr.note = "an earlier unfinished run used another mapping: restarted from the start"
        self.store.begin_file(
            self.store_source,
            inp.sha256,
            name=inp.name,
            size=inp.size,
            map_digest=digest,
            run_id=self.run_id or 0,
        )
        return 0

    # -- main loop ----------------------------------------------------------------------------

    def _earlier_rows(self, inp: InputSource) -> dict[int, str]:
        """The records that a later record of their order replaces: ``{seq: status}``.

        ``unchanged`` for an exact repeat of the order's last record (the same
        standard columns), ``superseded`` otherwise. Orders are compared by a
        64-bit digest of their id: 8 bytes per record of the file, and the
        records of repeated orders.
        """
        keys = array("Q")
        for record in inp.records():
            key = self._order_key(record.values)
            keys.append(key or 0)
        ordered = sorted(keys)
        repeated = {a for a, b in pairwise(ordered) if a == b and a}
        del ordered
        if not repeated:
            return {}
        # The records of repeated orders, in file order, with their digests.
        members: dict[int, list[tuple[int, str]]] = {}
        for record in inp.records():
            if 0 < record.seq <= len(keys) and keys[record.seq - 1] in repeated:
                values = self._mapped(record.values)
                digest = json.dumps(
                    raw_values(values, self.mapper.columns), sort_keys=True, ensure_ascii=False
                )
                members.setdefault(keys[record.seq - 1], []).append((record.seq, digest))
        earlier: dict[int, str] = {}
        for rows in members.values():
            _last_seq, last_digest = rows[-1]
            for seq, digest in rows[:-1]:
                earlier[seq] = "unchanged" if digest == last_digest else "superseded"
        return earlier

    def _mapped(self, values: dict[str, Any] | None) -> dict[str, Any]:
        try:
            return self.mapper.apply(values) if values else {}
        except Exception:  # an unreadable record is rejected by validate() later
            return {}

    def _order_key(self, values: dict[str, Any] | None) -> int | None:
        order_id = self._mapped(values).get(self.id_column)
        if order_id is None or isinstance(order_id, (bool, dict, list)):
            return None
        if isinstance(order_id, float) and order_id.is_integer():
            order_id = int(order_id)
        text = str(order_id).strip()
        if not text:
            return None
        digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
        return int.from_bytes(digest, "big") or 1

    def _run(self, inp: InputSource, fr: FileReport, start_after: int) -> None:
        earlier = self._earlier_rows(inp)
        batch: list[ValidRow] = []
        pending: list[StoredReject] = []
        counts = dict.fromkeys(FILE_COUNTS, 0)
        last_seq = start_after
        reject_flush = max(self.batch_size, 1000)
        checked_header = False

        for record in inp.records():
            fr.rows_read += 1
            if record.seq <= start_after:
                fr.resumed_rows += 1
                continue
            last_seq = record.seq
            if not checked_header and record.values:
                checked_header = True
                self._check_columns(inp, record.values)
            row = None
            status = earlier.get(record.seq)
            if status == "unchanged":
                # A repeat of an invalid row is rejected like it.
                row = validate(record, self.mapper, self.contract, self.options)
            if status is not None and not isinstance(row, RejectedRow):
                # A later row of this order is the one sent (see _earlier_rows).
                counts[status] += 1
                setattr(fr, status, getattr(fr, status) + 1)
                continue
            row = row or validate(record, self.mapper, self.contract, self.options)
            if isinstance(row, RejectedRow):
                pending.append(StoredReject(row.seq, row.line, row.field, row.reason, row.raw))
                for key in ("rejected", "rejected_client"):
                    counts[key] += 1
                    setattr(fr, key, getattr(fr, key) + 1)
            else:
                batch.append(row)
            if len(batch) >= self.batch_size or len(pending) >= reject_flush:
                self._flush(inp, fr, batch, pending, counts, last_seq, done=False)
                batch, pending, counts = [], [], dict.fromkeys(FILE_COUNTS, 0)
        self._flush(inp, fr, batch, pending, counts, last_seq, done=True)

    def _check_columns(self, inp: InputSource, values: dict[str, Any]) -> None:
        mapped = self.mapper.apply(values)
        new_ignored = sorted(self.mapper.ignored - self._warned_columns)
        if new_ignored:
            self._warned_columns.update(new_ignored)
            self.report.ignored_columns = sorted(self._warned_columns)
            self.log(
                f"{inp.name}: ignoring columns that are neither standard nor mapped: "
                f"{', '.join(new_ignored)}"
            )
        if not any(c in mapped for c in self.mapper.columns):
            hint = f" with delimiter {inp.delimiter!r}" if inp.format == "csv" else ""
            self.log(
                f"{inp.name}: warning: no standard column found{hint}; "
                "check --map, --delimiter or --encoding"
            )

    def _flush(
        self,
        inp: InputSource,
        fr: FileReport,
        batch: list[ValidRow],
        pending: list[StoredReject],
        counts: dict[str, int],
        committed_rows: int,
        *,
        done: bool,
    ) -> None:
        if batch:
            results = self.send(batch)
            self.report.batches += 1
            for row, result in zip(batch, results, strict=True):
                status = result.get("status")
                counts[status] += 1
                setattr(fr, status, getattr(fr, status) + 1)
                if status == "rejected":
                    counts["rejected_server"] += 1
                    fr.rejected_server += 1
                    pending.append(
                        StoredReject(
                            row.seq,
                            row.line,
                            str(result.get("field") or ""),
                            str(result.get("reason") or "rejected by the server"),
                            row.raw,
                        )
                    )
        pending.sort(key=lambda r: r.seq)
        for rej in pending:
            self.report.reasons.add(rej.field, rej.reason)
        if self.store is not None:
            self.store.commit(
                self.store_source,
                inp.sha256,
                committed_rows=committed_rows,
                counts=counts,
                rejects=pending,
                done=done,
            )
        if self.rejects is not None:
            for rej in pending:
                self.rejects.write(inp.name, rej.line, rej.field, rej.reason, rej.raw)
            self.rejects.flush()
        self.report.elapsed = self.clock() - self._started
        if self.progress is not None:
            self.progress(inp)

    # -- sending ------------------------------------------------------------------------------

    def send(self, rows: list[ValidRow]) -> list[dict[str, Any]]:
        """Send rows (bisecting on server faults); one result dict per row, in order."""
        self._leaf_failures = 0
        self._any_success = False
        return self._send(rows)

    def _send(self, rows: list[ValidRow]) -> list[dict[str, Any]]:
        try:
            results = self._call_with_retry(rows)
            self._any_success = True
            return results
        except ServerError as exc:
            if len(rows) == 1:
                self._leaf_failures += 1
                if not self._any_success and self._leaf_failures >= SYSTEMIC_FAILURES:
                    raise GaveUpError(
                        f"the server fails on every row, giving up: {exc.message}"
                    ) from exc
                self.log(f"line {rows[0].line}: rejected after a server error: {exc.message}")
                return [
                    {
                        "status": "rejected",
                        "field": "",
                        "reason": exc.message,
                        "order_id": rows[0].data.get("order_id"),
                    }
                ]
            self.log(
                f"server error on a batch of {len(rows)} rows, narrowing it down: {exc.message}"
            )
            mid = len(rows) // 2
            return self._send(rows[:mid]) + self._send(rows[mid:])

    def _call_with_retry(self, rows: list[ValidRow]) -> list[dict[str, Any]]:
        payload = [r.data for r in rows]
        results: list[dict[str, Any] | None] = [None] * len(rows)
        pending = list(range(len(rows)))
        attempt = 0
        reconcile = False
        while True:
            try:
                if reconcile:
                    answer = self._ingest([payload[i] for i in pending], dry_run=True)
                    still = []
                    for i, res in zip(pending, answer, strict=True):
                        if res["status"] == "unchanged":
                            results[i] = res
                            self.report.reconciled += 1
                        else:
                            still.append(i)
                    pending = still
                    reconcile = False
                    if pending:
                        self.log(f"{len(pending)} rows of the batch had not landed: sending them")
                if pending:
                    answer = self._ingest([payload[i] for i in pending], dry_run=self.dry_run)
                    for i, res in zip(pending, answer, strict=True):
                        results[i] = res
                return [r for r in results if r is not None]
            except TransientError as exc:
                attempt += 1
                if attempt >= self.max_tries:
                    raise GaveUpError(
                        f"gave up after {attempt} tries: {exc.message} (safe to re-run: "
                        "the next run resumes after the last committed batch)"
                    ) from exc
                if exc.maybe_sent and not self.dry_run:
                    reconcile = True
                self.report.retries += 1
                delay = self.backoff.delay(attempt)
                self.log(
                    f"transient fault ({exc.message}); retry {attempt}/{self.max_tries - 1} "
                    f"in {delay:.1f} s" + (" after checking what landed" if reconcile else "")
                )
                self.sleep(delay)

    def _ingest(self, rows: list[dict[str, Any]], *, dry_run: bool) -> list[dict[str, Any]]:
        answer = self.client.ingest_batch(rows, source=self.source, dry_run=dry_run)
        results = answer.get("results") if isinstance(answer, dict) else None
        if not isinstance(results, list) or len(results) != len(rows):
            raise GaveUpError(
                "unexpected answer from ingest_batch (is the addon relationship_marketing "
                f"up to date?): expected {len(rows)} results, got "
                f"{len(results) if isinstance(results, list) else type(answer).__name__}"
            )
        ordered: list[dict[str, Any] | None] = [None] * len(rows)
        for position, res in enumerate(results):
            if not isinstance(res, dict) or res.get("status") not in STATUSES:
                raise GaveUpError(f"unexpected result from ingest_batch: {res!r:.200}")
            index = res.get("index", position)
            if not isinstance(index, int) or not 0 <= index < len(rows) or ordered[index]:
                index = position
            ordered[index] = res
        return [r if r is not None else results[i] for i, r in enumerate(ordered)]
