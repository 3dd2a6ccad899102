#!/usr/bin/env bash
# Entrypoint of the `tests` service of docker-compose.yml (official odoo:18.0 image):
# runs tests/run -- the project's one test command -- against the `db` service.
#
#   docker compose --profile test run --rm tests [tests/run arguments]
#
# The image lacks what the test harness needs besides Odoo itself, so this script
# first makes a virtualenv that sees the image's Odoo (--system-site-packages) and
# installs into it, from PyPI: websocket-client (Odoo's HttpCase needs it) and, when
# connector/ exists, the connector with its test extras. The image has no Chromium:
# browser tours are reported as skipped there; run them where Chromium is installed.
set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${RM_VENV:-/tmp/rm-venv}
ARGS=("$@")

if [ ! -w "$SRC" ]; then
    # The repository is mounted read-only: work on a copy (pip builds in-tree, the
    # tests write caches and logs).
    echo "== copying $SRC to /tmp/rm-src"
    rm -rf /tmp/rm-src && mkdir -p /tmp/rm-src
    tar -C "$SRC" --exclude=./.git --exclude=./.test-logs -cf - . | tar -C /tmp/rm-src -xf -
    SRC=/tmp/rm-src
fi

echo "== waiting for PostgreSQL at ${PGHOST:-?}:${PGPORT:-5432}"
python3 - <<'PY'
import os, sys, time
import psycopg2
deadline = time.time() + 60
while True:
    try:
        psycopg2.connect(dbname="postgres", connect_timeout=5).close()
        break
    except psycopg2.OperationalError as exc:
        if time.time() > deadline:
            sys.exit(f"PostgreSQL not reachable: {exc}")
        time.sleep(1)
PY

if [ ! -x "$VENV/bin/python" ]; then
    echo "== creating $VENV (sees the image's Odoo)"
    # Ubuntu's python3 has no ensurepip: make the venv without pip, drive it with the
    # image's pip (pip >= 22.3 knows --python).
    python3 -m venv --without-pip --system-site-packages "$VENV"
fi
PIP=(python3 -m pip --python "$VENV/bin/python" install --quiet --disable-pip-version-check)
"${PIP[@]}" websocket-client
if [ -f "$SRC/connector/pyproject.toml" ]; then
    "${PIP[@]}" -e "$SRC/connector[test]"
else
    # tests/run would fail on a missing pytest only where connector/ exists
    ARGS=(--odoo-only "${ARGS[@]}")
fi

# The official image has no Chromium: its browser tours are skipped, which
# tests/run would otherwise count as a failure.
export RM_ALLOW_SKIPPED_TESTS=1
echo "== tests/run ${ARGS[*]}"
exec "$VENV/bin/python" "$SRC/tests/run" "${ARGS[@]}"
