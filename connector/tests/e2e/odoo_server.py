"""Start a real Odoo 18 server with the relationship_marketing addon, for tests and benchmarks.

Used by the end-to-end tests (``conftest.py`` beside this file) and by
``bench/bench_connector.py``. The PostgreSQL connection comes from the usual
libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD) or Odoo's defaults (the
local socket, as the current user). Databases are created fresh and dropped at
the end; only the database this helper created is ever dropped.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import xmlrpc.client
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[3]  # connector/tests/e2e -> repo root
DB_PREFIX = "rmsync_e2e_"


def _odoo_package_dir() -> tuple[Path | None, str]:
    """Where the odoo package is, asked in a subprocess (importing odoo has side effects,
    such as setting the process time zone to UTC)."""
    result = subprocess.run(
        [sys.executable, "-c", "import odoo; print(odoo.__path__[0])"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if result.returncode != 0:
        lines = (result.stderr or "").strip().splitlines()
        return None, lines[-1] if lines else f"exit {result.returncode}"
    return Path(result.stdout.strip().splitlines()[-1]), ""


def odoo_import_error() -> str | None:
    """None when ``import odoo`` works with this interpreter, else why not."""
    package_dir, error = _odoo_package_dir()
    return None if package_dir else error


def addon_missing(name: str) -> str | None:
    """None when Odoo finds the addon ``name`` among its packaged addons (e.g.
    installed with pip), else why not; asked in a subprocess, like the above."""
    code = (
        "import importlib.util, odoo.addons\n"
        f"raise SystemExit(0 if importlib.util.find_spec('odoo.addons.{name}') else 3)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    if result.returncode == 0:
        return None
    if result.returncode == 3:
        return f"the addon {name} is not installed"
    lines = (result.stderr or "").strip().splitlines()
    return lines[-1] if lines else f"exit {result.returncode}"


def addons_path(repo_root: Path = REPO_ROOT) -> str:
    """Odoo's own addons (source checkout or packaged) + the repository's addons.

    ``$RM_SYNC_E2E_ADDONS`` may name another folder to use instead of the
    repository's ``addons/`` (e.g. an exported snapshot of the addon).
    """
    package_dir, error = _odoo_package_dir()
    if package_dir is None:
        raise RuntimeError(f"Odoo is not importable: {error}")
    repo_addons = Path(os.environ.get("RM_SYNC_E2E_ADDONS") or repo_root / "addons")
    candidates = [package_dir.parent / "addons", package_dir / "addons", repo_addons]
    return ",".join(str(p) for p in candidates if p.is_dir())


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def db_options() -> list[str]:
    """Odoo options for the PostgreSQL connection, from the libpq environment if set."""
    options = []
    for var, option in (
        ("PGHOST", "--db_host"),
        ("PGPORT", "--db_port"),
        ("PGUSER", "--db_user"),
        ("PGPASSWORD", "--db_password"),
    ):
        if os.environ.get(var):
            options.append(f"{option}={os.environ[var]}")
    return options


def new_db_name(tag: str = "") -> str:
    suffix = f"{tag}_" if tag else ""
    return f"{DB_PREFIX}{suffix}{secrets.token_hex(4)}"


class OdooServer:
    """One database with the addon installed, served on 127.0.0.1 by one Odoo process."""

    def __init__(self, workdir: Path, db: str | None = None, port: int | None = None) -> None:
        self.db = db or new_db_name()
        if not self.db.startswith(DB_PREFIX):
            raise ValueError(f"test databases must start with {DB_PREFIX}")
        self.workdir = workdir
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None
        self.created = False
        self.log_path = self.workdir / f"{self.db}.log"
        self._addons = addons_path()

    def _base_command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "odoo",
            "-d",
            self.db,
            f"--addons-path={self._addons}",
            f"--data-dir={self.workdir / 'data'}",
            *db_options(),
        ]

    def create_db(self, modules: str = "relationship_marketing", timeout: float = 900) -> None:
        command = [
            *self._base_command(),
            "-i",
            modules,
            "--stop-after-init",
            "--without-demo=all",
            "--log-level=warn",
        ]
        self.created = True  # from now on, drop() cleans up even a half-made database
        with self.log_path.open("ab") as log:
            result = subprocess.run(
                command, stdout=log, stderr=subprocess.STDOUT, timeout=timeout, check=False
            )
        if result.returncode != 0:
            raise RuntimeError(
                f"creating database {self.db} failed (exit {result.returncode}); "
                f"see {self.log_path}:\n{self.log_tail()}"
            )

    def upgrade(self, modules: str = "relationship_marketing", timeout: float = 900) -> None:
        """Run ``-u modules`` on the stopped database, as a release does."""
        with self.log_path.open("ab") as log:
            subprocess.run(
                [*self._base_command(), "-u", modules, "--stop-after-init", "--log-level=warn"],
                stdout=log,
                stderr=subprocess.STDOUT,
                timeout=timeout,
                check=True,
            )

    def start(
        self, timeout: float = 180, extra: tuple[str, ...] = (), env: dict[str, str] | None = None
    ) -> None:
        command = [
            *self._base_command(),
            f"--db-filter=^{self.db}$",
            f"--http-port={self.port}",
            "--http-interface=127.0.0.1",
            "--workers=0",
            "--max-cron-threads=0",
            "--log-level=warn",
            *extra,
        ]
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            command, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})}
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"Odoo exited with {self.proc.returncode} while starting; see "
                    f"{self.log_path}:\n{self.log_tail()}"
                )
            try:
                xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common").version()
                return
            except (OSError, xmlrpc.client.Error):
                time.sleep(0.25)
        self.stop()
        raise RuntimeError(f"Odoo did not answer on {self.url} within {timeout:.0f} s")

    def stop(self, *, hard: bool = False, timeout: float = 30) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.send_signal(signal.SIGKILL if hard else signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=timeout)

    def restart(self, *, hard: bool = False) -> None:
        self.stop(hard=hard)
        self.start()

    def drop(self) -> None:
        """Drop this helper's database (never any other)."""
        self.stop()
        if not self.created:
            return
        import psycopg2

        kwargs: dict[str, Any] = {"dbname": "postgres"}
        conn = psycopg2.connect(**kwargs)
        try:
            conn.autocommit = True
            with conn.cursor() as cr:
                cr.execute(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')
        finally:
            conn.close()
        self.created = False

    def log_tail(self, lines: int = 30) -> str:
        with contextlib.suppress(OSError):
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        return ""

    # -- XML-RPC as admin ---------------------------------------------------------------------

    def call(
        self,
        model: str,
        method: str,
        *args: Any,
        login: str = "admin",
        password: str = "admin",
        **kwargs: Any,
    ) -> Any:
        common = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/common")
        uid = common.authenticate(self.db, login, password, {})
        if not uid:
            raise RuntimeError(f"cannot log in as {login}")
        obj = xmlrpc.client.ServerProxy(f"{self.url}/xmlrpc/2/object", allow_none=True)
        return obj.execute_kw(self.db, uid, password, model, method, list(args), kwargs)

    def env(self, login: str = "admin", password: str = "admin") -> dict[str, str]:
        """Environment variables for rm-sync to reach this server."""
        return {
            "ODOO_URL": self.url,
            "ODOO_DB": self.db,
            "ODOO_USER": login,
            "ODOO_PASSWORD": password,
        }
