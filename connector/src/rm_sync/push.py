"""The push: connect, then stream each input through the :class:`~rm_sync.sync.Pusher`,
record the run in the state store and return its report."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import timezone, tzinfo
from pathlib import Path
from typing import Any

import click

from rm_sync.config import Settings
from rm_sync.contract import RowContract
from rm_sync.errors import (
    EXIT_OK,
    EXIT_REJECTED,
    EXIT_TRANSIENT,
    AuthError,
    ConfigError,
    GaveUpError,
    Interrupted,
    RmSyncError,
)
from rm_sync.kinds import KindClient, get_kind, kind_target
from rm_sync.mapping import ColumnMapper
from rm_sync.readers import InputSource, open_input
from rm_sync.report import RejectsWriter, Report
from rm_sync.server import connect
from rm_sync.state import SourceLock, StateStore
from rm_sync.sync import DEFAULT_BATCH_SIZE, Backoff, Pusher, retry_transient
from rm_sync.validation import Options

# How an error ends a run, as `rm-sync status` shows it.
ERROR_STATUS = {AuthError: "denied", GaveUpError: "gave_up", Interrupted: "interrupted"}


class Console:
    """Where messages go: reports on stdout, everything else on stderr."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet

    def info(self, message: str) -> None:
        if not self.quiet:
            click.echo(message, err=True)


class Progress:
    """A click progress bar per input, on stderr, only on a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self._bars: dict[str, Any] = {}
        self._done: dict[str, int] = {}
        self._stack = ExitStack()

    def __call__(self, inp: InputSource) -> None:
        if not self.enabled:
            return
        bar = self._bars.get(inp.name)
        if bar is None:
            bar = self._stack.enter_context(
                click.progressbar(
                    length=max(inp.size, 1),
                    label=Path(inp.name).name[:30],
                    file=sys.stderr,
                    show_eta=True,
                    show_percent=True,
                )
            )
            self._bars[inp.name] = bar
            self._done[inp.name] = 0
        position = min(inp.position(), inp.size)
        bar.update(position - self._done[inp.name])
        self._done[inp.name] = position

    def close(self) -> None:
        self._stack.close()


@dataclass
class InputOptions:
    """How to read the inputs (None: detect)."""

    input_format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None


def parse_timezone(name: str | None) -> tzinfo:
    if not name or name.upper() == "UTC":
        return timezone.utc
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"unknown time zone {name!r} (e.g. Europe/Berlin)") from None


def parse_delimiter(text: str | None) -> str | None:
    if text is None:
        return None
    delimiter = {"\\t": "\t", "tab": "\t", "TAB": "\t"}.get(text, text)
    if len(delimiter) != 1:
        raise ConfigError(f"--delimiter must be one character, not {text!r}")
    return delimiter


@contextmanager
def signals_as_interrupts() -> Iterator[None]:
    def handler(signum: int, frame: Any) -> None:
        raise Interrupted(
            f"interrupted by signal {signal.Signals(signum).name}; "
            "safe to re-run: the next run resumes"
        )

    in_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, handler) if in_main_thread else None
    try:
        yield
    except KeyboardInterrupt:
        raise Interrupted("interrupted; safe to re-run: the next run resumes") from None
    finally:
        if in_main_thread:
            signal.signal(signal.SIGTERM, previous)


def run_push(
    *,
    settings: Settings,
    files: list[str],
    source: str,
    state_path: Path,
    mapping: dict[str, str] | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    dry_run: bool = False,
    rejects_path: str | None = None,
    options: Options | None = None,
    inputs: InputOptions | None = None,
    console: Console | None = None,
    progress: Callable[[InputSource], None] | None = None,
    client: Any = None,
    contract: RowContract | None = None,
    sleep: Callable[[float], None] = time.sleep,
    backoff: Backoff | None = None,
    kind: str | None = None,
) -> Report:
    """The push command without Click. Returns the report; raises RmSyncError on failure
    (the report of the work done so far is then attached as ``exc.report``).

    Without ``client``, connects with ``settings`` and takes the row contract from the
    server; a given ``client`` comes with its ``contract``. ``kind`` (orders, customers,
    scores) says what the rows are: each kind lands through its own server method."""
    started = time.monotonic()
    console = console or Console(quiet=True)
    inputs = inputs or InputOptions()
    source = _check_push_arguments(source, files, rejects_path)
    row_kind = get_kind(kind)
    mapper = ColumnMapper(mapping, row_kind.columns)
    state_source = row_kind.state_source(source)
    own_client = client is None
    if client is None:
        connection = retry_transient(
            lambda: connect(settings, warn=console.info),
            max_tries=settings.max_tries,
            backoff=backoff,
            sleep=sleep,
            log=console.info,
        )
        client, contract = connection.client, connection.contract
        try:
            target = kind_target(connection.info, row_kind)
        except BaseException:
            client.close()
            raise
        if target is not None:
            client, contract = KindClient(client, target), target.contract
    if contract is None:
        raise ValueError("a client given to run_push comes with its row contract")
    with ExitStack() as stack:
        if own_client:
            stack.callback(client.close)
        if len(source) > contract.max_source_length:
            raise ConfigError(
                f"--source must be a name of 1 to {contract.max_source_length} characters"
            )
        if batch_size > contract.max_batch_size:
            console.info(
                f"batch size lowered to the server's limit of {contract.max_batch_size} rows"
            )
            batch_size = contract.max_batch_size
        store = stack.enter_context(StateStore(state_path))
        if not dry_run:
            stack.enter_context(SourceLock(state_path, state_source))
        rejects = RejectsWriter(rejects_path, row_kind.columns) if rejects_path else None
        if rejects is not None:
            stack.callback(rejects.close)
        run_id = store.start_run(state_source, files, dry_run=dry_run)
        if not dry_run:
            stale = store.mark_stale_runs(state_source, run_id)
            if stale:
                console.info(f"{stale} earlier run(s) for source {source!r} had been killed")
        pusher = Pusher(
            client,
            source=source,
            contract=contract,
            batch_size=batch_size,
            dry_run=dry_run,
            max_tries=settings.max_tries,
            store=store,
            run_id=run_id,
            mapper=mapper,
            options=options or Options(),
            rejects=rejects,
            sleep=sleep,
            backoff=backoff,
            log=console.info,
            progress=progress,
            started=started,
            kind=row_kind.name,
            id_column=row_kind.id_column,
            store_source=state_source,
        )
        _push_files(pusher, store, run_id, files, state_path, inputs)
        return pusher.report


def _push_files(
    pusher: Pusher,
    store: StateStore,
    run_id: int,
    files: list[str],
    state_path: Path,
    inputs: InputOptions,
) -> None:
    """Push every input, then record how the run ended (also when it failed)."""
    report = pusher.report
    try:
        with signals_as_interrupts():
            for name in files:
                with open_input(
                    name,
                    spool_dir=state_path / "spool",
                    encoding=inputs.encoding,
                    fmt=inputs.input_format,
                    delimiter=inputs.delimiter,
                ) as inp:
                    pusher.push(inp)
    except RmSyncError as exc:
        report.status = ERROR_STATUS.get(type(exc), "failed")
        report.exit_code = exc.exit_code
        report.message = exc.message
        store.finish_run(
            run_id,
            status=report.status,
            exit_code=exc.exit_code,
            report=report.to_dict(),
            message=exc.message,
        )
        exc.report = report  # type: ignore[attr-defined]
        raise
    except BaseException as exc:
        store.finish_run(
            run_id,
            status="failed",
            exit_code=EXIT_TRANSIENT,
            report=report.to_dict(),
            message=repr(exc),
        )
        raise
    rejected = report.total("rejected")
    report.exit_code = EXIT_REJECTED if rejected else EXIT_OK
    report.status = "dry_run" if report.dry_run else ("rejected" if rejected else "ok")
    report.message = f"{rejected} rows rejected" if rejected else "all rows landed"
    store.finish_run(
        run_id, status=report.status, exit_code=report.exit_code, report=report.to_dict()
    )


def _check_push_arguments(source: str, files: list[str], rejects_path: str | None) -> str:
    """Fail early on bad arguments; returns the source name, stripped."""
    if not source.strip():
        raise ConfigError("--source must be a name of at least 1 character")
    if files.count("-") > 1:
        raise ConfigError("standard input ('-') can be given only once")
    for name in files:
        if name != "-" and not Path(name).is_file():
            raise ConfigError(f"input file not found: {name}")
        if rejects_path and name != "-" and _same_file(name, rejects_path):
            raise ConfigError(
                f"--rejects {rejects_path} is also an input: write the rejects elsewhere "
                "(it is rewritten from the start)"
            )
    return source.strip()


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
