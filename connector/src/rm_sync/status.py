"""``rm-sync status``: the recent runs and the unfinished files, from the state store."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from rm_sync.state import StateStore


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
