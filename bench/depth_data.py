# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the generator fills in beyond the rows it copies: programmes, communities,
ties and the other addons' stored fields, through the ORM in batches."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import log  # noqa: E402


def configure_depth(env, tags, industries):
    """What a consultant sets up when issue 3's models are there: segments, programmes.

    Segments by tags and by industry (beside the shipped 'All customers'), a
    frequency programme with tiers that enrols every buyer and makes members,
    and an affinity club. Memberships, points, tiers, segments and phases of
    the customers are then left to the first nightly recomputation (run.py's
    'settle' step), as after a bulk import.
    """
    done = []
    if "relationship.segment" in env:
        Segment = env["relationship.segment"]
        values = [
            {
                "name": "Outdoor enthusiasts",
                "rule": "tag",
                "sequence": 10,
                "category_ids": [(6, 0, tags[:5].ids)],
            },
            {
                "name": "Businesses",
                "rule": "industry",
                "sequence": 20,
                "industry_ids": [(6, 0, [i for i in industries[:8] if i])],
            },
        ]
        fields = Segment._fields
        values = [{k: v for k, v in vals.items() if k in fields} for vals in values]
        Segment.create(values)
        done.append("segments")
    if "relationship.programme" in env:
        Programme = env["relationship.programme"]
        fields = Programme._fields
        programme = Programme.create(
            {
                k: v
                for k, v in {
                    "name": "Summit Points",
                    "kind": "frequency",
                    "auto_enrol": True,
                    "counts_for_ladder": True,
                    "points_per_unit": 1.0,
                    "qualifying_days": 365,
                }.items()
                if k in fields
            }
        )
        if "relationship.programme.tier" in env:
            env["relationship.programme.tier"].create(
                [
                    {"name": name, "programme_id": programme.id, "threshold": threshold}
                    for name, threshold in (("Silver", 500), ("Gold", 2000), ("Platinum", 6000))
                ]
            )
        Programme.create(
            {
                k: v
                for k, v in {
                    "name": "Premium Club",
                    "kind": "club",
                    "club_access": "affinity",
                    "auto_enrol": True,
                    "counts_for_ladder": False,
                    "affinity_category_ids": [
                        (6, 0, tags.filtered(lambda t: t.name == "Premium").ids)
                    ],
                }.items()
                if k in fields
            }
        )
        done.append("programmes")
    env.flush_all()
    return done


def _ours(field):
    module = getattr(field, "_module", None) or ""
    return module.startswith("relationship_marketing")


def fill_other_fields(env, model_name, filled, ids=None, batch=10_000):
    """Defaults and stored computes that the COPY above did not write.

    Fields that other parts of the addons add to the generated models get,
    set-based: their default (one UPDATE), then their computed value (the ORM
    recomputation, in batches).
    """
    Model = env[model_name].with_context(active_test=False, tracking_disable=True)
    table = Model._table
    plain, computed = [], []
    for field in Model._fields.values():
        if not (field.store and field.column_type and _ours(field)) or field.name in filled:
            continue
        if field.compute:
            computed.append(field)
        elif field.default and not field.related:
            plain.append(field)
    for field in plain:
        value = field.convert_to_write(field.default(Model), Model)
        if value in (None, False, ""):
            continue
        env.cr.execute(
            f'UPDATE "{table}" SET "{field.name}" = %s WHERE "{field.name}" IS NULL', [value]
        )
        log(f"{model_name}.{field.name}: default {value!r}")
    if not computed:
        return
    if ids is None:
        env.cr.execute(f'SELECT id FROM "{table}" ORDER BY id')
        ids = [row[0] for row in env.cr.fetchall()]
    log(f"{model_name}: computing {', '.join(f.name for f in computed)} for {len(ids)} records")
    for start in range(0, len(ids), batch):
        records = Model.browse(ids[start : start + batch])
        for field in computed:
            env.add_to_compute(field, records)
        env.flush_all()
        env.cr.commit()
        env.invalidate_all()
