"""Connection settings: command-line options > environment > config-file profile.

The config file (TOML or INI) holds named profiles, one table/section each::

    [default]
    url = "https://odoo.example.com"
    db = "production"
    user = "sync-bot@example.com"
    password = "an API key"        # or: api_key = "..."

    [staging]
    url = "https://staging.example.com"
    ...

It is looked up at ``--config``, else ``$RM_SYNC_CONFIG``, else
``$XDG_CONFIG_HOME/rm-sync/config.toml`` (``~/.config/rm-sync/config.toml``;
``config.ini`` in the same folder also works). The password is never printed:
the ``repr`` of :class:`Settings` masks it.
"""

from __future__ import annotations

import configparser
import os
import stat
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

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

    @property
    def verify(self) -> bool | str:
        """The ``verify`` argument for requests: TLS is verified unless --insecure."""
        if self.insecure:
            return False
        return self.ca_bundle or True


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
    ini_path = base / "config.ini"
    if not toml_path.exists() and ini_path.exists():
        return ini_path
    return toml_path


def state_dir(env: Mapping[str, str], option: str | None = None) -> Path:
    """The state directory: --state-dir, $RM_SYNC_STATE_DIR, $XDG_STATE_HOME/rm-sync,
    ~/.local/state/rm-sync."""
    if option:
        return Path(option).expanduser()
    if env.get("RM_SYNC_STATE_DIR"):
        return Path(env["RM_SYNC_STATE_DIR"]).expanduser()
    if env.get("XDG_STATE_HOME"):
        return Path(env["XDG_STATE_HOME"]).expanduser() / "rm-sync"
    return Path.home() / ".local" / "state" / "rm-sync"


def _load_toml(path: Path) -> dict[str, Any]:
    try:
        import tomllib  # type: ignore[import-not-found]
    except ModuleNotFoundError:  # Python 3.10
        try:
            import tomli as tomllib  # type: ignore[no-redef]
        except ModuleNotFoundError as exc:
            raise ConfigError(
                f"{path}: reading TOML needs Python >= 3.11 or the 'tomli' package "
                "(pip install 'rm-sync[toml]'); or use an INI file"
            ) from exc
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc


def _load_ini(path: Path) -> dict[str, Any]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keep the case of keys
    try:
        parser.read(path, encoding="utf-8")
    except configparser.Error as exc:
        raise ConfigError(f"{path}: invalid INI: {exc}") from exc
    return {section: dict(parser.items(section)) for section in parser.sections()}


def load_structured_file(path: Path) -> dict[str, Any]:
    """Load a TOML or INI file (by extension; unknown extensions: TOML, then INI)."""
    if not path.is_file():
        raise ConfigError(f"file not found: {path}")
    suffix = path.suffix.lower()
    if suffix == ".toml":
        return _load_toml(path)
    if suffix in (".ini", ".cfg", ".conf"):
        return _load_ini(path)
    try:
        return _load_toml(path)
    except ConfigError:
        return _load_ini(path)


def _coerce(name: str, value: Any, where: str) -> Any:
    if name == "insecure":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off", ""):
            return False
        raise ConfigError(f"{where}: 'insecure' must be true or false, not {value!r}")
    if name == "timeout":
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{where}: 'timeout' must be a number of seconds") from None
        if not number > 0:
            raise ConfigError(f"{where}: 'timeout' must be positive")
        return number
    if name == "max_tries":
        try:
            number = int(value)
        except (TypeError, ValueError):
            raise ConfigError(f"{where}: 'max_tries' must be an integer") from None
        if number < 1:
            raise ConfigError(f"{where}: 'max_tries' must be at least 1")
        return number
    if not isinstance(value, str):
        raise ConfigError(f"{where}: '{name}' must be a string")
    return value


def _warn_if_readable(path: Path, warn: Any) -> None:
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
    warn: Any = None,
) -> tuple[dict[str, Any], str]:
    """Return (values, description) of the selected profile, or ({}, '') when none applies."""
    explicit_path = config_path or env.get("RM_SYNC_CONFIG")
    path = Path(explicit_path).expanduser() if explicit_path else default_config_path(env)
    explicit_profile = profile or env.get("RM_SYNC_PROFILE")
    if not path.exists():
        if explicit_path:
            raise ConfigError(f"config file not found: {path}")
        if explicit_profile:
            raise ConfigError(
                f"profile {explicit_profile!r} requested but no config file at {path}"
            )
        return {}, ""
    data = load_structured_file(path)
    name = explicit_profile or "default"
    section = data.get(name)
    if section is None:
        if explicit_profile:
            known = ", ".join(sorted(k for k, v in data.items() if isinstance(v, dict))) or "none"
            raise ConfigError(f"profile {name!r} not found in {path} (profiles: {known})")
        return {}, ""
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: profile {name!r} must be a table/section")
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


def load_settings(
    options: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
    config_path: str | None = None,
    profile: str | None = None,
    warn: Any = None,
) -> Settings:
    """Merge settings with precedence: options > environment > profile > defaults.

    ``options`` maps setting names to command-line values (None = not given).
    """
    options = options or {}
    env = os.environ if env is None else env
    if warn is None:

        def warn(msg: str) -> None:
            print(msg, file=sys.stderr)

    profile_values, where = load_profile(config_path, profile, env, warn)
    settings = Settings()
    origins: dict[str, str] = {}
    for f in fields(Settings):
        name = f.name
        if name == "origins":
            continue
        value: Any = None
        origin = ""
        if options.get(name) not in (None, ""):
            value, origin = _coerce(name, options[name], "option"), "option"
        elif name in ENV_VARS and env.get(ENV_VARS[name]):
            value, origin = env[ENV_VARS[name]], f"env {ENV_VARS[name]}"
        elif name in profile_values:
            value, origin = profile_values[name], where
        if origin:
            setattr(settings, name, value)
            origins[name] = origin
    if settings.url:
        settings.url = settings.url.strip().rstrip("/")
    settings.origins = origins
    return settings
