from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from rm_sync.cli import cli
from rm_sync.config import Settings, load_profile, redact_url, resolve_state_dir
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


def settings_of(*args: str, env: dict[str, str] | None = None) -> dict:
    """The settings `rm-sync check --json` resolves (no server answers: that fails later)."""
    result = CliRunner().invoke(cli, ["check", "--json", *args], env=env, catch_exceptions=False)
    assert result.exit_code != 0 and "Traceback" not in result.output, result.output
    return json.loads(result.stdout)["settings"]


def test_profile_values_and_defaults(tmp_path):
    path = write_config(tmp_path)
    values, where = load_profile(str(path), None, {})
    assert values == {
        "url": "https://odoo.example.com/",
        "db": "prod",
        "user": "bot@example.com",
        "password": SECRET,
        "timeout": 60.0,
    }
    assert where == f"profile default in {path}"
    s = Settings.from_values(values)
    assert (s.url, s.timeout, s.max_tries, s.verify) == ("https://odoo.example.com", 60.0, 8, True)
    staging = Settings.from_values(load_profile(str(path), "staging", {})[0])
    assert (staging.db, staging.user, staging.insecure, staging.verify) == (
        "stage",
        "bot",
        True,
        False,
    )


def test_precedence_options_over_env_over_profile(tmp_path):
    path = write_config(tmp_path, TOML.replace("https://odoo.example.com/", "http://127.0.0.1:1"))
    env = {"ODOO_DB": "from-env", "ODOO_USER": "env-user", "RM_SYNC_CONFIG": str(path)}
    s = settings_of("--db", "from-option", "--timeout", "5", env=env)
    assert (s["db"], s["user"], s["url"], s["timeout"]) == (
        "from-option",
        "env-user",
        "http://127.0.0.1:1",
        5.0,
    )
    assert s["password"] == "********"
    assert s["origins"] == {
        "db": "option",
        "timeout": "option",
        "user": "env ODOO_USER",
        "url": f"profile default in {path}",
        "password": f"profile default in {path}",
    }
    staging = settings_of(
        "--config",
        str(path),
        "--profile",
        "staging",
        "--url",
        "http://127.0.0.1:1",
        env={"ODOO_DB": ""},
    )
    assert (staging["db"], staging["insecure"]) == ("stage", True)  # an empty variable is unset


def test_profile_from_env_and_default_location(tmp_path, isolated_env, monkeypatch):
    cfg_dir = isolated_env / ".config" / "rm-sync"
    cfg_dir.mkdir(parents=True)
    write_config(cfg_dir)
    env = {"XDG_CONFIG_HOME": str(isolated_env / ".config")}
    assert load_profile(None, None, env)[0]["db"] == "prod"
    assert load_profile(None, "staging", env)[0]["db"] == "stage"
    monkeypatch.setenv("XDG_CONFIG_HOME", env["XDG_CONFIG_HOME"])
    nowhere = {"ODOO_URL": "http://127.0.0.1:1"}  # refused at once: no connection tried out
    assert settings_of(env={**nowhere, "RM_SYNC_PROFILE": "staging"})["db"] == "stage"
    assert settings_of(env=nowhere)["db"] == "prod"


def test_ini_config_gets_a_message_how_to_convert_it(tmp_path, isolated_env, monkeypatch):
    ini = "[default]\nurl = http://localhost:8069\ndb = x\nuser = a\npassword = b\n"
    path = write_config(tmp_path, ini, "config.ini")
    with pytest.raises(ConfigError, match=r"reads TOML only, no longer INI: convert it"):
        load_profile(str(path), None, {})
    unusual = write_config(tmp_path, ini, "rm-sync.conf.txt")  # any name: still explained
    with pytest.raises(ConfigError, match="putting text values in double quotes"):
        load_profile(str(unusual), None, {})
    # The old default location is not silently ignored either.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(isolated_env / ".config"))
    (isolated_env / ".config" / "rm-sync").mkdir(parents=True)
    write_config(isolated_env / ".config" / "rm-sync", ini, "config.ini")
    result = CliRunner().invoke(cli, ["check"])
    assert result.exit_code == 2
    assert "rm-sync: error:" in result.stderr and "config.toml" in result.stderr


def test_help_never_shows_a_profiles_secrets(tmp_path):
    path = write_config(tmp_path)
    for command in ("check", "push"):
        args = [command, "--profile", "default", "--config", str(path), "--help"]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0 and "--password" in result.stdout
        assert SECRET not in result.output and "bot@example.com" not in result.output


def test_errors_are_clear(tmp_path):
    path = write_config(tmp_path)
    with pytest.raises(ConfigError, match="profile 'nope' not found"):
        load_profile(str(path), "nope", {})
    with pytest.raises(ConfigError, match="config file not found"):
        load_profile(str(tmp_path / "missing.toml"), None, {})
    bad = write_config(tmp_path, "[default]\nuri = 'x'\n", "bad.toml")
    with pytest.raises(ConfigError, match="unknown key 'uri'"):
        load_profile(str(bad), None, {})
    result = CliRunner().invoke(cli, ["check", "--config", str(bad)])
    assert result.exit_code == 2 and "unknown key 'uri'" in result.stderr
    with pytest.raises(ConfigError, match=r"missing connection settings: url.*password"):
        Settings(db="x", user="y").require_connection()
    with pytest.raises(ConfigError, match="invalid Odoo URL"):
        Settings(url="ftp://x", db="x", user="y", password="z").require_connection()


def test_world_readable_config_with_password_warns(tmp_path):
    path = write_config(tmp_path)
    path.chmod(0o644)
    warnings: list[str] = []
    load_profile(str(path), None, {}, warn=warnings.append)
    assert warnings and "chmod 600" in warnings[0]
    assert SECRET not in warnings[0]


def test_state_dir_lookup(tmp_path):
    assert resolve_state_dir({"RM_SYNC_STATE_DIR": "/a"}) == Path("/a")
    assert resolve_state_dir({"XDG_STATE_HOME": "/x"}) == Path("/x/rm-sync")
    assert resolve_state_dir({}) == Path.home() / ".local/state/rm-sync"
    assert resolve_state_dir({"RM_SYNC_STATE_DIR": "/a"}, "/opt") == Path("/opt")


def test_redact_url():
    assert redact_url("https://a:b@host:8069/x") == "https://********@host:8069/x"
    assert redact_url("https://host") == "https://host"


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("m.json", '{"Bestellnr": "order_id", "Betrag": "amount", "Notiz": ""}'),
        ("m.toml", 'Bestellnr = "order_id"\nBetrag = "amount"\nNotiz = ""\n'),
        ("m2.toml", '[columns]\nBestellnr = "order_id"\nBetrag = "amount"\nNotiz = ""\n'),
    ],
)
def test_mapping_files(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    mapping = load_mapping(str(path))
    assert mapping == {"Bestellnr": "order_id", "Betrag": "amount", "Notiz": ""}


def test_ini_mapping_gets_a_message_how_to_convert_it(tmp_path):
    path = tmp_path / "m.ini"
    path.write_text("[columns]\nBestellnr = order_id\n")
    with pytest.raises(ConfigError, match="reads TOML only, no longer INI"):
        load_mapping(str(path))


def test_mapping_to_unknown_column_is_an_error(tmp_path):
    path = tmp_path / "m.json"
    path.write_text('{"x": "order_number"}')
    with pytest.raises(ConfigError, match="unknown column 'order_number'"):
        load_mapping(str(path))
    with pytest.raises(ConfigError, match="not found"):
        load_mapping(str(tmp_path / "missing.json"))


def test_no_test_leaks_real_home():
    assert "ODOO_PASSWORD" not in os.environ
