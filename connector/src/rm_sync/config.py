"""Connection settings and the config file that holds them in profiles.

The precedence option > environment > profile is Click's own (see ``cli.py``): each
option names its environment variable (``envvar=``) and the selected profile is the
command's ``default_map``. This module reads that profile from the config file, a
TOML file of named tables::

    [default]
    url = "https://odoo.example.com"
    db = "production"
    user = "sync-bot@example.com"
    password = "an API key"        # or: api_key = "..."

    [staging]
    url = "https://staging.example.com"
    ...

It is looked up at ``--config`` / ``$RM_SYNC_CONFIG``, else
``$XDG_CONFIG_HOME/rm-sync/config.toml`` (``~/.config/rm-sync/config.toml``).
TOML is the one format (INI files, read by earlier versions, get a message saying
how to convert them). The password is never printed: the ``repr`` of
:class:`Settings` masks it.
"""

from __future__ import annotations

import configparser
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import click
from click.core import ParameterSource

from rm_sync.errors import ConfigError

ENV_VARS = {
    "url": "ODOO_URL",
    "db": "ODOO_DB",
    "user": "ODOO_USER",
    "password": "ODOO_PASSWORD",
}

# Accepted spellings of keys in a profile -> canonical setting name.
PROFILE_KEYS = {
    "url": "url",
    "db": "db",
    "database": "db",
    "dbname": "db",
    "user": "user",
    "login": "user",
    "username": "user",
    "password": "password",
    "api_key": "password",
    "apikey": "password",
    "ca_bundle": "ca_bundle",
    "insecure": "insecure",
    "timeout": "timeout",
    "max_tries": "max_tries",
}

SETTINGS_HELP = """\b
Settings (option > environment > profile):
  ODOO_URL, ODOO_DB, ODOO_USER, ODOO_PASSWORD (password or API key);
  config file (TOML) --config / $RM_SYNC_CONFIG / ~/.config/rm-sync/config.toml,
  profile --profile / $RM_SYNC_PROFILE / 'default'.
State: --state-dir / $RM_SYNC_STATE_DIR / $XDG_STATE_HOME/rm-sync / ~/.local/state/rm-sync.
"""

DEFAULT_TIMEOUT = 300.0
DEFAULT_MAX_TRIES = 8
MASK = "********"


@dataclass
class Settings:
    """Everything needed to reach and log into one Odoo database."""

    url: str | None = None
    db: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    ca_bundle: str | None = None
    insecure: bool = False
    timeout: float = DEFAULT_TIMEOUT
    max_tries: int = DEFAULT_MAX_TRIES
    # Where each value came from ("option", "env ODOO_URL", "profile default in FILE").
    origins: dict[str, str] = field(default_factory=dict, compare=False)

    def __repr__(self) -> str:
        parts = []
        for f in fields(self):
            if f.name == "origins":
                continue
            value = getattr(self, f.name)
            if f.name == "password":
                value = MASK if value else None
            elif f.name == "url" and value:
                value = redact_url(value)
            parts.append(f"{f.name}={value!r}")
        return f"Settings({', '.join(parts)})"

    __str__ = __repr__

    def describe(self) -> dict[str, Any]:
        """A printable view (password masked)."""
        return {
            "url": redact_url(self.url) if self.url else None,
            "db": self.db,
            "user": self.user,
            "password": MASK if self.password else None,
            "ca_bundle": self.ca_bundle,
            "insecure": self.insecure,
            "timeout": self.timeout,
            "max_tries": self.max_tries,
            "origins": dict(self.origins),
        }

    def require_connection(self) -> None:
        """Raise ConfigError naming every missing connection setting."""
        missing = [name for name in ("url", "db", "user", "password") if not getattr(self, name)]
        if missing:
            hints = ", ".join(
                f"{name} (--{name} / ${ENV_VARS[name]} / profile key '{name}')" for name in missing
            )
            raise ConfigError(f"missing connection settings: {hints}")
        parts = urlsplit(self.url or "")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(
                f"invalid Odoo URL {redact_url(self.url or '')!r}: "
                "expected http(s)://host[:port][/path]"
            )
        if self.ca_bundle and not Path(self.ca_bundle).is_file():
            raise ConfigError(f"ca_bundle {self.ca_bundle!r} is not a readable file")

    @classmethod
    def from_values(
        cls, values: Mapping[str, Any], origins: Mapping[str, str] | None = None
    ) -> Settings:
        """Settings from resolved values (None or '': not given, the default applies)."""
        settings = cls()
        for f in fields(cls):
            value = values.get(f.name)
            if f.name != "origins" and value not in (None, ""):
                setattr(settings, f.name, value)
        if settings.url:
            settings.url = settings.url.strip().rstrip("/")
        settings.origins = {k: v for k, v in (origins or {}).items() if k in values}
        return settings

    @property
    def verify(self) -> bool | str:
        """The ``verify`` argument for requests: TLS is verified unless --insecure."""
        if self.insecure:
            return False
        return self.ca_bundle or True


def settings_from(kwargs: dict[str, Any]) -> Settings:
    """Take the settings out of a Click command's arguments, noting where each came from
    (the profile is the command's default map: see ``cli.py``)."""
    ctx = click.get_current_context()
    names = [f.name for f in fields(Settings) if f.name != "origins"]
    values = {name: kwargs.pop(name) for name in names if name in kwargs}
    origins = {}
    for name in values:
        source = ctx.get_parameter_source(name)
        if source is ParameterSource.COMMANDLINE:
            origins[name] = "option"
        elif source is ParameterSource.ENVIRONMENT:
            origins[name] = f"env {ENV_VARS[name]}"
        elif source is ParameterSource.DEFAULT_MAP:
            origins[name] = ctx.meta["rm_sync.profile_origin"]
    return Settings.from_values(values, origins)


def redact_url(url: str) -> str:
    """Drop any user:password@ part of a URL before showing it."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<invalid url>"
    if parts.username or parts.password:
        host = parts.hostname or ""
        if parts.port:
            host = f"{host}:{parts.port}"
        parts = parts._replace(netloc=f"{MASK}@{host}")
    return urlunsplit(parts)


def default_config_path(env: Mapping[str, str]) -> Path:
    base = Path(env.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "rm-sync"
    toml_path = base / "config.toml"
    if not toml_path.exists() and (base / "config.ini").exists():
        raise ConfigError(_convert_hint(base / "config.ini", toml_path))
    return toml_path


def resolve_state_dir(env: Mapping[str, str], option: str | None = None) -> Path:
    """The state directory: --state-dir, $RM_SYNC_STATE_DIR, $XDG_STATE_HOME/rm-sync,
    ~/.local/state/rm-sync."""
    if option:
        return Path(option).expanduser()
    if env.get("RM_SYNC_STATE_DIR"):
        return Path(env["RM_SYNC_STATE_DIR"]).expanduser()
    if env.get("XDG_STATE_HOME"):
        return Path(env["XDG_STATE_HOME"]).expanduser() / "rm-sync"
    return Path.home() / ".local" / "state" / "rm-sync"


def _convert_hint(path: Path, target: Path | None = None) -> str:
    return (
        f"{path}: rm-sync reads TOML only, no longer INI: convert it to {target or 'TOML'} "
        'by putting text values in double quotes (url = "https://odoo.example.com"); '
        "numbers and true/false stay as they are, [sections] stay tables"
    )


def _looks_like_ini(path: Path) -> bool:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(path.read_text(encoding="utf-8", errors="replace"))
    except configparser.Error:
        return False
    return bool(parser.sections())


def load_toml(path: Path) -> dict[str, Any]:
    """Load a TOML file; an INI file gets a message saying how to convert it."""
    if not path.is_file():
        raise ConfigError(f"file not found: {path}")
    if path.suffix.lower() in (".ini", ".cfg", ".conf"):
        raise ConfigError(_convert_hint(path))
    try:
        import tomllib  # type: ignore[import-not-found]
    except ModuleNotFoundError:  # Python 3.10
        try:
            import tomli as tomllib  # type: ignore[no-redef]
        except ModuleNotFoundError as exc:
            raise ConfigError(
                f"{path}: reading TOML needs Python >= 3.11 or the 'tomli' package "
                "(pip install 'rm-sync[toml]')"
            ) from exc
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        if _looks_like_ini(path):
            raise ConfigError(_convert_hint(path)) from exc
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc


def _coerce(name: str, value: Any, where: str) -> Any:
    if name == "insecure":
        if isinstance(value, bool):
            return value
        raise ConfigError(f"{where}: 'insecure' must be true or false, not {value!r}")
    if name == "timeout":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"{where}: 'timeout' must be a number of seconds")
        if not value > 0:
            raise ConfigError(f"{where}: 'timeout' must be positive")
        return float(value)
    if name == "max_tries":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where}: 'max_tries' must be an integer")
        if value < 1:
            raise ConfigError(f"{where}: 'max_tries' must be at least 1")
        return value
    if not isinstance(value, str):
        raise ConfigError(f"{where}: '{name}' must be a string")
    return value


def _warn_if_readable(path: Path, warn: Callable[[str], None]) -> None:
    try:
        mode = path.stat().st_mode
    except OSError:
        return
    if mode & (stat.S_IRGRP | stat.S_IROTH):
        warn(
            f"warning: {path} holds a password and is readable by other users; "
            f"run: chmod 600 {path}"
        )


def load_profile(
    config_path: str | None,
    profile: str | None,
    env: Mapping[str, str],
    warn: Callable[[str], None] | None = None,
) -> tuple[dict[str, Any], str]:
    """Return (values, description) of the selected profile, or ({}, '') when none applies.

    ``config_path`` and ``profile`` are what was asked for (option or environment); None
    means the default file and the profile 'default', neither of which need exist.
    """
    path = Path(config_path).expanduser() if config_path else default_config_path(env)
    if not path.exists():
        if config_path:
            raise ConfigError(f"config file not found: {path}")
        if profile:
            raise ConfigError(f"profile {profile!r} requested but no config file at {path}")
        return {}, ""
    data = load_toml(path)
    name = profile or "default"
    section = data.get(name)
    if section is None:
        if profile:
            known = ", ".join(sorted(k for k, v in data.items() if isinstance(v, dict))) or "none"
            raise ConfigError(f"profile {name!r} not found in {path} (profiles: {known})")
        return {}, ""
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: profile {name!r} must be a table")
    where = f"profile {name} in {path}"
    values: dict[str, Any] = {}
    for key, value in section.items():
        canonical = PROFILE_KEYS.get(key.strip().lower())
        if canonical is None:
            raise ConfigError(
                f"{where}: unknown key {key!r} (known: {', '.join(sorted(set(PROFILE_KEYS)))})"
            )
        values[canonical] = _coerce(canonical, value, where)
    if values.get("password") and warn is not None:
        _warn_if_readable(path, warn)
    return values, where
