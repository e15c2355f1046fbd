"""The ``prakerja-kiosk`` entry point: headless commands without Qt, the self-test, bad input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _run(code: str, home: Path, *, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRAKERJA_KIOSK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def test_headless_subcommand_never_imports_qt(isolated_home: Path) -> None:
    result = _run(
        "import sys; from ui.entry import main; rc = main(['config', 'check']);"
        "print('QT-LOADED' if any(m.startswith('PySide6') for m in sys.modules) else 'QT-FREE'); sys.exit(rc)",
        isolated_home,
    )
    assert "QT-FREE" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 0, result.stderr


def test_self_test_prints_report_and_passes_here(isolated_home: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("PRAKERJA_KIOSK_ALLOW_KEY_FILE")  # a real deployment, not the test suite's
    result = _run("import sys; from ui.entry import main; sys.exit(main(['--self-test']))", isolated_home)
    assert result.returncode == 0, result.stdout + result.stderr
    for line in (
        "Qt platform plugin",
        "multimedia backend",
        "cameras",
        "text-to-speech",
        "main window",
        "data dir",
    ):
        assert line in result.stdout
    assert "The kiosk can run on this machine" in result.stdout
    assert "Traceback" not in result.stderr


def test_unknown_flag_is_one_line_error(isolated_home: Path) -> None:
    result = _run("import sys; from ui.entry import main; sys.exit(main(['--no-such-flag']))", isolated_home)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stderr.strip()


def test_bad_config_file_refuses_to_start_gui(isolated_home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[kiosk]\nlanguage = 'fr'\n", encoding="utf-8")
    result = _run(
        f"import sys; from ui.entry import main; sys.exit(main(['--windowed', '--config', {str(bad)!r}]))",
        isolated_home,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("prakerja-kiosk:")]
    assert len(lines) == 1 and str(bad) in lines[0]
