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
WITH_TESTS=""  # `--tests` (scripts/test.sh): also the tools the tests drive, below
for arg in "$@"; do [ "$arg" = "--tests" ] && WITH_TESTS=1; done

# 1. System packages. Qt's: resources/system/debian-packages.tsv, derived with ldd over the plug-ins the
#    kiosk loads (scripts/qt_system_packages.py; "deb12|deb13" where Debian 13 renamed a library).
#    Beside them: a virtual display for run-demo.sh without a screen (xvfb + xauth for xvfb-run),
#    fonts, and speech-dispatcher with espeak-ng, which brings the Indonesian read-aloud voice.
QT_TABLE=resources/system/debian-packages.tsv
# libpipewire is not in ldd's list: QtMultimedia opens it at run time (dlopen) for cameras and audio.
EXTRA_PKGS="fonts-dejavu-core xvfb xauth speech-dispatcher speech-dispatcher-espeak-ng espeak-ng \
libpipewire-0.3-0|libpipewire-0.3-0t64"
# What the tests drive for real: shaped links in network namespaces (iproute2), a real X server with
# taps and screen reads (xvfb, xdotool, x11-apps), the kiosk compositor and a booted root for the
# install test (cage, xwayland, grim, systemd-container, shellcheck), a browser for the supervisor page.
TEST_PKGS="iproute2 xdotool x11-apps cage xwayland grim systemd-container shellcheck chromium chromium-driver"
[ -n "$WITH_TESTS" ] && EXTRA_PKGS="$EXTRA_PKGS $TEST_PKGS"
installed_pkgs() { dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' 2>/dev/null | awk '$2 ~ /^ii/ {print $1}'; }
has_candidate() { apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {c=$2} END {exit !(c != "" && c != "(none)")}'; }
installed_now=""
if command -v dpkg-query >/dev/null 2>&1; then
  have=" $(installed_pkgs | tr '\n' ' ') "
  wanted=$( (grep -v '^#' "$QT_TABLE" | cut -f2; printf '%s\n' $EXTRA_PKGS) | sort -u)
  todo=""
  for alternatives in $wanted; do
    ok=""
    for p in ${alternatives//|/ }; do case "$have" in *" $p "*) ok=1;; esac; done
    [ -n "$ok" ] || todo="$todo $alternatives"
  done
  if ! "$PYTHON" -c "import ensurepip, venv" >/dev/null 2>&1; then todo="$todo python3-venv"; fi
  if [ -n "$todo" ]; then
    need_sudo apt-get update -qq
    missing=""
    for alternatives in $todo; do
      pick=""
      for p in ${alternatives//|/ }; do if [ -z "$pick" ] && has_candidate "$p"; then pick=$p; fi; done
      if [ -n "$pick" ]; then missing="$missing $pick"; else echo "setup: no package in this archive for '$alternatives' (skipped)"; fi
    done
    echo "setup: installing system packages:$missing"
    DEBIAN_FRONTEND=noninteractive need_sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
    installed_now=1
  fi
fi

# 2. Virtualenv with the project (editable) and its dev extras, installed from requirements.lock:
#    exact versions with sha256 hashes (--require-hashes), so nothing unreviewed or altered gets in;
#    the project itself without dependencies. The bundle (build_bundle.sh) is built from this venv.
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  "$PYTHON" -m venv .venv
fi
mkdir -p "$STAMP_DIR"
want=$(cat pyproject.toml requirements.lock scripts/setup.sh | sha256sum | cut -d' ' -f1)
if [ "$(cat "$STAMP_DIR/pip" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing Python packages (first run takes a few minutes)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q --require-hashes -r requirements.lock
  .venv/bin/python -m pip install -q --no-deps --no-build-isolation -e .
  if ! .venv/bin/python scripts/check_lock.py --installed; then
    echo "setup: WARNING: requirements.lock does not cover pyproject.toml (regenerate it: see its first lines);" \
      "installing the rest without hashes"
    .venv/bin/python -m pip install -q -e ".[dev,bench]"
  fi
  echo "$want" > "$STAMP_DIR/pip"
fi

# 3. Translations (.ts sources -> .qm) when the builder exists.
if [ -f scripts/build_translations.py ]; then
  .venv/bin/python scripts/build_translations.py --release-only >/dev/null
fi
# 4. Proof that Qt will load here: ldd over the kiosk's plug-ins finds every library (after an install,
#    or once per venv; the kiosk itself refuses to start with the same list instead of aborting).
if [ -n "$installed_now" ] || [ ! -f "$STAMP_DIR/qtlibs" ]; then
  if [ "$(uname -s)" = Linux ]; then
    .venv/bin/python scripts/qt_system_packages.py --installed
  fi
  touch "$STAMP_DIR/qtlibs"
fi
echo "setup: ready ($ROOT/.venv)"
