"""Local state: an SQLite store of runs and per-file progress, and a per-source lock.

Progress is kept per (source, file identity) where the identity is the sha256 of
the file's bytes. ``committed_rows`` is the number of input records (in file
order) whose outcome is final: the rows of every batch the server answered, and
the rows rejected client-side among them. It only moves forward after the
server answered for a batch, in the same SQLite transaction that stores that
batch's counts and rejected rows, so a run killed at any moment resumes after
the last answered batch, with the same totals and the same rejects file.

The state holds rejected rows, that is personal data: the state directory and
its ``locks`` directory are kept at mode 0700 and the database and lock files at
0600 (an existing, wider mode is narrowed, or warned about when rm-sync does not
own the path). No file of the state is opened through a symbolic link.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import sqlite3
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from rm_sync.errors import ConfigError, LockedError

COUNT_KEYS = ("created", "updated", "unchanged", "superseded", "rejected")

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    status TEXT NOT NULL,
    exit_code INTEGER,
    dry_run INTEGER NOT NULL DEFAULT 0,
    pid INTEGER,
    inputs TEXT NOT NULL DEFAULT '[]',
    report TEXT,
    message TEXT
);
CREATE INDEX IF NOT EXISTS runs_source ON runs (source, id);
CREATE TABLE IF NOT EXISTS files (
    source TEXT NOT NULL,
    file_id TEXT NOT NULL,
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    map_digest TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    committed_rows INTEGER NOT NULL DEFAULT 0,
    total_rows INTEGER,
    created INTEGER NOT NULL DEFAULT 0,
    updated INTEGER NOT NULL DEFAULT 0,
    unchanged INTEGER NOT NULL DEFAULT 0,
    superseded INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0,
    rejected_client INTEGER NOT NULL DEFAULT 0,
    rejected_server INTEGER NOT NULL DEFAULT 0,
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    finished_at TEXT,
    run_id INTEGER,
    PRIMARY KEY (source, file_id)
);
CREATE TABLE IF NOT EXISTS rejects (
    source TEXT NOT NULL,
    file_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    line INTEGER NOT NULL,
    field TEXT NOT NULL,
    reason TEXT NOT NULL,
    raw TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS rejects_file ON rejects (source, file_id, seq);
"""


def now_iso() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def storable(text: str) -> str:
    """``text`` as valid UTF-8 for SQLite: lone surrogates (undecodable input bytes, kept
    by the readers) become ``\\udcff`` escapes instead of failing the whole commit."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def dump_raw(raw: dict[str, str]) -> str:
    """A rejected row's raw values as JSON; ASCII escapes keep lone surrogates exactly
    (``json.loads`` gives them back), where UTF-8 could not encode them at all."""
    return json.dumps(raw, ensure_ascii=True)


def _warn(message: str) -> None:
    print(f"rm-sync: warning: {message}", file=sys.stderr)


Warn = Callable[[str], None]


# What rm-sync keeps in its state directory.
STATE_NAMES = frozenset(
    ("state.sqlite3", "state.sqlite3-wal", "state.sqlite3-shm", "state.sqlite3-journal")
) | {"locks", "spool"}


def private_dir(path: Path, warn: Warn = _warn, *, own: frozenset[str] | None = None) -> None:
    """Create ``path`` (mode 0700), or narrow an existing one that others can read.

    With ``own``, an existing directory is narrowed only when it holds nothing but
    those names (it is rm-sync's): a directory such as ``/tmp`` or a home given as
    ``--state-dir`` is left as it is, with a warning.
    """
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    st = path.stat()
    if not stat.S_IMODE(st.st_mode) & 0o077:
        return
    if own is not None and not set(os.listdir(path)) <= own:
        warn(
            f"{path} has mode {stat.S_IMODE(st.st_mode):04o} and holds other files than "
            "rm-sync's state, so rm-sync leaves it as it is: use a state directory of its "
            "own, of mode 0700"
        )
        return
    _narrow(path, st, 0o700, warn, lambda: os.chmod(path, 0o700))


def private_file(path: Path, flags: int = os.O_RDWR | os.O_CREAT, warn: Warn = _warn) -> int:
    """Open ``path`` without following a symbolic link, creating it with mode 0600;
    narrow the mode of an existing file. Returns the descriptor (the caller closes it)."""
    try:
        fd = os.open(path, flags | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        if os.path.islink(path):
            raise ConfigError(f"{path} is a symbolic link: rm-sync does not follow it") from exc
        raise
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_nlink != 1:
            # A hard link could make rm-sync write (or truncate) another file.
            raise ConfigError(
                f"{path} is not a plain file, or has other hard links: rm-sync does not "
                "write through it"
            )
        if stat.S_IMODE(st.st_mode) & 0o077:
            _narrow(path, st, 0o600, warn, lambda: os.fchmod(fd, 0o600))
    except BaseException:
        os.close(fd)
        raise
    return fd


def _narrow(path: Path, st: os.stat_result, mode: int, warn: Warn, chmod: Callable) -> None:
    if st.st_uid == os.geteuid():
        try:
            chmod()
            return
        except OSError:
            pass
    warn(
        f"{path} has mode {stat.S_IMODE(st.st_mode):04o} and rm-sync cannot change it: "
        f"others may read the state (rejected rows hold personal data); make it {mode:04o}"
    )


@dataclass
class FileState:
    source: str
    file_id: str
    name: str
    size: int
    map_digest: str
    status: str  # 'in_progress' | 'done'
    committed_rows: int
    total_rows: int | None
    created: int
    updated: int
    unchanged: int
    rejected: int
    rejected_client: int  # of ``rejected``: by rm-sync, and by the server
    rejected_server: int
    started_at: str
    updated_at: str
    finished_at: str | None
    run_id: int | None
    superseded: int = 0  # a later row of the order in the file replaced the row

    @property
    def counts(self) -> dict[str, int]:
        return {k: getattr(self, k) for k in COUNT_KEYS}


@dataclass
class StoredReject:
    seq: int
    line: int
    field: str
    reason: str
    raw: dict[str, str]


class StateStore:
    """The SQLite state database (``state.sqlite3`` in the state directory)."""

    def __init__(self, directory: Path, *, warn: Warn = _warn) -> None:
        self.directory = directory
        try:
            private_dir(directory, warn, own=STATE_NAMES)
        except OSError as exc:
            raise ConfigError(f"cannot create state directory {directory}: {exc}") from exc
        self.path = directory / "state.sqlite3"
        try:
            # Created private before SQLite opens it; its -wal and -shm files take its mode.
            os.close(private_file(self.path, warn=warn))
            for suffix in ("-wal", "-shm"):
                side = Path(f"{self.path}{suffix}")
                if side.exists() or side.is_symlink():
                    os.close(private_file(side, os.O_RDONLY, warn=warn))
        except OSError as exc:
            raise ConfigError(f"cannot open state database {self.path}: {exc}") from exc
        try:
            self.conn = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.executescript(SCHEMA)
            self._add_reject_origins()
        except sqlite3.Error as exc:
            raise ConfigError(f"cannot open state database {self.path}: {exc}") from exc

    def _add_reject_origins(self) -> None:
        """A state written before rejects were counted by origin gets the two columns."""
        columns = {row["name"] for row in self.conn.execute("PRAGMA table_info(files)")}
        if "rejected_client" not in columns:
            self.conn.execute(
                "ALTER TABLE files ADD COLUMN rejected_client INTEGER NOT NULL DEFAULT 0"
            )
        if "rejected_server" not in columns:
            self.conn.execute(
                "ALTER TABLE files ADD COLUMN rejected_server INTEGER NOT NULL DEFAULT 0"
            )
        if "superseded" not in columns:
            self.conn.execute("ALTER TABLE files ADD COLUMN superseded INTEGER NOT NULL DEFAULT 0")

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    # -- runs ---------------------------------------------------------------------------------

    def start_run(self, source: str, inputs: list[str], *, dry_run: bool) -> int:
        with self.transaction() as c:
            cur = c.execute(
                "INSERT INTO runs (source, started_at, status, dry_run, pid, inputs) "
                "VALUES (?, ?, 'running', ?, ?, ?)",
                (storable(source), now_iso(), int(dry_run), os.getpid(), json.dumps(inputs)),
            )
            return int(cur.lastrowid or 0)

    def finish_run(
        self,
        run_id: int,
        *,
        status: str,
        exit_code: int,
        report: dict[str, Any] | None,
        message: str | None = None,
    ) -> None:
        with self.transaction() as c:
            c.execute(
                "UPDATE runs SET finished_at = ?, status = ?, exit_code = ?, report = ?, "
                "message = ? WHERE id = ?",
                (
                    now_iso(),
                    status,
                    exit_code,
                    json.dumps(report) if report is not None else None,
                    storable(message) if message is not None else None,
                    run_id,
                ),
            )

    def mark_stale_runs(self, source: str, current_run: int) -> int:
        """Runs of ``source`` still marked running were killed (the caller holds the lock)."""
        with self.transaction() as c:
            cur = c.execute(
                "UPDATE runs SET status = 'killed', message = 'the process ended without "
                "finishing (killed?); the next run resumed it' "
                "WHERE source = ? AND status = 'running' AND id != ? AND dry_run = 0",
                (storable(source), current_run),
            )
            return cur.rowcount

    def runs(self, source: str | None = None, limit: int = 20) -> list[dict[str, Any]]:
        sql = "SELECT * FROM runs"
        params: list[Any] = []
        if source:
            sql += " WHERE source = ?"
            params.append(storable(source))
        sql += " ORDER BY id DESC LIMIT ?"
        params.append(limit)
        rows = []
        for r in self.conn.execute(sql, params):
            item = dict(r)
            item["inputs"] = json.loads(item["inputs"] or "[]")
            item["report"] = json.loads(item["report"]) if item["report"] else None
            item["dry_run"] = bool(item["dry_run"])
            rows.append(item)
        return rows

    # -- files --------------------------------------------------------------------------------

    def get_file(self, source: str, file_id: str) -> FileState | None:
        row = self.conn.execute(
            "SELECT * FROM files WHERE source = ? AND file_id = ?", (storable(source), file_id)
        ).fetchone()
        return FileState(**dict(row)) if row else None

    def files(self, source: str | None = None, status: str | None = None) -> list[FileState]:
        sql = "SELECT * FROM files WHERE 1=1"
        params: list[Any] = []
        if source:
            sql += " AND source = ?"
            params.append(storable(source))
        if status:
            sql += " AND status = ?"
            params.append(status)
        sql += " ORDER BY updated_at DESC"
        return [FileState(**dict(r)) for r in self.conn.execute(sql, params)]

    def begin_file(
        self, source: str, file_id: str, *, name: str, size: int, map_digest: str, run_id: int
    ) -> None:
        """Start (or restart from the beginning) the push of a file."""
        stamp = now_iso()
        source, name = storable(source), storable(name)
        with self.transaction() as c:
            c.execute("DELETE FROM rejects WHERE source = ? AND file_id = ?", (source, file_id))
            c.execute("DELETE FROM files WHERE source = ? AND file_id = ?", (source, file_id))
            c.execute(
                "INSERT INTO files (source, file_id, name, size, map_digest, status, "
                "committed_rows, started_at, updated_at, run_id) "
                "VALUES (?, ?, ?, ?, ?, 'in_progress', 0, ?, ?, ?)",
                (source, file_id, name, size, map_digest, stamp, stamp, run_id),
            )

    def resume_file(self, source: str, file_id: str, *, name: str, run_id: int) -> None:
        source, name = storable(source), storable(name)
        with self.transaction() as c:
            c.execute(
                "UPDATE files SET name = ?, run_id = ?, updated_at = ? "
                "WHERE source = ? AND file_id = ?",
                (name, run_id, now_iso(), source, file_id),
            )

    def commit(
        self,
        source: str,
        file_id: str,
        *,
        committed_rows: int,
        counts: dict[str, int],
        rejects: Iterable[StoredReject],
        done: bool = False,
    ) -> None:
        """Record, atomically, that the first ``committed_rows`` records are final."""
        stamp = now_iso()
        source = storable(source)
        with self.transaction() as c:
            c.executemany(
                "INSERT INTO rejects (source, file_id, seq, line, field, reason, raw) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        source,
                        file_id,
                        r.seq,
                        r.line,
                        storable(r.field),
                        storable(r.reason),
                        dump_raw(r.raw),
                    )
                    for r in rejects
                ],
            )
            c.execute(
                "UPDATE files SET committed_rows = ?, created = created + ?, "
                "updated = updated + ?, unchanged = unchanged + ?, superseded = superseded + ?, "
                "rejected = rejected + ?, "
                "rejected_client = rejected_client + ?, rejected_server = rejected_server + ?, "
                "updated_at = ? WHERE source = ? AND file_id = ?",
                (
                    committed_rows,
                    counts.get("created", 0),
                    counts.get("updated", 0),
                    counts.get("unchanged", 0),
                    counts.get("superseded", 0),
                    counts.get("rejected", 0),
                    counts.get("rejected_client", 0),
                    counts.get("rejected_server", 0),
                    stamp,
                    source,
                    file_id,
                ),
            )
            if done:
                c.execute(
                    "UPDATE files SET status = 'done', total_rows = ?, finished_at = ? "
                    "WHERE source = ? AND file_id = ?",
                    (committed_rows, stamp, source, file_id),
                )
                # Rejected rows are only kept to resume an unfinished file.
                c.execute("DELETE FROM rejects WHERE source = ? AND file_id = ?", (source, file_id))

    def stored_rejects(self, source: str, file_id: str) -> Iterator[StoredReject]:
        cur = self.conn.execute(
            "SELECT seq, line, field, reason, raw FROM rejects "
            "WHERE source = ? AND file_id = ? ORDER BY seq",
            (storable(source), file_id),
        )
        for r in cur:
            yield StoredReject(r["seq"], r["line"], r["field"], r["reason"], json.loads(r["raw"]))


def _lock_name(source: str) -> str:
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", source)[:64]
    digest = hashlib.sha1(storable(source).encode("utf-8")).hexdigest()[:8]
    return f"{safe}-{digest}.lock"


class SourceLock:
    """An exclusive, non-blocking fcntl lock per source in ``<state dir>/locks/``.

    The kernel releases it when the process ends, however it ends (kill -9
    included), so a stale lock file never blocks a later run.
    """

    def __init__(self, directory: Path, source: str) -> None:
        self.source = source
        self.path = directory / "locks" / _lock_name(source)
        self.fd: int | None = None

    def acquire(self) -> None:
        # Never through a symbolic link, never truncated on open: a link planted in
        # place of the lock file must not let rm-sync empty the file it points to.
        try:
            private_dir(self.path.parent)
            fd = private_file(self.path)
        except OSError as exc:
            raise ConfigError(f"cannot create lock file {self.path}: {exc}") from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = ""
            with contextlib.suppress(OSError):
                holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
            os.close(fd)
            detail = f" ({holder})" if holder else ""
            raise LockedError(
                f"another rm-sync run for source {self.source!r} is in progress{detail}; "
                f"lock file {self.path}"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} since {now_iso()}".encode(), 0)
        self.fd = fd

    def release(self) -> None:
        if self.fd is not None:
            with contextlib.suppress(OSError):
                os.ftruncate(self.fd, 0)
                fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> SourceLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
