#!/usr/bin/env bash
# Starts the kiosk in demo mode: a local reference API, an enrolled device and the demo camera,
# no configuration needed. Extra arguments go to prakerja-kiosk (e.g. --windowed, --lang en).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
if [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "run-demo: no display found; starting a virtual one (xvfb-run)"
  command -v xvfb-run >/dev/null 2>&1 || { [ "$(id -u)" -eq 0 ] && apt-get install -y -qq xvfb >/dev/null || sudo apt-get install -y -qq xvfb >/dev/null; }
  exec xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/prakerja-kiosk --demo "$@"
fi
exec .venv/bin/prakerja-kiosk --demo "$@"
