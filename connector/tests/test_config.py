from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from rm_sync.config import Settings, load_settings, redact_url, state_dir
from rm_sync.errors import ConfigError
from rm_sync.mapping import load_mapping

SECRET = "s3cr3t-API-key"

TOML = f"""
[default]
url = "https://odoo.example.com/"
db = "prod"
user = "bot@example.com"
api_key = "{SECRET}"
timeout = 60

[staging]
url = "https://staging.example.com"
database = "stage"
login = "bot"
password = "other"
insecure = true
"""


def write_config(tmp_path: Path, text: str = TOML, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    path.chmod(0o600)
    return path


def test_repr_and_describe_mask_the_password():
    settings = Settings(url="https://u:pw@odoo.example.com", db="d", user="u", password=SECRET)
    for text in (repr(settings), str(settings), f"{settings}", json.dumps(settings.describe())):
        assert SECRET not in text
        assert ":pw@" not in text
    assert "********" in repr(settings)


def test_profile_values_and_defaults(tmp_path):
    path = write_config(tmp_path)
    s = load_settings({}, {}, config_path=str(path))
    assert (s.url, s.db, s.user, s.password, s.timeout) == (
        "https://odoo.example.com",
        "prod",
        "bot@example.com",
        SECRET,
        60.0,
    )
    assert s.verify is True
    staging = load_settings({}, {}, config_path=str(path), profile="staging")
    assert (staging.db, staging.user, staging.insecure, staging.verify) == (
        "stage",
        "bot",
        True,
        False,
    )


def test_precedence_options_over_env_over_profile(tmp_path):
    path = write_config(tmp_path)
    env = {"ODOO_DB": "from-env", "ODOO_USER": "env-user", "RM_SYNC_CONFIG": str(path)}
    s = load_settings({"db": "from-option", "user": None}, env)
    assert s.db == "from-option"
    assert s.user == "env-user"
    assert s.url == "https://odoo.example.com"
    assert s.origins["db"] == "option"
    assert s.origins["user"] == "env ODOO_USER"
    assert s.origins["url"].startswith("profile default")


def test_profile_from_env_and_default_location(tmp_path, isolated_env):
    cfg_dir = isolated_env / ".config" / "rm-sync"
    cfg_dir.mkdir(parents=True)
    write_config(cfg_dir)
    s = load_settings({}, {"XDG_CONFIG_HOME": str(isolated_env / ".config")})
    assert s.db == "prod"
    s = load_settings(
        {}, {"XDG_CONFIG_HOME": str(isolated_env / ".config"), "RM_SYNC_PROFILE": "staging"}
    )
    assert s.db == "stage"


def test_ini_profiles(tmp_path):
    path = write_config(
        tmp_path,
        "[default]\nurl = http://localhost:8069\ndb = x\nuser = a\npassword = b\ninsecure = no\n",
        "config.ini",
    )
    s = load_settings({}, {}, config_path=str(path))
    assert (s.url, s.db, s.insecure) == ("http://localhost:8069", "x", False)


def test_errors_are_clear(tmp_path):
    path = write_config(tmp_path)
    with pytest.raises(ConfigError, match="profile 'nope' not found"):
        load_settings({}, {}, config_path=str(path), profile="nope")
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings({}, {}, config_path=str(tmp_path / "missing.toml"))
    bad = write_config(tmp_path, "[default]\nuri = 'x'\n", "bad.toml")
    with pytest.raises(ConfigError, match="unknown key 'uri'"):
        load_settings({}, {}, config_path=str(bad))
    with pytest.raises(ConfigError, match=r"missing connection settings: url.*password"):
        Settings(db="x", user="y").require_connection()
    with pytest.raises(ConfigError, match="invalid Odoo URL"):
        Settings(url="ftp://x", db="x", user="y", password="z").require_connection()


def test_world_readable_config_with_password_warns(tmp_path):
    path = write_config(tmp_path)
    path.chmod(0o644)
    warnings: list[str] = []
    load_settings({}, {}, config_path=str(path), warn=warnings.append)
    assert warnings and "chmod 600" in warnings[0]
    assert SECRET not in warnings[0]


def test_state_dir_lookup(tmp_path):
    assert state_dir({"RM_SYNC_STATE_DIR": "/a"}) == Path("/a")
    assert state_dir({"XDG_STATE_HOME": "/x"}) == Path("/x/rm-sync")
    assert state_dir({}) == Path.home() / ".local/state/rm-sync"
    assert state_dir({"RM_SYNC_STATE_DIR": "/a"}, "/opt") == Path("/opt")


def test_redact_url():
    assert redact_url("https://a:b@host:8069/x") == "https://********@host:8069/x"
    assert redact_url("https://host") == "https://host"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("m.json", '{"Bestellnr": "order_id", "Betrag": "amount", "Notiz": ""}'),
        ("m.toml", 'Bestellnr = "order_id"\nBetrag = "amount"\nNotiz = ""\n'),
        ("m2.toml", '[columns]\nBestellnr = "order_id"\nBetrag = "amount"\nNotiz = ""\n'),
        ("m.ini", "[columns]\nBestellnr = order_id\nBetrag = amount\nNotiz =\n"),
    ],
)
def test_mapping_files(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    mapping = load_mapping(str(path))
    # INI keys are case-insensitive (lower-cased); matching ignores case anyway.
    assert {k.lower(): v for k, v in mapping.items()} == {
        "bestellnr": "order_id",
        "betrag": "amount",
        "notiz": "",
    }


def test_mapping_to_unknown_column_is_an_error(tmp_path):
    path = tmp_path / "m.json"
    path.write_text('{"x": "order_number"}')
    with pytest.raises(ConfigError, match="unknown column 'order_number'"):
        load_mapping(str(path))
    with pytest.raises(ConfigError, match="not found"):
        load_mapping(str(tmp_path / "missing.json"))


def test_no_test_leaks_real_home():
    assert "ODOO_PASSWORD" not in os.environ
