"""``prakerja-kiosk --self-test``: the Qt half of the self-test, combined with ``kiosk.selftest``.

Why in ``ui``: the platform plugin, multimedia backend, cameras, text-to-speech engines and printers
can only be asked of Qt, and the core may not import Qt. Each check returns the core's
``CheckResult``; missing cameras, speech or printers are warnings (the kiosk still runs: photos can be
imported from a file, the "Bacakan" button hides, receipts go to PDF). A main window that cannot be
built, or no Qt platform at all, is a failure. CI runs this inside the PyInstaller bundle with
``QT_QPA_PLATFORM=offscreen`` to prove the bundle carries what the kiosk needs.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kiosk.selftest import CheckResult, exit_code, render_report, run_check, run_checks


def _ensure_platform() -> str | None:
    """On Linux without a display, or with a platform plug-in that cannot load, fall back to offscreen.

    Qt aborts the whole process otherwise, before the report could name what is missing. Returns a
    note for the report when it fell back.
    """
    from ui.system_libs import platform_start_problem, selected_platform

    if sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM"):
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
            return "no display found: checked with the offscreen plugin"
    blocked = platform_start_problem()
    if blocked:
        name = selected_platform()
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return f"the {name} plug-in cannot load ({', '.join(m.soname for m in blocked)}): checked offscreen"
    return None


def check_system_libraries() -> CheckResult:
    """Every OS library the kiosk's Qt plug-ins need is found by the loader (Linux; ``ldd``).

    Why required only for windowing: without the xcb/Wayland libraries no window opens at all, while
    a missing speech or printing library only hides "Bacakan" or sends receipts to PDF.
    """
    from ui.system_libs import KIOSK_MODULES, is_linux, kiosk_qt_files, missing_libraries

    if not is_linux():
        return CheckResult(
            "system libraries", True, "Qt's own libraries ship with the kiosk on this platform"
        )
    files = kiosk_qt_files()
    missing = missing_libraries(files)
    if not missing:
        return CheckResult(
            "system libraries", True, f"all found (ldd over {len(files)} Qt plug-ins and modules)"
        )
    windowing = ("libqxcb", "libqwayland", "libqoffscreen", "xcb-", "shell", *KIOSK_MODULES)
    blocking = any(any(w in user for w in windowing for user in m.needed_by) for m in missing)
    detail = "missing: " + "; ".join(m.describe() for m in missing) + " — run scripts/setup.sh"
    return CheckResult("system libraries", False, detail, required=blocking)


def check_platform(note: str | None) -> CheckResult:
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    name = app.platformName() if isinstance(app, QApplication) else "?"
    detail = f"{name} (Qt {qVersion()}, PySide6 {pyside_version})"
    if note:
        return CheckResult("Qt platform plugin", False, f"{detail}; {note}", required=False)
    return CheckResult("Qt platform plugin", True, detail)


def check_multimedia() -> CheckResult:
    """A multimedia backend is loaded when it can name the formats it can encode."""
    from PySide6.QtCore import QLibraryInfo
    from PySide6.QtMultimedia import QMediaFormat

    plugin_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)) / "multimedia"
    backends = sorted(
        p.name.removeprefix("lib").split("mediaplugin")[0] for p in plugin_dir.glob("*mediaplugin*")
    )
    formats = QMediaFormat().supportedFileFormats(QMediaFormat.ConversionMode.Encode)
    if not formats:
        return CheckResult(
            "multimedia backend",
            False,
            f"no backend loaded (plug-ins found: {', '.join(backends) or 'none'}); camera capture unavailable",
            required=False,
        )
    return CheckResult(
        "multimedia backend", True, f"{', '.join(backends) or 'built-in'}; {len(formats)} formats"
    )


def check_cameras() -> CheckResult:
    from PySide6.QtMultimedia import QMediaDevices

    cameras = QMediaDevices.videoInputs()
    if not cameras:
        return CheckResult("cameras", False, "none found: photos can be imported from files", required=False)
    names = "; ".join(c.description() for c in cameras)
    return CheckResult("cameras", True, f"{len(cameras)}: {names}")


def check_speech() -> CheckResult:
    from PySide6.QtTextToSpeech import QTextToSpeech

    from ui.widgets.read_aloud import speech_engines

    usable = []
    for name in speech_engines():
        engine = QTextToSpeech(name)
        if engine.state() != QTextToSpeech.State.Error:
            languages = sorted({loc.bcp47Name() for loc in engine.availableLocales()})
            usable.append(f"{name} ({', '.join(languages[:6])}{'…' if len(languages) > 6 else ''})")
        engine.deleteLater()
    if not usable:
        return CheckResult(
            "text-to-speech", False, "no usable engine: the Bacakan button is hidden", required=False
        )
    return CheckResult("text-to-speech", True, "; ".join(usable))


def check_indonesian_voice() -> CheckResult:
    """Whether "Bacakan" can speak Bahasa Indonesia (the kiosk's first language).

    Why a line of its own: an engine with only English voices passes the check above, yet the button
    stays hidden on Indonesian screens; Dinas IT must see that and install the voice (Debian:
    speech-dispatcher + speech-dispatcher-espeak-ng + espeak-ng).
    """
    from ui.widgets.read_aloud import indonesian_engines

    found = indonesian_engines()
    if not found:
        return CheckResult(
            "indonesian voice",
            False,
            "none: Bacakan is hidden in Bahasa Indonesia (install speech-dispatcher and espeak-ng)",
            required=False,
        )
    return CheckResult("indonesian voice", True, "yes: " + ", ".join(found))


def check_printers() -> CheckResult:
    from PySide6.QtPrintSupport import QPrinterInfo

    names = QPrinterInfo.availablePrinterNames()
    if not names:
        return CheckResult("printers", False, "none: receipts are saved as PDF", required=False)
    default = QPrinterInfo.defaultPrinterName()
    return CheckResult("printers", True, f"{', '.join(names)} (default: {default or 'none'})")


def check_resources() -> CheckResult:
    from ui.i18n import LANGUAGES, qm_path
    from ui.resources import resource_path

    missing = [str(p) for p in (resource_path("styles", "kiosk.qss"),) if not p.is_file()]
    missing += [str(qm_path(lang)) for lang in LANGUAGES if not qm_path(lang).is_file()]
    if missing:
        return CheckResult(
            "theme and translations",
            False,
            f"missing (source texts / default look used): {', '.join(missing)}",
            required=False,
        )
    return CheckResult("theme and translations", True, str(resource_path()))


def check_window() -> CheckResult:
    """The whole shell can be built (imports every UI module, loads theme and translations)."""
    from PySide6.QtWidgets import QApplication

    from ui.app import GuiOptions, KioskShell, choose_font

    app = QApplication.instance()
    assert isinstance(app, QApplication)
    shell = KioskShell(app, GuiOptions(windowed=True))
    screens = shell.window.stack.count()
    shell.languages.set_language("en")
    english = shell.welcome.start_button.text()
    shell.languages.set_language("id")
    shell.window.deleteLater()
    shell.deleteLater()
    return CheckResult(
        "main window", True, f"{screens} screen(s), font {choose_font().family()}, en: {english!r}"
    )


def qt_checks(note: str | None) -> list[CheckResult]:
    return [
        run_check("Qt platform plugin", lambda: check_platform(note)),
        run_check("system libraries", check_system_libraries),
        run_check("multimedia backend", check_multimedia),
        run_check("cameras", check_cameras),
        run_check("text-to-speech", check_speech),
        run_check("indonesian voice", check_indonesian_voice),
        run_check("printers", check_printers),
        run_check("theme and translations", check_resources),
        run_check("main window", check_window),
    ]


def run_self_test(args: argparse.Namespace) -> int:
    """Print the combined report; 0 when the kiosk can run here."""
    note = _ensure_platform()
    from ui.app import create_application

    create_application()
    config = getattr(args, "config", None)
    results = run_checks(Path(config) if config is not None else None)
    results += qt_checks(note)
    sys.stdout.write(render_report(results))
    sys.stdout.flush()
    return exit_code(results)
