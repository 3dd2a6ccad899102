"""The ``rm-sync`` command line: the commands and their options, nothing else.

Settings follow Click's precedence: option, environment (``envvar=``), the config file's
profile (the command's ``default_map``), default. Every command ends in
:func:`rm_sync.cli_support.exit_codes`.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

import click

from rm_sync import __version__
from rm_sync.cli_support import connection_options, exit_codes
from rm_sync.config import SETTINGS_HELP, resolve_state_dir, settings_from
from rm_sync.errors import EXIT_CODES_HELP, EXIT_OK, ConfigError, RmSyncError
from rm_sync.kinds import DEFAULT_KIND, KINDS, get_kind
from rm_sync.mapping import load_mapping
from rm_sync.push import Console, InputOptions, Progress, parse_delimiter, parse_timezone, run_push
from rm_sync.server import run_checks
from rm_sync.state import StateStore
from rm_sync.status import collect_status, format_status
from rm_sync.sync import DEFAULT_BATCH_SIZE
from rm_sync.validation import Options

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
EPILOG = EXIT_CODES_HELP + "\n" + SETTINGS_HELP
SHOW = {"show_default": True}  # not for the settings: a profile's password would show in --help
FORMATS = ["auto", "csv", "json", "jsonl"]
MAP_HELP = "Column mapping file (TOML, or JSON): input column -> standard column."
KIND_HELP = (
    "What the rows are: orders, customers (contacts without orders: prospects) or "
    "scores (satisfaction scores). Each kind has its own standard columns."
)
kind_option = click.option(
    "--kind", type=click.Choice(list(KINDS)), default=DEFAULT_KIND, help=KIND_HELP, **SHOW
)
REJECTS_HELP = "Write rejected rows (standard columns + line, field, reason, file) to this CSV."


@click.group(context_settings=CONTEXT, epilog=EPILOG)
@click.version_option(__version__, prog_name="rm-sync")
def cli() -> None:
    """Stream sales exports (CSV, JSON, JSON Lines) into Odoo's relationship marketing addon.

    Matching customers, upserting purchases and moving stages happen in Odoo;
    rm-sync reads, checks the format, batches, retries and keeps track of progress.
    """


@cli.command(epilog=EPILOG)
@click.argument("files", nargs=-1)
@click.option("--source", help="With FILE: the source the file would be pushed for.")
@kind_option
@click.option("--map", "map_path", type=click.Path(dir_okay=False), help=MAP_HELP)
@click.option("--rejects", "rejects_path", type=click.Path(dir_okay=False), help=REJECTS_HELP)
@click.option("--date-format", help="strptime format of other dates than ISO or DD.MM.YYYY.")
@click.option("--timezone", "tz_name", default="UTC", help="Zone of naive date-times.", **SHOW)
@connection_options
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing when all is well.")
@exit_codes
def check(
    files: tuple[str, ...],
    source: str | None,
    kind: str,
    map_path: str | None,
    rejects_path: str | None,
    date_format: str | None,
    tz_name: str,
    as_json: bool,
    quiet: bool,
    **kwargs: Any,
) -> int:
    """Check the connection: server version, login, addon, access rights, row contract.

    With FILE...: then read the files and ask Odoo what a push would do (its
    dry run: nothing is written, no progress is recorded), and report what
    would be rejected and why. Exit 1 when rows would be rejected.
    """
    if files:
        if not source:
            raise ConfigError("check FILE needs --source (the source it would be pushed for)")
        report = run_push(
            settings=settings_from(kwargs),
            files=list(files),
            source=source,
            state_path=resolve_state_dir(os.environ, None),
            mapping=load_mapping(map_path, get_kind(kind).columns),
            dry_run=True,
            kind=kind,
            rejects_path=rejects_path,
            options=Options(date_format=date_format, timezone=parse_timezone(tz_name)),
            console=Console(quiet),
        )
        if as_json or not quiet:
            click.echo(report.to_json() if as_json else report.to_text())
        return report.exit_code
    checks: list[dict[str, Any]] = []

    def say(label: str, text: str, ok: bool) -> None:
        checks.append({"check": label, "ok": ok, "detail": text})
        if not as_json and not quiet:
            click.echo(f"  ok    {label:<8} {text}")

    settings = settings_from(kwargs)
    result = run_checks(settings, say, Console(quiet).info, kind)
    if as_json:
        data = {**result, "checks": checks, "settings": settings.describe()}
        click.echo(json.dumps(data, indent=2))
    elif not result["ok"]:
        click.echo(f"  FAIL  {result['error']}", err=True)
    elif not quiet:
        click.echo("All checks passed.")
    return int(result["exit_code"])


@cli.command(epilog=EPILOG)
@click.argument("files", nargs=-1, required=True)
@click.option("--source", required=True, help="Name of the source system (e.g. shop, pos).")
@kind_option
@click.option("--map", "map_path", type=click.Path(dir_okay=False), help=MAP_HELP)
@click.option(
    "--batch-size",
    type=click.IntRange(min=1),
    default=DEFAULT_BATCH_SIZE,
    help="Rows per server call; lowered to the server's cap (its row contract).",
    **SHOW,
)
@click.option("--dry-run", is_flag=True, help="Write nothing: print what the server would do.")
@click.option("--rejects", "rejects_path", type=click.Path(dir_okay=False), help=REJECTS_HELP)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar, no messages, no report.")
@click.option("--format", "input_format", type=click.Choice(FORMATS), default="auto", **SHOW)
@click.option("--encoding", help="Input encoding (default: detect utf-8, utf-8-sig or cp1252).")
@click.option("--delimiter", help="CSV delimiter (default: sniffed among , ; tab |).")
@click.option("--date-format", help="strptime format of other dates than ISO or DD.MM.YYYY.")
@click.option("--timezone", "tz_name", default="UTC", help="Zone of naive date-times.", **SHOW)
@click.option("--max-tries", type=click.IntRange(1, 100), help="Tries per batch (default 8).")
@click.option("--state-dir", type=click.Path(file_okay=False), help="Runs, progress, locks.")
@connection_options
@exit_codes
def push(
    files: tuple[str, ...],
    kind: str,
    map_path: str | None,
    as_json: bool,
    quiet: bool,
    input_format: str,
    encoding: str | None,
    delimiter: str | None,
    date_format: str | None,
    tz_name: str,
    state_dir: str | None,
    **kwargs: Any,
) -> int:
    """Push sales exports FILE... ('-' = standard input) into Odoo.

    \b
    Standard columns (--kind orders): order_id, order_date, customer_id, email,
    name, amount, currency, margin, channel, phone, vat, birthday, referred_by,
    salesperson, partner_ref, refunded, status.
    --kind customers: customer_id, name, email, phone, vat, birthday,
    partner_ref, tags (comma-separated), referred_by, salesperson.
    --kind scores: score_id, customer_id, email, vat, partner_ref, date, score,
    scale (nps 0-10, csat 1-5), comment.
    The last row of an order (customer, score) in a file wins. Which columns
    are required, and their limits, is the server's row contract (see
    `rm-sync check --kind ...`).

    Pushing a file again is safe: rows that already landed are answered
    'unchanged'. A run that was stopped (even kill -9) resumes after the last
    batch the server answered when the same file is pushed again.
    """
    settings = settings_from(kwargs)
    fmt = None if input_format == "auto" else input_format
    progress = Progress(enabled=not quiet and sys.stderr.isatty())
    report = None
    try:
        report = run_push(
            settings=settings,
            files=list(files),
            state_path=resolve_state_dir(os.environ, state_dir),
            mapping=load_mapping(map_path, get_kind(kind).columns),
            options=Options(date_format=date_format, timezone=parse_timezone(tz_name)),
            kind=kind,
            inputs=InputOptions(fmt, encoding, parse_delimiter(delimiter)),
            console=Console(quiet),
            progress=progress,
            **kwargs,
        )
    except RmSyncError as exc:
        report = getattr(exc, "report", None)  # the work done so far, printed as well
        raise
    finally:
        progress.close()
        if report is not None and (as_json or not quiet):
            click.echo(report.to_json() if as_json else report.to_text())
    return report.exit_code


@cli.command(epilog=EPILOG)
@click.option("--source", help="Only this source.")
@click.option("--limit", type=click.IntRange(1), default=20, **SHOW)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--state-dir", type=click.Path(file_okay=False), help="Runs, progress, locks.")
@exit_codes
def status(source: str | None, limit: int, as_json: bool, state_dir: str | None) -> int:
    """Show recent runs (when, which source, outcome) and unfinished files."""
    with StateStore(resolve_state_dir(os.environ, state_dir)) as store:
        data = collect_status(store, source, limit)
    click.echo(json.dumps(data, indent=2, ensure_ascii=False) if as_json else format_status(data))
    return EXIT_OK


def main() -> None:
    cli(prog_name="rm-sync")
