#!/usr/bin/env python3
# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The benchmark suite: one command, every heavy path, each against its baseline.

    python3 bench/run.py                  # small: 2,000 partners, 20,000 purchases
    python3 bench/run.py --size large     # 100,000 partners, 1,000,000 purchases

1. creates a database ``rm_bench_<size>`` with the addons of this repository
   (those that are there and installable), without demo data;
2. fills it with bench/generate.py (seeded, PostgreSQL COPY);
3. runs the paths that live in a worker (bench/paths.py, a child process whose
   memory is watched): the full nightly recomputation against one-by-one ORM
   recomputation, the follow-up cron twice, the ingestion's query counts;
4. starts Odoo (one HTTP worker, prefork) on the database and runs what a
   person or a connector does over JSON-RPC: a batch of 1,000 purchases
   against rows sent one by one, the partner kanban grouped by stage against
   the stock Contacts kanban, the funnel report and the dashboard;
5. prints every figure with its baseline from the same run, the ratio, the
   target and PASS/FAIL (``--markdown FILE`` writes the table too; bench/RESULTS.md
   keeps the recorded runs), and the connector's own benchmark
   (bench/bench_connector.py) when it is there and ``--connector`` is given.

The exit code is 0 when every measured target holds, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from common import (  # noqa: E402
    ADDONS_DIR,
    BENCH_LOGIN,
    BENCH_PASSWORD,
    REPO,
    SIZES,
    log,
    present_addons,
)
from processes import (  # noqa: E402
    MEMORY,
    PYTHON,
    Server,
    create_database,
    followup_crons,
    gevent_works,
    machine,
    other_load,
    port_free,
    purchase_followup_crons,
    run_child,
)
from report import markdown, print_table, table  # noqa: E402

# The window actions timed over JSON-RPC: (label, xmlid, view type); the first
# one found of each label is used, so that paths show up when their addon lands.
UI_PATHS = {
    "kanban": [("relationship_marketing.relationship_partner_action", "kanban")],
    "contacts": [("contacts.action_contacts", "kanban")],
    "funnel": [("relationship_marketing_dashboard.relationship_funnel_report_action", None)],
    "dashboard": [("relationship_marketing_dashboard.action_relationship_dashboard", None)],
}


def rpc_paths(server, db, results, repeats):
    import psycopg2
    from paths import ingest_rows
    from rpc import Client, RpcError, open_action

    client = Client(server.url, db, BENCH_LOGIN, BENCH_PASSWORD)

    # Ingestion: batches of 1,000 purchases of existing customers, then rows one by one.
    with psycopg2.connect(dbname=db) as conn, conn.cursor() as cr:
        stamp = time.strftime("%Y%m%d%H%M%S")
        warm = ingest_rows(cr, 20, f"{stamp}-warm")
        batches = [ingest_rows(cr, 1000, f"{stamp}-rpc{n}") for n in range(3)]
        singles = ingest_rows(cr, 100, f"{stamp}-single")
    # A first small batch warms the worker's caches, as a connector's first batch does.
    client.call("relationship.purchase", "ingest_batch", warm[1], warm[0])
    times = []
    for source, rows in batches:
        answer, seconds, _calls = client.timed(
            client.call, "relationship.purchase", "ingest_batch", rows, source
        )
        assert answer["counts"]["created"] == len(rows), answer["counts"]
        times.append(seconds)
    source, rows = singles
    _answer, single_seconds, _calls = client.timed(
        lambda: [
            client.call("relationship.purchase", "ingest_batch", [row], source) for row in rows
        ]
    )
    results["ingest_rpc"] = {
        "seconds": statistics.median(times),
        "max_seconds": max(times),
        "all_seconds": times,
        "baseline_seconds": single_seconds / len(rows) * 1000,
        "baseline_rows": len(rows),
    }
    log(
        f"ingestion over JSON-RPC: 1,000 rows in {statistics.median(times):.2f}s (median of "
        f"{len(times)}); one by one {single_seconds / len(rows) * 1000:.1f}s per 1,000"
    )

    # Windows of the web client.
    for label, candidates in UI_PATHS.items():
        for xmlid, view_type in candidates:
            try:
                opened, cold, calls = client.timed(open_action, client, xmlid, view_type)
            except RpcError as error:
                if "does not exist" in str(error) or "not found" in str(error).lower():
                    continue
                raise
            warm = []
            for _ in range(repeats):
                _opened, seconds, calls = client.timed(open_action, client, xmlid, view_type)
                warm.append(seconds)
            results[f"ui_{label}"] = {
                "xmlid": xmlid,
                "seconds": statistics.median(warm),
                "cold_seconds": cold,
                "calls": [(path.rsplit("/", 1)[-1], round(s, 4)) for path, s in calls],
                "shown": opened,
            }
            log(
                f"{label} ({xmlid}): {statistics.median(warm) * 1000:.0f} ms warm, "
                f"{cold * 1000:.0f} ms cold, {len(calls)} calls, {opened}"
            )
            break
        else:
            results[f"ui_{label}"] = {"missing": [x for x, _v in candidates]}
            log(f"{label}: no action found ({', '.join(x for x, _v in candidates)})")


# ---------------------------------------------------------------------------- main


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="\n\n".join(__doc__.split("\n\n")[1:]),
    )
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--partners", type=int, help="override the size's number of partners")
    parser.add_argument("--purchases", type=int, help="override the size's number of purchases")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", help="database name (default rm_bench_<size>)")
    parser.add_argument("--port", type=int, default=18610, help="HTTP port (and port+1 for gevent)")
    parser.add_argument("--workers", type=int, default=1, help="Odoo HTTP workers (default 1)")
    parser.add_argument("--sample", type=int, help="partners recomputed one by one (baseline)")
    parser.add_argument("--repeats", type=int, default=3, help="warm repetitions of UI paths")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the database if it exists (skip install and generation)",
    )
    parser.add_argument("--keep-db", action="store_true", help="keep the database at the end")
    parser.add_argument("--json", help="write all results to this file")
    parser.add_argument("--markdown", help="write the table in Markdown to this file")
    parser.add_argument(
        "--connector",
        action="store_true",
        help="also run bench/bench_connector.py when it is there",
    )
    parser.add_argument(
        "--live",
        action="store_true",
        help="use the addons folder as it is (default: a copy taken at start, "
        "so that edits during the run change nothing)",
    )
    return parser.parse_args()


def prepare_addons(args):
    """Run on a copy of the addons taken at the start: re-executes itself."""
    if not args.live and not os.environ.get("RM_BENCH_ADDONS_DIR"):
        snapshot = Path(f"/tmp/rm_bench_addons_{os.getpid()}")
        shutil.copytree(
            ADDONS_DIR, snapshot / "addons", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
        os.environ["RM_BENCH_ADDONS_DIR"] = str(snapshot / "addons")
        os.environ["RM_BENCH_OWN_COPIES"] = str(snapshot)
        print(f"Addons copied to {snapshot}/addons for this run", flush=True)
        os.execv(PYTHON, [PYTHON, *sys.argv])


def main():
    args = parse_args()
    prepare_addons(args)
    partners, purchases = SIZES[args.size]
    partners, purchases = args.partners or partners, args.purchases or purchases
    db = args.db or f"rm_bench_{args.size}"
    sample = args.sample or (200 if partners >= 20_000 else 100)
    if not (port_free(args.port) and port_free(args.port + 1)):
        sys.exit(f"port {args.port} or {args.port + 1} is in use: choose another with --port")
    if not shutil.which("psql"):
        sys.exit("psql is not on the PATH: PostgreSQL client tools are needed")

    info = machine()
    addons = present_addons()
    results = {
        "size": args.size,
        "partners": partners,
        "purchases": purchases,
        "addons": addons,
        "machine": info,
        "seed": args.seed,
        "crons": {},
    }
    print(
        f"Benchmark {args.size}: {partners:,} partners, {purchases:,} purchases, seed {args.seed}, "
        f"database {db}"
    )
    print(
        f"Machine: {info.get('nproc')} cores, {info.get('cpu')}, {info.get('memory_gib')} GiB, "
        f"PostgreSQL {info.get('postgresql')}, Odoo {info.get('odoo')}; "
        f"load {info.get('load_average')}"
    )
    print(f"Addons: {', '.join(addons)} (from {ADDONS_DIR})", flush=True)
    cpu_before = {cmd: cpu for cpu, cmd in other_load()}
    MEMORY.start()
    started = time.monotonic()

    exists = (
        subprocess.run(
            ["psql", "-d", db, "-Atc", "SELECT 1"], capture_output=True, check=False
        ).returncode
        == 0
    )
    if args.reuse and exists:
        # The kept database may hold an older version of the addons.
        results["upgrade_seconds"] = create_database(db, addons, args.port, upgrade=True)
        log(f"reusing database {db}, updated in {results['upgrade_seconds']:.0f}s")
    else:
        results["install_seconds"] = create_database(db, addons, args.port)
        log(f"installed in {results['install_seconds']:.0f}s; generating data")
        gen = run_child(
            "generate",
            [
                str(BENCH / "generate.py"),
                "--db",
                db,
                "--partners",
                str(partners),
                "--purchases",
                str(purchases),
                "--seed",
                str(args.seed),
            ],
        )
        results["generate"] = gen[-1]
        run_child("setup", [str(BENCH / "paths.py"), "--db", db, "setup"], watch=False)
        settle = run_child(
            "worker: first nightly after the load", [str(BENCH / "paths.py"), "--db", db, "settle"]
        )
        results["settle"] = settle[-1]

    paths = [str(BENCH / "paths.py"), "--db", db, "--seed", str(args.seed)]
    for item in run_child(
        "worker: nightly recomputation", [*paths, "nightly", "--sample", str(sample)]
    ):
        results[item["kind"]] = item

    crons = followup_crons(addons)
    if not crons:
        results["followup_missing"] = True
        log("follow-up cron: the addon relationship_marketing_followup is not there yet")
    for xmlid in crons:
        runs = run_child(
            f"worker: cron {xmlid.split('.')[-1]}",
            [*paths, "cron", xmlid, "--runs", "2", "--count-model", "mail.activity"],
        )
        results["crons"][xmlid] = runs

    results["ingest_queries"] = run_child(
        "worker: ingestion", [*paths, "ingest-queries", "--sizes", "100", "1000"]
    )

    logfile = f"/tmp/{db}-server.log"
    if args.workers and not gevent_works():
        log(
            "gevent does not import here (Odoo's prefork server needs it for its bus "
            "process): running the server threaded (--workers=0) instead"
        )
        args.workers = 0
    results["workers"] = args.workers
    server = Server(db, args.port, args.workers, logfile)
    try:
        server.wait()
        rpc_paths(server, db, results, args.repeats)
    finally:
        server.stop()

    # The follow-ups of what the batches above ingested (purchases, moves): their
    # own job, woken up by each batch.
    for xmlid in purchase_followup_crons(addons):
        results["purchase_followups"] = run_child(
            "worker: follow-ups after ingestion",
            [*paths, "cron", xmlid, "--runs", "1", "--count-model", "mail.activity"],
        )

    if args.connector and (BENCH / "bench_connector.py").is_file():
        log("running bench/bench_connector.py")
        size_args = (
            ["--orders", "100000", "--customers", "20000"]
            if args.size in ("medium", "large")
            else []
        )
        subprocess.run(
            [PYTHON, str(BENCH / "bench_connector.py"), *size_args], cwd=REPO, check=False
        )

    MEMORY.stopped.set()
    results["memory"] = {
        label: peak
        for label, peak in MEMORY.peaks.items()
        if label.startswith(("worker", "server"))
    }
    results["seconds"] = time.monotonic() - started
    after = other_load()
    results["other_load"] = sorted(
        (
            (round(cpu - cpu_before.get(cmd, 0), 1), cmd)
            for cpu, cmd in after
            if cpu - cpu_before.get(cmd, 0) > 5
        ),
        reverse=True,
    )[:8]
    if not args.keep_db:
        subprocess.run(["dropdb", "--if-exists", db], check=False)
        # The copies of the addons this run made (kept with the database, for --reuse).
        for copy in filter(None, os.environ.get("RM_BENCH_OWN_COPIES", "").split(os.pathsep)):
            shutil.rmtree(copy, ignore_errors=True)

    rows = table(results, args.size)
    print()
    print(
        f"Results ({args.size}: {partners:,} partners, {purchases:,} purchases; "
        f"{results['seconds'] / 60:.1f} min in all)"
    )
    print_table(rows)
    if results["other_load"]:
        print("\nOther processes that used the CPU meanwhile (CPU seconds):")
        for cpu, cmd in results["other_load"]:
            print(f"  {cpu:8.1f}  {cmd}")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, default=str))
    if args.markdown:
        Path(args.markdown).write_text(markdown(rows, info, results, args.size))
    return 0 if all(row[5] != "FAIL" for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
