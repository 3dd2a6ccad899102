"""The end-of-run report: counts, timings, outcome; as text or JSON."""

from __future__ import annotations

import csv
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

from rm_sync.errors import ConfigError
from rm_sync.mapping import STANDARD_COLUMNS

REJECTS_COLUMNS = (*STANDARD_COLUMNS, "line", "field", "reason", "file")


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
    rejected: int = 0
    rejected_client: int = 0
    rejected_server: int = 0
    status: str = "running"  # running | done | failed
    note: str = ""


@dataclass
class Report:
    source: str
    dry_run: bool
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
            "dry_run": self.dry_run,
            "status": self.status,
            "exit_code": self.exit_code,
            "message": self.message,
            "rows_read": self.total("rows_read"),
            "resumed_rows": self.total("resumed_rows"),
            "created": self.total("created"),
            "updated": self.total("updated"),
            "unchanged": self.total("unchanged"),
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
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_text(self) -> str:
        d = self.to_dict()
        title = f"rm-sync push: source {self.source!r}"
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
        rejected = f"  rejected    {d['rejected']:,}"
        if d["rejected"]:
            rejected += f" ({d['rejected_client']:,} by rm-sync, {d['rejected_server']:,} by Odoo)"
            if self.rejects_path:
                rejected += f" -> {self.rejects_path}"
        lines.append(rejected)
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


class RejectsWriter:
    """Writes rejected rows as CSV (UTF-8 with BOM, ',' delimited): the standard columns
    plus line, field, reason and file. Correct the values and push the file again: rm-sync
    ignores the extra columns."""

    def __init__(self, path: str) -> None:
        self.path = path
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            self._fh: IO[str] = open(path, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
        except OSError as exc:
            raise ConfigError(f"cannot write rejects file {path}: {exc.strerror}") from exc
        self._writer = csv.writer(self._fh)
        self._writer.writerow(REJECTS_COLUMNS)
        self.count = 0

    def write(
        self, file: str, line: int, field_name: str, reason: str, raw: dict[str, str]
    ) -> None:
        row = [_clean(raw.get(c, "")) for c in STANDARD_COLUMNS]
        row += [str(line), field_name, reason, file]
        self._writer.writerow(row)
        self.count += 1

    def flush(self) -> None:
        self._fh.flush()

    def close(self) -> None:
        self._fh.close()


def _clean(value: str) -> str:
    # Undecodable bytes are kept as lone surrogates by the readers: write them as '?'.
    return value.encode("utf-8", "replace").decode("utf-8") if value else ""
