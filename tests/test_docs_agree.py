"""The README and docs say what the code does (issue 21, finding 11).

Before: the README promised a 30 s warning *after* 90 s (the code warns at 60 s and wipes at 90 s) and
an export to ``antrian.pkq`` while the console's import dialog filters ``*.oqx``.
"""

from __future__ import annotations

import re
from pathlib import Path

from kiosk.config import KioskSettings
from kiosk.console_model import export_file_name

ROOT = Path(__file__).resolve().parent.parent


def test_readme_idle_timings_are_the_defaults() -> None:
    text = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    found = re.search(
        r"After (\d+) s without a touch a (\d+) s warning appears and at (\d+) s the session", text
    )
    assert found, "README no longer states the idle timings"
    quiet, warning, wipe = map(int, found.groups())
    settings = KioskSettings()
    assert (wipe, warning) == (settings.idle_timeout_s, settings.idle_warning_s)
    assert quiet == settings.idle_timeout_s - settings.idle_warning_s


def test_export_examples_use_the_file_type_the_console_reads() -> None:
    suffix = Path(export_file_name("device-1", 0)).suffix
    assert suffix == ".oqx"
    for doc in ("README.md", "docs/deploy-windows.md"):
        examples = re.findall(r"export --to \S+?(\.\w+)`", (ROOT / doc).read_text(encoding="utf-8"))
        assert examples and set(examples) == {suffix}, (doc, examples)
