# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The heavy paths that run inside an Odoo worker (no HTTP), and their baselines.

    python3 bench/paths.py --db DB setup
    python3 bench/paths.py --db DB nightly [--sample 200]
    python3 bench/paths.py --db DB cron XMLID [--runs 2]
    python3 bench/paths.py --db DB ingest-queries

run.py starts this script as a child process so that it can watch the memory of
the process doing the work, as Odoo's worker limits would. Each result is a
line ``@@ {json}`` on stdout.

Crons run through Odoo's own cron runner (``ir.cron._acquire_one_job`` and
``_process_job``: the code a cron worker runs, with its commit after each
batch of the progress API), not by calling the method directly.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import random
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import BENCH_LOGIN, BENCH_PASSWORD, Timer, emit, log, odoo_env  # noqa: E402

# The stored partner figures the nightly recomputation rebuilds (computed
# together by res.partner._compute_relationship_figures).
FIGURE_FIELDS = (
    "relationship_order_count",
    "relationship_revenue",
    "relationship_average_order",
    "relationship_first_purchase",
    "relationship_last_purchase",
)
NIGHTLY_CRON = "relationship_marketing.ir_cron_relationship_refresh"
# Started by the nightly cron's last batch (relationship_marketing_dashboard).
REPORTS_CRON = "relationship_marketing_dashboard.ir_cron_relationship_reports"
REFRESH_CURSOR = "relationship_marketing.refresh_cursor"
FIGURES_BATCH = 5000


def nightly_domain():
    return ["|", ("relationship_order_count", ">", 0), ("relationship_stage_id", "!=", False)]


def figure_fields(env):
    """The stored computed fields of our addons on res.partner that depend on purchases.

    ``relationship_*`` fields computed from the purchases: the figures of the
    core addon and whatever issue 3's work adds beside them (phases, levels,
    margins...) are recomputed by the nightly path and by its baseline alike.
    """
    Partner = env["res.partner"]
    names = set(FIGURE_FIELDS)
    for name, field in Partner._fields.items():
        module = getattr(field, "_module", "") or ""
        if not (field.store and field.compute and module.startswith("relationship_marketing")):
            continue
        deps = Partner.pool.field_depends.get(field, ())
        if any(dep.startswith("relationship_purchase_ids") for dep in deps):
            names.add(name)
    return [Partner._fields[name] for name in sorted(names) if name in Partner._fields]


# ---------------------------------------------------------------------------- setup


def cmd_setup(args):
    """The user that the JSON-RPC paths log in as (a relationship manager)."""
    with odoo_env(args.db) as env:
        user = env["res.users"].search([("login", "=", BENCH_LOGIN)])
        groups = [
            env.ref("relationship_marketing.group_relationship_manager").id,
            env.ref("base.group_partner_manager").id,
        ]
        if not user:
            user = (
                env["res.users"]
                .with_context(no_reset_password=True)
                .create(
                    {
                        "name": "Benchmark Manager",
                        "login": BENCH_LOGIN,
                        "password": BENCH_PASSWORD,
                        "email": "bench@example.com",
                        "groups_id": [(6, 0, [env.ref("base.group_user").id, *groups])],
                    }
                )
            )
        emit("setup", uid=user.id)


# ---------------------------------------------------------------------------- crons


def run_cron(db, xmlid):
    """Run a cron to completion as a cron worker would; return (seconds, calls, done)."""
    import odoo
    from odoo.modules.registry import Registry

    registry = Registry(db)
    with odoo_env(db) as env:
        cron = env.ref(xmlid)
        cron_id = cron.id
        env.cr.execute(
            "UPDATE ir_cron SET nextcall = (now() at time zone 'UTC') - interval '1 second', "
            "active = true WHERE id = %s",
            [cron_id],
        )
        env.cr.execute("SELECT coalesce(max(id), 0) FROM ir_cron_progress")
        last_progress = env.cr.fetchone()[0]
    IrCron = registry["ir.cron"]
    connection = odoo.sql_db.db_connect(db)
    jobs = 0
    with Timer() as timer:
        while True:
            with connection.cursor() as cron_cr:
                job = IrCron._acquire_one_job(cron_cr, cron_id)
                if not job:
                    break
                IrCron._process_job(connection, cron_cr, job)
                jobs += 1
    with odoo_env(db) as env:
        env.cr.execute(
            "SELECT count(*), coalesce(sum(done), 0) FROM ir_cron_progress "
            "WHERE cron_id = %s AND id > %s",
            [cron_id, last_progress],
        )
        calls, done = env.cr.fetchone()
    return timer, calls, done, jobs


def cmd_cron(args):
    """A cron over all partners, run ``--runs`` times (the second one has nothing to create)."""
    for run in range(1, args.runs + 1):
        with odoo_env(args.db) as env:
            counts = count_records(env, args.count_model)
        timer, calls, done, jobs = run_cron(args.db, args.xmlid)
        with odoo_env(args.db) as env:
            after = count_records(env, args.count_model)
        created = {model: after[model] - counts[model] for model in counts}
        log(f"cron {args.xmlid} run {run}: {timer.seconds:.2f}s, {calls} calls, created {created}")
        emit(
            "cron",
            xmlid=args.xmlid,
            run=run,
            seconds=timer.seconds,
            cpu_seconds=timer.cpu_seconds,
            calls=calls,
            done=done,
            jobs=jobs,
            created=created,
        )


def count_records(env, models):
    counts = {}
    for model in models or ():
        if model in env:
            env.cr.execute(f'SELECT count(*) FROM "{env[model]._table}"')
            counts[model] = env.cr.fetchone()[0]
    return counts


# ---------------------------------------------------------------------------- nightly


def one_by_one(db, partner_ids, fields):
    """Recompute these partners one at a time, each flushed on its own; rolled back.

    :return: (seconds, queries)
    """
    with odoo_env(db) as env:
        Partner = env["res.partner"].with_context(active_test=False)
        depth = hasattr(Partner, "_relationship_refresh_depth")
        tie_count = Partner._fields.get("relationship_tie_count")
        queries = 0
        with Timer() as timer:
            for partner in Partner.browse(partner_ids):
                before = env.cr.sql_log_count
                for field in fields:
                    env.add_to_compute(field, partner)
                env.flush_all()
                # What the nightly cron does for a batch, done for one partner.
                if tie_count is not None:
                    env.add_to_compute(tie_count, partner)
                if depth:
                    partner._relationship_refresh_depth(reason="Nightly recomputation")
                partner._relationship_advance_stages(reason="Nightly recomputation")
                env.flush_all()
                queries += env.cr.sql_log_count - before
        env.cr.rollback()
    return timer.seconds, queries


def once_a_night(db):
    """What the cron does once per night over all customers (ranks, top customers,
    expired memberships): the same whichever way; timed and rolled back."""
    with odoo_env(db) as env:
        Partner = env["res.partner"]
        with Timer() as timer:
            for company in env["res.company"].search([]):
                Partner._relationship_refresh_scores(company)
                if hasattr(Partner, "_relationship_refresh_pareto"):
                    Partner._relationship_refresh_pareto(company)
            Membership = (
                env["relationship.membership"] if "relationship.membership" in env else None
            )
            if Membership is not None and hasattr(Membership, "_relationship_expire"):
                Membership._relationship_expire()
            env.flush_all()
        env.cr.rollback()
    return timer.seconds


def cmd_nightly(args):
    """Full nightly recomputation, against one-by-one ORM recomputation of a sample.

    The sample is recomputed in two halves, one before and one after the full
    path, so that a change of load on the machine weighs on both alike.
    """
    db = args.db
    with odoo_env(db) as env:
        Partner = env["res.partner"].with_context(active_test=False)
        ids = Partner.search(nightly_domain(), order="id").ids
        fields = figure_fields(env)
        in_cron = hasattr(Partner, "_relationship_refresh_figures")
        env["ir.config_parameter"].set_param(REFRESH_CURSOR, 0)
    log(f"nightly: {len(ids)} partners; recomputed fields: {', '.join(f.name for f in fields)}")
    sample = random.Random(args.seed).sample(ids, min(args.sample, len(ids)))
    halves = [sorted(sample[: len(sample) // 2]), sorted(sample[len(sample) // 2 :])]
    base_seconds, base_queries = one_by_one(db, halves[0], fields)
    scores = once_a_night(db)

    # The real thing: figures of every partner, set-based in batches (unless
    # the cron rebuilds them itself), then the nightly cron through the cron
    # runner (scores, stages and whatever else the cron recomputes).
    figure_queries = 0
    with Timer() as figures, odoo_env(db) as env:
        Partner = env["res.partner"].with_context(active_test=False)
        for start in range(0, 0 if in_cron else len(ids), FIGURES_BATCH):
            before = env.cr.sql_log_count
            batch = Partner.browse(ids[start : start + FIGURES_BATCH])
            for field in fields:
                env.add_to_compute(field, batch)
            env.flush_all()
            env.cr.commit()
            env.invalidate_all()
            figure_queries += env.cr.sql_log_count - before
    log(
        "figures: in the nightly cron"
        if in_cron
        else f"figures: {figures.seconds:.2f}s ({figure_queries} queries)"
    )
    cron_timer, calls, done, jobs = run_cron(db, NIGHTLY_CRON)
    log(f"nightly cron: {cron_timer.seconds:.2f}s in {calls} calls over {done} partners")

    seconds, queries = one_by_one(db, halves[1], fields)
    base_seconds += seconds
    base_queries += queries
    per_partner = base_seconds / max(len(sample), 1)
    baseline = per_partner * len(ids) + scores
    log(
        f"baseline: {len(sample)} partners one by one in {base_seconds:.2f}s "
        f"({per_partner * 1000:.1f} ms, {base_queries / max(len(sample), 1):.0f} queries "
        f"each) -> {baseline:.0f}s for {len(ids)}"
    )
    total = figures.seconds + cron_timer.seconds
    emit(
        "nightly",
        partners=len(ids),
        seconds=total,
        figures_seconds=figures.seconds,
        figures_queries=figure_queries,
        figures_in_cron=in_cron,
        cron_seconds=cron_timer.seconds,
        cron_calls=calls,
        cron_done=done,
        baseline_seconds=baseline,
        baseline_sample=len(sample),
        baseline_sample_seconds=base_seconds,
        baseline_queries_per_partner=base_queries / max(len(sample), 1),
        scores_seconds=scores,
        fields=[f.name for f in fields],
    )
    # The reports' refresh that the nightly's last batch started, as a cron
    # worker runs it.
    with odoo_env(db) as env:
        has_reports = bool(env.ref(REPORTS_CRON, raise_if_not_found=False))
    if has_reports:
        reports_timer, _calls, _done, _jobs = run_cron(db, REPORTS_CRON)
        log(f"reports refreshed after the nightly: {reports_timer.seconds:.2f}s")
        emit("reports_refresh", seconds=reports_timer.seconds)
    # Second night: nothing changed since the first.
    with odoo_env(db) as env:
        env["ir.config_parameter"].set_param(REFRESH_CURSOR, 0)
    cron_timer, calls, done, jobs = run_cron(db, NIGHTLY_CRON)
    log(f"nightly cron again: {cron_timer.seconds:.2f}s")
    emit("nightly_again", seconds=cron_timer.seconds, calls=calls, done=done)


def cmd_settle(args):
    """The first nightly run after the bulk load: what years of nights would have done.

    Enrols the buyers in the programmes, computes points, tiers, segments and
    phases, and lets customers climb the rungs that need them (Member,
    Advocate). Timed and reported, without target: it is a one-off.
    """
    with odoo_env(args.db) as env:
        env["ir.config_parameter"].set_param(REFRESH_CURSOR, 0)
        counts = count_records(env, SETTLE_MODELS)
    timer, calls, done, jobs = run_cron(args.db, NIGHTLY_CRON)
    with odoo_env(args.db) as env:
        after = count_records(env, SETTLE_MODELS)
    created = {model: after[model] - counts[model] for model in counts}
    log(f"first nightly after the load: {timer.seconds:.1f}s in {calls} calls, created {created}")
    emit("settle", seconds=timer.seconds, calls=calls, done=done, created=created)


SETTLE_MODELS = (
    "relationship.stage.history",
    "relationship.phase.history",
    "relationship.membership",
    "relationship.tier.change",
    "mail.message",
)


# ---------------------------------------------------------------------------- ingestion


def ingest_rows(cr, count, tag, seed=11):
    """``count`` purchase rows of one source: new orders of its existing customers."""
    rng = random.Random(f"{seed}-{tag}")
    cr.execute(
        "SELECT source FROM relationship_customer_ref "
        "GROUP BY source ORDER BY count(*) DESC LIMIT 1"
    )
    source = cr.fetchone()[0]
    cr.execute(
        "SELECT r.external_id, p.email, p.name FROM relationship_customer_ref r "
        "JOIN res_partner p ON p.id = r.partner_id WHERE r.source = %s ORDER BY r.id",
        [source],
    )
    refs = cr.fetchall()
    now = time.time()
    rows = []
    for n in range(count):
        customer, email, name = rng.choice(refs)
        moment = time.strftime(
            "%Y-%m-%d %H:%M:%S", time.gmtime(now - rng.randint(3600, 30 * 86400))
        )
        amount = round(rng.lognormvariate(4.2, 0.8), 2)
        rows.append(
            {
                "order_id": f"BENCH-{tag}-{n:05d}",
                "order_date": moment,
                "customer_id": customer,
                "email": email,
                "name": name,
                "amount": amount,
                "margin": round(amount * 0.3, 2),
                "channel": "web",
            }
        )
    return source, rows


# "[0.123 ms] query: INSERT INTO "relationship_purchase" ..." (odoo.sql_db at DEBUG);
# the statement may start on a new line.
_WRITE_RE = re.compile(r'query:\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?(\w+)"?', re.IGNORECASE)
# The columns an UPDATE sets: 'SET "a" = "__tmp"."a"::int4, "b" = ... FROM/WHERE'.
_SET_CLAUSE_RE = re.compile(r"\bSET\b(.*?)(?:\bFROM\b|\bWHERE\b|$)", re.IGNORECASE | re.DOTALL)
_SET_COLUMN_RE = re.compile(r'(?:^|,)\s*"?(\w+)"?\s*=')


class _StatementKinds(logging.Handler):
    """Counts the writing statements per kind and table from Odoo's own SQL log.

    The ORM writes one UPDATE per set of columns that its rows change (and per
    100 rows): an UPDATE's key holds its columns, so that a batch whose rows
    change more kinds of figures is not taken for one that writes row by row.
    """

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.writes = {}

    def emit(self, record):
        message = record.getMessage()
        match = _WRITE_RE.search(message)
        if match:
            kind = match.group(1).split()[0].upper()
            key = f"{kind} {match.group(2)}"
            if kind == "UPDATE":
                clause = _SET_CLAUSE_RE.search(message)
                columns = sorted(set(_SET_COLUMN_RE.findall(clause.group(1) if clause else "")))
                key += f" ({', '.join(columns)})"
            self.writes[key] = self.writes.get(key, 0) + 1

    def per_table(self):
        tables = {}
        for key, count in self.writes.items():
            table = key.split(" (")[0]
            tables[table] = tables.get(table, 0) + count
        return dict(sorted(tables.items()))


@contextlib.contextmanager
def statement_kinds():
    logger = logging.getLogger("odoo.sql_db")
    handler, level, propagate = _StatementKinds(), logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False  # counted, not printed
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


def cmd_ingest_queries(args):
    """Queries of one ingestion batch for existing customers, at two batch sizes.

    The ORM writes 100 rows per INSERT and per UPDATE: a batch's reads must not
    grow with its size, its writes by at most one statement per 100 rows for
    each table and kind it writes (the statements are counted by kind and table
    from Odoo's SQL log).
    """
    with odoo_env(args.db) as env:
        user = env["res.users"].search([("login", "=", BENCH_LOGIN)])
        company = user.company_id
        Purchase = (
            env["relationship.purchase"]
            .with_user(user)
            .with_context(allowed_company_ids=company.ids)
        )
        counts = {}
        # A first batch warms the caches, as a connector's earlier batches do.
        source, rows = ingest_rows(env.cr, 20, "warm")
        Purchase.ingest_batch(rows, source)
        for size in args.sizes:
            source, rows = ingest_rows(env.cr, size, f"q{size}")
            env.invalidate_all()
            before = env.cr.sql_log_count
            with statement_kinds() as kinds, Timer() as timer:
                answer = Purchase.ingest_batch(rows, source)
            counts[size] = env.cr.sql_log_count - before
            writes = sum(kinds.writes.values())
            log(
                f"ingest {size} rows: {counts[size]} queries ({writes} writing: "
                f"{kinds.per_table()}), {timer.seconds:.2f}s in process "
                f"({answer['counts']})"
            )
            emit(
                "ingest_queries",
                rows=size,
                queries=counts[size],
                reads=counts[size] - writes,
                writes=kinds.writes,
                seconds=timer.seconds,
                counts=answer["counts"],
            )
        env.cr.rollback()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--profile", help="write a cProfile of the command to this file")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("setup")
    sub.add_parser("settle")
    nightly = sub.add_parser("nightly")
    nightly.add_argument("--sample", type=int, default=200)
    cron = sub.add_parser("cron")
    cron.add_argument("xmlid")
    cron.add_argument("--runs", type=int, default=2)
    cron.add_argument("--count-model", action="append", default=[])
    queries = sub.add_parser("ingest-queries")
    queries.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    args = parser.parse_args()
    command = {
        "setup": cmd_setup,
        "settle": cmd_settle,
        "nightly": cmd_nightly,
        "cron": cmd_cron,
        "ingest-queries": cmd_ingest_queries,
    }[args.command]
    if not args.profile:
        command(args)
        return
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.runcall(command, args)
    profiler.dump_stats(args.profile)
    pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
