#!/usr/bin/env python3
"""Render kiosk screens offscreen into docs/screens/ at the two target sizes, in both languages.

Why: the kiosk runs on 1366×768 terminals and 1024×600 field laptops; looking at every screen at both
sizes in both languages is how clipping, tiny text and overlaps are caught (issue 6). Files are named
``<screen>_<lang>_<width>.png``. To add a screen, add an entry to :data:`SCREENS`: a name and a
function that puts the screen in the state to show and makes it current.

    .venv/bin/python scripts/screenshots.py [--out docs/screens] [--only welcome]
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from ui.app import GuiOptions, KioskShell, create_application  # noqa: E402

SIZES: tuple[tuple[int, int], ...] = ((1366, 768), (1024, 600))
LANGUAGES: tuple[str, ...] = ("id", "en")


def _welcome(shell: KioskShell) -> None:
    shell.window.show_screen("welcome")


# name -> prepares the shell; other screens are added here as the wizard grows.
SCREENS: dict[str, Callable[[KioskShell], None]] = {
    "welcome": _welcome,
}


def render(out: Path, only: set[str] | None = None, demo: bool = False) -> list[Path]:
    app = create_application()
    shell = KioskShell(app, GuiOptions(windowed=True, demo=demo), speech_engines=[])
    shell.window.set_queue_status(0, True)
    shell.window.show()
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, prepare in SCREENS.items():
        if only and name not in only:
            continue
        for language in LANGUAGES:
            shell.languages.set_language(language)
            prepare(shell)
            for width, height in SIZES:
                shell.window.setMinimumSize(1, 1)
                shell.window.resize(width, height)
                app.processEvents()
                path = out / f"{name}{'_demo' if demo else ''}_{language}_{width}.png"
                if not shell.window.grab().save(str(path), "PNG"):
                    raise SystemExit(f"screenshots: cannot write {path}")
                written.append(path)
    shell.languages.set_language("id")
    shell.window.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="render kiosk screens offscreen into PNG files")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screens")
    parser.add_argument("--only", action="append", help="screen name to render (repeatable)")
    parser.add_argument("--demo", action="store_true", help="render with the DEMO / PELATIHAN ribbon")
    args = parser.parse_args(argv)
    for path in render(args.out, set(args.only) if args.only else None, demo=args.demo):
        print(f"screenshots: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
