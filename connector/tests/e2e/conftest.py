"""End-to-end fixtures: a fresh database with the addon, served by a real Odoo 18.

Skipped, with the reason, where ``import odoo`` fails. The database is named
``rmsync_e2e_<random>`` and dropped at the end of the session.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from odoo_server import OdooServer, odoo_import_error

_IMPORT_ERROR: str | None = None
_CHECKED = False


def _skip_reason() -> str | None:
    global _IMPORT_ERROR, _CHECKED
    if not _CHECKED:
        _IMPORT_ERROR = odoo_import_error()
        _CHECKED = True
    if _IMPORT_ERROR:
        return f"Odoo is not importable: end-to-end tests skipped ({_IMPORT_ERROR})"
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    e2e_items = [item for item in items if here in Path(str(item.fspath)).parents]
    if not e2e_items:
        return
    reason = _skip_reason()
    for item in e2e_items:
        item.add_marker(pytest.mark.e2e)
        if reason:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def odoo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OdooServer]:
    server = OdooServer(tmp_path_factory.mktemp("odoo"))
    try:
        server.create_db()
        server.start()
        yield server
    finally:
        server.drop()


@pytest.fixture
def e2e_env(odoo: OdooServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> OdooServer:
    for key, value in odoo.env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("RM_SYNC_STATE_DIR", str(tmp_path / "state"))
    return odoo
