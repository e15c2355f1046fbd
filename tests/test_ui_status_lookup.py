"""Cek Status at a kiosk that did not register the applicant: found on the server by reference."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk import device as device_store
from kiosk import reference
from kiosk.api_client import ApiClient
from kiosk.config import KioskConfig
from kiosk.runtime import KioskRuntime
from tests.support.live_api import LiveApi
from ui.app import GuiOptions, KioskShell, create_application
from ui.camera.qt_camera import qimage_to_bgr
from ui.camera.sources import StillImageSource
from ui.controller import WizardController, _look_up_status
from ui.receipt import qr_image
from ui.worker import wait_for_background_work


def test_reference_from_another_kiosk_is_found_on_the_server(live_api: LiveApi) -> None:
    other = live_api.enrol_device("other-office")
    sid, blob = live_api.seal_submission(other)
    assert live_api.put_submission(other, sid, blob).status_code == 201
    live_api.set_submission_status(sid, "accepted")
    with ApiClient(live_api.url) as client:
        device_store.enrol(client, live_api.create_enrolment_code())
    runtime = KioskRuntime.open(KioskConfig(), start_sync=False)
    try:
        found = _look_up_status(runtime, reference.format(uuid.UUID(sid)))
        assert found is not None and not isinstance(found, str)
        assert found.submission_id == sid and found.status == "accepted"
        assert _look_up_status(runtime, reference.format(uuid.uuid4())) is None
    finally:
        runtime.close()


def test_applicant_cek_status_scans_the_receipt_qr_with_the_camera(qtbot: QtBot) -> None:
    """(Issue 16) The receipt's QR code held up to the webcam fills the reference in and checks it.

    A still image of the real receipt QR (``ui.receipt.qr_image``) is the camera here, decoded by the
    real scanner (``kiosk.status_lookup.reference_from_qr`` on a worker thread).
    """
    shell = KioskShell(create_application(), GuiOptions(windowed=True), speech_engines=[])
    qtbot.addWidget(shell.window)
    ctl = WizardController(shell.window, shell.welcome, shell.languages, None)
    try:
        ref = reference.format(uuid.uuid4())
        frame = qimage_to_bgr(qr_image(ref, 8, 4))
        assert frame is not None
        ctl.status_checker.qr_source_factory = lambda: StillImageSource(frame, fps=20)
        ctl.show_status()
        page = ctl.status
        assert page.scan_button.isVisibleTo(page) and "QR" in page.scan_button.text()
        shown: list[str] = []
        ctl.status_shown.connect(shown.append)
        qtbot.mouseClick(page.scan_button, Qt.MouseButton.LeftButton)
        assert page.scanner.is_scanning() and not page.reference.isVisibleTo(page)
        qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
        assert page.reference.text() == ref and page.reference.isVisibleTo(page)
        assert not page.scanner.is_scanning() and page.scanner.frames_seen >= 1
        assert "tidak ditemukan di kiosk ini" in shown[0]  # no runtime: only this kiosk was asked
        # Leaving the screen while scanning stops the camera.
        qtbot.mouseClick(page.scan_button, Qt.MouseButton.LeftButton)
        assert page.scanner.is_scanning()
        ctl.on_back(page)
        assert not page.scanner.is_scanning()
    finally:
        ctl.shutdown()
        wait_for_background_work(3000)
