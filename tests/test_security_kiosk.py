"""Issue 18, the kiosk side: no way out for applicants and nothing of one applicant reaches the next.

Real widgets through pytest-qt (offscreen), the real shell and console, the reference API on loopback
where an operator or an enrolled device is needed. The only thing replaced is *where removable media
are mounted* (``removable_roots``): a test cannot plug in a USB stick, so a temp folder stands for one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent, QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QToolButton, QWidget

from kiosk import device as device_store
from kiosk.api_client import ApiClient
from kiosk.imaging.analysis import PhotoKind
from kiosk.paths import kiosk_paths
from tests.support.live_api import LiveApi
from ui import screens
from ui.app import GuiOptions, KioskShell, create_application
from ui.camera.view import CameraView
from ui.screens.photo import KtpPhotoScreen
from ui.worker import wait_for_background_work

ROOT = Path(__file__).resolve().parent.parent
PORTRAIT = ROOT / "resources" / "demo" / "portrait_eileen_collins.jpg"
PASSPHRASE = "kunci-kantor-dinas-7"


@pytest.fixture
def usb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder standing for a mounted USB stick, with a KTP photo in a folder named after someone."""
    root = tmp_path / "usb"
    folder = root / "KTP SITI AMINAH 3273"
    folder.mkdir(parents=True)
    (folder / "ktp.jpg").write_bytes(PORTRAIT.read_bytes())
    monkeypatch.setattr(screens.photo, "removable_roots", lambda: [root])
    return root


def _flush() -> None:
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    QApplication.processEvents()


def _shell(qtbot: Any, *, windowed: bool = True) -> KioskShell:
    shell = KioskShell(create_application(), GuiOptions(windowed=windowed), speech_engines=[])
    qtbot.addWidget(shell.window)
    return shell


@pytest.fixture
def shell(qtbot: Any) -> Iterator[KioskShell]:
    """The real shell with its services open (not enrolled: no console, the wizard is bound)."""
    kiosk = _shell(qtbot)
    kiosk.open_services()
    assert kiosk.controller is not None
    yield kiosk
    kiosk.shutdown()
    kiosk.close_guard.allow()


# ------------------------------------------------------------------------------ 1. file import
def test_file_import_is_off_for_applicants_by_default(shell: KioskShell, qtbot: Any, usb: Path) -> None:
    """Before: "Ambil dari berkas…" opened the platform dialog at $HOME for anyone."""
    assert shell.controller is not None and shell.console is not None
    assert not shell.config.camera.applicant_file_import
    for screen in (shell.controller.ktp_photo, shell.controller.selfie):
        assert "petugas" in screen.import_button.text()
        screen.import_button.click()
        assert screen.file_dialog is None  # an applicant gets the operator login, not a file dialog
        assert shell.console.login_dialog.isVisible()
        shell.controller.wipe_session()  # the applicant walked away: the staff login closes too
        assert not shell.console.login_dialog.isVisible()
    bare = KtpPhotoScreen()  # a screen nobody configured: no import at all
    qtbot.addWidget(bare)
    assert bare.import_button.isHidden()
    bare.choose_file()
    assert bare.file_dialog is None


def test_the_dialog_is_qts_own_read_only_and_confined_to_removable_media(qtbot: Any, usb: Path) -> None:
    screen = KtpPhotoScreen()
    qtbot.addWidget(screen)
    screen.set_import_policy(applicant=True)
    assert screen.import_button.isVisible() or not screen.isVisible()
    screen.choose_file()
    dialog = screen.file_dialog
    assert isinstance(dialog, QFileDialog) and dialog.isVisible()
    options = dialog.options()
    assert options & QFileDialog.Option.DontUseNativeDialog and options & QFileDialog.Option.ReadOnly
    assert all(Path(h) == usb for h in dialog.history())  # nothing from earlier sessions
    assert dialog.sidebarUrls() == []
    sidebar = dialog.findChild(QWidget, "sidebar")
    assert sidebar is None or sidebar.isHidden()
    new_folder = dialog.findChild(QToolButton, "newFolderButton")
    assert new_folder is None or new_folder.isHidden()
    assert Path(dialog.directory().absolutePath()) == usb
    # leaving the stick (typed path, "..", look-in list) jumps back to it
    dialog.setDirectory(str(Path.home()))
    assert Path(dialog.directory().absolutePath()) == usb
    dialog.setDirectory("/etc")
    assert Path(dialog.directory().absolutePath()) == usb
    # a file outside the stick is refused even when named directly
    outside = usb.parent / "secret.jpg"
    outside.write_bytes(PORTRAIT.read_bytes())
    dialog.fileSelected.emit(str(outside))
    assert screen.photo is None and not screen.importing()
    # a file on the stick is imported
    dialog.fileSelected.emit(str(usb / "KTP SITI AMINAH 3273" / "ktp.jpg"))
    qtbot.waitUntil(lambda: screen.photo is not None, timeout=20_000)
    dialog.reject()
    wait_for_background_work(5000)


def test_an_open_dialog_is_closed_on_wipe_and_a_late_choice_is_dropped(qtbot: Any, usb: Path) -> None:
    """Before: the dialog stayed open after the idle wipe and its file went to the next applicant."""
    screen = KtpPhotoScreen()
    qtbot.addWidget(screen)
    screen.set_import_policy(applicant=True)
    screen.choose_file()
    dialog = screen.file_dialog
    assert dialog is not None and dialog.isVisible()
    screen.clear()  # the idle wipe clears every screen
    assert screen.file_dialog is None and not dialog.isVisible()
    dialog.fileSelected.emit(str(usb / "KTP SITI AMINAH 3273" / "ktp.jpg"))  # a late result
    qtbot.wait(200)
    wait_for_background_work(5000)
    assert screen.photo is None and not screen.importing()


def test_a_staff_authorisation_granted_after_the_wipe_opens_nothing(qtbot: Any, usb: Path) -> None:
    pending: list[Any] = []
    screen = KtpPhotoScreen()
    qtbot.addWidget(screen)
    screen.set_import_policy(applicant=False, staff_gate=pending.append)
    assert "petugas" in screen.import_button.text()
    screen.choose_file()
    assert screen.file_dialog is None and len(pending) == 1  # waits for the operator login
    screen.clear()
    pending[0]()  # the login succeeds only now
    assert screen.file_dialog is None


def test_no_file_dialog_history_is_written(qtbot: Any, usb: Path, isolated_home: Path) -> None:
    """Before: ``~/.config/QtProject.conf`` (0644) held ``KTP SITI AMINAH 3273…``."""
    kiosk = _shell(qtbot)
    kiosk.open_services()  # binding the wizard points Qt's settings at the kiosk's private dir
    try:
        screen = KtpPhotoScreen()
        qtbot.addWidget(screen)
        screen.set_import_policy(applicant=True)
        screen.choose_file()
        dialog = screen.file_dialog
        assert dialog is not None
        dialog.setDirectory(str(usb / "KTP SITI AMINAH 3273"))
        dialog.reject()
        _flush()
        _flush()
        for file in isolated_home.rglob("*"):
            if file.is_file() and file.suffix in (".conf", ".ini", ""):
                assert b"SITI" not in file.read_bytes(), file
        xdg = Path(os.environ["XDG_CONFIG_HOME"]) / "QtProject.conf"
        assert not xdg.exists()  # Qt's settings no longer go to ~/.config at all
        private = kiosk_paths().cache_dir / "qt" / "QtProject.conf"
        assert not private.exists() or b"FileDialog" not in private.read_bytes()
    finally:
        kiosk.shutdown()


def _enrolled_shell(qtbot: Any, live_api: LiveApi) -> KioskShell:
    """A kiosk enrolled at ``live_api`` (no passphrase) whose operator ``budi`` has PIN 135790."""
    with ApiClient(live_api.url) as client:
        device_store.enrol(client, live_api.create_enrolment_code())
    live_api.create_operator("budi", "135790", "operator")
    return _shell(qtbot)


def test_staff_import_needs_an_operator_login_and_opens_no_console(
    qtbot: Any, live_api: LiveApi, usb: Path
) -> None:
    kiosk = _enrolled_shell(qtbot, live_api)
    try:
        kiosk.open_services()
        assert kiosk.console is not None and kiosk.controller is not None
        screen = kiosk.controller.ktp_photo
        assert not screen.import_button.isHidden() and "petugas" in screen.import_button.text()
        screen.choose_file()
        login = kiosk.console.login_dialog
        assert login.isVisible() and screen.file_dialog is None
        QTest.keyClicks(login.username, "budi")
        QTest.keyClicks(login.pin, "135790")
        login.login_button.click()
        qtbot.waitUntil(lambda: screen.file_dialog is not None, timeout=20_000)
        assert kiosk.console.session is None and not login.isVisible()  # no console session
        screen.file_dialog.reject()
        wait_for_background_work(5000)
        actions = [json.loads(line)["action"] for line in kiosk_paths().audit_file.read_text().splitlines()]
        assert "photo.import_staff" in actions
    finally:
        kiosk.shutdown()


# ------------------------------------------------------------------------------ 2. close guard
def test_the_full_screen_shell_cannot_be_closed_before_services_are_bound(qtbot: Any) -> None:
    """Before: without the console (locked key, services not bound yet) ``close()`` returned True."""
    kiosk = _shell(qtbot, windowed=False)
    kiosk.show()
    try:
        assert kiosk.controller is None and kiosk.console is None
        assert kiosk.window.close() is False and kiosk.window.isVisible()
    finally:
        kiosk.shutdown()
        kiosk.close_guard.allow()
        assert kiosk.window.close() is True


def test_a_locked_device_key_asks_staff_for_the_passphrase_and_stays_guarded(
    qtbot: Any, live_api: LiveApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Item 7 + 2: no keyring/TPM, so the key is under a staff passphrase typed on the unlock screen
    (never from the environment); meanwhile the full-screen kiosk cannot be closed."""
    monkeypatch.delenv(device_store.ENV_ALLOW_KEY_FILE)
    with ApiClient(live_api.url) as client:
        device_store.enrol(client, live_api.create_enrolment_code(), passphrase=PASSPHRASE)
    kiosk = _shell(qtbot, windowed=False)
    kiosk.show()
    try:
        kiosk.open_services()
        dialog = kiosk.unlock_dialog
        assert dialog is not None and dialog.isVisible()
        assert kiosk.controller is None  # no applicant can start on a locked kiosk
        assert kiosk.window.close() is False
        QTest.keyClick(dialog, Qt.Key.Key_Escape)
        assert dialog.isVisible()
        QTest.keyClicks(dialog.passphrase, "salah-sekali-ini")
        dialog.unlock_button.click()
        qtbot.waitUntil(lambda: "salah" in dialog.error_label.text(), timeout=20_000)
        assert dialog.passphrase.text() == ""
        with qtbot.waitSignal(kiosk.services_ready, timeout=30_000):
            QTest.keyClicks(dialog.passphrase, PASSPHRASE)
            dialog.unlock_button.click()
        assert kiosk.runtime is not None and kiosk.runtime.device is not None
        assert kiosk.console is not None and kiosk.unlock_dialog is None
        assert kiosk.window.close() is False
    finally:
        kiosk.shutdown()
        kiosk.close_guard.allow()


# ------------------------------------------------------------------------------ 3. camera preview
def test_camera_clear_forgets_the_previews_frame(qtbot: Any) -> None:
    """Before: the preview kept the last applicant's picture until the next frame (or forever)."""
    view = CameraView(PhotoKind.SELFIE)
    qtbot.addWidget(view)
    view.resize(640, 420)
    view.show()
    qtbot.waitExposed(view)
    frame = np.full((360, 640, 3), 200, np.uint8)
    view._on_frame(frame)
    assert view.preview.has_frame()
    view.clear()
    assert not view.preview.has_frame()
    assert view.preview._frame is None and view.preview._image is None
    image = view.preview.grab().toImage()
    centre = image.pixelColor(image.width() // 2, image.height() // 2)
    assert (centre.red(), centre.green(), centre.blue()) == (0, 0, 0)
    view.shutdown()


# ------------------------------------------------------------------------------ 4. clipboard, menus
def test_the_wipe_clears_clipboard_and_selection(shell: KioskShell) -> None:
    """Before: a NIK copied with Ctrl+C was pasted by the next applicant."""
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("3273014507900001")
    if clipboard.supportsSelection():
        clipboard.setText("3273014507900001", clipboard.Mode.Selection)
    assert shell.controller is not None
    shell.controller.start()
    shell.controller.wipe_session()
    assert clipboard.text() == ""
    if clipboard.supportsSelection():
        assert clipboard.text(clipboard.Mode.Selection) == ""


def test_applicant_fields_have_no_copy_paste_menu(shell: KioskShell, qtbot: Any) -> None:
    assert shell.controller is not None
    shell.window.show()
    shell.controller.start()
    fields = shell.controller.identity.findChildren(QLineEdit) + shell.controller.contact.findChildren(
        QLineEdit
    )
    assert fields
    popups: list[bool] = []

    def close_popup() -> None:  # on the old code a menu opens (and would block): note it, close it
        popup = QApplication.activePopupWidget()
        popups.append(popup is not None)
        if popup is not None:
            popup.close()

    for field in fields[:3]:
        QTimer.singleShot(300, close_popup)
        event = QContextMenuEvent(
            QContextMenuEvent.Reason.Mouse, QPoint(5, 5), field.mapToGlobal(QPoint(5, 5))
        )
        QApplication.sendEvent(field, event)
        qtbot.wait(400)
    assert popups and not any(popups)


def test_the_wipe_closes_open_popups(shell: KioskShell, qtbot: Any) -> None:
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(shell.window)
    box.setText("?")
    box.open()
    assert box.isVisible()
    assert shell.controller is not None
    shell.controller.start()
    shell.controller.wipe_session()
    assert not box.isVisible()


# ------------------------------------------------------------------------------ 5. receipt PDFs
def test_receipt_pdfs_are_deleted_after_the_retention_period(tmp_path: Path) -> None:
    from ui.session_guard import purge_receipt_pdfs

    receipts = tmp_path / "receipts"
    receipts.mkdir()
    old, new = receipts / "PK-OLD.pdf", receipts / "PK-NEW.pdf"
    old.write_bytes(b"%PDF")
    new.write_bytes(b"%PDF")
    day_ago = time.time() - 25 * 3600
    os.utime(old, (day_ago, day_ago))
    assert purge_receipt_pdfs(receipts, 24) == 1
    assert not old.exists() and new.exists()
    assert purge_receipt_pdfs(receipts, 0) == 1 and not new.exists()


def test_the_shell_purges_old_receipts_at_start(qtbot: Any) -> None:
    paths = kiosk_paths().ensure()
    receipts = paths.data_dir / "receipts"
    receipts.mkdir()
    pdf = receipts / "PK-AAAA-BBBB-CCCC-D.pdf"
    pdf.write_bytes(b"%PDF")
    week_ago = time.time() - 7 * 86400
    os.utime(pdf, (week_ago, week_ago))
    kiosk = _shell(qtbot)
    try:
        kiosk.open_services()
        wait_for_background_work(5000)
        assert not pdf.exists()
    finally:
        kiosk.shutdown()


# ------------------------------------------------------------------------------ 6. core dumps
def test_core_dumps_are_disabled_at_start(isolated_home: Path) -> None:
    """Before: a crash could leave a core file holding NIKs, photos and the device key."""
    code = (
        "import resource, sys; from ui.entry import main; rc = main(['config', 'check']);"
        "from kiosk.platform_guard import is_dumpable;"
        "print('CORE', resource.getrlimit(resource.RLIMIT_CORE), 'DUMPABLE', is_dumpable())"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PRAKERJA_KIOSK_HOME": str(isolated_home)},
    )
    assert "CORE (0, 0) DUMPABLE False" in result.stdout, result.stdout + result.stderr


def test_headless_commands_on_a_passphrase_device_ask_for_it_and_never_read_the_environment(
    live_api: LiveApi, monkeypatch: pytest.MonkeyPatch, isolated_home: Path, tmp_path: Path
) -> None:
    """Without a terminal to type the passphrase on, ``export`` and ``sync`` stop with a clear line
    before anything is written; the old environment variable unlocks nothing."""
    monkeypatch.delenv(device_store.ENV_ALLOW_KEY_FILE)
    with ApiClient(live_api.url) as client:
        device_store.enrol(client, live_api.create_enrolment_code(), passphrase=PASSPHRASE)
    target = tmp_path / "antrean.oqx"
    env = {
        **os.environ,
        "PRAKERJA_KIOSK_HOME": str(isolated_home),
        "PRAKERJA_KIOSK_KEY_PASSPHRASE": PASSPHRASE,
    }
    for args in (["export", "--to", str(target)], ["sync"]):
        result = subprocess.run(
            [sys.executable, "-m", "kiosk.cli", *args],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
            stdin=subprocess.DEVNULL,
        )
        assert result.returncode == 1, result.stdout + result.stderr
        assert "passphrase" in result.stderr and "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert not target.exists()


# ------------------------------------------------------------------------------ 10. head to the API
def test_each_upload_carries_the_audit_head_and_a_cut_log_is_refused_centrally(live_api: LiveApi) -> None:
    """Item 10: the head goes with every sync and the API keeps the highest; a kiosk whose log was cut
    back (log and head restored from an older copy, which passes a local check) is refused."""
    from kiosk.audit import AuditLog, head_header, verify_kiosk
    from kiosk.config import KioskConfig
    from kiosk.flow import Flow
    from kiosk.runtime import KioskRuntime
    from tests.support.applicants import fill_flow

    with ApiClient(live_api.url) as client:
        device_store.enrol(client, live_api.create_enrolment_code())
    runtime = KioskRuntime.open(KioskConfig(), start_sync=False)
    try:
        assert runtime.device is not None and runtime.engine is not None
        audit = AuditLog(runtime.paths.audit_file, runtime.device.signing_key)
        audit.append("budi", "console.login")
        log_file, head_file = runtime.paths.audit_file, runtime.paths.audit_file.with_name("audit.log.head")
        saved = (log_file.read_bytes(), head_file.read_bytes())
        audit.append("budi", "queue.sync_now")
        audit.append("budi", "console.logout")
        assert head_header(log_file) is not None and head_header(log_file).startswith("3:")  # type: ignore[union-attr]

        def seal(index: int) -> None:
            flow = Flow(online=False)
            fill_flow(flow, index=index)
            runtime.seal_and_enqueue(flow)

        seal(0)
        assert runtime.engine.drain().delivered == 1  # the API now knows head 3
        log_file.write_bytes(saved[0])  # the cut: log and head back to head 1, consistently
        head_file.write_bytes(saved[1])
        assert verify_kiosk(log_file, runtime.paths.data_dir).ok  # locally it looks intact
        seal(1)
        report = runtime.engine.drain()
        assert report.delivered == 0 and report.attention == 1
        assert any("audit" in (item.last_error or "").lower() for item in runtime.outbox.items())
    finally:
        runtime.close()


def test_an_operator_who_walks_away_leaves_no_file_dialog_open(qtbot: Any, live_api: LiveApi) -> None:
    """The console's own file dialogs run their own event loop; the idle logout inside it must close
    them (and empty the clipboard), so the next applicant never finds one open."""
    kiosk = _enrolled_shell(qtbot, live_api)
    try:
        kiosk.open_services()
        console = kiosk.console
        assert console is not None
        with qtbot.waitSignal(console.opened, timeout=20_000):
            console.login("budi", "135790")
        QGuiApplication.clipboard().setText("staff note")
        rescued: list[bool] = []

        def rescue() -> None:  # the old code: the dialog would still be open here
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, QFileDialog) and widget.isVisible():
                    rescued.append(True)
                    widget.reject()

        QTimer.singleShot(500, console._idle_logout)
        QTimer.singleShot(4000, rescue)
        console.choose_import()  # blocks in the dialog until something closes it
        assert console.session is None and not rescued
        assert not any(isinstance(w, QFileDialog) and w.isVisible() for w in QApplication.topLevelWidgets())
        assert QGuiApplication.clipboard().text() == ""
    finally:
        kiosk.shutdown()
