"""What every ``rm-sync`` command shares: the connection options, whose defaults
come from the config file's profile, and the documented exit codes."""

from __future__ import annotations

import functools
import os
import sys
import traceback
from collections.abc import Callable
from typing import Any

import click

from rm_sync.config import load_profile
from rm_sync.errors import EXIT_INTERRUPTED, EXIT_TRANSIENT, RmSyncError

F = Callable[..., Any]
CONFIG_HELP = "Config file (TOML) with profiles [default: ~/.config/rm-sync/config.toml]."
PASSWORD_HELP = "Password or API key (prefer $ODOO_PASSWORD: options show in the process list)."


def _error(message: str) -> None:
    click.echo(f"rm-sync: error: {message}", err=True)


class ProfileError(click.ClickException):
    """A config file or profile that cannot be used (exit 2, before the command runs)."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        _error(self.message)


def exit_codes(command: F) -> F:
    """End the command with the documented exit code: its return value, the code of the
    RmSyncError it raised (with the message), 130 when interrupted, 4 for a bug."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            code = command(*args, **kwargs)
        except RmSyncError as exc:
            _error(exc.message)
            code = exc.exit_code
        except KeyboardInterrupt:
            _error("interrupted; safe to re-run")
            code = EXIT_INTERRUPTED
        except Exception as exc:  # a bug: say so, keep the traceback, and exit 4 (not 1)
            traceback.print_exc()
            _error(f"unexpected error (a bug in rm-sync?): {exc!r}; committed progress is kept")
            code = EXIT_TRANSIENT
        sys.exit(code)

    return run


def _select_profile(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """--config and --profile are eager: once both are known, the profile they name
    becomes the default_map, which Click consults after options and environment."""
    ctx.meta[f"rm_sync.{param.name}"] = value
    if "rm_sync.config" in ctx.meta and "rm_sync.profile" in ctx.meta:
        try:
            values, where = load_profile(
                ctx.meta["rm_sync.config"],
                ctx.meta["rm_sync.profile"],
                os.environ,
                warn=lambda msg: click.echo(msg, err=True),
            )
        except RmSyncError as exc:
            raise ProfileError(exc.message) from exc
        ctx.default_map = {**values, **(ctx.default_map or {})}
        ctx.meta["rm_sync.profile_origin"] = where
    return value


def connection_options(func: F) -> F:
    eager = {"is_eager": True, "expose_value": False, "callback": _select_profile}
    path = click.Path(dir_okay=False)
    options = [
        click.option("--config", type=path, envvar="RM_SYNC_CONFIG", help=CONFIG_HELP, **eager),
        click.option("--profile", envvar="RM_SYNC_PROFILE", help="Default: 'default'.", **eager),
        click.option("--url", envvar="ODOO_URL", help="Odoo URL, e.g. https://odoo.example.com."),
        click.option("--db", envvar="ODOO_DB", help="Odoo database."),
        click.option("--user", envvar="ODOO_USER", help="Odoo login."),
        click.option("--password", envvar="ODOO_PASSWORD", help=PASSWORD_HELP),
        click.option("--insecure", is_flag=True, default=None, help="Skip TLS verification."),
        click.option("--ca-bundle", type=path, help="CA bundle to verify TLS with."),
        click.option("--timeout", type=click.FloatRange(min=0.1), help="Seconds (default 300)."),
    ]
    for option in reversed(options):
        func = option(func)
    for param in func.__click_params__:  # type: ignore[attr-defined]
        param.show_envvar = bool(param.envvar)
    return func
