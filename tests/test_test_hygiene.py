"""The test suite itself: UI tests leave no windows or idle watchdogs behind (issue 21, finding 9).

Why a child pytest over real UI test files: the leak is a property of fixtures and teardown order
(pytest-qt's ``deleteLater`` never ran at event-loop level 0), so it shows only across tests. The
control run with ``PRAKERJA_TEST_KEEP_WINDOWS=1`` switches the conftest clean-up off and must show the
growth, so this test would fail on the old fixtures and cannot pass by a probe that sees nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# UI test files whose fixtures build the real shell and wizard controller (main window + dialogs +
# IdleWatchdog) once per test.
SAMPLE = ["tests/test_ui_receipt.py", "tests/test_ui_status_lookup.py", "tests/test_ui_idle.py"]


def _counts(tmp_path: Path, *, keep_windows: bool) -> list[dict[str, object]]:
    out = tmp_path / ("keep.jsonl" if keep_windows else "clean.jsonl")
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PRAKERJA_LEAK_PROBE_OUT": str(out),
        "PRAKERJA_TEST_KEEP_WINDOWS": "1" if keep_windows else "0",
    }
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "tests.support.qt_leak_probe",
            "-p",
            "no:cacheprovider",
            *SAMPLE,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert out.exists(), proc.stdout[-2000:] + proc.stderr[-2000:]
    return [json.loads(line) for line in out.read_text().splitlines()]


@pytest.mark.timeout(600)
def test_ui_tests_leave_no_windows_or_watchdogs(tmp_path: Path) -> None:
    clean = _counts(tmp_path, keep_windows=False)
    assert len(clean) >= 5
    assert {r["top_level"] for r in clean} == {0}, clean
    assert {r["watchdogs"] for r in clean} == {0}, clean

    leaky = _counts(tmp_path, keep_windows=True)
    # Without the clean-up the same tests pile windows up: the probe does see leaks.
    assert int(leaky[-1]["top_level"]) > int(leaky[0]["top_level"]), leaky
    assert int(leaky[-1]["watchdogs"]) > 1, leaky
