from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fakeodoo import FakeOdooServer

CONNECTION_ENV = (
    "ODOO_URL",
    "ODOO_DB",
    "ODOO_USER",
    "ODOO_PASSWORD",
    "RM_SYNC_CONFIG",
    "RM_SYNC_PROFILE",
    "RM_SYNC_STATE_DIR",
)


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No test reads the developer's real settings or state."""
    for name in CONNECTION_ENV:
        monkeypatch.delenv(name, raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    return home


@pytest.fixture
def state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "state"
    monkeypatch.setenv("RM_SYNC_STATE_DIR", str(path))
    return path


@pytest.fixture
def fake_odoo() -> Iterator[FakeOdooServer]:
    server = FakeOdooServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def odoo_env(fake_odoo: FakeOdooServer, monkeypatch: pytest.MonkeyPatch, state_dir: Path):
    monkeypatch.setenv("ODOO_URL", fake_odoo.url)
    monkeypatch.setenv("ODOO_DB", fake_odoo.database)
    monkeypatch.setenv("ODOO_USER", "admin")
    monkeypatch.setenv("ODOO_PASSWORD", "admin")
    return fake_odoo
