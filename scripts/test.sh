#!/usr/bin/env bash
# The one test command: set-up, then lint (ruff), types (mypy on the Qt-free core), the layer
# contracts (import-linter) and the whole pytest suite offscreen. Extra arguments go to pytest
# (e.g. `scripts/test.sh --postgres` also runs the reference API suite against PostgreSQL).
# `scripts/test.sh --fast` is the day-to-day lane: it skips the tests marked `slow` or `proof` (kill,
# fault, PII-at-rest, schemathesis, shaped links, real display, ldd; see tests/conftest.py). CI
# (.ci/run) runs everything.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --tests
export QT_QPA_PLATFORM=offscreen
export PYTHONDONTWRITEBYTECODE=1
echo "== ruff"; .venv/bin/ruff check . && .venv/bin/ruff format --check .
echo "== mypy (core)"; .venv/bin/mypy kiosk offline_queue central_api
echo "== import contracts"; .venv/bin/lint-imports
args=()
for arg in "$@"; do
  if [ "$arg" = "--fast" ]; then args+=(-m "not slow and not proof"); else args+=("$arg"); fi
done
echo "== pytest"; .venv/bin/pytest "${args[@]}"
