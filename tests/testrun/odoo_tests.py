# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The Odoo tests: install the addons on a fresh database, run their tests, gate the log."""

import ast
import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from .common import (
    BAD_LEVELS,
    LIVE_RE,
    LOG_RE,
    PYTHON,
    REPO,
    RESULT_RE,
    SKIP_MESSAGE,
    SKIP_RE,
    START_RE,
    Outcome,
    banner,
    coverage_enabled,
    coverage_gate,
    coverage_prefix,
    env_int,
    fmt_secs,
    free_port,
    run_streaming,
    say,
    split_paths,
)


def probe_odoo() -> dict | None:
    """Ask a fresh interpreter where Odoo lives; None where it is not importable."""
    code = (
        "import json, os, odoo\n"
        "p = odoo.__path__[0]\n"
        "paths = [os.path.join(os.path.dirname(p), 'addons'), os.path.join(p, 'addons')]\n"
        "import odoo.addons\n"
        "print(json.dumps({'path': p, 'version': odoo.release.version,\n"
        "  'addons': [a for a in paths if os.path.isdir(a)],\n"
        "  'packaged': [a for a in odoo.addons.__path__ if os.path.isdir(a)]}))\n"
    )
    try:
        out = subprocess.run(
            [PYTHON, "-c", code],
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
            cwd=tempfile.gettempdir(),  # so that no ./odoo folder shadows the real one
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        say(f"(import odoo failed: {exc})")
        return None
    if out.returncode != 0:
        last = (out.stderr.strip().splitlines() or ["?"])[-1]
        say(f"(import odoo failed with {PYTHON}: {last})")
        return None
    info = json.loads(out.stdout.strip().splitlines()[-1])
    # Keep only folders that really hold addons (source checkout: addons/ beside
    # the package; packaged: <package>/addons only).
    info["addons"] = [a for a in info["addons"] if is_addons_dir(Path(a))]
    # Addons installed with pip (e.g. OCA's odoo-addon-queue-job) live in
    # odoo.addons' namespace, which Odoo adds to its addons path itself.
    info["packaged"] = [a for a in info.get("packaged", []) if is_addons_dir(Path(a))]
    return info


def is_addons_dir(path: Path) -> bool:
    try:
        return any((child / "__manifest__.py").is_file() for child in path.iterdir())
    except OSError:
        return False


def read_manifest(addon_dir: Path) -> dict:
    return ast.literal_eval((addon_dir / "__manifest__.py").read_text(encoding="utf-8"))


def project_addons(addons_dir: Path) -> dict[str, dict]:
    found = {}
    if not addons_dir.is_dir():
        return found
    for child in sorted(addons_dir.iterdir()):
        if (child / "__manifest__.py").is_file():
            manifest = read_manifest(child)
            if manifest.get("installable", True):
                found[child.name] = manifest
            else:
                say(f"(addon {child.name} is not installable: not tested)")
    return found


def without_missing_dependencies(
    addons: dict[str, dict], paths: list[str]
) -> tuple[dict[str, dict], dict[str, list[str]]]:
    """Split off the addons that depend on an addon found nowhere on ``paths``
    (nor on any of our own addons that do): those cannot be installed here.

    :return: (the addons to test, {addon left out: the dependencies it misses})
    """
    available = {
        child.name
        for folder in paths
        if Path(folder).is_dir()
        for child in Path(folder).iterdir()
        if (child / "__manifest__.py").is_file()
    }
    testable, missing = dict(addons), {}
    changed = True
    while changed:  # an addon depending on a left-out addon is left out too
        changed = False
        for name, manifest in list(testable.items()):
            lacking = [
                dep
                for dep in manifest.get("depends", [])
                if dep not in testable and (dep in missing or dep not in available)
            ]
            if lacking:
                missing[name] = lacking
                del testable[name]
                changed = True
    return testable, missing


def pg_connect(dbname="postgres"):
    import psycopg2  # noqa: PLC0415 - Odoo's own dependency, present wherever Odoo is

    conn = psycopg2.connect(dbname=dbname, connect_timeout=10)
    conn.autocommit = True
    return conn


def drop_database(name: str) -> None:
    try:
        conn = pg_connect()
    except Exception as exc:  # noqa: BLE001
        say(f"!!! could not connect to drop database {name}: {exc}")
        return
    try:
        with conn.cursor() as cr:
            try:
                cr.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except Exception:  # noqa: BLE001 - PostgreSQL < 13 has no FORCE
                cr.execute(f'DROP DATABASE IF EXISTS "{name}"')
        say(f"dropped database {name}")
    except Exception as exc:  # noqa: BLE001
        say(f"!!! could not drop database {name}: {exc}")
    finally:
        conn.close()


def load_ignores() -> list[re.Pattern]:
    path = REPO / "tests" / "log-ignore.txt"
    pats = []
    if path.is_file():
        for raw in path.read_text(encoding="utf-8").splitlines():
            raw = raw.strip()
            if raw and not raw.startswith("#"):
                pats.append(re.compile(raw))
    return pats


def bad_log_lines(lines: list[str], ignores: list[re.Pattern], levels=BAD_LEVELS):
    """Lines at a forbidden level, each with the continuation lines that follow it."""
    found = []
    for i, line in enumerate(lines):
        m = LOG_RE.match(line)
        if not m or m["level"] not in levels:
            continue
        if any(p.search(line) for p in ignores):
            continue
        block = [line]
        for nxt in lines[i + 1 : i + 41]:
            if LOG_RE.match(nxt):
                break
            block.append(nxt)
        found.append(block)
    return found


def print_blocks(blocks, limit=30):
    for block in blocks[:limit]:
        say("  " + "\n    ".join(block))
    if len(blocks) > limit:
        say(f"  ... and {len(blocks) - limit} more (see the log file)")


def odoo_rc_file(data_dir: Path) -> tuple[Path, str]:
    """A private Odoo config file with the PG* settings (as --db_host & co, only when
    set): no password on a command line. Returns it and a printable description."""
    rc_file = data_dir / "odoo.conf"
    options = []
    for var, opt in (
        ("PGHOST", "db_host"),
        ("PGPORT", "db_port"),
        ("PGUSER", "db_user"),
        ("PGPASSWORD", "db_password"),
    ):
        if os.environ.get(var):
            options.append(f"{opt} = {os.environ[var]}")
    rc_file.write_text("\n".join(["[options]", *options]) + "\n", encoding="utf-8")
    rc_file.chmod(0o600)
    shown = [o for o in options if not o.startswith("db_password")]
    return rc_file, ", ".join(shown) or "libpq defaults"


class OdooTests:
    """Phase 1 installs the dependencies, phase 2 installs and tests our addons."""

    def __init__(self, args, logs: Path, info: dict, addons_dir: Path, addons: dict):
        self.args = args
        self.logs = logs
        self.out = Outcome("odoo")
        self.ours = sorted(addons)
        self.missing: dict[str, list[str]] = {}
        self.addons_dir = addons_dir
        deps = {d for m in addons.values() for d in m.get("depends", [])} - set(self.ours)
        self.deps = sorted(deps) or ["base"]
        extra = [
            str(Path(p).resolve()) for p in split_paths(os.environ.get("RM_EXTRA_ADDONS_PATH"))
        ]
        self.addons_path = ",".join(dict.fromkeys(info["addons"] + extra + [str(addons_dir)]))
        stamp = time.strftime("rm_test_%Y%m%d_%H%M%S")
        self.db = os.environ.get("RM_TEST_DB") or f"{stamp}_{os.getpid()}"
        self.data_dir = Path(tempfile.mkdtemp(prefix=f"{self.db}-data-"))
        self.port = free_port()
        rc_file, self.db_desc = odoo_rc_file(self.data_dir)
        self.timeout = env_int("RM_ODOO_TIMEOUT", 2400)
        self.tags = os.environ.get("RM_TEST_TAGS", "").strip()
        self.env = dict(os.environ)
        self.env.pop("ODOO_RC", None)  # our --config wins (the docker image sets ODOO_RC)
        self.base_cmd = [
            PYTHON, "-m", "odoo",
            "--config", str(rc_file),
            "--database", self.db,
            "--addons-path", self.addons_path,
            "--data-dir", str(self.data_dir),
            "--http-interface", "127.0.0.1",
            "--http-port", str(self.port),
            "--workers", "0",
            "--max-cron-threads", "0",
            "--log-level", "info",
            "--stop-after-init",
        ]  # fmt: skip

    def describe(self):
        say(f"addons tested:  {','.join(self.ours)}")
        say(f"dependencies:   {','.join(self.deps)}")
        say(f"addons path:    {self.addons_path}")
        say(f"database:       {self.db} (http port {self.port}; {self.db_desc})")

    def cleanup(self):
        if self.args.keep_db:
            say(f"kept database {self.db} and data dir {self.data_dir} (--keep-db)")
            return
        drop_database(self.db)
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def live(self, line: str) -> bool:
        """Which lines of the test phase are echoed (all of them with --verbose)."""
        if self.args.verbose:
            return True
        m = LOG_RE.match(line)
        return bool(m) and (m["level"] in BAD_LEVELS or bool(LIVE_RE.search(line)))

    def install_dependencies(self) -> bool:
        banner(f"Odoo 1/2: installing the dependencies ({','.join(self.deps)}), no tests")
        t1 = time.monotonic()
        log = self.logs / f"{self.db}-1-dependencies.log"
        rc, lines, timed_out = run_streaming(
            [*self.base_cmd, "--init", ",".join(self.deps)],
            log,
            env=self.env,
            timeout=self.timeout,
            show=lambda line: (
                self.args.verbose
                or bool((m := LOG_RE.match(line)) and m["level"] in ("ERROR", "CRITICAL"))
            ),
        )
        self.out.notes.append(f"phase 1 (dependencies) took {fmt_secs(time.monotonic() - t1)}")
        say(f"phase 1 took {fmt_secs(time.monotonic() - t1)} (exit code {rc}); log: {log}")
        warnings = bad_log_lines(lines, load_ignores(), {"WARNING"})
        if warnings:
            self.out.notes.append(
                f"{len(warnings)} WARNING line(s) while installing Odoo's own modules (not failing)"
            )
            say(f"note: {len(warnings)} WARNING line(s) while installing the dependencies:")
            print_blocks(warnings, 5)
        errors = bad_log_lines(lines, [], {"ERROR", "CRITICAL"})
        if rc == 0 and not errors and not timed_out:
            return True
        why = "timeout" if timed_out else f"exit code {rc}"
        self.out.problems.append(f"installing the dependencies failed ({why})")
        print_blocks(errors)
        return False

    def install_and_test(self) -> list[str]:
        banner(f"Odoo 2/2: installing and testing {','.join(self.ours)}")
        cmd = [*self.base_cmd, "--init", ",".join(self.ours), "--test-enable"]
        self.coverage_file = None
        if coverage_enabled():
            self.coverage_file = self.logs / ".coverage.odoo"
            cmd = coverage_prefix(self.coverage_file, Path(self.addons_dir)) + cmd[1:]
        if self.tags:
            cmd += ["--test-tags", self.tags]
        say("$ " + shlex.join(cmd))
        t2 = time.monotonic()
        log = self.logs / f"{self.db}-2-tests.log"
        rc, lines, timed_out = run_streaming(
            cmd, log, env=self.env, timeout=self.timeout, show=self.live
        )
        self.out.ran = True
        self.out.notes.append(f"phase 2 (install + tests) took {fmt_secs(time.monotonic() - t2)}")
        say(f"phase 2 took {fmt_secs(time.monotonic() - t2)} (exit code {rc}); log: {log}")
        if timed_out:
            self.out.problems.append(f"Odoo did not finish within {self.timeout}s")
        if rc != 0:
            self.out.problems.append(f"Odoo exited with code {rc}")
        return lines

    def count_tests(self, lines: list[str]) -> None:
        results = [m for line in lines if (m := RESULT_RE.search(line))]
        if not results:
            self.out.problems.append("Odoo printed no test result line (crashed or stopped early?)")
            return
        r = results[-1]
        say(f"Odoo says: {r.group(0)}")
        run, failed = int(r["run"]), int(r["failed"]) + int(r["errors"])
        self.out.failed = failed
        skipped_tests = sum(1 for line in lines if SKIP_RE.search(line))
        self.out.passed = max(run - failed - skipped_tests, 0)
        # An addon left out for want of a dependency counts as one skipped test.
        self.out.skipped = skipped_tests + len(self.missing)
        if self.missing:
            self.out.notes.append(
                "addons skipped for want of a dependency: " + ", ".join(sorted(self.missing))
            )
        if self.tags and not run:
            self.out.problems.append(f"no test ran (RM_TEST_TAGS={self.tags})")
        # A skipped Odoo test is a test that did not run, e.g. a browser tour
        # without Chromium: it fails the run unless skips are explicitly allowed
        # (the official Docker image, which has no Chromium).
        if self.out.skipped and os.environ.get("RM_ALLOW_SKIPPED_TESTS") != "1":
            self.out.problems.append(
                f"{self.out.skipped} Odoo test(s) or addon(s) skipped (set "
                "RM_ALLOW_SKIPPED_TESTS=1 where that is expected, e.g. without Chromium)"
            )

    def check_tests_per_addon(self, lines: list[str]) -> None:
        per_addon: dict[str, int] = {}
        for line in lines:
            if m := START_RE.search(line):
                per_addon[m["module"]] = per_addon.get(m["module"], 0) + 1
        for addon in self.ours:
            say(f"  {addon}: {per_addon.get(addon, 0)} tests")
        empty = [a for a in self.ours if not per_addon.get(a)]
        if empty and not self.tags:  # with RM_TEST_TAGS, only the total counts
            self.out.problems.append(f"no test ran for: {', '.join(empty)}")

    def log_gate(self, lines: list[str]) -> None:
        for text in ("Some modules have inconsistent states", "Some modules are not loaded"):
            if any(text in line for line in lines):
                self.out.problems.append(text)
        bad = bad_log_lines(lines, load_ignores())
        if not bad:
            return
        counts: dict[str, int] = {}
        for block in bad:
            level = LOG_RE.match(block[0])["level"]
            counts[level] = counts.get(level, 0) + 1
        summary = ", ".join(f"{n} {lvl}" for lvl, n in sorted(counts.items()))
        self.out.problems.append(f"log gate: {summary} line(s) in the test run")
        say(f"!!! log gate: {summary} line(s) (tolerated ones: tests/log-ignore.txt):")
        print_blocks(bad)


def run_odoo_tests(args, logs: Path, pytest_env: dict) -> Outcome:
    t0 = time.monotonic()
    info = probe_odoo()
    if info is None:
        say(SKIP_MESSAGE)
        return Outcome("odoo", notes=[SKIP_MESSAGE])
    say(f"Odoo {info['version']} from {info['path']}")
    addons_dir = Path(os.environ.get("RM_ADDONS_DIR") or REPO / "addons").resolve()
    addons = project_addons(addons_dir)
    if not addons:
        msg = f"no installable addon under {addons_dir}: the Odoo tests are SKIPPED"
        say(msg)
        return Outcome("odoo", notes=[msg])

    extra = [str(Path(p).resolve()) for p in split_paths(os.environ.get("RM_EXTRA_ADDONS_PATH"))]
    addons, missing = without_missing_dependencies(
        addons, info["addons"] + info["packaged"] + extra + [str(addons_dir)]
    )
    for name, lacking in missing.items():
        say(
            f"!!! addon {name} SKIPPED: it needs {', '.join(lacking)}, not installed here "
            "(see the README's set-up)"
        )
    job = OdooTests(args, logs, info, addons_dir, addons)
    job.missing = missing
    job.describe()
    pytest_env["RM_ODOO_ADDONS_PATH"] = job.addons_path
    out = job.out
    try:
        pg_connect().close()
    except Exception as exc:  # noqa: BLE001
        out.problems.append(f"PostgreSQL is not reachable: {str(exc).strip()}")
        say(f"!!! {out.problems[-1]}")
        shutil.rmtree(job.data_dir, ignore_errors=True)
        return out
    # Dropped at the very end: the connector's end-to-end tests may reuse it.
    args.cleanup_jobs.append(job.cleanup)
    try:
        if job.install_dependencies():
            lines = job.install_and_test()
            job.count_tests(lines)
            job.check_tests_per_addon(lines)
            job.log_gate(lines)
            if job.coverage_file and not job.tags:
                coverage_gate(out, job.coverage_file, "the addons")
            if out.ok:
                pytest_env["RM_ODOO_TEST_DB"] = job.db
    finally:
        out.seconds = time.monotonic() - t0
    return out
