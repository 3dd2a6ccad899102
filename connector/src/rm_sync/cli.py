"""The ``rm-sync`` command line: a thin Click layer over plain functions."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import timezone, tzinfo
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import click

from rm_sync import __version__
from rm_sync.config import Settings, load_settings, redact_url, state_dir
from rm_sync.errors import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_REJECTED,
    EXIT_TRANSIENT,
    AuthError,
    ConfigError,
    GaveUpError,
    Interrupted,
    RmSyncError,
)
from rm_sync.mapping import ColumnMapper, load_mapping
from rm_sync.readers import InputSource, open_input
from rm_sync.report import RejectsWriter, Report
from rm_sync.rpc import ADDON, OdooClient
from rm_sync.state import SourceLock, StateStore
from rm_sync.sync import DEFAULT_BATCH_SIZE, MAX_BATCH_SIZE, Backoff, Pusher, retry_transient
from rm_sync.validation import Options

EXIT_CODES_HELP = """\b
Exit codes:
  0  every row landed (with --dry-run: would land)
  1  the run completed but some rows were rejected (see --rejects)
  2  usage or configuration error, or another run for the same source holds the lock
  3  authentication failed or access denied
  4  gave up on a transient fault, a server error or an internal error (safe to re-run)
  130  interrupted (SIGINT/SIGTERM); safe to re-run
"""

SETTINGS_HELP = """\b
Settings (options > environment > profile):
  ODOO_URL, ODOO_DB, ODOO_USER, ODOO_PASSWORD (password or API key);
  config file --config / $RM_SYNC_CONFIG / ~/.config/rm-sync/config.toml,
  profile --profile / $RM_SYNC_PROFILE / 'default'.
State: --state-dir / $RM_SYNC_STATE_DIR / $XDG_STATE_HOME/rm-sync / ~/.local/state/rm-sync.
"""

F = TypeVar("F", bound=Callable[..., Any])
MAX_SOURCE_LENGTH = 64


class Console:
    """Where messages go: reports on stdout, everything else on stderr."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet

    def info(self, message: str) -> None:
        if not self.quiet:
            click.echo(message, err=True)

    def error(self, message: str) -> None:
        click.echo(f"rm-sync: error: {message}", err=True)


def connection_options(func: F) -> F:
    options = [
        click.option(
            "--config",
            "config_path",
            type=click.Path(dir_okay=False),
            help="Config file with profiles (TOML or INI).",
        ),
        click.option("--profile", help="Profile of the config file (default: 'default')."),
        click.option("--url", help="Odoo URL, e.g. https://odoo.example.com [$ODOO_URL]."),
        click.option("--db", help="Odoo database [$ODOO_DB]."),
        click.option("--user", help="Odoo login [$ODOO_USER]."),
        click.option(
            "--password",
            help="Password or API key [$ODOO_PASSWORD]; prefer the environment or a profile "
            "(options are visible in the process list).",
        ),
        click.option(
            "--insecure",
            is_flag=True,
            default=None,
            help="Do not verify the server's TLS certificate.",
        ),
        click.option(
            "--ca-bundle",
            type=click.Path(dir_okay=False),
            help="CA bundle to verify the server's TLS certificate.",
        ),
        click.option(
            "--timeout",
            type=click.FloatRange(min=0.1),
            help="Seconds to wait for an answer (default 300).",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def settings_from(kwargs: dict[str, Any], console: Console) -> Settings:
    options = {
        "url": kwargs.pop("url", None),
        "db": kwargs.pop("db", None),
        "user": kwargs.pop("user", None),
        "password": kwargs.pop("password", None),
        "insecure": kwargs.pop("insecure", None),
        "ca_bundle": kwargs.pop("ca_bundle", None),
        "timeout": kwargs.pop("timeout", None),
        "max_tries": kwargs.pop("max_tries", None),
    }
    return load_settings(
        options,
        os.environ,
        config_path=kwargs.pop("config_path", None),
        profile=kwargs.pop("profile", None),
        warn=lambda msg: click.echo(msg, err=True),
    )


def run_guarded(console: Console, func: Callable[[], int]) -> None:
    """Run a command body; map RmSyncError to its exit code with a clear message."""
    try:
        code = func()
    except RmSyncError as exc:
        console.error(exc.message)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        console.error("interrupted; safe to re-run")
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:  # a bug: say so, keep the traceback, and exit 4 (not 1)
        traceback.print_exc()
        console.error(f"unexpected error (a bug in rm-sync?): {exc!r}; committed progress is kept")
        sys.exit(EXIT_TRANSIENT)
    sys.exit(code)


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EXIT_CODES_HELP + "\n" + SETTINGS_HELP,
)
@click.version_option(__version__, prog_name="rm-sync")
def cli() -> None:
    """Stream sales exports (CSV, JSON, JSON Lines) into Odoo's relationship marketing addon.

    Matching customers, upserting purchases and moving stages happen in Odoo;
    rm-sync reads, checks the format, batches, retries and keeps track of progress.
    """


# -- check --------------------------------------------------------------------------------------


def connect(
    settings: Settings,
    report: Callable[[str, str, bool], None] | None = None,
    warn: Callable[[str], None] | None = None,
) -> tuple[OdooClient, dict[str, Any]]:
    """Connect, check the server version, authenticate and read ingest_info.

    ``report(label, text, ok)`` is called for each check passed. Raises the
    RmSyncError explaining the first problem.
    """
    settings.require_connection()
    say = report or (lambda label, text, ok: None)
    parts = urlsplit(settings.url or "")
    if parts.scheme == "http" and parts.hostname not in ("localhost", "127.0.0.1", "::1"):
        (warn or (lambda msg: None))(
            f"warning: {redact_url(settings.url or '')} is plain HTTP: the password or API key "
            "travels unencrypted; use https://"
        )
    if settings.insecure:
        import urllib3

        urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    client = OdooClient(settings)
    try:
        info = _verify(client, settings, say)
    except BaseException:
        client.close()
        raise
    return client, info


def _verify(
    client: OdooClient, settings: Settings, say: Callable[[str, str, bool], None]
) -> dict[str, Any]:
    version = client.version()
    serie = str(version.get("server_serie") or version.get("server_version") or "?")
    info_list = version.get("server_version_info") or []
    major = info_list[0] if info_list else None
    if not (major == 18 or serie.startswith("18.") or serie.startswith("saas~18")):
        raise ConfigError(
            f"{redact_url(settings.url or '')} runs Odoo {serie}: rm-sync needs Odoo 18.0"
        )
    say("server", f"{redact_url(settings.url or '')} runs Odoo {serie}", True)
    uid = client.authenticate()
    say("login", f"{settings.user} on database {settings.db} (uid {uid})", True)
    info = client.ingest_info()
    if not isinstance(info, dict):
        raise ConfigError(f"unexpected answer from ingest_info: {info!r:.200}")
    say("addon", f"{ADDON} {info.get('addon_version', '?')} installed", True)
    if not info.get("can_ingest"):
        reason = info.get("reason") or "the user lacks the group 'Relationship: User'"
        raise AuthError(f"user {settings.user!r} may not push sales: {reason}")
    say(
        "access",
        f"{info.get('user') or settings.user} may push sales into company "
        f"{info.get('company') or '?'} (batches up to {info.get('max_batch_size', '?')} rows)",
        True,
    )
    return info


@cli.command(epilog=EXIT_CODES_HELP)
@connection_options
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing when all is well.")
def check(as_json: bool, quiet: bool, **kwargs: Any) -> None:
    """Check the connection: server version, login, addon installed, access rights."""
    console = Console(quiet)

    def body() -> int:
        checks: list[dict[str, Any]] = []

        def say(label: str, text: str, ok: bool) -> None:
            checks.append({"check": label, "ok": ok, "detail": text})
            if not as_json and not quiet:
                click.echo(f"  ok    {label:<8} {text}")

        try:
            settings = settings_from(kwargs, console)
            client, _info = connect(settings, say, console.info)
            client.close()
        except RmSyncError as exc:
            if as_json:
                click.echo(
                    json.dumps(
                        {
                            "ok": False,
                            "exit_code": exc.exit_code,
                            "error": exc.message,
                            "checks": checks,
                        },
                        indent=2,
                    )
                )
            else:
                click.echo(f"  FAIL  {exc.message}", err=True)
            sys.exit(exc.exit_code)
        if as_json:
            click.echo(json.dumps({"ok": True, "exit_code": 0, "checks": checks}, indent=2))
        elif not quiet:
            click.echo("All checks passed.")
        return EXIT_OK

    run_guarded(console, body)


# -- push ---------------------------------------------------------------------------------------


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


def parse_timezone(name: str | None) -> tzinfo:
    if not name or name.upper() == "UTC":
        return timezone.utc
    try:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
    except ImportError:  # pragma: no cover
        raise ConfigError("--timezone needs the zoneinfo module") from None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"unknown time zone {name!r} (e.g. Europe/Berlin)") from None


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
    input_format: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    console: Console | None = None,
    progress: Callable[[InputSource], None] | None = None,
    client: Any = None,
    sleep: Callable[[float], None] = time.sleep,
    backoff: Backoff | None = None,
) -> Report:
    """The push command without Click. Returns the report; raises RmSyncError on failure
    (the report of the work done so far is then attached as ``exc.report``)."""
    started = time.monotonic()
    console = console or Console(quiet=True)
    source = _check_push_arguments(source, files, rejects_path)
    mapper = ColumnMapper(mapping)
    own_client = client is None
    if client is None:
        client, info = retry_transient(
            lambda: connect(settings, warn=console.info),
            max_tries=settings.max_tries,
            backoff=backoff,
            sleep=sleep,
            log=console.info,
        )
        server_max = info.get("max_batch_size")
        if isinstance(server_max, int) and 0 < server_max < batch_size:
            console.info(f"batch size lowered to the server's limit of {server_max} rows")
            batch_size = server_max

    with ExitStack() as stack:
        if own_client:
            stack.callback(client.close)
        store = stack.enter_context(StateStore(state_path))
        if not dry_run:
            stack.enter_context(SourceLock(state_path, source))
        rejects = RejectsWriter(rejects_path) if rejects_path else None
        if rejects is not None:
            stack.callback(rejects.close)
        run_id = store.start_run(source, files, dry_run=dry_run)
        if not dry_run:
            stale = store.mark_stale_runs(source, run_id)
            if stale:
                console.info(f"{stale} earlier run(s) for source {source!r} had been killed")
        pusher = Pusher(
            client,
            source=source,
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
        )
        report = pusher.report
        try:
            with signals_as_interrupts():
                for name in files:
                    with open_input(
                        name,
                        spool_dir=state_path / "spool",
                        encoding=encoding,
                        fmt=input_format,
                        delimiter=delimiter,
                    ) as inp:
                        pusher.push(inp)
        except RmSyncError as exc:
            report.status = {
                AuthError: "denied",
                GaveUpError: "gave_up",
                Interrupted: "interrupted",
            }.get(type(exc), "failed")
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
        report.status = "rejected" if rejected else "ok"
        if dry_run:
            report.status = "dry_run"
        report.message = f"{rejected} rows rejected" if rejected else "all rows landed"
        store.finish_run(
            run_id, status=report.status, exit_code=report.exit_code, report=report.to_dict()
        )
        return report


@cli.command(epilog=EXIT_CODES_HELP)
@click.argument("files", nargs=-1, required=True)
@click.option("--source", required=True, help="Name of the source system (e.g. shop, pos).")
@click.option(
    "--map",
    "map_path",
    type=click.Path(dir_okay=False),
    help="Column mapping file (JSON, TOML or INI): input column -> standard column.",
)
@click.option(
    "--batch-size",
    type=click.IntRange(1, MAX_BATCH_SIZE),
    default=DEFAULT_BATCH_SIZE,
    show_default=True,
    help=f"Rows per server call (at most {MAX_BATCH_SIZE}).",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Write nothing: ask the server what would happen and print the plan.",
)
@click.option(
    "--rejects",
    "rejects_path",
    type=click.Path(dir_okay=False),
    help="Write rejected rows (standard columns + line, field, reason, file) to this CSV.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar, no messages, no report.")
@click.option(
    "--format",
    "input_format",
    type=click.Choice(["auto", "csv", "json", "jsonl"]),
    default="auto",
    show_default=True,
    help="Input format (auto: '[' = JSON array, '{' = JSON Lines, else CSV).",
)
@click.option("--encoding", help="Input encoding (default: detect utf-8, utf-8-sig or cp1252).")
@click.option("--delimiter", help="CSV delimiter (default: sniffed among , ; tab |).")
@click.option(
    "--date-format",
    help="strptime format of dates that are not ISO 8601 or DD.MM.YYYY, e.g. %m/%d/%Y.",
)
@click.option(
    "--timezone",
    "tz_name",
    default="UTC",
    show_default=True,
    help="Time zone of date-times without an offset (they are sent in UTC).",
)
@click.option(
    "--max-tries",
    type=click.IntRange(1, 100),
    help="Tries per batch on transient faults (default 8).",
)
@click.option(
    "--state-dir",
    type=click.Path(file_okay=False),
    help="State directory (runs, progress, locks).",
)
@connection_options
def push(
    files: tuple[str, ...],
    source: str,
    map_path: str | None,
    batch_size: int,
    dry_run: bool,
    rejects_path: str | None,
    as_json: bool,
    quiet: bool,
    input_format: str,
    encoding: str | None,
    delimiter: str | None,
    date_format: str | None,
    tz_name: str,
    state_dir: str | None,
    **kwargs: Any,
) -> None:
    """Push sales exports FILE... ('-' = standard input) into Odoo.

    \b
    Standard columns: order_id, order_date, customer_id, email, name, amount,
    currency, margin, channel, phone, vat, birthday, referred_by.
    A row needs order_id, order_date, amount and customer_id, email or vat.

    Pushing a file again is safe: rows that already landed are answered
    'unchanged'. A run that was stopped (even kill -9) resumes after the last
    batch the server answered when the same file is pushed again.
    """
    console = Console(quiet)
    if delimiter is not None:
        delimiter = {"\\t": "\t", "tab": "\t", "TAB": "\t"}.get(delimiter, delimiter)
        if len(delimiter) != 1:
            raise click.BadParameter("must be one character", param_hint="--delimiter")

    def body() -> int:
        settings = settings_from(kwargs, console)
        mapping = load_mapping(map_path)
        options = Options(date_format=date_format, timezone=parse_timezone(tz_name))
        progress = Progress(enabled=not quiet and sys.stderr.isatty())
        try:
            report = run_push(
                settings=settings,
                files=list(files),
                source=source,
                state_path=_state_dir(state_dir),
                mapping=mapping,
                batch_size=batch_size,
                dry_run=dry_run,
                rejects_path=rejects_path,
                options=options,
                input_format=None if input_format == "auto" else input_format,
                encoding=encoding,
                delimiter=delimiter,
                console=console,
                progress=progress,
            )
        except RmSyncError as exc:
            progress.close()
            partial = getattr(exc, "report", None)
            if partial is not None:
                if as_json:
                    click.echo(partial.to_json())
                elif not quiet:
                    click.echo(partial.to_text())
            raise
        progress.close()
        if as_json:
            click.echo(report.to_json())
        elif not quiet:
            click.echo(report.to_text())
        return report.exit_code

    run_guarded(console, body)


def _check_push_arguments(source: str, files: list[str], rejects_path: str | None) -> str:
    """Fail early on bad arguments; returns the source name, stripped."""
    if not source.strip() or len(source.strip()) > MAX_SOURCE_LENGTH:
        raise ConfigError(f"--source must be a name of 1 to {MAX_SOURCE_LENGTH} characters")
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


def _state_dir(option: str | None) -> Path:
    return state_dir(os.environ, option)


# -- status -------------------------------------------------------------------------------------


def _pid_alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def collect_status(store: StateStore, source: str | None, limit: int) -> dict[str, Any]:
    runs = store.runs(source, limit)
    for run in runs:
        if run["status"] == "running" and not _pid_alive(run["pid"]):
            run["status"] = "killed"
    unfinished = [
        {
            "source": f.source,
            "file": f.name,
            "sha256": f.file_id,
            "committed_rows": f.committed_rows,
            "started_at": f.started_at,
            "updated_at": f.updated_at,
        }
        for f in store.files(source, status="in_progress")
    ]
    return {"state_dir": str(store.directory), "runs": runs, "unfinished": unfinished}


def format_status(data: dict[str, Any]) -> str:
    lines = []
    if not data["runs"]:
        lines.append(f"No runs recorded in {data['state_dir']}.")
    else:
        lines.append(
            f"{'run':>5}  {'started (UTC)':<20} {'source':<12} {'status':<11} {'exit':>4} "
            f"{'read':>9} {'created':>8} {'updated':>8} {'unchanged':>9} {'rejected':>8}  inputs"
        )
        for run in data["runs"]:
            rep = run["report"] or {}
            status = run["status"] + (" (dry)" if run["dry_run"] else "")
            exit_code = "" if run["exit_code"] is None else str(run["exit_code"])
            inputs = ", ".join(Path(i).name if i != "-" else "<stdin>" for i in run["inputs"])
            lines.append(
                f"{run['id']:>5}  {run['started_at'].replace('T', ' ').rstrip('Z'):<20} "
                f"{run['source'][:12]:<12} {status:<11} {exit_code:>4} "
                f"{rep.get('rows_read', 0):>9,} {rep.get('created', 0):>8,} "
                f"{rep.get('updated', 0):>8,} {rep.get('unchanged', 0):>9,} "
                f"{rep.get('rejected', 0):>8,}  {inputs}"
            )
            if run["message"] and run["status"] not in ("ok", "rejected", "dry_run"):
                lines.append(f"{'':>7}{run['message']}")
    if data["unfinished"]:
        lines.append("")
        lines.append("Unfinished files (the next push of the same file resumes them):")
        for f in data["unfinished"]:
            lines.append(
                f"  {f['source']}: {f['file']} - {f['committed_rows']:,} rows committed, "
                f"last progress {f['updated_at']}"
            )
    return "\n".join(lines)


@cli.command(epilog=EXIT_CODES_HELP)
@click.option("--source", help="Only this source.")
@click.option("--limit", type=click.IntRange(1), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "--state-dir",
    type=click.Path(file_okay=False),
    help="State directory (runs, progress, locks).",
)
def status(source: str | None, limit: int, as_json: bool, state_dir: str | None) -> None:
    """Show recent runs (when, which source, outcome) and unfinished files."""
    console = Console()

    def body() -> int:
        with StateStore(_state_dir(state_dir)) as store:
            data = collect_status(store, source, limit)
        if as_json:
            click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        else:
            click.echo(format_status(data))
        return EXIT_OK

    run_guarded(console, body)


def main() -> None:
    cli(prog_name="rm-sync")
