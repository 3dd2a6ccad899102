#!/usr/bin/env python3
# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The back-fill from Odoo's own sale orders (issue 16), against its baseline.

    python3 bench/backfill.py                                # 20,000 orders, 2,000 customers
    python3 bench/backfill.py --orders 1000000 --customers 100000

In one run, on a new database (``rm_bench_backfill``, dropped at the end unless
``--keep-db``):

1. installs Sales and the core addon, without the sales bridge: the orders of
   a company that had Sales before it installed the bridge;
2. writes ``--customers`` customers and ``--orders`` confirmed sale orders
   over three years (PostgreSQL, set-based: no order is confirmed through
   the ORM, so the bridge sees none of them);
3. installs ``relationship_marketing_sale``;
4. the baseline: a sample of the orders confirmed one by one through the
   bridge (``_relationship_follow_orders`` on each order alone, as a
   confirmation does), rolled back, its time per order extrapolated to all;
5. the back-fill: ``relationship.backfill.action_run()`` as a manager, then
   the cron's batches, each committed, as one worker runs them;
6. the back-fill again: it must change nothing.

Prints each figure and the ratio back-fill vs one by one; ``--json`` writes
them. The target of the issue: 1,000,000 orders in under 10 minutes on one
worker.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import random
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Timer, log, odoo_env  # noqa: E402
from processes import create_database  # noqa: E402

TARGET_SECONDS_PER_MILLION = 600


def generate(env, orders, customers, seed):
    """Customers, and confirmed sale orders written by SQL in one statement."""
    cr = env.cr
    company = env.company
    currency = company.currency_id.id
    rng = random.Random(seed)
    # The customers through the ORM (a partner has many columns and defaults),
    # in batches; the orders, the bulk, by SQL.
    Partner = env["res.partner"].with_context(tracking_disable=True, mail_create_nolog=True)
    partner_ids = []
    for start in range(0, customers, 1000):
        partner_ids += Partner.create(
            [
                {"name": f"Backfill customer {n}", "email": f"backfill{n}@example.com"}
                for n in range(start, min(start + 1000, customers))
            ]
        ).ids
        env.flush_all()
        env.invalidate_all()
    user = env.ref("base.user_admin").id
    # Pareto-like: a few customers order much more often than most.
    weights = [1.0 / (rank + 1) ** 0.8 for rank in range(customers)]
    buyers = rng.choices(partner_ids, weights=weights, k=orders)
    seconds = [rng.randrange(0, 3 * 365 * 86400) for _ in range(orders)]
    amounts = [round(rng.lognormvariate(4.2, 0.8), 2) for _ in range(orders)]
    cr.execute(
        """
        INSERT INTO sale_order (name, partner_id, partner_invoice_id, partner_shipping_id,
                                company_id, currency_id, user_id, state, date_order,
                                amount_untaxed, amount_tax, amount_total, invoice_status,
                                create_date, write_date, create_uid, write_uid)
        SELECT 'BF' || lpad(o.n::text, 7, '0'), o.partner, o.partner, o.partner,
               %(company)s, %(currency)s, %(user)s, 'sale',
               now() - make_interval(secs => o.secs), o.amount, 0, o.amount, 'no',
               now(), now(), %(user)s, %(user)s
          FROM unnest(%(partners)s::int[], %(secs)s::int[], %(amounts)s::numeric[])
               WITH ORDINALITY AS o(partner, secs, amount, n)
        """,
        {
            "company": company.id,
            "currency": currency,
            "user": user,
            "partners": buyers,
            "secs": seconds,
            "amounts": amounts,
        },
    )
    cr.execute("ANALYZE res_partner")
    cr.execute("ANALYZE sale_order")


def one_by_one(env, sample):
    """Seconds per order when each order is followed alone, rolled back."""
    orders = env["sale.order"].search([("state", "=", "sale")], order="id", limit=sample)
    env.cr.execute("SAVEPOINT one_by_one")
    with Timer() as timer:
        for order in orders:
            order._relationship_follow_orders()
            env.flush_all()
    env.cr.execute("ROLLBACK TO SAVEPOINT one_by_one")
    env.invalidate_all()
    return timer.seconds / len(orders)


def backfill(db, profile=None):
    """Run a back-fill to its end as the cron does: one committed batch per call.

    :param profile: a ``cProfile.Profile`` that records the batches
    """
    with odoo_env(db) as env:
        manager = env.ref("base.user_admin")
        run = env["relationship.backfill"].with_user(manager).create({})
        run.action_run()
        run_id, total = run.id, run.total_count
    batches = 0
    with Timer() as timer:
        while True:
            with odoo_env(db) as env:
                if profile:
                    profile.enable()
                more = env["relationship.backfill"].browse(run_id)._relationship_run_batch()
                if profile:
                    profile.disable()
                if not more:
                    break
            batches += 1
    with odoo_env(db) as env:
        created = env["relationship.purchase"].search_count([("source", "=", "odoo.sale")])
        moves = env["relationship.stage.history"].search_count([])
        # the moves are dated at the orders that made them, not at the back-fill
        cr = env.cr
        cr.execute(
            "SELECT count(*) FROM relationship_stage_history WHERE date < %s",
            [env["relationship.backfill"].browse(run_id).date_start],
        )
        dated = cr.fetchone()[0]
    return {
        "moves_before_the_backfill": dated,
        "seconds": timer.seconds,
        "documents": total,
        "batches": batches,
        "purchases": created,
        "stage_moves": moves,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--customers", type=int, default=2_000)
    parser.add_argument("--sample", type=int, default=200, help="orders followed one by one")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--db", default="rm_bench_backfill")
    parser.add_argument("--port", type=int, default=48590)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument(
        "--profile", help="write a cProfile of the first back-fill's batches to this file"
    )
    args = parser.parse_args()

    from odoo.sql_db import close_db

    results = {"orders": args.orders, "customers": args.customers}
    try:
        results["install_seconds"] = create_database(
            args.db, ["sale", "relationship_marketing"], args.port
        )
        with odoo_env(args.db) as env, Timer() as timer:
            generate(env, args.orders, args.customers, args.seed)
        log(
            f"wrote {args.customers:,} customers and {args.orders:,} orders in {timer.seconds:.1f}s"
        )
        install(args.db, "relationship_marketing_sale", args.port)
        with odoo_env(args.db) as env:
            per_order = one_by_one(env, args.sample)
        results["one_by_one_seconds_per_order"] = per_order
        log(f"one by one: {per_order * 1000:.1f} ms per order (sample of {args.sample})")
        profile = cProfile.Profile() if args.profile else None
        first = backfill(args.db, profile)
        if profile:
            profile.dump_stats(args.profile)
        results["backfill"] = first
        log(
            f"back-fill: {first['documents']:,} orders in {first['seconds']:.1f}s "
            f"({first['batches']} batches; {first['purchases']:,} purchases, "
            f"{first['stage_moves']:,} stage moves, {first['moves_before_the_backfill']:,} "
            "of them dated before it)"
        )
        second = backfill(args.db)
        results["backfill_again"] = second
        log(
            f"back-fill again: {second['seconds']:.1f}s, {second['purchases']:,} purchases, "
            f"{second['stage_moves']:,} stage moves"
        )
    except RuntimeError as error:
        sys.exit(str(error))
    finally:
        if not args.keep_db:
            close_db(args.db)  # this process's connections to it
            subprocess.run(["dropdb", "--if-exists", args.db], check=False)

    baseline = per_order * args.orders
    ratio = baseline / first["seconds"]
    per_million = first["seconds"] * 1_000_000 / args.orders
    unchanged = (second["purchases"], second["stage_moves"]) == (
        first["purchases"],
        first["stage_moves"],
    )
    rows = [
        (
            f"Back-fill, {args.orders:,} sale orders of {args.customers:,} customers",
            f"{first['seconds']:.1f} s",
            f"{baseline:.1f} s one by one (sample of {args.sample}, extrapolated)",
            f"{ratio:.1f}x",
        ),
        (
            "The same, per 1,000,000 orders (linear)",
            f"{per_million / 60:.1f} min",
            f"{TARGET_SECONDS_PER_MILLION / 60:.0f} min target",
            f"{TARGET_SECONDS_PER_MILLION / per_million:.2f}x",
        ),
        (
            "Back-fill again (must change nothing)",
            f"{second['seconds']:.1f} s",
            f"{first['seconds']:.1f} s first back-fill",
            "unchanged" if unchanged else "CHANGED",
        ),
    ]
    print()
    for row in rows:
        print(" | ".join(row))
    results["rows"] = rows
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0 if unchanged else 1


def install(db, addon, port):
    """Install ``addon`` on the existing database ``db``; reload its registry here."""
    from odoo.modules.registry import Registry

    create_database(db, [addon], port, existing=True)
    Registry.new(db)


if __name__ == "__main__":
    sys.exit(main())
