# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What every part of tests/run shares: output, the outcome of a part, processes, paths."""

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent.parent
PYTHON = sys.executable or "python3"

# Odoo's log format: '%(asctime)s %(pid)s %(levelname)s %(dbname)s %(name)s: %(message)s'
LOG_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} \d+ "
    r"(?P<level>[A-Z_]+) (?P<db>\S+) (?P<logger>[^\s:]+): (?P<msg>.*)$"
)
BAD_LEVELS = {"WARNING", "ERROR", "CRITICAL"}
RESULT_RE = re.compile(
    r"odoo\.tests\.result: (?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of "
    r"(?P<run>\d+) tests when loading database"
)
# OdooTestResult.startTest logs "Starting <Class>.<method> ..." once per test, on the
# logger of the test's module (odoo.tests.stats double-counts at_install tests).
START_RE = re.compile(r" INFO \S+ odoo\.addons\.(?P<module>\w+)\.[\w.]+: Starting \S+ \.\.\.")
SKIP_RE = re.compile(r" INFO \S+ odoo\.addons\.[\w.]+: skipped \S+ : ")
# Lines shown live without --verbose: progress of the tests and anything suspicious.
LIVE_RE = re.compile(
    r"odoo\.tests\.(?:result|stats):|: Starting \S+ \.\.\.|: skipped \S+ : |Modules loaded\.|"
    r"loading \d+ modules|Module \S+ loaded in |post-tests in |running tests"
)
PYTEST_SUMMARY_RE = re.compile(r"^=+ (?P<body>.*?) in [\d.]+s(?: \([^)]*\))? =+$")
SKIP_MESSAGE = (
    "Odoo is not importable: the Odoo tests and the connector's end-to-end tests are SKIPPED"
)


def say(msg: str = "") -> None:
    print(msg, flush=True)


def banner(msg: str) -> None:
    say()
    say(f"===== {msg} =====")


def fmt_secs(secs: float) -> str:
    return f"{int(secs // 60)}m{secs % 60:04.1f}s"


@dataclass
class Outcome:
    """What one part of the run (odoo, pytest) contributes to the closing line."""

    name: str
    passed: int = 0
    failed: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    ran: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and not self.failed


# --------------------------------------------------------------------------- helpers


def run_streaming(cmd, log_path: Path, *, env=None, cwd=None, timeout=None, show=None):
    """Run cmd, write all of its output to log_path, echo the lines show() accepts.

    Returns (exit code, lines, timed_out). The child gets its own process group so
    that a timeout or an interrupt stops it together with its children (Chromium).
    """
    lines: list[str] = []
    timed_out = threading.Event()
    with open(log_path, "w", encoding="utf-8", errors="replace") as log:
        proc = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=cwd,
            start_new_session=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            bufsize=1,
        )

        def kill_group(sig=signal.SIGTERM):
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                pass

        def watchdog():
            if done.wait(timeout):
                return
            timed_out.set()
            say(f"!!! timeout after {timeout}s: stopping {cmd[0]} ...")
            kill_group(signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                kill_group(signal.SIGKILL)

        done = threading.Event()
        dog = threading.Thread(target=watchdog, daemon=True) if timeout else None
        if dog:
            dog.start()
        try:
            assert proc.stdout is not None
            for line in proc.stdout:
                log.write(line)
                line = line.rstrip("\n")
                lines.append(line)
                if show is None or show(line):
                    say(line)
            rc = proc.wait()
        except BaseException:
            kill_group(signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                kill_group(signal.SIGKILL)
            raise
        finally:
            done.set()
        # Whatever the child left behind in its group (a stray Chromium) goes too.
        kill_group(signal.SIGKILL)
    return rc, lines, timed_out.is_set()


def env_int(name: str, default: int) -> int:
    try:
        return int(os.environ.get(name, default))
    except ValueError:
        return default


def split_paths(value: str) -> list[str]:
    return [p for p in re.split(r"[,:]", value or "") if p.strip()]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log_dir() -> Path:
    wanted = Path(os.environ.get("RM_LOG_DIR") or REPO / ".test-logs")
    try:
        wanted.mkdir(parents=True, exist_ok=True)
        probe = wanted / ".write-test"
        probe.write_text("")
        probe.unlink()
        return wanted
    except OSError:
        return Path(tempfile.mkdtemp(prefix="rm-test-logs-"))


def coverage_enabled() -> bool:
    if os.environ.get("RM_COVERAGE", "1") == "0":
        return False
    probe = subprocess.run([PYTHON, "-c", "import coverage"], capture_output=True, check=False)
    return probe.returncode == 0


def coverage_prefix(data_file: Path, source: Path) -> list[str]:
    """Run a Python module under coverage, measuring ``source`` (tests excluded)."""
    data_file.unlink(missing_ok=True)
    return [
        PYTHON, "-m", "coverage", "run",
        f"--data-file={data_file}",
        f"--source={source}",
        "--omit=*/tests/*,*/__manifest__.py",
    ]  # fmt: skip


def coverage_gate(out: Outcome, data_file: Path, what: str) -> None:
    """Report the line coverage of ``what`` and fail below RM_COVERAGE_MIN."""
    minimum = env_int("RM_COVERAGE_MIN", 90)
    if not data_file.exists():
        out.problems.append(f"no coverage data for {what}")
        return
    report = subprocess.run(
        [PYTHON, "-m", "coverage", "report", f"--data-file={data_file}", "--skip-covered"],
        capture_output=True,
        text=True,
        check=False,
    )
    say(report.stdout.rstrip())
    total = re.search(r"^TOTAL\s.*?(\d+(?:\.\d+)?)%\s*$", report.stdout, re.M)
    if not total:
        out.problems.append(f"could not read the coverage of {what}")
        return
    percent = float(total.group(1))
    out.notes.append(f"line coverage of {what}: {percent:.0f}% (minimum {minimum}%)")
    if percent < minimum:
        out.problems.append(f"line coverage of {what} is {percent:.0f}%, below {minimum}%")
