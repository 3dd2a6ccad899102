"""The commands the READMEs and docker-compose.yml give are true.

Docker has no engine on the machines that run these tests, so the compose file
is read, not run: its services must follow the official images' conventions
(the odoo image's entrypoint passes HOST/USER/PASSWORD to a command that starts
with ``odoo``), the one-shot ``init`` service must install the addons a user
expects, and every ``rm-sync`` command line written in the documentation must
parse with the real command-line interface.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import shlex
from pathlib import Path

import click
import pytest

yaml = pytest.importorskip("yaml")

from rm_sync.cli import cli  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
COMPOSE = REPO / "docker-compose.yml"
DOCS = [
    REPO / "README.md",
    REPO / "connector" / "README.md",
    *sorted((REPO / "docs").glob("*.md")),
    COMPOSE,
]


def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def manifest(addon: Path) -> dict:
    return ast.literal_eval((addon / "__manifest__.py").read_text(encoding="utf-8"))


def odoo_addons() -> set[str] | None:
    """The addons of the installed Odoo community tree, found without importing Odoo."""
    spec = importlib.util.find_spec("odoo")
    if spec is None or not spec.submodule_search_locations:
        return None
    package = Path(next(iter(spec.submodule_search_locations)))
    names: set[str] = set()
    for folder in (package.parent / "addons", package / "addons"):
        if folder.is_dir():
            names.update(p.parent.name for p in folder.glob("*/__manifest__.py"))
    return names


def option_value(command: list[str], name: str) -> str | None:
    for arg in command:
        if arg.startswith(f"{name}="):
            return arg.split("=", 1)[1]
    return None


# ----------------------------------------------------------------------------- compose


def test_first_start_creates_a_database_with_the_addons():
    services = compose()["services"]
    init = services["init"]
    assert init["image"] == "odoo:18.0"
    command = init["command"]
    # The image's entrypoint waits for PostgreSQL and adds --db_host & co. only
    # to a command that starts with "odoo".
    assert command[0] == "odoo"
    assert "--stop-after-init" in command
    assert {"HOST", "USER", "PASSWORD"} <= set(init["environment"])
    assert option_value(command, "--database") == "relationship_marketing"
    installed = set(option_value(command, "--init").split(","))

    # What a user gets: every addon of the repository that is not a bridge
    # (bridges install themselves with their app) and needs nothing beyond
    # Odoo community and the repository itself.
    repo_addons = {p.parent.name: manifest(p.parent) for p in REPO.glob("addons/*/__manifest__.py")}
    community = odoo_addons()
    expected = set()
    for name, data in repo_addons.items():
        if not data.get("installable", True) or data.get("auto_install"):
            continue
        foreign = set(data.get("depends", [])) - set(repo_addons)
        if community is not None and foreign - community:
            continue  # e.g. relationship_marketing_queue needs OCA's queue_job
        expected.add(name)
    assert "relationship_marketing" in expected
    if community is not None:
        assert "relationship_marketing_queue" not in expected
    assert installed == expected

    # Demo data on unless the user turns it off.
    assert option_value(command, "--without-demo") == "${RM_WITHOUT_DEMO:-}"
    # The database and its filestore are the ones the odoo service serves.
    odoo = services["odoo"]
    assert set(init["volumes"]) == set(odoo["volumes"])
    assert init.get("restart") == "no"


def test_odoo_starts_after_the_init_and_sync_after_odoo():
    services = compose()["services"]
    assert services["odoo"]["depends_on"]["init"]["condition"] == "service_completed_successfully"
    assert "healthcheck" in services["odoo"]
    assert services["sync"]["depends_on"]["odoo"]["condition"] == "service_healthy"
    database = option_value(services["init"]["command"], "--database")
    assert services["sync"]["environment"]["ODOO_DB"] == f"${{ODOO_DB:-{database}}}"
    assert services["sync"]["environment"]["ODOO_URL"] == "http://odoo:8069"
    # The sync state survives `run --rm`, so that a re-run repeats nothing.
    state = services["sync"]["environment"]["RM_SYNC_STATE_DIR"]
    assert any(v.endswith(f":{state}") for v in services["sync"]["volumes"])


def test_the_test_service_runs_the_test_command():
    tests = compose()["services"]["tests"]
    assert tests["image"] == "odoo:18.0"
    script = tests["entrypoint"][-1]
    assert script == "/src/tests/docker-odoo-tests.sh"
    assert (REPO / "tests" / "docker-odoo-tests.sh").is_file()
    assert "tests/run" in (REPO / "tests" / "docker-odoo-tests.sh").read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- rm-sync


DOCKER_SYNC = re.compile(r"docker compose --profile sync run --rm sync(?P<args>[^`\n]*)")
# An rm-sync line of a shell block, up to a comment, a pipe or a redirection.
RM_SYNC = re.compile(r"^[ \t]*(?:\$ )?rm-sync(?P<args>(?:[ \t][^`#|<>\n]*)?)")


def code_lines(text: str) -> list[str]:
    """The lines of the fenced code blocks of a Markdown text, continuations joined."""
    lines, inside, shell = [], False, False
    for line in text.replace("\\\n", " ").splitlines():
        if line.lstrip().startswith("```"):
            inside = not inside
            # shell blocks only: ```sh, ```bash, ```console or no language
            shell = inside and line.strip().strip("`") in ("", "sh", "bash", "console")
        elif inside and shell:
            lines.append(line)
    return lines


def documented_rm_sync_commands() -> list[tuple[str, list[str]]]:
    found = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for match in DOCKER_SYNC.finditer(text):
            found.append((f"{doc.name}: {match.group(0)}", shlex.split(match.group("args"))))
        if doc.suffix == ".md":
            for line in code_lines(text):
                match = RM_SYNC.match(line)
                if match:
                    args = shlex.split(match.group("args"), comments=True)
                    found.append((f"{doc.name}: {line.strip()}", args))
    return found


def parse(args: list[str]) -> None:
    """Parse a command line as rm-sync would, without running it."""
    if not args or args[0].startswith("-"):
        return  # rm-sync --help / --version
    root = click.Context(cli, info_name="rm-sync", resilient_parsing=True)
    command = cli.get_command(root, args[0])
    if command is None:
        raise click.UsageError(f"no such command {args[0]!r}")
    sub = command.make_context(args[0], list(args[1:]), parent=root, resilient_parsing=True)
    # resilient parsing tolerates what is missing; a documented command must not.
    for param in command.params:
        if param.required and sub.params.get(param.name) in (None, ()):
            raise click.MissingParameter(ctx=sub, param=param)
    if sub.args:
        raise click.UsageError(f"unexpected arguments {sub.args}")


def test_the_documents_give_rm_sync_commands():
    commands = documented_rm_sync_commands()
    assert any("docker compose" in where for where, _ in commands)
    assert sum("push" in args for _, args in commands) >= 2


@pytest.mark.parametrize(
    ("where", "args"), documented_rm_sync_commands(), ids=lambda v: v if isinstance(v, str) else ""
)
def test_every_documented_rm_sync_command_parses(where, args):
    parse(args)


def test_a_wrong_command_does_not_parse():
    """The check above can fail: the command the README once gave is refused."""
    with pytest.raises(click.UsageError):
        parse(["/data/orders.csv"])
    with pytest.raises(click.UsageError):
        parse(["push", "/data/orders.csv"])  # --source is required
