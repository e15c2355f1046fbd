"""Builds the QApplication and the kiosk shell, and runs the event loop.

Why separate from ``ui.entry``: the entry point must not import Qt for headless subcommands; this module
is imported only when a window is wanted. :class:`KioskShell` is the small controller that wires the
language manager, the main window and the welcome screen; the wizard (``ui.controller``) adds its screens to the
same window.

Why the welcome screen comes first and everything else after it: a kiosk that shows a blank screen for
seconds at boot looks broken to the person standing in front of it. So this module imports only what
the welcome screen needs (Qt widgets, the main window, the language manager). Opening the outbox, the
device keys, the sync engine and, in demo mode, the reference API, plus importing the camera analysis
(OpenCV, NumPy) and the payload schemas, run on a worker thread (:func:`open_services_in_background`);
the wizard's screens are built on the GUI thread when that is done. The welcome screen takes taps from
the first frame: a tap on "Daftar" or "Cek Status" that arrives before the wizard is bound is kept and
carried out as soon as it is (the status strip says "Menyiapkan kiosk…" meanwhile).
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication

from kiosk.config import KioskConfig
from kiosk.i18n import UserFacingError
from kiosk.memory import limit_malloc_arenas
from ui.i18n import DEFAULT_LANGUAGE, LanguageManager
from ui.main_window import MainWindow
from ui.resources import resource_path
from ui.screens.welcome import WelcomeScreen
from ui.worker import run_in_background, wait_for_background_work

if TYPE_CHECKING:  # imported at run time off the GUI thread (see the module docstring)
    from kiosk.device import DeviceIdentity
    from kiosk.paths import KioskPaths
    from kiosk.runtime import KioskRuntime
    from ui.controller import WizardController

log = logging.getLogger(__name__)

READY_ENV = "PRAKERJA_KIOSK_READY_STDOUT"
"""When set, the shell prints ``READY_LINE`` on stdout as soon as the welcome screen accepts input.

Why: ``python -m bench.startup`` measures cold start up to that moment from outside the process; a line
on stdout is the cheapest signal that needs no test hook inside the measured code path."""
READY_LINE = "PRAKERJA_KIOSK_READY"
SERVICES_READY_LINE = "PRAKERJA_KIOSK_SERVICES_READY"
"""Printed (same condition) once the wizard is bound to the outbox and API: what a tap waits for."""
SERVICES_FAILED_LINE = "PRAKERJA_KIOSK_SERVICES_FAILED"
"""Printed instead when the services did not open (the wizard may still be bound, without them)."""
SCREEN_LINE = "PRAKERJA_KIOSK_SCREEN"
"""Printed (same condition) as ``PRAKERJA_KIOSK_SCREEN <ScreenClass> [start=x,y]`` whenever the shown
screen changes, with the global centre of the welcome screen's "Daftar" button: what
``scripts/real_display_check.py`` taps with xdotool on a real X server and then expects to change."""

WARM_IMPORTS: tuple[str, ...] = (
    "kiosk.runtime",
    "kiosk.payload",
    "kiosk.regions",
    "kiosk.testbank",
    "kiosk.imaging.analysis",
    "kiosk.imaging.autocapture",
)
"""Qt-free modules the wizard needs, imported on the worker thread while the welcome screen is up.

Why only Qt-free ones: importing a Qt module runs Qt's static initialisers, which belong on the GUI
thread; the ``ui`` modules import quickly once these (OpenCV, NumPy, pydantic, cryptography) are
loaded."""


def _announce(line: str) -> None:
    if os.environ.get(READY_ENV):
        print(line, flush=True)


@dataclass(slots=True)
class OpenedServices:
    """What :func:`open_services_in_background` produced: a runtime, or the reason there is none."""

    runtime: KioskRuntime | None
    error: BaseException | None = None
    demo_environment: Any = None


def open_services_in_background(
    config: KioskConfig,
    *,
    demo: bool,
    paths: KioskPaths | None = None,
    identity: DeviceIdentity | None = None,
) -> OpenedServices:
    """Import the wizard's core modules, start the demo API (demo only) and open the runtime.

    Runs on a worker thread. A demo that cannot start raises (the shell reports it and binds the
    wizard without a runtime); a runtime that cannot open (disk, keys, not enrolled) is returned as
    ``error`` so the shell can say why.
    """
    for name in WARM_IMPORTS:
        importlib.import_module(name)
    from kiosk.runtime import KioskRuntime

    environment: Any = None
    if demo:
        from kiosk import demo as demo_mod

        environment = demo_mod.start_demo()
        paths, identity = environment.paths, environment.identity
    try:
        opened = OpenedServices(KioskRuntime.open(config, paths=paths, device=identity))
    except Exception as exc:
        opened = OpenedServices(None, exc)
    opened.demo_environment = environment
    return opened


class ServicesHandoff:
    """Passes the opened services from the worker to the GUI thread, or to shutdown — never to neither.

    Why: the worker's result reaches the GUI thread as a queued event; if the window closes between
    the worker finishing and that event being handled, nobody would ever close the runtime or stop the
    demo server (a ``central_api`` process left running). Under one lock the worker either hands its
    result over (and whoever takes it first — the GUI callback or :meth:`close` at shutdown — owns it),
    or learns that the shell is closed and closes the services itself.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._closed = False
        self._value: OpenedServices | None = None

    def put(self, opened: OpenedServices) -> bool:
        """Worker: hand ``opened`` over; False (and nothing kept) once the shell has closed."""
        with self._lock:
            if self._closed:
                return False
            self._value = opened
            return True

    def take(self) -> OpenedServices | None:
        """GUI thread: the handed-over services, or None when shutdown took them already."""
        with self._lock:
            value, self._value = self._value, None
            return value

    def close(self) -> OpenedServices | None:
        """Shutdown: refuse any later hand-over and return what was handed over but not taken."""
        with self._lock:
            self._closed = True
            value, self._value = self._value, None
            return value


def _close_services(opened: OpenedServices) -> None:
    for closer in (
        getattr(opened.runtime, "close", None),
        getattr(opened.demo_environment, "stop", None),
    ):
        if closer is None:
            continue
        try:
            closer()
        except Exception as exc:  # shutting down: report, never raise
            log.warning("kiosk services did not close cleanly: %s", type(exc).__name__)


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


def _keep_qt_settings_private() -> None:
    """Qt's own settings (the file dialog's history) in the kiosk's 0700 cache dir, not ~/.config."""
    from kiosk.paths import kiosk_paths
    from ui.session_guard import keep_qt_settings_private

    keep_qt_settings_private(kiosk_paths().cache_dir / "qt")


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication with name, high-DPI policy, font and theme; reuses an existing one (tests)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        app = existing
    else:
        limit_malloc_arenas()  # before the worker threads exist (kiosk.memory says why)
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


class CloseGuard(QObject):
    """Ignores requests to close the kiosk window (Alt+F4, the window manager) while it runs as a kiosk.

    Why in the shell and from the first frame (issue 18): the guard used to live in the operator
    console, which only exists once the services are open — with a locked device key, a failed start
    or in the first seconds, ``close()`` simply closed the kiosk. Only the console's "Keluar" (an
    operator logged in) :meth:`allow` s it, or "Keluar layar penuh" switches it off.
    """

    def __init__(self, window: QObject, *, active: bool) -> None:
        super().__init__(window)
        self._window = window
        self._active = active
        self._allowed = False
        window.installEventFilter(self)

    def allow(self) -> None:
        """The next close request goes through (an operator chose to quit)."""
        self._allowed = True

    def set_active(self, active: bool) -> None:
        self._active = active

    def active(self) -> bool:
        return self._active and not self._allowed

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Close and self.active():
            event.ignore()
            return True
        return False


class KioskShell(QObject):
    """Wires the language manager, main window and welcome screen; owns the services and the demo."""

    demo_ready = Signal(str)
    demo_failed = Signal(str)
    services_ready = Signal()
    """The wizard is bound (with a runtime, or without one and a note saying why)."""

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
        # Before anything else can fail: a full-screen kiosk cannot be closed by an applicant.
        self.close_guard = CloseGuard(self.window, active=not options.windowed)
        self.window.close_guard = self.close_guard  # type: ignore[attr-defined]  # the console uses it
        self.welcome = WelcomeScreen()
        self.window.add_screen(self.welcome)
        self.welcome.language_requested.connect(self.languages.set_language)
        self.welcome.start_requested.connect(lambda: self._before_bound("start"))
        self.welcome.status_requested.connect(lambda: self._before_bound("status"))
        self.languages.language_changed.connect(self.welcome.set_current_language)
        self.languages.language_changed.connect(self.window.on_language_changed)
        self.languages.set_language(options.language)
        if os.environ.get(READY_ENV):
            self.window.stack.currentChanged.connect(lambda _index: self._announce_screen())
        self.demo_environment: Any = None
        self.runtime: KioskRuntime | None = None
        self.controller: WizardController | None = None
        self.console: Any = None  # ui.console.controller.ConsoleController once services are open
        self.config = options.config or KioskConfig()
        self._pending_tap: str | None = None
        self._opening = False
        self._bind_failed = False
        self._closing = False
        self._handoff = ServicesHandoff()
        self.trace_guard: Any = None  # ui.session_guard.SessionTraceGuard once the wizard is bound
        self.unlock_dialog: Any = None  # ui.console.unlock_dialog.UnlockDialog while the key is locked
        app.aboutToQuit.connect(self.shutdown)

    # -- before the wizard is bound -----------------------------------------------------------------
    def _before_bound(self, tap: str) -> None:
        """A welcome tap that came before the wizard exists: keep it and say the kiosk is getting ready."""
        if self.controller is not None or self._bind_failed:
            return  # the controller's own connection handles it / the strip already says what is wrong
        self._pending_tap = tap
        self.window.status_strip.set_note(self.tr("Menyiapkan kiosk…"))

    def _replay_pending_tap(self) -> None:
        tap, self._pending_tap = self._pending_tap, None
        if self.controller is None or tap is None:
            return
        if tap == "start":
            self.controller.start()
        elif tap == "status":
            self.controller.show_status()

    # -- services -----------------------------------------------------------------------------------
    def start_services(self) -> None:
        """Open the services off the GUI thread (and the demo API in demo mode), then bind the wizard."""
        if self._opening or self.controller is not None:
            return
        self._opening = True
        if self.options.demo:
            self.window.status_strip.set_note(self.tr("Menyiapkan server demo…"))

        handoff = self._handoff

        def work() -> None:
            opened = open_services_in_background(self.config, demo=self.options.demo)
            if not handoff.put(opened):  # the window closed meanwhile: nobody else will close these
                _close_services(opened)

        run_in_background(
            work, on_success=self._on_services_opened, on_failure=self._on_services_failed, parent=self
        )

    def _on_services_opened(self, _result: object = None) -> None:
        self._opening = False
        opened = self._handoff.take()
        if opened is None:
            return  # shut down meanwhile: shutdown() closed them
        if self.controller is not None:  # bound already (open_services() from a tool): keep the first
            _close_services(opened)
            return
        if opened.demo_environment is not None:
            self.demo_environment = opened.demo_environment
            url = str(getattr(opened.demo_environment, "api_url", ""))
            self.window.status_strip.set_note(self.tr("Demo: server %1").replace("%1", url))
            log.info("demo environment ready at %s", url)
        self._use_runtime(opened.runtime, opened.error)
        if opened.demo_environment is not None:
            self.demo_ready.emit(str(getattr(opened.demo_environment, "api_url", "")))

    def open_services(self, paths: KioskPaths | None = None, identity: DeviceIdentity | None = None) -> None:
        """Open the outbox, sync engine and API client on this thread, then bind the wizard (tests, tools).

        A kiosk that cannot open its queue (disk, permissions) or is not enrolled still shows the
        wizard: the status strip says what is wrong, and sealing refuses with the runtime's message, so
        the operator learns it before an applicant has typed everything in.
        """
        if self._opening or self.controller is not None:
            log.warning("services are already open or opening; open_services() ignored")
            return
        from kiosk.runtime import KioskRuntime

        try:
            runtime: KioskRuntime | None = KioskRuntime.open(self.config, paths=paths, device=identity)
            error: BaseException | None = None
        except Exception as exc:
            runtime, error = None, exc
        self._use_runtime(runtime, error)

    def _use_runtime(self, runtime: KioskRuntime | None, error: BaseException | None) -> None:
        if error is not None and type(error).__name__ == "DeviceLocked" and not self.options.demo:
            self._ask_passphrase()
            return
        if error is not None:
            # Every documented error (the queue's own words too, e.g. where a damaged file was kept)
            # is a UserFacingError; anything else is named by its type.
            text = (
                error.message.text(self.languages.language())
                if isinstance(error, UserFacingError)
                else type(error).__name__
            )
            log.error("kiosk services could not start: %s", type(error).__name__)
            self.window.status_strip.set_note(text)
        elif runtime is not None and (notice := runtime.startup_notice()) is not None:
            # A damaged queue was salvaged or registrations are missing: say so, with the kept file.
            self.window.status_strip.set_note(notice.text(self.languages.language()))
        elif self._pending_tap is not None and self.demo_environment is None:
            self.window.status_strip.set_note("")
        self.runtime = runtime
        self.bind_wizard()

    # -- locked device key (no keyring / TPM: a staff passphrase, issue 18) --------------------------
    def _ask_passphrase(self) -> None:
        """The device key needs the staff passphrase: show the unlock screen, bind nothing yet."""
        from ui.console.unlock_dialog import UnlockDialog

        if self.unlock_dialog is None:
            self.unlock_dialog = UnlockDialog(self.window)
            self.unlock_dialog.submitted.connect(self.unlock)
        self.window.status_strip.set_note(self.tr("Kiosk terkunci: menunggu petugas."))
        self.unlock_dialog.start()

    def unlock(self, passphrase: str) -> None:
        """Unlock the device key with ``passphrase`` and open the services, off the GUI thread.

        The passphrase lives only in this call and the worker's arguments; the identity it unlocks is
        handed to the runtime, nothing is stored.
        """
        config = self.config

        def work(secret: str) -> KioskRuntime:
            from kiosk import device as device_store
            from kiosk.paths import kiosk_paths
            from kiosk.runtime import KioskRuntime

            paths = kiosk_paths().ensure()
            identity = device_store.load(passphrase=secret, paths=paths)
            return KioskRuntime.open(config, paths=paths, device=identity)

        run_in_background(
            work, passphrase, on_success=self._unlocked, on_failure=self._unlock_failed, parent=self
        )

    def _unlocked(self, runtime: KioskRuntime) -> None:
        dialog = self.unlock_dialog
        if dialog is not None:
            dialog.setProperty("allow_close", True)
            dialog.accept()
            self.unlock_dialog = None
            dialog.deleteLater()
        if self._closing or self.controller is not None:
            _close_services(OpenedServices(runtime))
            return
        self.window.status_strip.set_note("")
        self._use_runtime(runtime, None)

    def _unlock_failed(self, error: BaseException) -> None:
        text = (
            error.message.text(self.languages.language())
            if isinstance(error, UserFacingError)
            else type(error).__name__
        )
        log.warning("device key not unlocked: %s", type(error).__name__)
        if type(error).__name__ == "DeviceLocked" and self.unlock_dialog is not None:
            self.unlock_dialog.show_error(text)  # wrong passphrase: ask again
            return
        dialog, self.unlock_dialog = self.unlock_dialog, None
        if dialog is not None:
            dialog.setProperty("allow_close", True)
            dialog.reject()
            dialog.deleteLater()
        self._use_runtime(None, error)

    def bind_wizard(self) -> None:
        """Create the wizard controller on the GUI thread (screens, idle watchdog, status strip).

        A failure here (a broken install: a module or plugin missing) is reported on the status strip
        and in the log instead of escaping the event loop; the welcome screen then stays as it is.
        """
        runtime = self.runtime
        try:
            from ui.controller import WizardController, make_test_panel

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
                from ui.console.controller import install_console  # operator console (ui/console/)

                self.console = install_console(self.window, runtime, self.languages)
            self._guard_sessions()
        except Exception as exc:
            self._bind_failed = True
            self._pending_tap = None
            log.error("the wizard could not be built: %s", type(exc).__name__)
            note = self.tr("Kiosk belum siap: %1").replace("%1", type(exc).__name__)
            self.window.status_strip.set_note(note)
            QTimer.singleShot(0, lambda: _announce(SERVICES_FAILED_LINE))
            return
        self._replay_pending_tap()
        self.services_ready.emit()
        line = SERVICES_READY_LINE if runtime is not None else SERVICES_FAILED_LINE
        QTimer.singleShot(0, lambda: _announce(line))
        if os.environ.get(READY_ENV):  # again, now that the window has its final geometry
            QTimer.singleShot(0, self._announce_screen)

    def _announce_screen(self) -> None:
        """Print which screen is shown (and where "Daftar" is on the welcome screen) for outside checks."""
        current = self.window.stack.currentWidget()
        line = f"{SCREEN_LINE} {type(current).__name__}"
        if current is self.welcome:
            button = self.welcome.start_button
            centre = button.mapToGlobal(button.rect().center())
            line += f" start={centre.x()},{centre.y()}"
        _announce(line)

    def _guard_sessions(self) -> None:
        """Issue 18: what Qt holds across sessions (clipboard, pop-ups, file dialog memory, receipt
        PDFs) goes on every wipe; the photo import follows ``camera.applicant_file_import``."""
        from ui.session_guard import SessionTraceGuard

        controller = self.controller
        assert controller is not None
        if self.trace_guard is None:
            # Before any file dialog can exist (they come with the wizard and the console), not on the
            # welcome screen's path (bench.startup).
            _keep_qt_settings_private()
            self.trace_guard = SessionTraceGuard(self)
        controller.session_wiped.connect(self._session_wiped)
        gate = getattr(self.console, "authorize_staff", None)
        applicant = self.config.camera.applicant_file_import
        for screen in (controller.ktp_photo, controller.selfie):
            screen.set_import_policy(applicant=applicant, staff_gate=gate)
        self._purge_receipts()

    def _receipt_dir(self) -> Path | None:
        controller = self.controller
        if controller is not None and controller.receipt_dir is not None:
            return Path(controller.receipt_dir)
        if self.runtime is None:
            return None
        return self.runtime.paths.data_dir / "receipts"

    def _purge_receipts(self) -> None:
        directory = self._receipt_dir()
        if directory is None:
            return
        from ui.session_guard import purge_receipt_pdfs

        run_in_background(purge_receipt_pdfs, directory, self.config.retention.receipt_pdf_hours)

    def _session_wiped(self) -> None:
        cancel = getattr(self.console, "cancel_authorization", None)
        if cancel is not None:  # a staff login asked for the wiped session's photo import
            cancel()
        if self.trace_guard is not None:
            keep = (self.unlock_dialog,) if self.unlock_dialog is not None else ()
            self.trace_guard.wipe(keep)
        self._purge_receipts()

    def show(self) -> None:
        """Full screen without window decorations, or a normal window with ``--windowed``."""
        if self.options.windowed:
            self.window.resize(*WINDOWED_SIZE)
            self.window.show()
        else:
            self.window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
            self.window.showFullScreen()
        # Fires from the event loop once the welcome screen is on screen and can take a tap.
        QTimer.singleShot(0, lambda: _announce(READY_LINE))
        if os.environ.get(READY_ENV):
            QTimer.singleShot(0, self._announce_screen)

    def start_demo(self) -> None:
        """Start the reference API, enrol this kiosk and open the services, off the GUI thread."""
        self.start_services()

    def _on_services_failed(self, error: BaseException) -> None:
        """The demo API (or the imports before it) failed: say why, and let the wizard work without it."""
        self._opening = False
        if isinstance(error, UserFacingError):  # kiosk.demo.DemoError: says what to do, in both languages
            text = error.message.text("en" if self.languages.language() == "en" else "id")
        else:
            text = type(error).__name__
        if self.options.demo:
            self.window.status_strip.set_note(self.tr("Server demo gagal: %1").replace("%1", text))
        else:
            self.window.status_strip.set_note(self.tr("Kiosk belum siap: %1").replace("%1", text))
        log.error("kiosk services failed to start: %s", type(error).__name__)
        self.demo_failed.emit(text)
        if self.controller is None and not self._closing:
            self.runtime = None
            self.bind_wizard()

    def shutdown(self) -> None:
        """Stop the cameras, the sync engine and the demo server (if any); let background work finish."""
        self._closing = True
        if self.trace_guard is not None:
            self.trace_guard.remove()
        leftover = self._handoff.close()  # from now on a worker that finishes closes what it opened
        if leftover is not None:  # handed over, but the GUI thread never took it
            _close_services(leftover)
        console, self.console = self.console, None
        if console is not None:
            console.shutdown()
        controller, self.controller = self.controller, None
        if controller is not None:
            controller.shutdown()
        runtime, self.runtime = self.runtime, None
        environment, self.demo_environment = self.demo_environment, None
        _close_services(OpenedServices(runtime, demo_environment=environment))
        wait_for_background_work(3000)


EXIT_ALREADY_RUNNING = 3


def _take_instance_lock(options: GuiOptions) -> Any:
    """One kiosk per data dir (issue 19, ``kiosk.instance_lock``): the lock, or ``None`` after telling
    the person that another kiosk already uses this data (both languages: no language chosen yet)."""
    from kiosk.instance_lock import AlreadyRunning, InstanceLock
    from kiosk.paths import kiosk_paths

    paths = kiosk_paths()
    if options.demo:
        from kiosk.paths import demo_paths

        paths = demo_paths(paths)
    lock = InstanceLock(paths.data_dir, "gui")
    try:
        return lock.acquire()
    except AlreadyRunning as exc:
        log.error("another kiosk holds %s (pid %s)", exc.path, exc.owner.get("pid", "?"))
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, "Prakerja Kiosk", f"{exc.message.id}\n\n{exc.message.en}")
        return None
    except OSError as exc:  # a data dir that cannot be created is reported by the services later
        log.warning("instance lock not taken: %s", exc)
        return lock


def run_gui(options: GuiOptions, argv: Sequence[str] | None = None) -> int:
    """Create the application and shell, show it, run the event loop; returns the exit code."""
    app = create_application(argv)
    lock = _take_instance_lock(options)
    if lock is None:
        return EXIT_ALREADY_RUNNING
    try:
        shell = KioskShell(app, options)
        shell.show()
        shell.start_services()
        return int(app.exec())
    finally:
        lock.release()
