# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What the benchmark scripts share: where Odoo is, the sizes, an Odoo environment."""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# RM_BENCH_ADDONS_DIR: benchmark another copy of the addons (e.g. a snapshot of a commit).
ADDONS_DIR = Path(os.environ.get("RM_BENCH_ADDONS_DIR") or REPO / "addons").resolve()


def _odoo_root() -> Path:
    """Where Odoo is: RM_BENCH_ODOO_ROOT, else the installed ``odoo`` package.

    As tests/run does, the package is found without importing it; its parent is
    the source tree (with odoo-bin and addons/) of a checkout or an editable
    install, and the package's own addons/ serves a packaged install.
    """
    if os.environ.get("RM_BENCH_ODOO_ROOT"):
        return Path(os.environ["RM_BENCH_ODOO_ROOT"])
    spec = importlib.util.find_spec("odoo")
    if spec is None or not spec.submodule_search_locations:
        sys.exit(
            "Odoo is not importable by this Python: install Odoo 18.0 "
            "(bash ../shared/odoo/install.sh, see the README) or set RM_BENCH_ODOO_ROOT"
        )
    return Path(next(iter(spec.submodule_search_locations))).resolve().parent


ODOO_ROOT = _odoo_root()
ADDONS_PATH = ",".join(
    str(p)
    for p in (
        ODOO_ROOT / "addons",
        ODOO_ROOT / "odoo" / "addons",
        ADDONS_DIR,
        *[
            Path(extra)
            for extra in os.environ.get("RM_BENCH_EXTRA_ADDONS_PATH", "")
            .replace(":", ",")
            .split(",")
            if extra
        ],
    )
    if p.is_dir()
)

# partners, purchases
SIZES = {
    "tiny": (300, 3_000),
    "small": (2_000, 20_000),
    "medium": (20_000, 200_000),
    "large": (100_000, 1_000_000),
}

# The addons of this repository that the benchmark installs, in dependency order;
# each is installed only when its folder is there and its manifest installable.
# (relationship_marketing_queue is left out: the targets are for one worker.)
ADDONS = [
    "relationship_marketing",
    "relationship_marketing_followup",
    "relationship_marketing_dashboard",
]

# Odoo's defaults for a worker (odoo/tools/config.py), in bytes.
LIMIT_MEMORY_SOFT = 2048 * 1024 * 1024

BENCH_LOGIN = "rm_bench_user"
BENCH_PASSWORD = "rm-bench-password"  # noqa: S105 -- a throwaway user of a throwaway database


def present_addons():
    """The addons of ``ADDONS`` that exist in this tree and say they are installable."""
    import ast

    found = []
    for name in ADDONS:
        manifest = ADDONS_DIR / name / "__manifest__.py"
        if not manifest.is_file():
            continue
        try:
            values = ast.literal_eval(manifest.read_text())
        except (SyntaxError, ValueError):
            continue
        if values.get("installable", True):
            found.append(name)
    return found


def odoo_argv(db, *extra):
    return ["-d", db, f"--addons-path={ADDONS_PATH}", "--log-level=warn", *extra]


@contextlib.contextmanager
def odoo_env(db, uid=None, context=None):
    """An Odoo environment on ``db`` (superuser by default), committed at the end."""
    import odoo
    from odoo.modules.registry import Registry
    from odoo.tools import config

    if not getattr(odoo_env, "configured", False):
        config.parse_config(odoo_argv(db))
        odoo.netsvc.init_logger()
        odoo_env.configured = True
    registry = Registry(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, uid or odoo.SUPERUSER_ID, dict(context or {}))
        yield env
        cr.commit()


def registry(db):
    from odoo.modules.registry import Registry

    return Registry(db)


class Timer:
    """``with Timer() as t: ...`` then ``t.seconds``."""

    def __enter__(self):
        self.start = time.perf_counter()
        self.cpu_start = time.process_time()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.start
        self.cpu_seconds = time.process_time() - self.cpu_start
        return False


def emit(kind, **values):
    """One result line for run.py: ``@@ {json}`` on stdout."""
    print("@@ " + json.dumps({"kind": kind, **values}, default=str), flush=True)


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)
