#!/usr/bin/env python3
"""Start a kiosk command (e.g. the bundle with ``--demo``) offscreen and wait until the wizard is bound.

Why: the bundled ``--self-test`` checks the pieces (Qt plugins, multimedia, theme, a main window), but
not the start-up path itself: the welcome screen first, then the services opened on a worker thread
(imports that PyInstaller must have collected, the in-process demo API, the enrolment). This runs the
real command with a throwaway home and fails unless it prints both readiness lines of ``ui.app`` —
``PRAKERJA_KIOSK_SERVICES_FAILED`` (the wizard bound without its services), an early exit or two
minutes of silence fail it.

Usage: ``python scripts/smoke_start.py dist/prakerja-kiosk/prakerja-kiosk --demo --windowed``
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.startup import SERVICES_FAILED, SERVICES_READY, fresh_home_env, time_to_ready  # noqa: E402


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    base = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    home, env = fresh_home_env(base, prefix="smoke-start-")
    try:
        ready, rss, bound = time_to_ready(argv, env, then=SERVICES_READY, fail=SERVICES_FAILED, timeout=120.0)
    except RuntimeError as exc:
        print(f"smoke_start: FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print(f"smoke_start: welcome took taps at {ready:.2f} s ({rss:.0f} MiB), wizard bound at {bound:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
