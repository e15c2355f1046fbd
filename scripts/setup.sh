#!/usr/bin/env bash
# Installs everything the kiosk and its tests need on a Debian machine: system libraries for Qt,
# a virtualenv in .venv with the project and its dev tools, and the compiled translations.
# Quick when already done: each step is skipped while its inputs have not changed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PYTHON=${PYTHON:-python3}
STAMP_DIR=.venv/.stamps

need_sudo() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

# 1. System libraries (Qt's xcb/offscreen platform plugins, fonts, OCR for the photo bench).
APT_PKGS="libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3 libpulse0 libgl1 \
libglib2.0-0 libxcb-cursor0 fonts-dejavu-core"
missing=""
if command -v dpkg >/dev/null 2>&1; then
  for p in $APT_PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  if ! "$PYTHON" -c "import ensurepip, venv" >/dev/null 2>&1; then missing="$missing python3-venv"; fi
  if [ -n "$missing" ]; then
    echo "setup: installing system packages:$missing"
    need_sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive need_sudo apt-get install -y -qq $missing >/dev/null
  fi
fi

# 2. Virtualenv with the project (editable) and its dev extras.
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
mkdir -p "$STAMP_DIR"
want=$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -d' ' -f1)
if [ "$(cat "$STAMP_DIR/pip" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing Python packages (first run takes a few minutes)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e ".[dev,bench]"
  echo "$want" > "$STAMP_DIR/pip"
fi

# 3. Translations (.ts sources -> .qm) when the builder exists.
if [ -f scripts/build_translations.py ]; then
  .venv/bin/python scripts/build_translations.py --release-only >/dev/null
fi
echo "setup: ready ($ROOT/.venv)"
