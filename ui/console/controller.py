"""Wires the console: gesture → login → pages ⇄ runtime, with every action in the audit log.

Why one controller: the pages only display and emit requests; this class checks the operator's role
(supervisor-only actions are refused here too, not just greyed out), runs every slow call (SQLite,
HTTP, scrypt, file export/import, purge, wipe) with ``ui.worker.run_in_background`` and appends one
audit entry per action — operator, action code, reference number or a count, never applicant data.
It also holds the kiosk-mode guard: the window ignores close requests until a logged-in operator
leaves full screen or quits from the console.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QFileDialog

from kiosk import audit as audit_log
from kiosk import reference as reference_numbers
from kiosk.api_client import ApiError
from kiosk.audit import AuditError, AuditLog
from kiosk.config import ConfigError
from kiosk.console_model import (
    DashboardSnapshot,
    WipeError,
    WipeReport,
    audit_reference,
    export_file_name,
    export_items,
    operators_file,
    purge_delivered,
    snapshot,
    unsent_count,
    wipe_device,
)
from kiosk.device import derived_key
from kiosk.fleet_settings import load_layered, overrides_path, save_overrides, sources_in_words
from kiosk.i18n import Message, message_of
from kiosk.operator_auth import OperatorAuth, OperatorLogin, OperatorLoginError
from kiosk.runtime import KioskRuntime
from kiosk.status_lookup import StatusAnswer, look_up
from offline_queue.outbox import ImportReport
from ui.camera.sources import FrameSource
from ui.console.gesture import HOLD_MS, CornerHoldGesture
from ui.console.login_dialog import LoginDialog
from ui.console.page import ConsolePage
from ui.console.screen import ConsoleScreen
from ui.console.wipe_dialog import WipeDialog
from ui.i18n import LanguageManager
from ui.main_window import MainWindow
from ui.removable import removable_export_dir
from ui.session_guard import clear_clipboard, close_popups, forget_file_dialog_history
from ui.worker import CoreEventBridge, run_in_background

log = logging.getLogger(__name__)
_T = TypeVar("_T")

SYSTEM_OPERATOR = "system"
UNKNOWN_OPERATOR = "unknown"
REFRESH_MS = 5000
IDLE_LOGOUT_MS = 5 * 60 * 1000
_INPUT_EVENTS = (
    QEvent.Type.MouseButtonPress,
    QEvent.Type.KeyPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.Wheel,
)
EXPORT_FILTER = "Prakerja export (*.oqx);;All files (*)"

FAILED = Message(
    "Tidak berhasil. Coba lagi atau hubungi dukungan.", "That did not work. Try again or call support."
)
NO_CAMERA = Message(
    "Kamera tidak tersedia. Ketik nomor referensinya.", "No camera available. Type the reference number."
)
SUPERVISOR_ONLY = Message("Hanya supervisor yang dapat melakukan ini.", "Only a supervisor can do this.")


def _message_of(error: BaseException) -> Message:
    """The plain-words message a documented error carries (generic otherwise)."""
    return message_of(error, FAILED)


class ConsoleController(QObject):
    """Creates the console screen and login dialog in ``window`` and handles their requests."""

    opened = Signal()
    closed = Signal()
    action_finished = Signal(str)  # the action code, after its work and audit entry are done
    refreshed = Signal()

    def __init__(
        self,
        window: MainWindow,
        runtime: KioskRuntime,
        languages: LanguageManager,
        *,
        auth: OperatorAuth | None = None,
        audit: AuditLog | None = None,
        config_path: Path | None = None,
        hold_ms: int = HOLD_MS,
        refresh_ms: int = REFRESH_MS,
        kiosk_mode: bool | None = None,
        quit_app: Callable[[], None] | None = None,
        purge_on_start: bool = True,
        qr_source_factory: Callable[[], FrameSource] | None = None,
        idle_logout_ms: int = IDLE_LOGOUT_MS,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.runtime = runtime
        self.languages = languages
        config = runtime.config
        device = runtime.device
        # Both keys come from the device key in sealed storage (issue 18): the offline PIN cache is
        # authenticated with a key derived from it, and every audit entry is signed with it.
        self.auth = auth or OperatorAuth(
            operators_file(runtime.paths),
            api=runtime.api,
            offline_days=config.operator.offline_login_days,
            max_failures=config.operator.max_failures,
            lockout_minutes=config.operator.lockout_minutes,
            store_key=derived_key(device, "operator-store") if device is not None else None,
        )
        self.audit = audit or AuditLog(
            runtime.paths.audit_file, device.signing_key if device is not None else None
        )
        # A supervisor's changes are the top layer, above the centre's settings (kiosk.fleet_settings).
        self.config_path = config_path or overrides_path(runtime.paths)
        self.kiosk_mode = kiosk_mode
        self._quit_app = quit_app
        self.qr_source_factory = qr_source_factory or _default_camera
        self._allow_close = False
        self.session: OperatorLogin | None = None
        self.wiped = False
        self._previous_screen = "welcome"
        self._refreshing = False
        self._refresh_again = False

        self.screen = ConsoleScreen()
        window.add_screen(self.screen)
        self.login_dialog = LoginDialog(window)
        self.wipe_dialog = WipeDialog(window)
        self.gesture = CornerHoldGesture(window, hold_ms=hold_ms)
        self.gesture.triggered.connect(self.open_login)
        self.login_dialog.submitted.connect(self.login)
        self._authorize: Callable[[], None] | None = None
        self.login_dialog.rejected.connect(self._authorize_cancelled)

        s = self.screen
        s.leave_requested.connect(lambda: self.leave())
        s.exit_fullscreen_requested.connect(self.exit_fullscreen)
        s.quit_requested.connect(self.quit)
        s.page_changed.connect(lambda _name: self.refresh())
        s.dashboard.sync_requested.connect(self.sync_now)
        s.attention.retry_requested.connect(self.retry)
        s.attention.export_requested.connect(self.choose_item_export)
        s.status.check_requested.connect(self.check_status)
        s.status.scan_requested.connect(self.toggle_scan)
        s.status.scanner.found.connect(self._scanned)
        s.page_changed.connect(lambda name: self.stop_scan() if name != "status" else None)
        s.fieldwork.export_requested.connect(self.choose_export)
        s.fieldwork.import_requested.connect(self.choose_import)
        s.settings.save_requested.connect(self.save_settings)
        s.maintenance.purge_requested.connect(self.purge)
        s.maintenance.audit_check_requested.connect(self.check_audit)
        s.maintenance.wipe_requested.connect(self.ask_wipe)
        self.wipe_dialog.confirmed.connect(self.wipe)
        self.wipe_dialog.export_first.connect(self._export_before_wipe)
        s.settings.set_config(config)
        s.maintenance.set_retention_days(config.retention.tombstone_days)
        s.set_operator(None)

        self.timer = QTimer(self)
        self.timer.setInterval(refresh_ms)
        self.timer.timeout.connect(self.refresh)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(250)  # coalesce a burst of sync events into one read
        self._soon.timeout.connect(self.refresh)
        # An operator who walks away is logged out: the next applicant must not find an open console.
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.setInterval(idle_logout_ms)
        self.idle_timer.timeout.connect(self._idle_logout)
        self.bridge = CoreEventBridge(self)
        self.bridge.received.connect(self._on_sync_event)
        self._remove_listener: Callable[[], None] | None = runtime.add_sync_listener(self.bridge)
        languages.language_changed.connect(self.screen.set_language)
        self.screen.set_language(languages.language())
        window.installEventFilter(self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        if self.audit.signer is not None:
            # An enrolled kiosk's log must start signing now (first start after enrolment or after an
            # update): from then on a missing, cut or rewritten log is detected (kiosk.audit).
            run_in_background(self._ensure_signed, parent=self)
        if purge_on_start:
            self.purge(startup=True)

    def _ensure_signed(self) -> None:
        try:
            self.audit.ensure_signed(SYSTEM_OPERATOR)
        except AuditError as exc:
            log.error("audit log cannot be signed: %s", exc.message.en)

    def _on_sync_event(self, _event: object) -> None:
        if self.is_open():
            self._soon.start()

    # -- kiosk-mode guard ---------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self.session is not None and event.type() in _INPUT_EVENTS:
            self.idle_timer.start()
        if watched is self.window and event.type() == QEvent.Type.Close:
            if self.in_kiosk_mode() and not self._allow_close:
                event.ignore()
                return True
        return False

    def in_kiosk_mode(self) -> bool:
        """Whether closing is guarded: ``kiosk_mode`` when given, else "the window is full screen"."""
        if self.kiosk_mode is not None:
            return self.kiosk_mode
        return self.window.isFullScreen()

    # -- helpers ------------------------------------------------------------------------------------
    def _words(self, message: Message) -> str:
        return message.text("en" if self.languages.language() == "en" else "id")

    def _operator(self) -> str:
        return self.session.username if self.session is not None else SYSTEM_OPERATOR

    def _audit(self, action: str, ref: str | None = None, operator: str | None = None) -> None:
        """Append one entry; called from worker functions (fsync) — a failure is logged, not fatal."""
        try:
            self.audit.append(operator or self._operator(), action, ref)
        except AuditError as exc:
            log.error("audit entry %s not written: %s", action, exc.message.en)

    def _audit_async(self, action: str, ref: str | None = None, operator: str | None = None) -> None:
        run_in_background(
            self._audit,
            action,
            ref,
            operator or self._operator(),
            on_success=lambda _r: self.action_finished.emit(action),
            parent=self,
        )

    def _supervisor(self) -> bool:
        return self.session is not None and self.session.is_supervisor

    def is_open(self) -> bool:
        return self.session is not None and self.window.current_screen() is self.screen

    # -- login / leave ------------------------------------------------------------------------------
    def open_login(self) -> None:
        """The gesture fired: ask for username and PIN (ignored while the console is open)."""
        if self.session is not None or self.login_dialog.isVisible():
            return
        self.login_dialog.start()

    def authorize_staff(self, granted: Callable[[], None]) -> None:
        """A staff-only action on the applicant's side (the photo file import, issue 18): ask for an
        operator login *without* opening the console, then call ``granted`` once.

        The login is checked and audited like any other (``photo.import_staff``); no console session
        is kept, so the applicant is never left with an open console.
        """
        if self.login_dialog.isVisible():
            return
        self._authorize = granted
        self.login_dialog.start()

    def _authorize_cancelled(self) -> None:
        self._authorize = None

    def cancel_authorization(self) -> None:
        """The applicant's session ended while a staff login for it was asked: close that dialog."""
        if self._authorize is not None:
            self._authorize = None
            self.login_dialog.reject()

    def login(self, username: str, pin: str) -> None:
        def failed(error: BaseException) -> None:
            self._login_failed(username, error)

        run_in_background(
            self.auth.login,
            username,
            pin,
            on_success=self._logged_in,
            on_failure=failed,
            parent=self.login_dialog,
        )

    def _logged_in(self, login: OperatorLogin) -> None:
        if self._authorize is not None:  # a staff-only action, not the console
            granted, self._authorize = self._authorize, None
            self.login_dialog.accept()
            self._audit_async("photo.import_staff", operator=login.username)
            granted()
            return
        self.session = login
        self.login_dialog.accept()
        current = self.window.current_screen()
        if current is not None and current is not self.screen:
            self._previous_screen = current.screen_name
        self.screen.set_operator(login)
        self.screen.show_page("dashboard")
        self.window.show_screen(self.screen.screen_name)
        self.gesture.set_enabled(False)
        self.timer.start()
        self.idle_timer.start()
        self._audit_async("console.login")
        self.refresh()
        self.opened.emit()

    def _login_failed(self, username: str, error: BaseException) -> None:
        if isinstance(error, OperatorLoginError | ApiError):
            text = self._words(error.message)
        else:
            log.error("operator login failed: %s", type(error).__name__)
            text = self._words(FAILED)
        self.login_dialog.show_error(text)
        name = username.strip().lower()
        operator = name if audit_log.is_loggable_operator(name) else UNKNOWN_OPERATOR
        self._audit_async("console.login_failed", operator=operator)

    def _idle_logout(self) -> None:
        if self.session is not None:
            self.leave(action="console.idle_logout")

    def leave(self, action: str = "console.logout") -> None:
        """Back to the kiosk: log out, show the screen that was there before."""
        if self.session is None:
            return
        self._audit_async(action)
        # Leaving the console to help at the desk: the next registration records who assisted.
        self.runtime.desk_operator = self.session.username if action == "console.logout" else None
        self.session = None
        self.timer.stop()
        self.idle_timer.stop()
        self.wipe_dialog.hide()
        # A file dialog or menu the operator left open must not stay over the kiosk, nor what they
        # copied (issue 18): the idle logout runs even inside a file dialog's own event loop.
        close_popups()
        clear_clipboard()
        self.stop_scan()
        self.screen.set_operator(None)
        self.gesture.set_enabled(True)
        try:
            self.window.show_screen(self._previous_screen)
        except KeyError:
            self.window.show_screen("welcome")
        self.closed.emit()

    def exit_fullscreen(self) -> None:
        if self.session is None:
            return
        self.kiosk_mode = False
        guard = getattr(self.window, "close_guard", None)
        if guard is not None:
            guard.set_active(False)
        self.window.setWindowFlag(Qt.WindowType.FramelessWindowHint, False)
        self.window.showNormal()
        self._audit_async("kiosk.exit_fullscreen")

    def quit(self) -> None:
        if self.session is None:
            return
        self._audit("kiosk.quit")  # synchronous: the process is about to end
        self._allow_close = True
        guard = getattr(self.window, "close_guard", None)  # the shell's own guard (ui.app.CloseGuard)
        if guard is not None:
            guard.allow()
        self.shutdown()
        if self._quit_app is not None:
            self._quit_app()
        else:
            self.window.close()
            app = QApplication.instance()
            if app is not None:
                app.quit()

    def shutdown(self) -> None:
        self.timer.stop()
        self.idle_timer.stop()
        self.stop_scan()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        if self._remove_listener is not None:
            self._remove_listener()
            self._remove_listener = None

    # -- dashboard ----------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the outbox (off the GUI thread) into the dashboard, attention list and field work."""
        if self.wiped:
            return
        if self._refreshing:
            self._refresh_again = True  # the read in flight may predate the change: read once more
            return
        self._refreshing = True
        self._refresh_again = False
        device = self.runtime.device
        bank_sync = self.runtime.bank_sync
        run_in_background(
            functools.partial(
                snapshot,
                bank_status=bank_sync.status if bank_sync is not None else None,
                version=self.runtime.fleet.version_notice if self.runtime.fleet is not None else None,
                zone=self.runtime.config.kiosk.time_zone,  # WIB/WITA/WIT on every console time
                settings_sources=self._settings_sources,
            ),
            self.runtime.outbox,
            self.runtime.online,
            device.device_id if device is not None else None,
            on_success=self._snapshot_ready,
            on_failure=self._refresh_failed,
            parent=self.screen,
        )

    def _settings_sources(self) -> Message:
        """Worker: which keys come from the centre / a supervisor (issue 19), read from disk."""
        try:
            return sources_in_words(load_layered(self.runtime.paths))
        except ConfigError as exc:
            return exc.message

    def _snapshot_ready(self, snap: DashboardSnapshot) -> None:
        self._refreshing = False
        if self._refresh_again:
            self.refresh()
            return
        self.screen.dashboard.set_snapshot(snap)
        self.screen.attention.set_rows(snap.attention)
        self.screen.fieldwork.set_waiting(snap.stats.waiting)
        self.refreshed.emit()

    def _refresh_failed(self, error: BaseException) -> None:
        self._refreshing = False
        self._refresh_again = False
        self.screen.dashboard.set_message(self._words(_message_of(error)))

    def sync_now(self) -> None:
        if self.session is None:
            return
        self.runtime.sync_now(staff=True)
        self.screen.dashboard.set_message(self.tr("Pengiriman dimulai."))
        self._audit_async("queue.sync_now")
        self._soon.start()

    # -- attention ----------------------------------------------------------------------------------
    def _references(self, item_ids: list[str]) -> dict[str, str]:
        """What the audit records per item: the reference number (without check symbol), else the id."""
        by_id = {row.item_id: row.reference for row in self.screen.attention.rows()}
        return {item_id: audit_reference(by_id.get(item_id, item_id)) for item_id in item_ids}

    def retry(self, item_ids: list[str]) -> None:
        if self.session is None or not item_ids:
            return
        refs = self._references(item_ids)

        def work() -> int:
            for item_id in item_ids:
                self.runtime.outbox.retry(item_id)
                self._audit("queue.retry", refs[item_id])
            return len(item_ids)

        self._audited_action(
            "queue.retry", self.screen.attention, work, lambda n: self.tr("%n dikirim ulang.", "", n)
        )

    def choose_item_export(self, item_ids: list[str]) -> None:
        if not item_ids:
            return
        path = self._ask_save_path()
        if path is not None:
            self.export_items(item_ids, path)

    def export_items(self, item_ids: list[str], path: Path) -> None:
        if self.session is None:
            return
        refs = self._references(item_ids)

        def work() -> int:
            count = export_items(self.runtime.outbox, item_ids, path)
            for item_id in item_ids:
                self._audit("queue.export_item", refs[item_id])
            return count

        self._audited_action(
            "queue.export_item",
            self.screen.attention,
            work,
            lambda n: self.tr("%n diekspor ke berkas.", "", n) + f" {path.name}",
        )

    def _audited_action(
        self,
        action: str,
        page: ConsolePage,
        work: Callable[[], _T],
        outcome: Callable[[_T], str],
        *,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> None:
        """The one way a console action runs: ``work`` off the GUI thread, then its outcome on ``page``.

        ``work`` writes its own audit entries (``self._audit``) because only it knows what to record
        (each reference, the count it really exported); ``outcome`` turns its result into the words
        shown on ``page``. Afterwards :attr:`action_finished` is emitted and the dashboard refreshed,
        on failure too (with the error's words, :func:`_message_of`) unless ``on_failure`` handles it.
        """
        run_in_background(
            work,
            on_success=lambda result: self._after(action, page, outcome(result)),
            on_failure=on_failure or (lambda error: self._failed(action, page, error)),
            parent=page,
        )

    def _after(self, action: str, page: ConsolePage, text: str) -> None:
        page.show_outcome(text)
        self.action_finished.emit(action)
        self.refresh()

    def _failed(self, action: str, page: ConsolePage, error: BaseException) -> None:
        log.warning("console action %s failed: %s", action, type(error).__name__)
        text = "⚠ " + self._words(_message_of(error))
        page.show_outcome(text)
        self.action_finished.emit(action)
        self.refresh()

    # -- status -------------------------------------------------------------------------------------
    def check_status(self, text: str) -> None:
        if self.session is None:
            return
        page = self.screen.status
        try:
            ref = str(reference_numbers.parse(text))
        except reference_numbers.ReferenceNumberError as exc:
            page.show_problem(exc.message)
            return
        page.set_busy(True)

        def work() -> StatusAnswer:
            self._audit("status.lookup", audit_reference(ref))
            return look_up(ref, self.runtime.outbox, self.runtime.api)

        def answered(answer: StatusAnswer) -> None:
            page.show_answer(answer)
            self.action_finished.emit("status.lookup")

        def failed(error: BaseException) -> None:
            page.show_problem(_message_of(error))
            self.action_finished.emit("status.lookup")

        run_in_background(work, on_success=answered, on_failure=failed, parent=page)

    def toggle_scan(self) -> None:
        """Start (or stop) reading the receipt's QR code with the webcam."""
        page = self.screen.status
        if page.scanner.is_scanning():
            self.stop_scan()
            return
        if self.session is None:
            return
        try:
            source = self.qr_source_factory()
        except Exception as exc:  # no multimedia backend: typing still works
            log.warning("QR camera unavailable: %s", type(exc).__name__)
            page.show_problem(NO_CAMERA)
            return
        page.scanner.start(source)
        page.retranslate()

    def stop_scan(self) -> None:
        page = self.screen.status
        if page.scanner.is_scanning():
            page.scanner.stop()
            page.retranslate()

    def _scanned(self, ref: str) -> None:
        page = self.screen.status
        page.retranslate()
        page.reference.setText(ref)
        self.check_status(ref)

    # -- field work ---------------------------------------------------------------------------------
    def _ask_save_path(self) -> Path | None:
        device = self.runtime.device
        start = removable_export_dir() or Path.home()
        suggested = start / export_file_name(device.device_id if device is not None else None)
        name, _filter = QFileDialog.getSaveFileName(
            self.window,
            self.tr("Simpan berkas ekspor"),
            str(suggested),
            EXPORT_FILTER,
            options=QFileDialog.Option.DontUseNativeDialog,
        )
        forget_file_dialog_history()
        return Path(name) if name and self.session is not None else None

    def choose_export(self) -> None:
        path = self._ask_save_path()
        if path is not None:
            self.export_to(path)

    def choose_import(self) -> None:
        start = removable_export_dir() or Path.home()
        name, _filter = QFileDialog.getOpenFileName(
            self.window,
            self.tr("Pilih berkas ekspor"),
            str(start),
            EXPORT_FILTER,
            options=QFileDialog.Option.DontUseNativeDialog | QFileDialog.Option.ReadOnly,
        )
        forget_file_dialog_history()
        if name and self.session is not None:  # not after a logout while the dialog was open
            self.import_from(Path(name))

    def export_to(self, path: Path) -> None:
        """Write every waiting registration to ``path`` (field work), off the GUI thread."""
        if self.session is None:
            return
        page = self.screen.fieldwork
        page.set_busy(True)

        def work() -> int:
            count = self.runtime.outbox.export_to(path)
            self._audit("fieldwork.export", f"items:{count}")
            return count

        self._audited_action(
            "fieldwork.export",
            page,
            work,
            lambda n: self.tr("%n pendaftaran diekspor ke %1.", "", n).replace("%1", str(path)),
        )

    def import_from(self, path: Path) -> None:
        """Add the registrations of an export file to this kiosk's queue, then send."""
        if self.session is None:
            return
        page = self.screen.fieldwork
        page.set_busy(True)

        def work() -> ImportReport:
            from kiosk.queue_import import import_queue_file

            # Only sealed envelopes for this kiosk's server, none over the envelope limit, streamed.
            report = import_queue_file(self.runtime.outbox, path, self.runtime.paths)
            self._audit("fieldwork.import", f"items:{len(report.imported)}")
            return report

        def outcome(report: ImportReport) -> str:
            self.runtime.sync_now()  # the imported registrations go out now, not at the next poll
            text = (
                self.tr("Diimpor: %1. Sudah ada: %2. Bentrok (tidak diimpor): %3.")
                .replace("%1", str(len(report.imported)))
                .replace("%2", str(len(report.skipped_known)))
                .replace("%3", str(len(report.conflicts)))
            )
            if report.rejected:
                from kiosk.queue_import import rejected_in_words

                text += " " + self._words(rejected_in_words(report))
            return text

        self._audited_action("fieldwork.import", page, work, outcome)

    # -- settings -----------------------------------------------------------------------------------
    def save_settings(self, values: dict[str, Any]) -> None:
        page = self.screen.settings
        if not self._supervisor():
            page.set_message("⚠ " + self._words(SUPERVISOR_ONLY))
            self._audit_async("settings.refused")
            return

        def work() -> object:
            # Only what the supervisor changed becomes an override above the centre's settings.
            config = save_overrides(self.runtime.paths, values, self.runtime.config)
            self._audit("settings.save")
            return config

        def failed(error: BaseException) -> None:
            if isinstance(error, ConfigError):
                page.set_message("⚠ " + self._words(error.message))
                self.action_finished.emit("settings.save")
            else:
                self._failed("settings.save", page, error)

        self._audited_action(
            "settings.save",
            page,
            work,
            lambda _config: self.tr("Tersimpan. Berlaku setelah kiosk dimulai ulang."),
            on_failure=failed,
        )

    # -- maintenance --------------------------------------------------------------------------------
    def purge(self, startup: bool = False) -> None:
        """Delete delivered tombstones past ``retention.tombstone_days`` (at start-up and on request)."""
        page = self.screen.maintenance
        days = self.runtime.config.retention.tombstone_days
        operator = SYSTEM_OPERATOR if startup else self._operator()
        if not startup and self.session is None:
            return

        def work() -> int:
            count = purge_delivered(self.runtime.outbox, days)
            self._audit("retention.purge", f"items:{count}", operator)
            return count

        self._audited_action(
            "retention.purge", page, work, lambda n: self.tr("%n catatan lama dihapus.", "", n)
        )

    def check_audit(self) -> None:
        if self.session is None:
            return
        page = self.screen.maintenance

        def work() -> Message:
            self._audit("audit.verify")
            return audit_log.verify_kiosk(self.audit.path, self.runtime.paths.data_dir).summary()

        self._audited_action("audit.verify", page, work, self._words)

    def ask_wipe(self) -> None:
        page = self.screen.maintenance
        if not self._supervisor():
            page.set_result("⚠ " + self._words(SUPERVISOR_ONLY))
            self._audit_async("device.wipe_refused")
            return
        run_in_background(
            lambda: unsent_count(self.runtime.outbox.stats()),
            on_success=self.wipe_dialog.ask,
            on_failure=lambda e: self._failed("device.wipe", page, e),
            parent=page,
        )

    def _export_before_wipe(self) -> None:
        self.screen.show_page("fieldwork")
        self.choose_export()

    def wipe(self, confirmed_unsent: int) -> None:
        """Remove keys, queue and cached data (supervisor, after the unsent count was confirmed)."""
        page = self.screen.maintenance
        if not self._supervisor():
            page.set_result("⚠ " + self._words(SUPERVISOR_ONLY))
            return
        self.timer.stop()

        def work() -> WipeReport:
            self._audit("device.wipe", f"unsent:{confirmed_unsent}")
            report = wipe_device(
                self.runtime.paths,
                outbox=self.runtime.outbox,
                confirmed_unsent=confirmed_unsent,
                auth=self.auth,
                stop_services=self.runtime.close,
            )
            self._audit("device.wipe_done", f"unsent:{report.discarded_unsent}")
            return report

        def done(report: WipeReport) -> None:
            # Not an _audited_action: after a wipe there is no runtime left to refresh from.
            self.wiped = True
            self.screen.show_wiped(
                self.tr(
                    "Data perangkat dihapus. Tutup aplikasi; daftarkan ulang perangkat sebelum dipakai lagi."
                )
            )
            self.action_finished.emit("device.wipe")

        def failed(error: BaseException) -> None:
            if isinstance(error, WipeError):
                self.timer.start()
            self._failed("device.wipe", page, error)

        run_in_background(work, on_success=done, on_failure=failed, parent=page)


def _default_camera() -> FrameSource:
    """The system's default webcam (imported late: Qt Multimedia is only needed when scanning)."""
    from ui.camera.qt_camera import CameraSource

    return CameraSource(None)


def install_console(
    window: MainWindow, runtime: KioskRuntime | None, languages: LanguageManager, **options: Any
) -> ConsoleController | None:
    """The console for a running kiosk (None without a runtime, e.g. before the outbox could open)."""
    if runtime is None:
        return None
    return ConsoleController(window, runtime, languages, **options)
