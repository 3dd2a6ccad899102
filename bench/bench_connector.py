#!/usr/bin/env python3
"""Benchmark rm-sync against a real local Odoo 18 with the relationship_marketing addon.

In one run, on a fresh database served by one Odoo process (--workers=0):

(a) a naive client: per row, one XML-RPC ``search`` of res.partner by email
    (plus a ``create`` when the customer is new) and one ``create`` of
    relationship.purchase, on a sample of rows; its per-row time is
    extrapolated to the whole file;
(b) ``rm-sync push`` of the whole file (the database holds none of its
    customers or orders: the naive sample uses other customers and its own
    source);
(c) a second ``rm-sync push`` of the same file (every row answers unchanged).

It prints rows/s for each, and the ratios rm-sync vs naive (target >= 25x)
and first push vs second push (target >= 5x), each with PASS/FAIL.

Default size: 5,000 orders for 1,000 customers (a couple of minutes). The big
run of the issue: ``python3 bench/bench_connector.py --orders 100000 --customers 20000``.
Needs ``import odoo`` to work and a PostgreSQL reachable as for the e2e tests
(PGHOST/PGPORT/PGUSER/PGPASSWORD or the local socket). The database
(``rmsync_e2e_bench_*``) is dropped at the end unless --keep is given.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
CONNECTOR = REPO / "connector"
sys.path.insert(0, str(CONNECTOR / "tests" / "e2e"))

from odoo_server import OdooServer, new_db_name, odoo_import_error  # noqa: E402

RATIO_NAIVE_TARGET = 25.0
RATIO_SECOND_TARGET = 5.0


def generate(path: Path, orders: int, customers: int, seed: int) -> None:
    """Seeded orders; a few customers buy much more often than most (Pareto-like)."""
    rng = random.Random(seed)
    start = datetime(2023, 1, 1)
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(customers)]
    chosen = rng.choices(range(customers), weights=weights, k=orders)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            ["order_id", "order_date", "customer_id", "email", "name", "amount", "channel"]
        )
        for i, c in enumerate(chosen):
            when = start + timedelta(seconds=rng.randrange(0, 700 * 24 * 3600))
            writer.writerow(
                [
                    f"ORD-{i:07d}",
                    when.strftime("%Y-%m-%d %H:%M:%S"),
                    f"CUST-{c:06d}",
                    f"customer{c}@example.com",
                    f"Customer {c}",
                    f"{rng.uniform(5, 500):.2f}",
                    rng.choice(("web", "store", "phone")),
                ]
            )


def naive_push(server: OdooServer, path: Path, sample: int) -> tuple[int, float]:
    """One search (+ create when new) on res.partner and one create per row."""
    import xmlrpc.client

    common = xmlrpc.client.ServerProxy(f"{server.url}/xmlrpc/2/common")
    uid = common.authenticate(server.db, "admin", "admin", {})
    obj = xmlrpc.client.ServerProxy(f"{server.url}/xmlrpc/2/object")

    def call(model: str, method: str, *args: Any, **kw: Any) -> Any:
        return obj.execute_kw(server.db, uid, "admin", model, method, list(args), kw)

    with path.open(encoding="utf-8") as fh:
        rows = [row for _, row in zip(range(sample), csv.DictReader(fh), strict=False)]
    started = time.perf_counter()
    for row in rows:
        email = "naive." + row["email"]  # other customers than rm-sync's
        found = call("res.partner", "search", [("email", "=", email)], limit=1)
        partner_id = (
            found[0]
            if found
            else call("res.partner", "create", {"name": row["name"], "email": email})
        )
        call(
            "relationship.purchase",
            "create",
            {
                "source": "naive",
                "external_id": row["order_id"],
                "date_order": row["order_date"],
                "partner_id": partner_id,
                "amount": float(row["amount"]),
                "channel": row["channel"],
                "customer_ref": row["customer_id"],
            },
        )
    return len(rows), time.perf_counter() - started


def rm_sync_push(
    server: OdooServer, path: Path, state_dir: Path, batch_size: int
) -> tuple[dict[str, Any], float]:
    env = dict(os.environ, **server.env(), RM_SYNC_STATE_DIR=str(state_dir))
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(CONNECTOR / "src"), env.get("PYTHONPATH", "")) if p
    )
    command = [
        sys.executable, "-m", "rm_sync", "push", str(path), "--source", "bench",
        "--batch-size", str(batch_size), "--json", "--quiet",
    ]  # fmt: skip
    started = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"rm-sync exited {result.returncode}: {result.stderr[-2000:]}")
    return json.loads(result.stdout), elapsed


def verdict(value: float, target: float) -> str:
    return "PASS" if value >= target else "FAIL"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=5000, help="orders in the file")
    parser.add_argument("--customers", type=int, default=1000, help="distinct customers")
    parser.add_argument("--naive-sample", type=int, default=200, help="rows for the naive client")
    parser.add_argument("--batch-size", type=int, default=500, help="rm-sync --batch-size")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--keep", action="store_true", help="keep the database and server log")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    args = parser.parse_args()

    error = odoo_import_error()
    if error:
        print(f"Odoo is not importable: benchmark skipped ({error})", file=sys.stderr)
        return 2

    work = Path(tempfile.mkdtemp(prefix="rm-sync-bench-"))
    path = work / "orders.csv"
    generate(path, args.orders, args.customers, args.seed)
    print(f"data: {args.orders:,} orders for {args.customers:,} customers (seed {args.seed})")
    print(f"      {path} ({path.stat().st_size / 1e6:.1f} MB)")

    server = OdooServer(work / "odoo", db=new_db_name("bench"))
    try:
        t0 = time.perf_counter()
        server.create_db()
        server.start()
        print(
            f"odoo: database {server.db} ready in {time.perf_counter() - t0:.0f} s on "
            f"{server.url} (--workers=0)"
        )

        n_naive, t_naive = naive_push(server, path, min(args.naive_sample, args.orders))
        naive_rps = n_naive / t_naive
        print(
            f"(a) naive client     {n_naive:>9,} rows in {t_naive:8.1f} s  "
            f"{naive_rps:9,.0f} rows/s  (whole file extrapolated: "
            f"{args.orders / naive_rps:,.0f} s)"
        )

        first, t_first = rm_sync_push(server, path, work / "state", args.batch_size)
        if first["created"] != args.orders:
            raise RuntimeError(f"first push: expected {args.orders} created, got {first}")
        first_rps = args.orders / t_first
        print(
            f"(b) rm-sync push     {args.orders:>9,} rows in {t_first:8.1f} s  "
            f"{first_rps:9,.0f} rows/s  (created {first['created']:,})"
        )

        second, t_second = rm_sync_push(server, path, work / "state", args.batch_size)
        if second["unchanged"] != args.orders:
            raise RuntimeError(f"second push: expected {args.orders} unchanged, got {second}")
        second_rps = args.orders / t_second
        print(
            f"(c) rm-sync again    {args.orders:>9,} rows in {t_second:8.1f} s  "
            f"{second_rps:9,.0f} rows/s  (unchanged {second['unchanged']:,})"
        )
    except Exception:
        print(f"odoo log: {server.log_path}\n{server.log_tail()}", file=sys.stderr)
        raise
    finally:
        if args.keep:
            server.stop()
            print(f"kept database {server.db}; files in {work}")
        else:
            server.drop()

    ratio_naive = first_rps / naive_rps
    ratio_second = second_rps / first_rps
    print()
    print(
        f"rm-sync vs naive      {ratio_naive:6.1f}x  (target >= {RATIO_NAIVE_TARGET:g}x)  "
        f"{verdict(ratio_naive, RATIO_NAIVE_TARGET)}"
    )
    print(
        f"second vs first push  {ratio_second:6.1f}x  (target >= {RATIO_SECOND_TARGET:g}x)  "
        f"{verdict(ratio_second, RATIO_SECOND_TARGET)}"
    )
    print("(wall-clock times of the whole rm-sync command, process start-up included)")
    failed = ratio_naive < RATIO_NAIVE_TARGET or ratio_second < RATIO_SECOND_TARGET
    return 1 if failed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
