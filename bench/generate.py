# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Seeded generator of a realistic relationship marketing database.

    python3 bench/generate.py --db rm_bench_small --partners 2000 --purchases 20000 [--seed 7]

On a database where the addons are installed (and nothing else was loaded), it
writes, with PostgreSQL ``COPY`` into the addons' tables:

* customers: persons and companies, with names, emails, VAT numbers, birthdays,
  a salesperson, an industry and tags (the segments), a customer id in their
  home source system (``relationship.customer.ref``);
* purchases over the last three years with a long tail: the number of orders
  per customer is log-normal (a few customers buy very often, most a few
  times, some never: the prospects), customers are acquired at a growing pace,
  a third of them go quiet at some point, amounts are log-normal too;
* referrals: about one customer in twenty was recommended by an earlier one;
* the ladder as years of ingestion would have left it: each customer's stage
  and its stage history, dated at the purchase that made it climb;
* the partner figures (orders, revenue, first and last purchase).

Stored computed fields that other parts of the addons add to partners or
purchases, and the defaults of their plain fields, are then filled through the
ORM in batches, so that the database is consistent whatever has landed. The
generator is deterministic for a given seed, size and day.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import deque
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bulk import copy_rows  # noqa: E402
from common import Timer, emit, log, odoo_env  # noqa: E402
from depth_data import configure_depth, fill_other_fields  # noqa: E402

FIRST = (
    "Ada Alan Anna Ben Carla Chloe Daniel Eva Felix Grace Hugo Ines Jan Julia Karl Lea Liam "
    "Lucas Maria Mila Noah Nora Olga Omar Paul Petra Rosa Sami Sara Theo Uma Vera Wim Yara Zoe"
).split()
LAST = (
    "Smith Jansen Peeters Martin Bernard Dubois Lambert Muller Schmidt Rossi Russo Garcia Lopez "
    "Novak Horvat Kowalski Nielsen Larsen Berg Virtanen Murphy Kelly Walsh Costa Silva Santos "
    "Andersen Fischer Weber Wagner Becker Hoffmann Vos Claes Maes Willems"
).split()
COMPANY_WORDS = "Alpine Nordic Urban Green Summit River Coastal Bright Prime Solid Atlas".split()
COMPANY_KINDS = "Outfitters Supplies Trading Logistics Studio Works Partners Group Retail".split()
TAGS = [
    "Hiking",
    "Climbing",
    "Running",
    "Cycling",
    "Camping",
    "Skiing",
    "Water sports",
    "Family",
    "Premium",
    "Bargain hunter",
    "Newsletter",
    "Events",
]
SOURCES = (("webshop", "W", "web", 0.7), ("pos", "P", "store", 0.3))
COMPANY_ID = 1
# Columns of relationship_purchase that the rows leave to their defaults.
PURCHASE_DEFAULTED = ("state", "amount_refunded", "amount_refunded_company")
# Columns of relationship_purchase derived from the others, as the ORM computes them.
PURCHASE_DERIVED = {
    "commercial_partner_id": "partner_id",
    "company_currency_id": "currency_id",  # every purchase is in the company's currency
    "counts_as_order": "TRUE",
    "amount_net_company": "amount_company",
    "margin_net_company": "margin_company",
}


class Ladder:
    """The company's stages, evaluated as ``relationship.stage._qualifies`` does."""

    def __init__(self, stages):
        self.stages = stages  # dicts ordered by sequence
        self.periods = sorted({stage["period_days"] for stage in stages if stage["period_days"]})

    def target(self, figures):
        target = None
        for stage in self.stages:
            period = stage["period_days"]
            orders = figures["orders"][period]
            revenue = figures["revenue"][period]
            if not (
                orders >= stage["min_order_count"]
                and revenue >= stage["min_revenue"]
                and figures["referrals"] >= stage["min_referral_count"]
                and (figures["member"] or not stage["require_membership"])
                and (figures["agreement"] or not stage["require_agreement"])
            ):
                break
            target = stage
        return target


def split_counts(rng, weights, total):
    """Integers proportional to ``weights`` (each at least 1) summing to ``total``."""
    n = len(weights)
    if not n:
        return []
    extra = max(total - n, 0)
    scale = sum(weights)
    raw = [w / scale * extra for w in weights]
    counts = [1 + int(r) for r in raw]
    missing = total - sum(counts)
    order = sorted(range(n), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    for i in order[: max(missing, 0)]:
        counts[i] += 1
    return counts


def reference_data(env):
    """The company's currency and ladder, and salespeople, tags and industries to use."""
    company = env["res.company"].browse(COMPANY_ID)
    currency_id = company.currency_id.id
    stage_records = env["relationship.stage"].search([("company_id", "=", COMPANY_ID)])
    stages = [
        {
            "id": s.id,
            "sequence": s.sequence,
            "min_order_count": s.min_order_count,
            "min_revenue": s.min_revenue,
            "period_days": s.period_days,
            "min_referral_count": s.min_referral_count,
            "require_membership": s.require_membership,
            "require_agreement": s.require_agreement,
        }
        for s in stage_records
    ]

    group_user = env.ref("relationship_marketing.group_relationship_user")
    salespeople = (
        env["res.users"]
        .with_context(no_reset_password=True, tracking_disable=True)
        .create(
            [
                {
                    "name": f"{FIRST[i]} {LAST[-1 - i]} (sales)",
                    "login": f"rm_bench_sales_{i}",
                    "email": f"sales{i}@bench.example.com",
                    "groups_id": [(4, group_user.id)],
                }
                for i in range(8)
            ]
        )
    )
    tags = env["res.partner.category"].create([{"name": name} for name in TAGS])
    industries = env["res.partner.industry"].search([]).ids or [None]
    env.flush_all()
    return currency_id, stages, tags, industries, salespeople.ids


def customer_plan(rng, partners, purchases, start, span, today):
    """Who buys, how often, from when to when, and who referred whom."""
    ids = range(partners)
    prospect_share = 0.08
    is_customer = [rng.random() >= prospect_share for _ in ids]
    weights = [rng.lognormvariate(0.0, 1.1) for _ in ids]
    customer_index = [i for i, c in enumerate(is_customer) if c]
    counts = dict(
        zip(
            customer_index,
            split_counts(rng, [weights[i] for i in customer_index], purchases),
            strict=True,
        )
    )
    # Acquisition at a growing pace; a third of the customers go quiet at some point.
    acquired, quiet_after = {}, {}
    for i in range(partners):
        acquired[i] = start + timedelta(days=int(span * rng.random() ** 0.7))
        if rng.random() < 0.35:
            quiet_after[i] = acquired[i] + timedelta(
                days=int((today - acquired[i]).days * rng.random())
            )
    referred_by = {}
    for i in customer_index:
        if i > 50 and rng.random() < 0.05:
            j = rng.randrange(0, i)
            if is_customer[j] and acquired[j] <= acquired[i]:
                referred_by[i] = j
    referral_count = {}
    for j in referred_by.values():
        referral_count[j] = referral_count.get(j, 0) + 1

    return is_customer, counts, acquired, quiet_after, referred_by, referral_count


def generate(env, partners, purchases, seed, today=None):
    rng = random.Random(seed)
    cr = env.cr
    today = today or date.today()
    now = datetime.combine(today, datetime.min.time()).replace(hour=6)
    start = today - timedelta(days=3 * 365)
    span = (today - start).days
    latest = datetime.now().replace(microsecond=0) - timedelta(hours=1)
    admin = env.ref("base.user_admin")

    currency_id, stages, tags, industries, user_ids = reference_data(env)
    tag_ids = tags.ids
    ladder = Ladder(stages)
    prospect_stage = stages[0]
    sequence_of = {s["id"]: s["sequence"] for s in stages}

    # ------------------------------------------------------------- customers
    cr.execute("SELECT nextval('res_partner_id_seq')")
    first_id = cr.fetchone()[0]
    cr.execute("SELECT setval('res_partner_id_seq', %s)", [first_id + partners])
    ids = list(range(first_id, first_id + partners))

    plan = customer_plan(rng, partners, purchases, start, span, today)
    _is_customer, counts, acquired, quiet_after, referred_by, referral_count = plan

    partner_rows, ref_rows, tag_rows, history_rows = [], [], [], []
    source_counters = {name: 0 for name, *_ in SOURCES}
    purchase_total = 0

    purchase_columns = (
        "partner_id",
        "company_id",
        "currency_id",
        "create_uid",
        "write_uid",
        "name",
        "source",
        "external_id",
        "channel",
        "customer_ref",
        "amount",
        "margin",
        "amount_company",
        "margin_company",
        "date_order",
        "create_date",
        "write_date",
    )

    def purchase_rows():
        nonlocal purchase_total
        for i in range(partners):
            pid = ids[i]
            person = rng.random() >= 0.15
            first, last = rng.choice(FIRST), rng.choice(LAST)
            if person:
                name = f"{first} {last}"
                email = f"{first}.{last}.{i}@example.com".lower()
                vat = None
            else:
                name = f"{rng.choice(COMPANY_WORDS)} {rng.choice(COMPANY_KINDS)} {i}"
                email = f"orders.{i}@{name.split()[0].lower()}-{i}.example.com"
                vat = f"BE0{400000000 + i * 7 % 599999999:09d}"
            home, prefix, channel, _share = SOURCES[0] if rng.random() < 0.75 else SOURCES[1]
            ref = f"C{i:07d}"
            created = datetime.combine(acquired[i], datetime.min.time()) + timedelta(
                hours=rng.randint(7, 20), minutes=rng.randint(0, 59)
            )
            # purchases
            count = counts.get(i, 0)
            end = quiet_after.get(i, today)
            days = max((end - acquired[i]).days, 0)
            dates = sorted(
                min(
                    created + timedelta(days=rng.randint(0, days), minutes=rng.randint(0, 600)),
                    latest,
                )
                for _ in range(count)
            )
            if dates:
                dates[0] = created
            scale = rng.lognormvariate(0.0, 0.5)
            figures = {
                "orders": {0: 0, **{p: 0 for p in ladder.periods}},
                "revenue": {0: 0.0, **{p: 0.0 for p in ladder.periods}},
                "referrals": referral_count.get(i, 0),
                "member": False,
                "agreement": False,
            }
            windows = {p: deque() for p in ladder.periods}
            stage = None
            revenue = 0.0
            for moment in dates:
                source, sprefix, schannel, _ = SOURCES[0] if rng.random() < 0.85 else SOURCES[1]
                if source != home and rng.random() < 0.5:
                    source, sprefix, schannel = home, prefix, channel
                source_counters[source] += 1
                external = f"{sprefix}{source_counters[source]:08d}"
                amount = round(rng.lognormvariate(4.2, 0.8) * scale, 2)
                margin = round(amount * rng.uniform(0.15, 0.45), 2)
                revenue += amount
                purchase_total += 1
                yield (
                    pid,
                    COMPANY_ID,
                    currency_id,
                    admin.id,
                    admin.id,
                    f"{source}/{external}",
                    source,
                    external,
                    schannel,
                    ref,
                    amount,
                    margin,
                    amount,
                    margin,
                    moment,
                    moment,
                    moment,
                )
                figures["orders"][0] += 1
                figures["revenue"][0] += amount
                for period, window in windows.items():
                    window.append((moment, amount))
                    while window and window[0][0] < moment - timedelta(days=period):
                        window.popleft()
                    figures["orders"][period] = len(window)
                    figures["revenue"][period] = sum(a for _m, a in window)
                target = ladder.target(figures)
                if target and (stage is None or target["sequence"] > sequence_of[stage]):
                    history_rows.append(
                        (
                            pid,
                            COMPANY_ID,
                            stage,
                            target["id"],
                            admin.id,
                            admin.id,
                            admin.id,
                            "automatic",
                            f"Purchases from {source}",
                            True,
                            moment,
                            moment,
                            moment,
                        )
                    )
                    stage = target["id"]
                    stage_date = moment
            if stage is None:
                stage = prospect_stage["id"]
                stage_date = created
                history_rows.append(
                    (
                        pid,
                        COMPANY_ID,
                        None,
                        stage,
                        admin.id,
                        admin.id,
                        admin.id,
                        "manual",
                        "Set by hand",
                        True,
                        created,
                        created,
                        created,
                    )
                )
            user_id = rng.choice(user_ids) if rng.random() < 0.8 else None
            birthday = (
                date(rng.randint(1950, 2004), rng.randint(1, 12), rng.randint(1, 28))
                if person and rng.random() < 0.3
                else None
            )
            partner_rows.append(
                (
                    pid,
                    name,
                    name,
                    COMPANY_ID,
                    "contact",
                    True,
                    not person,
                    "en_US",
                    email,
                    email,
                    f"+32 2 {i % 1000:03d} {i // 1000 % 100:02d} {i % 97:02d}",
                    vat,
                    vat.upper() if vat else None,
                    pid,
                    user_id,
                    rng.choice(industries) if not person or rng.random() < 0.3 else None,
                    True,
                    False,
                    0,
                    0,
                    created,
                    created,
                    admin.id,
                    admin.id,
                    count,
                    round(revenue, 2),
                    round(revenue / count, 2) if count else 0.0,
                    dates[0].date() if dates else None,
                    dates[-1].date() if dates else None,
                    stage,
                    stage_date,
                    ids[referred_by[i]] if i in referred_by else None,
                    referral_count.get(i, 0),
                    birthday,
                    False,
                    False,
                    False,
                )
            )
            if count:
                ref_rows.append((pid, COMPANY_ID, admin.id, admin.id, home, ref, created, created))
            for tag in rng.sample(tag_ids, k=rng.choice((0, 0, 1, 1, 1, 2))):
                tag_rows.append((tag, pid))

    partner_columns = (
        "id",
        "name",
        "complete_name",
        "company_id",
        "type",
        "active",
        "is_company",
        "lang",
        "email",
        "email_normalized",
        "phone",
        "vat",
        "relationship_vat_key",
        "commercial_partner_id",
        "user_id",
        "industry_id",
        "partner_share",
        "employee",
        "color",
        "message_bounce",
        "create_date",
        "write_date",
        "create_uid",
        "write_uid",
        "relationship_order_count",
        "relationship_revenue",
        "relationship_average_order",
        "relationship_first_purchase",
        "relationship_last_purchase",
        "relationship_stage_id",
        "relationship_stage_date",
        "relationship_referred_by_id",
        "relationship_referral_count",
        "relationship_birthday",
        "relationship_stage_locked",
        "relationship_membership_active",
        "relationship_agreement",
    )

    timings = {}
    with Timer() as t:
        # Purchases reference partners: build the partner rows while streaming the
        # purchases into a temporary table, then COPY partners and move purchases.
        cr.execute(
            "CREATE TEMP TABLE rm_bench_purchase (LIKE relationship_purchase INCLUDING DEFAULTS) "
            "ON COMMIT DROP"
        )
        # What the ORM would fill in for a new purchase: not cancelled, nothing refunded.
        cr.execute(
            "ALTER TABLE rm_bench_purchase ALTER state SET DEFAULT 'done', "
            "ALTER amount_refunded SET DEFAULT 0, ALTER amount_refunded_company SET DEFAULT 0"
        )
        copy_rows(cr, "rm_bench_purchase", purchase_columns, purchase_rows())
    timings["generate_purchases"] = t.seconds
    with Timer() as t:
        copy_rows(cr, "res_partner", partner_columns, partner_rows)
        copy_rows(
            cr,
            "relationship_customer_ref",
            (
                "partner_id",
                "company_id",
                "create_uid",
                "write_uid",
                "source",
                "external_id",
                "create_date",
                "write_date",
            ),
            ref_rows,
        )
        copy_rows(
            cr, "res_partner_res_partner_category_rel", ("category_id", "partner_id"), tag_rows
        )
        copy_rows(
            cr,
            "relationship_stage_history",
            (
                "partner_id",
                "company_id",
                "stage_from_id",
                "stage_to_id",
                "user_id",
                "create_uid",
                "write_uid",
                "move_type",
                "reason",
                "is_forward",
                "date",
                "create_date",
                "write_date",
            ),
            history_rows,
        )
        cols = ", ".join((*purchase_columns, *PURCHASE_DEFAULTED))
        # What the ORM derives for a new purchase (issue 16): the buyer is its
        # own account (no contact of a company here), nothing is refunded.
        derived = ", ".join(PURCHASE_DERIVED)
        sources = ", ".join(PURCHASE_DERIVED.values())
        cr.execute(
            f"INSERT INTO relationship_purchase ({cols}, {derived}) "
            f"SELECT {cols}, {sources} FROM rm_bench_purchase "
            "ORDER BY date_order"
        )
        cr.execute("DROP TABLE rm_bench_purchase")
    timings["copy"] = t.seconds
    with Timer() as t:
        for table in (
            "res_partner",
            "relationship_purchase",
            "relationship_customer_ref",
            "relationship_stage_history",
            "res_partner_res_partner_category_rel",
        ):
            cr.execute(f"ANALYZE {table}")
    timings["analyze"] = t.seconds
    cr.commit()
    env.invalidate_all()
    log(
        f"generated {partners} partners, {purchase_total} purchases, {len(history_rows)} stage "
        f"moves, {len(referred_by)} referrals, {len(tag_rows)} tags in "
        f"{sum(timings.values()):.1f}s"
    )
    filled = {
        "res.partner": set(partner_columns),
        "relationship.purchase": {*purchase_columns, *PURCHASE_DEFAULTED},
    }
    with Timer() as t:
        for model, columns in filled.items():
            fill_other_fields(env, model, columns, ids if model == "res.partner" else None)
    timings["fill_other_fields"] = t.seconds
    with Timer() as t:
        depth = configure_depth(env, tags, industries)
    timings["configure_depth"] = t.seconds
    env["ir.config_parameter"].set_param(
        "rm_bench.generated", f"{partners},{purchase_total},{seed},{today}"
    )
    cr.commit()
    return {
        "partners": partners,
        "purchases": purchase_total,
        "stage_moves": len(history_rows),
        "referrals": len(referred_by),
        "first_partner_id": first_id,
        "depth": depth,
        "timings": timings,
        "now": str(now),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--partners", type=int, required=True)
    parser.add_argument("--purchases", type=int, required=True)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with odoo_env(args.db, context={"tracking_disable": True}) as env:
        result = generate(env, args.partners, args.purchases, args.seed)
    emit("generate", **result)


if __name__ == "__main__":
    main()
