"""The operator console with real widgets (pytest-qt) against the real reference API and real outboxes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QTableWidget,
    QWidget,
)

from kiosk import device as device_store
from kiosk.api_client import ApiClient
from kiosk.config import KioskConfig, load_config
from kiosk.console_model import audit_reference
from kiosk.fleet_settings import overrides_path
from kiosk.flow import Flow, Step
from kiosk.paths import KioskPaths, kiosk_paths
from kiosk.runtime import KioskRuntime
from kiosk.submission import SealedSubmission
from offline_queue.exchange import read_export
from tests.support.applicants import applicant_values, fill_flow
from tests.support.live_api import EnrolledDevice, LiveApi
from ui.camera.qt_camera import qimage_to_bgr
from ui.camera.sources import StillImageSource
from ui.console.controller import ConsoleController
from ui.i18n import LanguageManager
from ui.main_window import MainWindow
from ui.receipt import qr_image
from ui.screens.welcome import WelcomeScreen
from ui.worker import wait_for_background_work

PIN_OP, PIN_SUP = "135790", "246810"


@dataclass
class Kiosk:
    window: MainWindow
    runtime: KioskRuntime
    console: ConsoleController
    languages: LanguageManager
    quits: list[int] = field(default_factory=list)


def _is(action: str) -> Any:
    """Wait for this action's completion, not for another action's (e.g. the login's audit entry)."""
    return lambda done: done == action


def _open_kiosk(qtbot: Any, paths: KioskPaths | None = None) -> Kiosk:
    runtime = KioskRuntime.open(KioskConfig(), paths=paths, start_sync=False)
    app = QApplication.instance()
    assert app is not None
    languages = LanguageManager(app)  # type: ignore[arg-type]
    window = MainWindow()
    window.add_screen(WelcomeScreen())
    qtbot.addWidget(window)
    quits: list[int] = []
    console = ConsoleController(
        window,
        runtime,
        languages,
        hold_ms=150,
        refresh_ms=60_000,
        kiosk_mode=True,
        quit_app=lambda: quits.append(1),
    )
    with qtbot.waitSignal(
        console.action_finished, timeout=5000, check_params_cb=_is("retention.purge")
    ):  # start-up retention purge
        pass
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return Kiosk(window, runtime, console, languages, quits)


def _close(k: Kiosk) -> None:
    k.console.shutdown()
    wait_for_background_work(5000)
    k.languages.set_language("id")
    k.runtime.close()


def _enrol(live_api: LiveApi, paths: KioskPaths | None = None) -> None:
    with ApiClient(live_api.url) as client:
        device_store.enrol(client, live_api.create_enrolment_code(), paths=paths)


@pytest.fixture
def kiosk(qtbot: Any, live_api: LiveApi) -> Iterator[Kiosk]:
    _enrol(live_api)
    live_api.create_operator("budi", PIN_OP, "operator")
    live_api.create_operator("sari", PIN_SUP, "supervisor")
    k = _open_kiosk(qtbot)
    yield k
    _close(k)


def _hold_corner(qtbot: Any, k: Kiosk) -> None:
    QTest.mousePress(k.window.header, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(5, 5))
    qtbot.waitUntil(k.console.login_dialog.isVisible, timeout=3000)
    QTest.mouseRelease(
        k.window.header, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(5, 5)
    )


def _login(qtbot: Any, k: Kiosk, username: str, pin: str) -> None:
    _hold_corner(qtbot, k)
    dialog = k.console.login_dialog
    QTest.keyClicks(dialog.username, username)
    dialog.pin.setFocus()
    for digit in pin:
        dialog.keypad.digit_buttons[digit].click()
    with qtbot.waitSignals([k.console.opened, k.console.refreshed], timeout=10_000):
        dialog.login_button.click()


def _audit(k: Kiosk) -> list[dict[str, Any]]:
    wait_for_background_work(5000)
    QApplication.processEvents()
    lines = k.runtime.paths.audit_file.read_text().splitlines()
    return [json.loads(line) for line in lines]


def _seal(k: Kiosk, index: int) -> SealedSubmission:
    flow = Flow(online=False)
    fill_flow(flow, index=index)
    return k.runtime.seal_and_enqueue(flow)


def _device(k: Kiosk) -> EnrolledDevice:
    d = k.runtime.require_device()
    return EnrolledDevice(
        d.device_id, d.token, d.signing_key, d.server_envelope_key, d.server_signing_key, {}
    )


def _refresh(qtbot: Any, k: Kiosk) -> None:
    with qtbot.waitSignal(k.console.refreshed, timeout=5000):
        k.console.refresh()


def _all_texts(root: QWidget) -> list[str]:
    texts = [root.windowTitle(), root.toolTip()]
    for w in [root, *root.findChildren(QWidget)]:
        texts += [w.toolTip(), w.accessibleName(), w.accessibleDescription()]
        if isinstance(w, QLabel | QAbstractButton | QLineEdit):
            texts.append(w.text())
        if isinstance(w, QComboBox):
            texts += [w.itemText(i) for i in range(w.count())]
        if isinstance(w, QTableWidget):
            for r in range(w.rowCount()):
                for c in range(w.columnCount()):
                    item = w.item(r, c)
                    if item is not None:
                        texts += [item.text(), item.toolTip()]
    return texts


def test_gesture_login_roles_and_kiosk_mode_guard(qtbot: Any, kiosk: Kiosk) -> None:
    k = kiosk
    # a short tap in the corner does nothing
    QTest.mouseClick(k.window.header, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(5, 5))
    qtbot.wait(300)
    assert not k.console.login_dialog.isVisible()
    # closing the kiosk window is refused without the console
    assert k.window.close() is False and k.window.isVisible()

    _hold_corner(qtbot, k)
    dialog = k.console.login_dialog
    QTest.keyClicks(dialog.username, "budi")
    QTest.keyClicks(dialog.pin, "999999")
    dialog.login_button.click()
    qtbot.waitUntil(lambda: "salah" in dialog.error_label.text(), timeout=10_000)
    assert dialog.pin.text() == ""
    dialog.reject()

    _login(qtbot, k, "budi", PIN_OP)
    s = k.console.screen
    assert k.window.current_screen() is s
    assert not s.settings.save_button.isEnabled() and not s.maintenance.wipe_button.isEnabled()
    k.console.save_settings({"kiosk.language": "en"})  # refused in the controller too
    assert "supervisor" in s.settings.message.text()
    k.console.ask_wipe()
    assert not k.console.wipe_dialog.isVisible()
    s.leave_button.click()
    assert k.window.current_screen().screen_name == "welcome"

    _login(qtbot, k, "SARI", PIN_SUP)
    assert s.settings.save_button.isEnabled() and s.maintenance.wipe_button.isEnabled()
    s.show_page("settings")
    s.settings.idle.setValue(5)  # below the schema's minimum
    with qtbot.waitSignal(k.console.action_finished, timeout=5000, check_params_cb=_is("settings.save")):
        s.settings.save_button.click()
    assert "kiosk.idle_timeout_s" in s.settings.message.text()
    assert not overrides_path(k.runtime.paths).exists()  # the console writes the top layer (issue 19)
    s.settings.idle.setValue(120)
    s.settings.api_url.setText("https://api.contoh.go.id")
    with qtbot.waitSignal(k.console.action_finished, timeout=5000, check_params_cb=_is("settings.save")):
        s.settings.save_button.click()
    saved = load_config(overrides_path(k.runtime.paths), env={})
    assert (saved.kiosk.idle_timeout_s, saved.api.url) == (120, "https://api.contoh.go.id")

    s.fullscreen_button.click()
    s.quit_button.click()
    assert k.quits == [1]
    actions = [(e["operator"], e["action"]) for e in _audit(k)]
    assert ("unknown", "console.login_failed") not in actions
    for expected in [
        ("system", "retention.purge"),
        ("budi", "console.login_failed"),
        ("budi", "console.login"),
        ("budi", "settings.refused"),
        ("budi", "device.wipe_refused"),
        ("budi", "console.logout"),
        ("sari", "console.login"),
        ("sari", "settings.save"),
        ("sari", "kiosk.exit_fullscreen"),
        ("sari", "kiosk.quit"),
    ]:
        assert expected in actions, expected


def test_dashboard_matches_outbox_retry_and_no_personal_data(
    qtbot: Any, kiosk: Kiosk, live_api: LiveApi
) -> None:
    k = kiosk
    sealed = [_seal(k, i) for i in range(3)]
    # the server already holds other content under the first id, signed by this kiosk (ids are per
    # signer since issue 18, so only the same signer conflicts) -> 409 -> needs attention
    other = _device(k)
    sid, blob = live_api.seal_submission(other, submission_id=sealed[0].submission_id)
    assert live_api.put_submission(other, sid, blob).status_code == 201
    assert k.runtime.engine is not None
    report = k.runtime.engine.drain()
    assert (report.delivered, report.attention) == (2, 1)
    waiting = _seal(k, 3)

    _login(qtbot, k, "budi", PIN_OP)
    s = k.console.screen
    stats = k.runtime.outbox.stats()
    dash = s.dashboard
    assert dash.value_text("waiting") == str(stats.waiting) == "1"
    assert dash.value_text("delivered_today") == str(stats.delivered_today) == "2"
    assert dash.value_text("attention").endswith("1")
    assert dash.value_text("quarantined") == "0"
    assert dash.value_text("device") == k.runtime.require_device().device_id
    rows = s.attention.rows()
    assert [r.reference for r in rows] == [sealed[0].reference]
    assert "[" in rows[0].reason.en  # the server's reason code is kept

    # nothing in any console widget shows the applicants' personal data
    for name in s.pages:
        s.show_page(name)
        QApplication.processEvents()
    k.console.wipe_dialog.ask(1)
    texts = "\n".join(
        _all_texts(s) + _all_texts(k.console.login_dialog) + _all_texts(k.console.wipe_dialog)
    ).upper()
    k.console.wipe_dialog.reject()
    for index in range(4):
        values = applicant_values(index)
        for needle in (
            values[Step.IDENTITY]["nik"],
            values[Step.PERSONAL]["full_name"],
            values[Step.PERSONAL]["mother_maiden_name"],
            values[Step.CONTACT]["phone"],
            values[Step.CONTACT]["phone"][1:],
            values[Step.CONTACT]["email"],
            values[Step.ADDRESS]["street"],
        ):
            assert needle.upper() not in texts, needle

    # export the refused registration for the central office: one sealed envelope, nothing else
    export = k.runtime.paths.cache_dir / "attention.oqx"
    with qtbot.waitSignal(k.console.action_finished, timeout=5000, check_params_cb=_is("queue.export_item")):
        k.console.export_items([sealed[0].submission_id], export)
    assert [e.id for e in read_export(export)] == [sealed[0].submission_id]

    # retry moves the attention item back to waiting
    s.show_page("attention")
    assert s.attention.select_reference(sealed[0].reference)
    with qtbot.waitSignal(k.console.action_finished, timeout=5000, check_params_cb=_is("queue.retry")):
        s.attention.retry_button.click()
    _refresh(qtbot, k)
    info = k.runtime.outbox.get(sealed[0].submission_id)
    assert info is not None and info.state == "pending"
    assert dash.value_text("waiting") == "2" and dash.value_text("attention") == "0"
    assert s.attention.rows() == []
    entries = _audit(k)
    ref0 = audit_reference(sealed[0].reference)
    assert {"operator": "budi", "action": "queue.retry", "reference": ref0}.items() <= next(
        e for e in entries if e["action"] == "queue.retry"
    ).items()
    # only the retried item is audited as retried (each sealing writes its own registration.sealed entry)
    retried = {e["reference"] for e in entries if e["action"] == "queue.retry"}
    assert audit_reference(waiting.reference) not in retried


def test_status_lookup_shows_the_servers_answer_in_both_languages(
    qtbot: Any, kiosk: Kiosk, live_api: LiveApi
) -> None:
    k = kiosk
    sealed = _seal(k, 0)
    assert k.runtime.engine is not None and k.runtime.engine.drain().delivered == 1
    live_api.set_submission_status(sealed.submission_id, "rejected", reason_code="ktp_photo_unclear")
    _login(qtbot, k, "budi", PIN_OP)
    page = k.console.screen.status
    k.console.screen.show_page("status")
    page.reference.setText("pk" + sealed.reference[2:].lower())
    with qtbot.waitSignal(k.console.action_finished, timeout=10_000, check_params_cb=_is("status.lookup")):
        page.check_button.click()
    assert "Pendaftaran ditolak." in page.result_text() and "Foto KTP buram" in page.result_text()
    k.languages.set_language("en")
    assert "Registration rejected." in page.result_text() and "KTP photo is blurred" in page.result_text()
    # the receipt's QR code held up to the camera (a still-image frame source) gives the same answer
    frame = qimage_to_bgr(qr_image(sealed.reference, 8, 4))
    assert frame is not None
    k.console.qr_source_factory = lambda: StillImageSource(frame, fps=20)
    page.reference.clear()
    with qtbot.waitSignal(k.console.action_finished, timeout=10_000, check_params_cb=_is("status.lookup")):
        page.scan_button.click()
    assert page.reference.text() == sealed.reference and "Registration rejected." in page.result_text()
    assert not page.scanner.is_scanning() and page.scanner.frames_seen >= 1
    page.reference.setText("PK-0000-0000-0000-1")
    page.check_button.click()
    assert "reference number" in page.result_text()
    assert any(
        e["action"] == "status.lookup" and e["reference"] == audit_reference(sealed.reference)
        for e in _audit(k)
    )


def test_export_then_import_on_a_second_data_dir_is_delivered_once(
    qtbot: Any, kiosk: Kiosk, live_api: LiveApi, tmp_path: Path
) -> None:
    field_laptop = kiosk
    sealed = [_seal(field_laptop, i) for i in range(2)]
    _login(qtbot, field_laptop, "budi", PIN_OP)
    usb = tmp_path / "usb"
    usb.mkdir()
    export = usb / "field.oqx"
    with qtbot.waitSignal(
        field_laptop.console.action_finished, timeout=10_000, check_params_cb=_is("fieldwork.export")
    ):
        field_laptop.console.export_to(export)
    assert export.exists()
    assert "2 pendaftaran diekspor" in field_laptop.console.screen.fieldwork.result.text()

    home = kiosk_paths()
    second = KioskPaths(
        *(Path(str(p) + "-office") for p in (home.config_dir, home.data_dir, home.log_dir, home.cache_dir))
    )
    _enrol(live_api, paths=second)
    office = _open_kiosk(qtbot, paths=second)
    try:
        _login(qtbot, office, "budi", PIN_OP)
        for _ in range(2):  # importing the same file twice adds nothing the second time
            with qtbot.waitSignal(
                office.console.action_finished, timeout=10_000, check_params_cb=_is("fieldwork.import")
            ):
                office.console.import_from(export)
        assert "Diimpor: 0. Sudah ada: 2." in office.console.screen.fieldwork.result.text()
        assert office.runtime.engine is not None
        assert office.runtime.engine.drain().delivered == 2
        # the laptop gets signal later and sends its own copies: the server already has them
        assert field_laptop.runtime.engine is not None
        assert field_laptop.runtime.engine.drain().delivered == 2
        ids = [s.submission_id for s in sealed]
        rows = live_api.sql("SELECT COUNT(*) FROM submissions WHERE id IN (:a, :b)", a=ids[0], b=ids[1])
        assert rows[0][0] == 2
        assert [e["action"] for e in _audit(office)].count("fieldwork.import") == 2
        assert any(
            e["action"] == "fieldwork.export" and e["reference"] == "items:2" for e in _audit(field_laptop)
        )
    finally:
        _close(office)


def test_supervisor_wipe_asks_with_the_unsent_count_then_removes_keys_and_queue(
    qtbot: Any, kiosk: Kiosk
) -> None:
    k = kiosk
    _seal(k, 0)
    _login(qtbot, k, "sari", PIN_SUP)
    s = k.console.screen
    s.show_page("maintenance")
    s.maintenance.wipe_button.click()
    qtbot.waitUntil(k.console.wipe_dialog.isVisible, timeout=5000)
    assert "1 pendaftaran belum terkirim" in k.console.wipe_dialog.question.text()
    assert k.console.wipe_dialog.export_button.isVisible()
    with qtbot.waitSignal(
        k.console.action_finished, timeout=10_000, check_params_cb=_is("device.wipe")
    ) as blocker:
        k.console.wipe_dialog.confirm_button.click()
    assert blocker.args == ["device.wipe"]
    paths = k.runtime.paths
    assert device_store.load(paths=paths) is None
    assert not paths.outbox_file.exists()
    assert not (paths.data_dir / "operators.json").exists()
    assert "dihapus" in s.maintenance.result.text()
    actions = [(e["action"], e["reference"]) for e in _audit(k)]
    assert ("device.wipe", "unsent:1") in actions and ("device.wipe_done", "unsent:1") in actions


def test_an_idle_operator_is_logged_out(qtbot: Any, kiosk: Kiosk) -> None:
    k = kiosk
    _login(qtbot, k, "budi", PIN_OP)
    k.console.idle_timer.setInterval(300)
    k.console.idle_timer.start()
    with qtbot.waitSignal(k.console.closed, timeout=5000):
        pass
    assert k.console.session is None and k.window.current_screen().screen_name == "welcome"
    assert ("budi", "console.idle_logout") in [(e["operator"], e["action"]) for e in _audit(k)]


def test_the_kiosk_shell_installs_the_console_once_services_are_open(qtbot: Any, live_api: LiveApi) -> None:
    from ui.app import GuiOptions, KioskShell, create_application

    _enrol(live_api)
    shell = KioskShell(create_application(), GuiOptions(windowed=True), speech_engines=[])
    qtbot.addWidget(shell.window)
    try:
        shell.open_services()
        assert isinstance(shell.console, ConsoleController)
        assert shell.window.screen_named("console") is shell.console.screen
        assert shell.console.in_kiosk_mode() is False  # --windowed: the window may be closed normally
    finally:
        shell.shutdown()
