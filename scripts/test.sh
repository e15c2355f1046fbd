#!/usr/bin/env bash
# The one test command: set-up, then lint (ruff), types (mypy on the Qt-free core), the layer
# contracts (import-linter) and the whole pytest suite offscreen. Extra arguments go to pytest
# (e.g. `scripts/test.sh --postgres` also runs the reference API suite against PostgreSQL).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
export PYTHONDONTWRITEBYTECODE=1
echo "== ruff"; .venv/bin/ruff check . && .venv/bin/ruff format --check .
echo "== mypy (core)"; .venv/bin/mypy kiosk offline_queue central_api
echo "== import contracts"; .venv/bin/lint-imports
echo "== pytest"; .venv/bin/pytest "$@"
