"""Builds the QApplication and the kiosk shell, and runs the event loop.

Why separate from ``ui.entry``: the entry point must not import Qt for headless subcommands; this module
is imported only when a window is wanted. :class:`KioskShell` is the small controller that wires the
language manager, the main window and the welcome screen; the wizard (issue 6) adds its screens to the
same window. Demo mode starts the reference API off the GUI thread (``ui.worker``) so the window shows
at once, with the DEMO / PELATIHAN ribbon, while the server comes up.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication

from kiosk.config import KioskConfig
from kiosk.device import DeviceIdentity
from kiosk.i18n import Message
from kiosk.paths import KioskPaths
from kiosk.runtime import KioskRuntime
from ui.controller import WizardController, make_test_panel
from ui.i18n import DEFAULT_LANGUAGE, LanguageManager
from ui.main_window import MainWindow
from ui.resources import resource_path
from ui.screens.welcome import WelcomeScreen
from ui.worker import run_in_background, wait_for_background_work

log = logging.getLogger(__name__)

READY_ENV = "PRAKERJA_KIOSK_READY_STDOUT"
"""When set, the shell prints ``READY_LINE`` on stdout as soon as the welcome screen accepts input.

Why: ``python -m bench.startup`` measures cold start up to that moment from outside the process; a line
on stdout is the cheapest signal that needs no test hook inside the measured code path."""
READY_LINE = "PRAKERJA_KIOSK_READY"


def _announce_ready() -> None:
    print(READY_LINE, flush=True)


APP_NAME = "prakerja-kiosk"
ORGANIZATION = "Prakerja"
BODY_FONT_PX = 22
WINDOWED_SIZE = (1366, 768)
MINIMUM_SIZE = (1024, 600)
# Families with full Latin coverage for Indonesian (and the symbols the UI uses: ⌫ ▶ ■ ● ○ ⚠).
PREFERRED_FONTS: tuple[str, ...] = ("Noto Sans", "DejaVu Sans", "Liberation Sans", "Arial")


@dataclass(frozen=True, slots=True)
class GuiOptions:
    """What the command line asked of the GUI (from ``kiosk.cli``'s parser and the config)."""

    demo: bool = False
    windowed: bool = False
    language: str = DEFAULT_LANGUAGE
    config: KioskConfig | None = None


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication with name, high-DPI policy, font and theme; reuses an existing one (tests)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(list(argv) if argv is not None else [sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName("Kartu Prakerja")
    app.setOrganizationName(ORGANIZATION)
    app.setFont(choose_font())
    app.setStyleSheet(load_stylesheet())
    return app


def choose_font() -> QFont:
    """The first installed family of :data:`PREFERRED_FONTS` at the body size (Qt's default otherwise)."""
    families = set(QFontDatabase.families())
    font = QFont()
    for family in PREFERRED_FONTS:
        if family in families:
            font = QFont(family)
            break
    else:
        log.warning("none of the fonts %s is installed; using Qt's default", ", ".join(PREFERRED_FONTS))
    font.setPixelSize(BODY_FONT_PX)
    return font


def load_stylesheet(path: Path | None = None) -> str:
    """The QSS theme text; empty (Qt's own look, still usable) with a warning when it cannot be read."""
    path = path if path is not None else resource_path("styles", "kiosk.qss")
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        log.warning("theme %s cannot be read (%s); using the default look", path, type(exc).__name__)
        return ""


class KioskShell(QObject):
    """Wires the language manager, main window and welcome screen; owns the demo environment."""

    demo_ready = Signal(str)
    demo_failed = Signal(str)

    def __init__(
        self,
        app: QApplication,
        options: GuiOptions,
        *,
        translations_dir: Path | None = None,
        speech_engines: list[str] | None = None,
    ) -> None:
        super().__init__(app)
        self.options = options
        self.languages = LanguageManager(app, translations_dir)
        self.window = MainWindow(demo=options.demo, speech_engines=speech_engines)
        self.window.setMinimumSize(*MINIMUM_SIZE)
        self.welcome = WelcomeScreen()
        self.window.add_screen(self.welcome)
        self.welcome.language_requested.connect(self.languages.set_language)
        self.languages.language_changed.connect(self.welcome.set_current_language)
        self.languages.language_changed.connect(self.window.on_language_changed)
        self.languages.set_language(options.language)
        self.demo_environment: Any = None
        self.runtime: KioskRuntime | None = None
        self.controller: WizardController | None = None
        self.console: Any = None  # ui.console.controller.ConsoleController once services are open
        self.config = options.config or KioskConfig()
        app.aboutToQuit.connect(self.shutdown)

    def open_services(self, paths: KioskPaths | None = None, identity: DeviceIdentity | None = None) -> None:
        """Open the outbox, sync engine and API client, then bind the wizard to them.

        A kiosk that cannot open its queue (disk, permissions) or is not enrolled still shows the
        wizard: the status strip says what is wrong, and sealing refuses with the runtime's message, so
        the operator learns it before an applicant has typed everything in.
        """
        try:
            self.runtime = KioskRuntime.open(self.config, paths=paths, device=identity)
        except Exception as exc:
            message = getattr(exc, "message", None)
            text = (
                message.text(self.languages.language())
                if isinstance(message, Message)
                else type(exc).__name__
            )
            log.error("kiosk services could not start: %s", type(exc).__name__)
            self.window.status_strip.set_note(text)
            self.runtime = None
        self.bind_wizard()

    def bind_wizard(self) -> None:
        """Create the wizard controller on the GUI thread (screens, idle watchdog, status strip)."""
        runtime = self.runtime
        camera_demo = self.options.demo or self.config.camera.demo
        self.controller = WizardController(
            self.window,
            self.welcome,
            self.languages,
            runtime,
            config=self.config,
            camera=True,
            demo=camera_demo,
            test_widget_factory=lambda: make_test_panel(runtime),
        )
        if runtime is not None and self.console is None:
            from ui.console.controller import install_console  # operator console (issue 9)

            self.console = install_console(self.window, runtime, self.languages)
        self.welcome.start_button.setEnabled(True)
        self.welcome.status_button.setEnabled(True)
        if os.environ.get(READY_ENV):
            # Fires from the event loop once the enabled welcome screen can take a tap (bench.startup).
            QTimer.singleShot(0, _announce_ready)

    def show(self) -> None:
        """Full screen without window decorations, or a normal window with ``--windowed``."""
        if self.options.windowed:
            self.window.resize(*WINDOWED_SIZE)
            self.window.show()
        else:
            self.window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
            self.window.showFullScreen()

    def start_demo(self) -> None:
        """Start the reference API and enrol this kiosk, off the GUI thread."""
        from kiosk import demo  # local: only demo mode needs it

        self.window.status_strip.set_note(self.tr("Menyiapkan server demo…"))
        self.welcome.start_button.setEnabled(False)
        self.welcome.status_button.setEnabled(False)
        run_in_background(
            demo.start_demo, on_success=self._on_demo_ready, on_failure=self._on_demo_failed, parent=self
        )

    def _on_demo_ready(self, environment: Any) -> None:
        self.demo_environment = environment
        url = str(getattr(environment, "api_url", ""))
        self.window.status_strip.set_note(self.tr("Demo: server %1").replace("%1", url))
        log.info("demo environment ready at %s", url)
        self.open_services(environment.paths, environment.identity)
        self.demo_ready.emit(url)

    def _on_demo_failed(self, error: BaseException) -> None:
        message = getattr(error, "message", None)
        if isinstance(message, Message):  # kiosk.demo.DemoError: says what to do, in both languages
            text = message.text("en" if self.languages.language() == "en" else "id")
        else:
            text = type(error).__name__
        self.window.status_strip.set_note(self.tr("Server demo gagal: %1").replace("%1", text))
        log.error("demo environment failed to start: %s", type(error).__name__)
        self.demo_failed.emit(text)

    def shutdown(self) -> None:
        """Stop the cameras, the sync engine and the demo server (if any); let background work finish."""
        console, self.console = self.console, None
        if console is not None:
            console.shutdown()
        controller, self.controller = self.controller, None
        if controller is not None:
            controller.shutdown()
        runtime, self.runtime = self.runtime, None
        if runtime is not None:
            try:
                runtime.close()
            except Exception as exc:  # shutting down: report, never raise from aboutToQuit
                log.warning("kiosk services did not close cleanly: %s", type(exc).__name__)
        environment, self.demo_environment = self.demo_environment, None
        if environment is not None:
            try:
                environment.stop()
            except Exception as exc:  # shutting down: report, never raise from aboutToQuit
                log.warning("demo environment did not stop cleanly: %s", type(exc).__name__)
        wait_for_background_work(3000)


def run_gui(options: GuiOptions, argv: Sequence[str] | None = None) -> int:
    """Create the application and shell, show it, run the event loop; returns the exit code."""
    app = create_application(argv)
    shell = KioskShell(app, options)
    shell.show()
    if options.demo:
        shell.start_demo()
    else:
        shell.open_services()
    return int(app.exec())
