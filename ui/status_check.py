"""Cek Status: look a reference number up on this kiosk's queue and on the central API.

Why its own class (issue 16): the status check is a separate errand from a registration (no flow, no
applicant data), with its own screen and its own failure modes; the wizard only shows the screen.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from kiosk import reference as reference_numbers
from kiosk.api_client import ApiError, ApiNotFound, ApiOffline, SubmissionStatus
from kiosk.i18n import Message
from kiosk.payload import FieldProblem
from kiosk.runtime import KioskRuntime
from offline_queue.outbox import DELIVERED
from ui.camera.sources import FrameSource
from ui.otp_controller import SERVER_NEXT_STEP, with_next_step
from ui.screens.status import StatusScreen
from ui.worker import run_in_background

log = logging.getLogger(__name__)

NOT_FROM_THIS_KIOSK = Message(
    "Nomor ini tidak ditemukan di kiosk ini. Cek status di situs resmi Kartu Prakerja atau tanya petugas.",
    "This number was not found on this kiosk. Check the status on the official Kartu Prakerja site or "
    "ask the staff.",
)
NOT_FOUND = Message(
    "Nomor ini tidak ditemukan. Cocokkan lagi dengan tanda terima Anda, atau minta petugas membantu.",
    "This number was not found. Compare it with your receipt again, or ask the staff for help.",
)
"""Said when the central server was asked too (not only this kiosk's queue)."""
CAMERA_NOT_READY = Message(
    "Kamera belum siap. Ketik nomor referensinya, atau panggil petugas.",
    "The camera is not ready. Type the reference number, or call the staff.",
)
STATUS_OFFLINE = Message(
    "Kiosk tidak terhubung ke server. Coba lagi beberapa menit lagi, atau minta petugas membantu.",
    "The kiosk is not connected. Try again in a few minutes, or ask the staff for help.",
)


class StatusChecker(QObject):
    """Runs the look-up off the GUI thread and shows the result on the status screen."""

    status_shown = Signal(str)

    def __init__(
        self, screen: StatusScreen, runtime: KioskRuntime | None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.status = screen
        self.runtime = runtime
        #: Where scanned frames come from (tests give a still image of a receipt's QR code).
        self.qr_source_factory: Callable[[], FrameSource] = _default_camera
        screen.check_requested.connect(self.check_status)
        screen.scan_requested.connect(self.toggle_scan)
        screen.scanner.found.connect(self._scanned)

    def toggle_scan(self) -> None:
        """Start (or stop) reading the receipt's QR code with the webcam."""
        scanner = self.status.scanner
        if scanner.is_scanning():
            self.stop_scan()
            return
        try:
            source = self.qr_source_factory()
        except Exception as exc:  # no multimedia back-end: typing the number still works
            log.warning("QR camera unavailable: %s", type(exc).__name__)
            self.status.show_problems([FieldProblem("reference", CAMERA_NOT_READY)])
            return
        self.status.show_problems([])
        scanner.start(source)
        self.status.set_scanning(True)

    def stop_scan(self) -> None:
        """Stop the camera (leaving the screen, a result found, or "Berhenti memindai")."""
        self.status.scanner.stop()
        self.status.set_scanning(False)

    def _scanned(self, reference: str) -> None:
        self.status.set_scanning(False)
        self.status.reference.line_edit.setText(reference)
        self.check_status(reference)

    def check_status(self, text: str) -> None:
        try:
            ref = reference_numbers.parse(text)
        except reference_numbers.ReferenceNumberError as exc:
            self.status.show_problems([FieldProblem("reference", exc.message)])
            self.status.show_result(None)
            return
        self.status.show_problems([])
        if self.runtime is None:
            self.status_shown.emit(self.status.show_result(None, NOT_FROM_THIS_KIOSK))
            return
        self.status.set_busy(True)
        run_in_background(
            look_up_status,
            self.runtime,
            str(ref),
            on_success=self._status_found,
            on_failure=self._status_failed,
            parent=self.status,
        )

    def _status_found(self, result: SubmissionStatus | str | None) -> None:
        if result is None:
            asked_server = self.runtime is not None and self.runtime.api is not None
            text = self.status.show_result(None, NOT_FOUND if asked_server else NOT_FROM_THIS_KIOSK)
        elif isinstance(result, str):
            text = self.status.show_result(result)
        else:
            text = self.status.show_result(result.status, result.reason_message())
        self.status_shown.emit(text)

    def _status_failed(self, error: BaseException) -> None:
        if isinstance(error, ApiNotFound):
            text = self.status.show_result("waiting")
        elif isinstance(error, ApiOffline):
            text = self.status.show_result(None, STATUS_OFFLINE)
        elif isinstance(error, ApiError):
            text = self.status.show_result(None, with_next_step(error.message, SERVER_NEXT_STEP))
        else:
            log.error("status look-up failed: %s", type(error).__name__)
            text = self.status.show_result(None, STATUS_OFFLINE)
        self.status_shown.emit(text)


def look_up_status(runtime: KioskRuntime, ref: str) -> SubmissionStatus | str | None:
    """Worker: this kiosk's outbox first (waiting items are only here); then the central API's status.

    A reference from another office's kiosk is looked up on the server by reference number.
    """
    found = [item for item in runtime.outbox.items() if item.meta.get("reference") == ref]
    if not found:
        if runtime.api is None:
            return None
        try:
            return runtime.api.submission_status_by_reference(ref)
        except ApiNotFound:
            return None
    item = found[0]
    if item.state != DELIVERED:
        return "waiting"
    if runtime.api is None:
        raise ApiOffline()
    return runtime.api.submission_status(item.id)


def _default_camera() -> FrameSource:
    """The system's default webcam (imported late: Qt Multimedia is only needed when scanning)."""
    from ui.camera.qt_camera import CameraSource

    return CameraSource(None)
