"""Idle safety: warning with countdown, "Saya masih di sini" keeps the session, expiry wipes every widget."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QLineEdit, QListWidget, QTextEdit
from pytestqt.qtbot import QtBot

from kiosk.declaration import STATEMENTS
from kiosk.flow import Step
from kiosk.regions import table
from tests.test_ui_wizard import MOTHER, NAME, NIK, PHONE, SELFIE_FILE, STREET, Kiosk, jpeg_file
from tests.test_ui_wizard import offline_kiosk as offline_kiosk_fixture
from ui.controller import WizardController

offline_kiosk = offline_kiosk_fixture  # the same fixture: a shell and wizard without a runtime


def _fill_session(qtbot: QtBot, ctl: WizardController, tmp_path: Path) -> list[str]:
    """Fill every screen up to the declaration; returns the strings typed or chosen."""
    ctl.start()
    ctl.contact.phone.line_edit.setText(PHONE)
    ctl.contact.email.line_edit.setText("siti@example.com")
    ctl.contact.method.buttons["sms"].click()
    ctl.contact.next_button.click()
    ctl.identity.nik.line_edit.setText(NIK)
    ctl.identity.birth_place.line_edit.setText("KOTA TERUJI")
    ctl.identity.birth_date.line_edit.setText("01-01-1990")
    ctl.identity.next_button.click()
    ctl.personal.full_name.line_edit.setText(NAME)
    ctl.personal.mother.line_edit.setText(MOTHER)
    ctl.personal.gender.buttons["P"].click()
    ctl.personal.next_button.click()
    a = ctl.address
    a.street.line_edit.setText(STREET)
    a.rt.line_edit.setText("7")
    a.rw.line_edit.setText("9")
    t = table()
    for key, code in (("province_code", "31"), ("regency_code", "31.71"), ("district_code", "31.71.01")):
        a.choose(key, t.get(code))
    a.open_picker("village_code", 4)  # leave the village list open with its search typed
    a.search.line_edit.setText("CID")
    assert a.region_list.count() > 0
    a.region_list.setCurrentRow(0)
    ctl.profile.education.buttons["sd"].click()
    ctl.profile.work.buttons["bekerja"].click()
    ctl.ktp_photo.import_file(jpeg_file(tmp_path / "ktp.jpg"))
    ctl.selfie.import_file(SELFIE_FILE)
    qtbot.waitUntil(lambda: ctl.ktp_photo.photo is not None and ctl.selfie.photo is not None, timeout=10000)
    for statement in STATEMENTS:
        ctl.declaration.rows[statement.id].buttons["yes"].click()
    ctl.status.reference.line_edit.setText("PK-TEST")
    assert ctl.flow.step == Step.ADDRESS
    return [
        PHONE,
        "siti@example.com",
        NIK,
        "KOTA TERUJI",
        "01-01-1990",
        NAME,
        MOTHER,
        STREET,
        "CID",
        "Cideng",
        "Gambir",
    ]


def _leftovers(ctl: WizardController, typed: list[str]) -> list[str]:
    """Every widget of the window that still shows session data."""
    window = ctl.window
    found: list[str] = []
    for edit in window.findChildren(QLineEdit):
        if edit.text():
            found.append(f"line edit {edit.objectName()}: {edit.text()!r}")
    for edit in window.findChildren(QTextEdit):
        if edit.toPlainText():
            found.append(f"text edit {edit.objectName()}")
    for label in window.findChildren(QLabel):
        pixmap = label.pixmap()
        if pixmap is not None and not pixmap.isNull():
            found.append(f"picture in {label.objectName()}")
        for text in typed:
            if text.lower() in label.text().lower():
                found.append(f"label {label.objectName()}: {text!r}")
    welcome_languages = set(ctl.welcome.language_buttons.values())
    for button in window.findChildren(QAbstractButton):
        if button.isCheckable() and button.isChecked() and button not in welcome_languages:
            found.append(f"checked {button.objectName() or button.text()!r}")
        for text in typed:
            if text.lower() in button.text().lower():
                found.append(f"button text {text!r}")
    for combo in window.findChildren(QComboBox):
        if combo.currentIndex() >= 0 or combo.count():
            found.append(f"combo {combo.objectName()}")
    for lst in window.findChildren(QListWidget):
        if lst.count() or lst.selectedItems():
            found.append(f"list {lst.objectName()}: {lst.count()} items")
    for photo in (ctl.ktp_photo, ctl.selfie):
        if photo.photo is not None:
            found.append(f"photo bytes on {photo.screen_name}")
    if ctl.receipt.data is not None or ctl.test.answers is not None:
        found.append("receipt or test answers kept")
    return found


def test_idle_warning_then_wipe_leaves_nothing_of_the_session(
    qtbot: QtBot, offline_kiosk: Kiosk, tmp_path: Path
) -> None:
    ctl = offline_kiosk.ctl
    typed = _fill_session(qtbot, ctl, tmp_path)
    assert _leftovers(ctl, typed), "the walk must see the session before the wipe"
    ctl.idle.set_tick_ms(20)
    ctl.idle.configure(timeout_s=1.3, warning_s=1)  # 0.3 s quiet, then the countdown
    assert ctl.idle.armed()
    with qtbot.waitSignal(ctl.idle.warning_shown, timeout=3000):
        pass
    assert ctl.idle.warning_visible()
    # "Saya masih di sini" keeps everything.
    qtbot.mouseClick(ctl.idle.dialog.stay_button, Qt.MouseButton.LeftButton)
    assert not ctl.idle.warning_visible() and ctl.personal.full_name.text() == NAME
    with qtbot.waitSignal(ctl.session_wiped, timeout=5000):
        pass
    assert ctl.flow.step == Step.WELCOME and ctl.window.current_screen() is ctl.welcome
    assert ctl.flow.applicant.nik is None and ctl.flow.values(Step.IDENTITY) == {}
    assert _leftovers(ctl, typed) == []
    assert not ctl.idle.armed()  # the welcome screen holds no data: no idle countdown there


def test_idle_timer_is_not_running_on_the_welcome_screen(offline_kiosk: Kiosk) -> None:
    ctl = offline_kiosk.ctl
    assert not ctl.idle.armed()
    ctl.start()
    assert ctl.idle.armed()
    ctl.wipe_session()
    assert not ctl.idle.armed()
