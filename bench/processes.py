# Copyright 2026 Relationship Marketing contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The bench's processes: the child runs and their memory, the database, the Odoo server."""

from __future__ import annotations

import json
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from common import (  # noqa: E402
    ADDONS_DIR,
    ADDONS_PATH,
    ODOO_ROOT,
    REPO,
    log,
)

PYTHON = sys.executable or "python3"
MIB = 1024 * 1024

# The crons whose runs the bench times.
FOLLOWUP_CRON = "relationship_marketing_followup.ir_cron_relationship_followup"
PURCHASE_FOLLOWUP_CRON = "relationship_marketing_followup.ir_cron_relationship_followup_purchases"

# ---------------------------------------------------------------------------- memory


class MemoryWatch(threading.Thread):
    """Peak memory of process trees, sampled every 0.1 s, per label."""

    def __init__(self):
        super().__init__(daemon=True)
        self.roots = {}  # label -> pid
        self.peaks = {}  # label -> {"rss": bytes, "vms": bytes}
        self.lock = threading.Lock()
        self.stopped = threading.Event()

    def watch(self, label, pid):
        with self.lock:
            self.roots[label] = pid
            self.peaks.setdefault(label, {"rss": 0, "vms": 0})

    def unwatch(self, label):
        with self.lock:
            self.roots.pop(label, None)

    def run(self):
        import psutil

        while not self.stopped.wait(0.1):
            with self.lock:
                roots = dict(self.roots)
            for label, pid in roots.items():
                try:
                    root = psutil.Process(pid)
                    procs = [root, *root.children(recursive=True)]
                except psutil.Error:
                    continue
                for proc in procs:
                    try:
                        mem = proc.memory_info()
                    except psutil.Error:
                        continue
                    peak = self.peaks[label]
                    peak["rss"] = max(peak["rss"], mem.rss)
                    peak["vms"] = max(peak["vms"], mem.vms)


MEMORY = MemoryWatch()


# ---------------------------------------------------------------------------- helpers


def run_child(label, args, watch=True, timeout=None):
    """Run a bench script; return its ``@@`` results; stream its log lines."""
    cmd = [PYTHON, *args]
    proc = subprocess.Popen(
        cmd,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
        env=dict(os.environ, PYTHONUNBUFFERED="1"),
    )
    if watch:
        MEMORY.watch(label, proc.pid)
    results = []
    tail = []
    start = time.monotonic()
    for line in proc.stdout:
        line = line.rstrip("\n")
        if line.startswith("@@ "):
            results.append(json.loads(line[3:]))
        elif line.startswith("[") or " ERROR " in line or " CRITICAL " in line:
            print(f"    {line}", flush=True)
        tail.append(line)
        tail = tail[-40:]
        if timeout and time.monotonic() - start > timeout:
            proc.kill()
    code = proc.wait()
    MEMORY.unwatch(label)
    if code:
        print("\n".join(tail), file=sys.stderr)
        raise RuntimeError(f"{label}: {' '.join(cmd)} exited with {code}")
    return results


def odoo_cmd(db, *extra):
    # odoo-bin rather than ``-m odoo``: the prefork server re-executes its own
    # command line for the gevent process, which ``-m`` does not survive.
    launcher = ODOO_ROOT / "odoo-bin"
    start = [str(launcher)] if launcher.is_file() else ["-m", "odoo"]
    return [*start, "-d", db, f"--addons-path={ADDONS_PATH}", *extra]


def port_free(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def machine():
    info = {"python": platform.python_version(), "nproc": os.cpu_count()}
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        model = re.search(r"model name\s*:\s*(.*)", cpuinfo)
        info["cpu"] = model.group(1).strip() if model else platform.processor()
    except OSError:
        info["cpu"] = platform.processor()
    try:
        import psutil

        info["memory_gib"] = round(psutil.virtual_memory().total / 1024**3, 1)
        info["load_average"] = [round(x, 2) for x in os.getloadavg()]
    except ImportError:
        pass
    try:
        out = subprocess.run(
            ["psql", "-d", "postgres", "-Atc", "SHOW server_version"],
            capture_output=True,
            text=True,
            check=False,
        )
        info["postgresql"] = out.stdout.strip() or "?"
        out = subprocess.run(
            [
                "psql",
                "-d",
                "postgres",
                "-Atc",
                "SELECT name || '=' || current_setting(name) FROM pg_settings "
                "WHERE name IN "
                "('shared_buffers', 'work_mem', 'effective_cache_size', 'max_wal_size', "
                "'synchronous_commit')",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        info["postgresql_settings"] = out.stdout.split()
    except OSError:
        info["postgresql"] = "?"
    import odoo.release

    info["odoo"] = odoo.release.version
    info["git_dirty"] = bool(
        subprocess.run(
            ["git", "-C", str(REPO), "status", "--porcelain", "addons"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    )
    info["git"] = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return info


def other_load():
    """What else used the CPU while the benchmark ran (top processes, not ours)."""
    try:
        import psutil
    except ImportError:
        return []
    me = {os.getpid(), *(p.pid for p in psutil.Process().children(recursive=True))}
    procs = []
    for proc in psutil.process_iter(["pid", "name", "cmdline", "cpu_times"]):
        if proc.info["pid"] in me:
            continue
        try:
            cpu = proc.info["cpu_times"]
            cmdline = " ".join(proc.info["cmdline"] or [])
            # Only what competes with the benchmark for the same resources.
            if not any(word in cmdline for word in ("odoo", "postgres", "python", "pytest")):
                continue
            procs.append((cpu.user + cpu.system, cmdline[:90]))
        except (TypeError, AttributeError):
            continue
    return procs


# ---------------------------------------------------------------------------- steps


def create_database(db, addons, port, upgrade=False, existing=False):
    """Install the addons on a new database, or (``upgrade``) update a kept one
    to this code, or (``existing``) install them on the database as it is."""
    if upgrade:
        log(f"updating {', '.join(addons)} on the kept database {db} to the code measured")
    elif existing:
        log(f"installing {', '.join(addons)} on the database {db}")
    else:
        subprocess.run(["dropdb", "--if-exists", db], check=True)
        log(f"installing {', '.join(addons)} on a new database {db}")
    start = time.monotonic()
    proc = subprocess.run(
        [
            PYTHON,
            *odoo_cmd(
                db,
                "-u" if upgrade else "-i",
                ",".join(addons),
                "--without-demo=all",
                "--stop-after-init",
                f"--http-port={port}",
                "--log-level=warn",
            ),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode:
        print(proc.stdout[-5000:], proc.stderr[-5000:], file=sys.stderr)
        raise RuntimeError(f"installing or updating the addons failed ({proc.returncode})")
    return time.monotonic() - start


class Server:
    """Odoo with one HTTP worker (prefork), no cron thread, on a loopback port."""

    def __init__(self, db, port, workers, logfile):
        self.db, self.port, self.logfile = db, port, logfile
        args = odoo_cmd(
            db,
            f"--db-filter=^{db}$",
            f"--http-port={port}",
            "--http-interface=127.0.0.1",
            f"--gevent-port={port + 1}",
            f"--workers={workers}",
            "--max-cron-threads=0",
            "--log-level=info",
            f"--logfile={logfile}",
        )
        self.proc = subprocess.Popen([PYTHON, *args], cwd=REPO, start_new_session=True)
        MEMORY.watch("server", self.proc.pid)
        self.url = f"http://127.0.0.1:{port}"

    def wait(self, timeout=120):
        import requests

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"the Odoo server exited ({self.proc.returncode}), see {self.logfile}"
                )
            try:
                response = requests.post(
                    self.url + "/web/webclient/version_info",
                    json={"jsonrpc": "2.0", "method": "call", "params": {}},
                    timeout=5,
                )
                if response.ok:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise RuntimeError("the Odoo server did not answer in time")

    def stop(self):
        MEMORY.unwatch("server")
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


def gevent_works():
    return (
        subprocess.run(
            [PYTHON, "-c", "from gevent import monkey; monkey.patch_all()"],
            capture_output=True,
            check=False,
        ).returncode
        == 0
    )


def shipped_crons(addons):
    """xmlids of the crons that the follow-up addon ships (in its data/*.xml)."""
    if "relationship_marketing_followup" not in addons:
        return []
    found = []
    for path in sorted((ADDONS_DIR / "relationship_marketing_followup" / "data").glob("*.xml")):
        text = path.read_text()
        for match in re.finditer(r'<record\s+id="([^"]+)"\s+model="ir\.cron"', text):
            found.append(f"relationship_marketing_followup.{match.group(1)}")
    return found


def followup_crons(addons):
    """The follow-up cron over all customers (the issue's targets)."""
    return [xmlid for xmlid in shipped_crons(addons) if xmlid == FOLLOWUP_CRON]


def purchase_followup_crons(addons):
    """The job that makes the follow-ups of the batches ingested (run after the batches)."""
    return [xmlid for xmlid in shipped_crons(addons) if xmlid == PURCHASE_FOLLOWUP_CRON]
