"""The end-of-run report: counts, timings, outcome; as text or JSON."""

from __future__ import annotations

import csv
import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from rm_sync.errors import ConfigError
from rm_sync.mapping import STANDARD_COLUMNS
from rm_sync.reasons import Reasons

REJECTS_COLUMNS = (*STANDARD_COLUMNS, "line", "field", "reason", "file")
# What one id of each kind names, for the report.
KIND_NOUNS = {"orders": "order", "customers": "customer", "scores": "score"}


@dataclass
class FileReport:
    name: str
    file_id: str
    format: str
    encoding: str
    delimiter: str | None
    size: int
    rows_read: int = 0
    resumed_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    superseded: int = 0
    rejected: int = 0
    rejected_client: int = 0
    rejected_server: int = 0
    status: str = "running"  # running | done | failed
    note: str = ""


@dataclass
class Report:
    source: str
    dry_run: bool
    kind: str = "orders"  # what the rows are: orders, customers or scores
    files: list[FileReport] = field(default_factory=list)
    batches: int = 0
    retries: int = 0
    reconciled: int = 0
    elapsed: float = 0.0
    exit_code: int = 0
    status: str = "running"
    message: str = ""
    ignored_columns: list[str] = field(default_factory=list)
    rejects_path: str | None = None
    run_id: int | None = None
    reasons: Reasons = field(default_factory=Reasons)

    def total(self, key: str) -> int:
        return sum(getattr(f, key) for f in self.files)

    @property
    def rows_processed(self) -> int:
        """Rows handled by this run (excludes rows resumed from an earlier run)."""
        return self.total("rows_read") - self.total("resumed_rows")

    @property
    def rows_per_second(self) -> float:
        return self.rows_processed / self.elapsed if self.elapsed > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "kind": self.kind,
            "dry_run": self.dry_run,
            "status": self.status,
            "exit_code": self.exit_code,
            "message": self.message,
            "rows_read": self.total("rows_read"),
            "resumed_rows": self.total("resumed_rows"),
            "created": self.total("created"),
            "updated": self.total("updated"),
            "unchanged": self.total("unchanged"),
            "superseded": self.total("superseded"),
            "rejected": self.total("rejected"),
            "rejected_client": self.total("rejected_client"),
            "rejected_server": self.total("rejected_server"),
            "batches": self.batches,
            "retries": self.retries,
            "reconciled": self.reconciled,
            "elapsed_seconds": round(self.elapsed, 3),
            "rows_per_second": round(self.rows_per_second, 1),
            "ignored_columns": list(self.ignored_columns),
            "rejects_file": self.rejects_path,
            "run_id": self.run_id,
            "files": [asdict(f) for f in self.files],
            "top_reasons": self.reasons.top(),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_text(self) -> str:
        d = self.to_dict()
        title = f"rm-sync push: source {self.source!r}"
        if self.kind != "orders":
            title += f", {self.kind}"
        if self.dry_run:
            title += " (dry run: plan only, nothing was written)"
        lines = [title]
        for f in self.files:
            delim = f", delimiter {f.delimiter!r}" if f.delimiter else ""
            lines.append(f"  file        {f.name} ({f.format}, {f.encoding}{delim}): {f.status}")
            if f.note:
                lines.append(f"              {f.note}")
        resumed = (
            f" ({d['resumed_rows']:,} resumed from an earlier run)" if d["resumed_rows"] else ""
        )
        lines.append(f"  rows read   {d['rows_read']:,}{resumed}")
        lines.append(f"  created     {d['created']:,}")
        lines.append(f"  updated     {d['updated']:,}")
        lines.append(f"  unchanged   {d['unchanged']:,}")
        if d["superseded"]:
            lines.append(
                f"  superseded  {d['superseded']:,} (a later row of the same "
                f"{KIND_NOUNS.get(self.kind, 'order')} replaces them)"
            )
        rejected = f"  rejected    {d['rejected']:,}"
        if d["rejected"]:
            rejected += f" ({d['rejected_client']:,} by rm-sync, {d['rejected_server']:,} by Odoo)"
            if self.rejects_path:
                rejected += f" -> {self.rejects_path}"
        lines.append(rejected)
        for top in d["top_reasons"]:
            lines.append(f"  {top['count']:>9,} x {top['reason']}")
            lines.append(f"              -> {top['advice']}")
        retries = f"  batches     {d['batches']:,}, retries {d['retries']:,}"
        if d["reconciled"]:
            retries += f" ({d['reconciled']:,} rows found landed after a timeout)"
        lines.append(retries)
        lines.append(
            f"  elapsed     {d['elapsed_seconds']:.1f} s, {d['rows_per_second']:,.0f} rows/s"
        )
        if d["ignored_columns"]:
            lines.append(f"  ignored     columns {', '.join(d['ignored_columns'])}")
        outcome = {
            0: "all rows landed" if not self.dry_run else "all rows would land",
            1: "some rows were rejected",
        }.get(self.exit_code, self.message or "failed")
        lines.append(f"  result      exit {self.exit_code}: {outcome}")
        return "\n".join(lines)


# A cell that begins with one of these is read as a formula by spreadsheets (OWASP,
# "CSV injection"); tab and carriage return because some strip them first.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d[\d.,]*|[.,]\d[\d.,]*)$")


def neutralise_cell(value: str) -> str:
    """A spreadsheet-safe cell: a value that begins with a formula trigger gets a leading
    single quote, as OWASP advises (a plain number such as ``-12,50`` is no formula and
    stays as it is). A value that begins with a quote gets one too, so that the rule
    can be undone without doubt: :func:`restore_cell` removes exactly one."""
    if value.startswith(ESCAPE) or (
        value.startswith(FORMULA_TRIGGERS) and not _PLAIN_NUMBER.match(value)
    ):
        return ESCAPE + value
    return value


def restore_cell(value: str) -> str:
    """The raw value of a cell written by :func:`neutralise_cell`."""
    return value[1:] if value.startswith(ESCAPE) else value


class RejectsWriter:
    """Writes rejected rows: the standard columns plus line, field, reason and file.

    As CSV (UTF-8 with BOM, ',' delimited) for spreadsheets, with every cell passed
    through :func:`neutralise_cell`; rm-sync reads such a file back with the quotes
    removed, so a corrected rejects file can be pushed again as it is (it ignores the
    extra columns). A path ending in ``.jsonl`` or ``.ndjson`` gets JSON Lines instead,
    one object per row with the values exactly as read. A new file is created with
    mode 0600: rejected rows hold personal data."""

    def __init__(self, path: str, columns: tuple[str, ...] = STANDARD_COLUMNS) -> None:
        self.path = path
        self.columns = columns  # the standard columns of the kind pushed
        self.json_lines = path.lower().endswith((".jsonl", ".ndjson"))
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
            encoding = "utf-8" if self.json_lines else "utf-8-sig"
            self._fh: IO[str] = open(fd, "w", encoding=encoding, newline="")  # noqa: SIM115
        except OSError as exc:
            raise ConfigError(f"cannot write rejects file {path}: {exc.strerror}") from exc
        self._writer = csv.writer(self._fh)
        if not self.json_lines:
            self._writer.writerow((*columns, *REJECTS_COLUMNS[len(STANDARD_COLUMNS) :]))
        self.count = 0

    def write(
        self, file: str, line: int, field_name: str, reason: str, raw: dict[str, str]
    ) -> None:
        if self.json_lines:
            item: dict[str, Any] = {c: _clean(raw[c]) for c in self.columns if c in raw}
            item.update(line=line, field=field_name, reason=_clean(reason), file=_clean(file))
            self._fh.write(json.dumps(item, ensure_ascii=False) + "\n")
        else:
            row = [_clean(raw.get(c, "")) for c in self.columns]
            row += [str(line), field_name, _clean(reason), _clean(file)]
            self._writer.writerow([neutralise_cell(cell) for cell in row])
        self.count += 1

    def flush(self) -> None:
        self._fh.flush()

    def close(self) -> None:
        self._fh.close()


def _clean(value: str) -> str:
    # Undecodable bytes are kept as lone surrogates by the readers: write them as '?'.
    return value.encode("utf-8", "replace").decode("utf-8") if value else ""
