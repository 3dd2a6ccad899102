# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The bench's table: every figure beside its baseline, ratio and target."""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from common import (  # noqa: E402
    LIMIT_MEMORY_SOFT,
)
from processes import MIB  # noqa: E402

# ---------------------------------------------------------------------------- report


def fmt_s(seconds):
    if seconds is None:
        return "-"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.1f} s"


def fmt_mib(value):
    return f"{value / MIB:.0f} MiB"


def _nightly_rows(results, add):
    """The rows of the first night after the load, the nightly and the reports' refresh."""
    settle = results.get("settle")
    if settle:
        created = ", ".join(f"{v:,} {k}" for k, v in settle["created"].items() if v)
        add(
            f"First nightly after the bulk load (one-off; created {created or 'nothing'})",
            fmt_s(settle["seconds"]),
            "-",
            "-",
            "-",
            None,
        )
    n = results.get("nightly")
    if n:
        ratio = n["baseline_seconds"] / n["seconds"]
        add(
            f"Nightly recomputation, {n['partners']:,} partners ("
            + (
                "figures in the cron, "
                if n.get("figures_in_cron")
                else f"figures {fmt_s(n['figures_seconds'])} + "
            )
            + f"cron {fmt_s(n['cron_seconds'])} in {n['cron_calls']} batches)",
            fmt_s(n["seconds"]),
            f"{fmt_s(n['baseline_seconds'])} one by one (sample of {n['baseline_sample']}, "
            f"{n['baseline_queries_per_partner']:.0f} queries each)",
            f"{ratio:.1f}x",
            "< 120 s and >= 20x",
            n["seconds"] < 120 and ratio >= 20,
        )
    again = results.get("nightly_again")
    if again and n:
        add(
            "Nightly cron, next night (nothing changed)",
            fmt_s(again["seconds"]),
            f"{fmt_s(n['cron_seconds'])} first night",
            f"{n['cron_seconds'] / again['seconds']:.1f}x",
            "-",
            None,
        )
    reports = results.get("reports_refresh")
    if reports:
        add(
            "Reports refreshed after the nightly (their own job: materialized views, CONCURRENTLY)",
            fmt_s(reports["seconds"]),
            "-",
            "-",
            "-",
            None,
        )


def table(results, size):
    """Rows: (path, measured, baseline, ratio, target, status)."""
    rows = []

    def add(path, measured, baseline, ratio, target, ok):
        status = "n/a" if ok is None else ("PASS" if ok else "FAIL")
        rows.append((path, measured, baseline, ratio, target, status))

    _nightly_rows(results, add)
    for xmlid, runs in results.get("crons", {}).items():
        if not runs:
            continue
        first = runs[0]
        add(
            f"Follow-up cron {xmlid.split('.')[-1]}, first run (created {first['created']})",
            fmt_s(first["seconds"]),
            "-",
            "-",
            "< 120 s",
            first["seconds"] < 120,
        )
        if len(runs) > 1:
            second = runs[1]
            add(
                f"Follow-up cron, second run (created {second['created']})",
                fmt_s(second["seconds"]),
                f"{fmt_s(first['seconds'])} first run",
                f"{first['seconds'] / second['seconds']:.1f}x",
                "< 20 s",
                second["seconds"] < 20,
            )
    for drain in results.get("purchase_followups") or []:
        add(
            f"Follow-ups of the batches ingested above (purchases, rung and phase moves), "
            f"their own job after the batches (created {drain['created']})",
            fmt_s(drain["seconds"]),
            "-",
            "-",
            "-",
            None,
        )
    if "followup_missing" in results:
        add("Follow-up cron", "not measured", "-", "-", "< 120 s / < 20 s", None)
    ing = results.get("ingest_rpc")
    if ing:
        add(
            "Ingestion, 1,000 purchases of existing customers (JSON-RPC, median of 3)",
            fmt_s(ing["seconds"]),
            f"{fmt_s(ing['baseline_seconds'])} sent one row per call",
            f"{ing['baseline_seconds'] / ing['seconds']:.1f}x",
            "< 2 s",
            ing["seconds"] < 2,
        )
    q = results.get("ingest_queries")
    if q and len(q) >= 2:
        small, large = q[0], q[-1]
        # Reads do not grow; writes grow by at most the ORM's 100-row chunks, one
        # statement per chunk for each table, kind and set of columns written (the
        # ORM writes rows that change different columns in different statements).
        chunks = math.ceil(large["rows"] / 100) - math.ceil(small["rows"] / 100)
        kinds = set(small.get("writes", {})) | set(large.get("writes", {}))
        bound = sum(small.get("writes", {}).get(k, 1) for k in kinds) + chunks * len(kinds)
        large_writes = sum(large.get("writes", {}).values())
        add(
            f"Ingestion queries, {large['rows']:,} rows "
            f"(reads / writes; {len(kinds)} statement kinds: table, kind, columns)",
            f"{large.get('reads', '?')} / {large_writes}",
            f"{small.get('reads', '?')} / {sum(small.get('writes', {}).values())} "
            f"for {small['rows']:,} rows",
            f"{large['queries'] / small['queries']:.2f}x",
            f"reads no more, writes <= {bound}",
            large.get("reads", 0) <= small.get("reads", 0) and large_writes <= bound,
        )
    contacts = results.get("ui_contacts", {})
    for label, name in (
        ("kanban", "Partner kanban grouped by stage"),
        ("funnel", "Funnel report"),
        ("dashboard", "Dashboard"),
    ):
        ui = results.get(f"ui_{label}")
        if not ui:
            continue
        if "missing" in ui:
            add(f"{name} (not landed)", "not measured", "-", "-", "< 1 s", None)
            continue
        base = contacts.get("seconds")
        add(
            f"{name} ({len(ui['calls'])} calls, cold {fmt_s(ui['cold_seconds'])})",
            fmt_s(ui["seconds"]),
            f"{fmt_s(base)} stock Contacts kanban" if base else "-",
            f"{ui['seconds'] / base:.1f}x" if base else "-",
            "< 1 s",
            ui["seconds"] < 1,
        )
    for label, peak in results.get("memory", {}).items():
        if not peak["vms"]:
            continue
        add(
            f"Memory of {label} (peak RSS {fmt_mib(peak['rss'])})",
            f"{fmt_mib(peak['vms'])} virtual",
            f"{fmt_mib(LIMIT_MEMORY_SOFT)} soft limit",
            f"{peak['vms'] / LIMIT_MEMORY_SOFT:.2f}x",
            "< soft limit",
            peak["vms"] < LIMIT_MEMORY_SOFT,
        )
    return rows


def print_table(rows):
    headers = ("Path", "Measured", "Baseline (same run)", "Ratio", "Target", "")
    widths = [min(max(len(str(r[i])) for r in [headers, *rows]), 90) for i in range(6)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))
    print(line)
    print("-" * len(line))
    for row in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))


def markdown(rows, info, results, size):
    out = [
        f"Size: **{size}** ({results['partners']:,} partners, {results['purchases']:,} purchases), "
        f"run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, git {info.get('git')}"
        f"{' + uncommitted changes in addons/' if info.get('git_dirty') else ''}, "
        f"addons: {', '.join(results['addons'])}.",
        "",
        "| Path | Measured | Baseline (same run) | Ratio | Target | |",
        "|---|---|---|---|---|---|",
    ]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    out += [
        "",
        f"Machine: {info.get('nproc')} cores, {info.get('cpu')}, {info.get('memory_gib')} GiB, "
        f"PostgreSQL {info.get('postgresql')} ({', '.join(info.get('postgresql_settings', []))}), "
        f"Odoo {info.get('odoo')}, Python {info.get('python')}; load average at start "
        f"{info.get('load_average')}.",
    ]
    return "\n".join(out) + "\n"
