"""Exceptions that end a command, each carrying the process exit code it maps to."""

from __future__ import annotations

# Exit codes (documented in README.md and `rm-sync --help`).
EXIT_OK = 0  # every row landed (or, with --dry-run, would land)
EXIT_REJECTED = 1  # the run completed but some rows were rejected
EXIT_USAGE = 2  # usage or configuration error (also: another run holds the source's lock)
EXIT_AUTH = 3  # authentication failed or access denied
EXIT_TRANSIENT = 4  # gave up on a transient fault or server error; safe to re-run
EXIT_INTERRUPTED = 130  # SIGINT/SIGTERM; safe to re-run (resumes)

EXIT_CODES_HELP = """\b
Exit codes:
  0  every row landed (with --dry-run: would land)
  1  the run completed but some rows were rejected (see --rejects)
  2  usage or configuration error, or another run for the same source holds the lock
  3  authentication failed or access denied
  4  gave up on a transient fault, a server error or an internal error (safe to re-run)
  130  interrupted (SIGINT/SIGTERM); safe to re-run
"""


class RmSyncError(Exception):
    """Base class: a failure with a message for humans and an exit code."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ConfigError(RmSyncError):
    """Bad settings, options, files or server configuration (exit 2)."""

    exit_code = EXIT_USAGE


class LockedError(ConfigError):
    """Another run for the same source holds the lock (exit 2)."""


class AuthError(RmSyncError):
    """Wrong credentials or missing access rights (exit 3)."""

    exit_code = EXIT_AUTH


class TransientError(RmSyncError):
    """A fault worth retrying: network error, timeout, HTTP 5xx, serialization failure.

    ``maybe_sent`` is True when the request may have reached the server and been
    processed (read timeout, connection dropped after sending), so the outcome
    of a write is unknown.
    """

    exit_code = EXIT_TRANSIENT

    def __init__(self, message: str, *, maybe_sent: bool = False) -> None:
        super().__init__(message)
        self.maybe_sent = maybe_sent


class GaveUpError(RmSyncError):
    """Retries exhausted, or the server keeps failing (exit 4, safe to re-run)."""

    exit_code = EXIT_TRANSIENT


class ServerError(RmSyncError):
    """The server answered with an unexpected fault (not transient, not access).

    Raised per call; the sync engine isolates the offending rows by bisection.
    """

    exit_code = EXIT_TRANSIENT

    def __init__(self, message: str, *, fault_code: object = None) -> None:
        super().__init__(message)
        self.fault_code = fault_code


class Interrupted(RmSyncError):
    """SIGINT / SIGTERM received."""

    exit_code = EXIT_INTERRUPTED
