"""The OS libraries Qt's plug-ins need: derived list complete, missing ones named, start refused in words.

Why these tests: the kiosk aborted on every real display (exit 134, "could not load the Qt platform
plugin xcb") while the whole suite passed offscreen. The first test runs ``ldd`` over the plug-ins the
kiosk loads and fails when the install step's package table misses a library; the others build a real
shared object with a dependency that is then deleted, so the loader truly cannot find it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ui import system_libs

ROOT = Path(__file__).resolve().parent.parent
linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF/ldd checks are Linux-only")
needs_cc = pytest.mark.skipif(shutil.which("cc") is None, reason="needs a C compiler to build a test plug-in")


@linux_only
@pytest.mark.skipif(shutil.which("dpkg") is None, reason="the package table is derived with dpkg -S (Debian)")
def test_package_table_lists_every_library_the_plugins_need() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/qt_system_packages.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    table = system_libs.package_table()
    for soname in (
        "libxcb-icccm.so.4",
        "libxcb-keysyms.so.1",
        "libxkbcommon-x11.so.0",
        "libwayland-cursor.so.0",
    ):
        assert soname in table, soname


@linux_only
def test_kiosk_plugins_include_windowing_camera_and_speech() -> None:
    names = {p.name for p in system_libs.kiosk_qt_files()}
    assert {"libqxcb.so", "libqwayland.so", "libffmpegmediaplugin.so"} <= names
    assert "libqgtk3.so" not in names  # a GTK theme would pull GTK onto a locked-down terminal


def _fake_plugin(tmp_path: Path, plugin_name: str) -> Path:
    """A real ELF plug-in that needs ``libprakerjagone.so``, which is deleted after linking."""
    (tmp_path / "dep.c").write_text("int prakerja_gone(void) { return 1; }\n")
    (tmp_path / "plugin.c").write_text(
        "int prakerja_gone(void);\nint entry(void) { return prakerja_gone(); }\n"
    )
    subprocess.run(
        ["cc", "-shared", "-fPIC", "-o", str(tmp_path / "libprakerjagone.so"), str(tmp_path / "dep.c")],
        check=True,
    )
    platforms = tmp_path / "platforms"
    platforms.mkdir()
    plugin = platforms / plugin_name
    subprocess.run(
        [
            "cc",
            "-shared",
            "-fPIC",
            "-o",
            str(plugin),
            str(tmp_path / "plugin.c"),
            f"-L{tmp_path}",
            "-lprakerjagone",
        ],
        check=True,
    )
    (tmp_path / "libprakerjagone.so").unlink()
    return plugin


@linux_only
@needs_cc
def test_missing_library_is_named_with_the_file_that_needs_it(tmp_path: Path) -> None:
    plugin = _fake_plugin(tmp_path, "libqxcb.so")
    missing = system_libs.missing_libraries([plugin])
    assert [m.soname for m in missing] == ["libprakerjagone.so"]
    assert missing[0].needed_by == ("libqxcb.so",)
    text = system_libs.start_refusal(missing)
    assert "libprakerjagone.so" in text
    assert "pustaka sistem belum terpasang" in text and "system libraries are missing" in text


@linux_only
@needs_cc
def test_real_libraries_are_found_and_mapped_to_packages() -> None:
    xcb = [p for p in system_libs.kiosk_qt_files() if p.name == "libqxcb.so"]
    assert system_libs.missing_libraries(xcb) == []
    deps = system_libs.dependency_map(xcb)
    assert deps["libxcb-icccm.so.4"][0] is not None


def _kiosk_env_with_broken_xcb(tmp_path: Path) -> dict[str, str]:
    """The environment for ``python -m ui.entry`` with Qt's xcb plug-in replaced by one whose library is
    gone (:func:`_fake_plugin`), a display that is not there and a home of its own; no QT_QPA_PLATFORM."""
    _fake_plugin(tmp_path, "libqxcb.so")
    env = {
        **os.environ,
        "DISPLAY": ":97",
        "QT_QPA_PLATFORM_PLUGIN_PATH": str(tmp_path / "platforms"),
        "PRAKERJA_KIOSK_HOME": str(tmp_path / "home"),
    }
    env.pop("QT_QPA_PLATFORM", None)
    return env


@linux_only
@needs_cc
def test_gui_start_refuses_in_words_instead_of_aborting(tmp_path: Path) -> None:
    """The real entry point, with Qt pointed at a platform plug-in whose library is gone: exit 3, names."""
    result = subprocess.run(
        [sys.executable, "-m", "ui.entry", "--windowed"],
        cwd=ROOT,
        env={**_kiosk_env_with_broken_xcb(tmp_path), "QT_QPA_PLATFORM": "xcb"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 3, result.stderr
    assert "libprakerjagone.so" in result.stderr
    assert "Could not load the Qt platform plugin" not in result.stderr


@linux_only
@needs_cc
def test_self_test_names_the_missing_library_and_still_reports(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "ui.entry", "--self-test"],
        cwd=ROOT,
        env=_kiosk_env_with_broken_xcb(tmp_path),  # no QT_QPA_PLATFORM: the kiosk's own choice
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert "Could not load the Qt platform plugin" not in result.stderr
    assert "xcb plug-in cannot load (libprakerjagone.so)" in result.stdout, result.stdout + result.stderr
    assert "system libraries" in result.stdout
