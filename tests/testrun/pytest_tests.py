# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The connector's pytest suite, with its coverage."""

import os
import re
import shlex
import time
from pathlib import Path

from .common import (
    PYTEST_SUMMARY_RE,
    PYTHON,
    REPO,
    Outcome,
    coverage_enabled,
    coverage_gate,
    coverage_prefix,
    env_int,
    run_streaming,
    say,
)


def count_pytest(lines: list[str], out: Outcome) -> None:
    """Counts from pytest's closing line, e.g. '=== 3 failed, 40 passed, 2 skipped in 9.1s ==='."""
    summary = ""
    for line in reversed(lines):
        if m := PYTEST_SUMMARY_RE.match(line):
            summary = m["body"]
            break
    counts = {kind: int(n) for n, kind in re.findall(r"(\d+) (\w+)", summary)}
    out.passed = counts.get("passed", 0) + counts.get("xpassed", 0)
    out.failed = counts.get("failed", 0) + counts.get("error", 0) + counts.get("errors", 0)
    out.skipped = counts.get("skipped", 0) + counts.get("xfailed", 0)


def run_pytest(args, logs: Path, pytest_env: dict) -> Outcome:
    out = Outcome("pytest")
    t0 = time.monotonic()
    connector = REPO / "connector"
    if not connector.is_dir():
        msg = "connector/ does not exist yet: the pytest suite is SKIPPED"
        say(msg)
        out.notes.append(msg)
        return out
    cmd = [PYTHON, "-m", "pytest", "connector/tests", "-ra"]
    coverage_file = None
    if coverage_enabled():
        coverage_file = logs / ".coverage.connector"
        cmd = coverage_prefix(coverage_file, connector / "src") + cmd[1:]
    cmd += shlex.split(os.environ.get("RM_PYTEST_ARGS", ""))
    env = dict(os.environ)
    env.update(pytest_env)
    say("$ " + shlex.join(cmd))
    for k in sorted(pytest_env):
        say(f"  with {k}={pytest_env[k]}")
    rc, lines, timed_out = run_streaming(
        cmd,
        logs / "pytest.log",
        env=env,
        cwd=REPO,
        timeout=env_int("RM_PYTEST_TIMEOUT", 2400),
    )
    out.ran = True
    out.seconds = time.monotonic() - t0
    count_pytest(lines, out)
    if timed_out:
        out.problems.append("pytest did not finish in time")
    if any("No module named pytest" in line for line in lines):
        out.problems.append("pytest is not installed: pip install -e './connector[test]'")
    elif rc == 5:
        out.problems.append("pytest collected no test in connector/tests")
    elif rc == 4:
        out.problems.append("pytest usage error (is there a connector/tests folder?)")
    elif rc != 0 and not out.failed:
        out.problems.append(f"pytest exited with code {rc}")
    elif rc == 0 and out.failed:
        out.problems.append("pytest reported failures but exited 0")
    if coverage_file and not os.environ.get("RM_PYTEST_ARGS"):
        coverage_gate(out, coverage_file, "the connector")
    return out
