"""The registration wizard end to end: real widgets, the real flow, a real outbox, a real API.

Online: the OTP is requested from and checked by the reference API (the code read from its OTP
outbox), the registration is sealed, queued and delivered. Offline: the API is down, the OTP is
deferred, the registration is queued and the receipt shown; the API comes back on the same port and
the queued registration is delivered.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from central_api.server import ServerThread
from kiosk.config import KioskConfig, KioskSettings, SyncSettings
from kiosk.declaration import STATEMENTS
from kiosk.flow import FieldWarning, Step
from kiosk.regions import table
from kiosk.runtime import KioskRuntime
from offline_queue.outbox import DELIVERED
from tests.support.live_api import LiveApi
from tests.support.wizard_driver import enrolled_runtime, send_review
from ui.app import GuiOptions, KioskShell, create_application
from ui.controller import WizardController
from ui.screens.wizard import WizardScreen
from ui.worker import wait_for_background_work

PHONE = "081234567890"
PHONE_E164 = "+6281234567890"
NIK = "3171014101900001"  # Jakarta Pusat / Gambir, woman born 1 January 1990
BIRTH = "01011990"
NAME = "SITI CONTOH FIKTIF"
MOTHER = "IBU FIKTIF"
STREET = "JL CONTOH NO 1"
SELFIE_FILE = Path(__file__).resolve().parent.parent / "resources" / "demo" / "portrait_eileen_collins.jpg"


@dataclass
class Kiosk:
    shell: KioskShell
    ctl: WizardController
    runtime: KioskRuntime | None


def _config() -> KioskConfig:
    return KioskConfig(
        kiosk=KioskSettings(idle_timeout_s=60, idle_warning_s=30),
        sync=SyncSettings(backoff_base_s=0.05, backoff_cap_s=0.2, interval_s=5),
    )


def _runtime(api: LiveApi) -> KioskRuntime:
    return enrolled_runtime(api, _config())


def _kiosk(qtbot: QtBot, runtime: KioskRuntime | None, tmp_path: Path) -> Kiosk:
    app = create_application()
    shell = KioskShell(app, GuiOptions(windowed=True), speech_engines=[])
    qtbot.addWidget(shell.window)
    ctl = WizardController(
        shell.window,
        shell.welcome,
        shell.languages,
        runtime,
        config=_config(),
        receipt_dir=tmp_path / "receipts",
    )
    shell.window.resize(1024, 600)
    shell.window.show()
    return Kiosk(shell, ctl, runtime)


@pytest.fixture
def offline_kiosk(qtbot: QtBot, tmp_path: Path) -> Iterator[Kiosk]:
    """No runtime at all: nothing can be sealed, but every screen before the review works."""
    kiosk = _kiosk(qtbot, None, tmp_path)
    yield kiosk
    kiosk.ctl.shutdown()
    wait_for_background_work(3000)


def _close(kiosk: Kiosk) -> None:
    kiosk.ctl.shutdown()
    wait_for_background_work(3000)
    if kiosk.runtime is not None:
        kiosk.runtime.close()


def jpeg_file(path: Path, width: int = 800, height: int = 500) -> Path:
    """A synthetic picture (gradient + shapes) written as a JPEG file."""
    rng = np.random.default_rng(7)
    image = np.zeros((height, width, 3), np.uint8)
    image[:, :, 0] = np.linspace(40, 220, width, dtype=np.uint8)[None, :]
    image[:, :, 1] = np.linspace(200, 60, height, dtype=np.uint8)[:, None]
    image[:, :, 2] = rng.integers(0, 60, (height, width), dtype=np.uint8)
    cv2.rectangle(image, (100, 80), (700, 420), (250, 250, 250), 6)
    cv2.putText(image, "3171014101900001", (140, 260), cv2.FONT_HERSHEY_SIMPLEX, 1.5, (10, 10, 10), 3)
    ok, data = cv2.imencode(".jpg", image)
    assert ok
    path.write_bytes(data.tobytes())
    return path


def current(kiosk: Kiosk) -> str:
    screen = kiosk.shell.window.current_screen()
    return screen.screen_name if screen is not None else ""


def press_next(qtbot: QtBot, screen: WizardScreen) -> None:
    qtbot.mouseClick(screen.next_button, _left())


def _left():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def type_keys(qtbot: QtBot, screen: WizardScreen, edit_name: str, text: str) -> None:
    """Focus a field and type on the screen's own on-screen pad, as a touch user would."""
    field = screen.fields[edit_name]
    edit = field.line_edit  # type: ignore[attr-defined]
    edit.setFocus()
    panel = screen.input_panel
    assert panel is not None
    panel.show_for(edit)
    for ch in text:
        if panel.currentWidget() is panel.keypad:
            qtbot.mouseClick(panel.keypad.digit_buttons[ch], _left())
        else:
            button = panel.keyboard.space_button if ch == " " else panel.keyboard.key_buttons[ch]
            qtbot.mouseClick(button, _left())


def next_page(qtbot: QtBot, screen: WizardScreen) -> None:
    """ "Lanjut" inside a step split into pages: the next page opens, with no message shown."""
    page = screen.current_page
    press_next(qtbot, screen)
    assert screen.current_page == page + 1, [p.message.id for p in screen.problems()]
    assert not screen.summary.isVisibleTo(screen)
    assert screen.pages[page + 1].isVisibleTo(screen) and not screen.pages[page].isVisibleTo(screen)


def fill_contact(qtbot: QtBot, kiosk: Kiosk) -> None:
    c = kiosk.ctl.contact
    assert c.current_page == 0 and not c.phone.isVisibleTo(c)  # one question per page
    qtbot.mouseClick(c.method.buttons["sms"], _left())
    next_page(qtbot, c)
    assert c.phone.isVisibleTo(c) and not c.email.isVisibleTo(c)  # only where the code goes
    type_keys(qtbot, c, "phone", PHONE)
    press_next(qtbot, c)


def fill_identity_to_review(
    qtbot: QtBot, kiosk: Kiosk, tmp_path: Path, pick_regions_by_search: bool = False
) -> None:
    ctl = kiosk.ctl
    ident = ctl.identity
    assert current(kiosk) == "identity"
    type_keys(qtbot, ident, "nik", NIK)
    next_page(qtbot, ident)
    type_keys(qtbot, ident, "birth_place", "JAKARTA")
    next_page(qtbot, ident)
    type_keys(qtbot, ident, "birth_date", BIRTH)
    assert ident.birth_date.text() == "01-01-1990"
    press_next(qtbot, ident)
    assert current(kiosk) == "personal"
    p = ctl.personal
    type_keys(qtbot, p, "full_name", NAME)
    qtbot.mouseClick(p.gender.buttons["P"], _left())
    next_page(qtbot, p)
    type_keys(qtbot, p, "mother_maiden_name", MOTHER)
    press_next(qtbot, p)
    assert current(kiosk) == "address"
    a = ctl.address
    type_keys(qtbot, a, "street", STREET)
    type_keys(qtbot, a, "rt", "1")
    type_keys(qtbot, a, "rw", "2")
    next_page(qtbot, a)
    if pick_regions_by_search:
        for key, prefix, name in (
            ("province_code", "JAKA", "Daerah Khusus Ibukota Jakarta"),
            ("regency_code", "JAKARTA P", "Kota Administrasi Jakarta Pusat"),
            ("district_code", "GAM", "Gambir"),
            ("village_code", "CID", "Cideng"),
        ):
            qtbot.mouseClick(a.rows[key].button, _left())
            assert a.picking() == key
            for ch in prefix:
                button = (
                    a.input_panel.keyboard.space_button
                    if ch == " "
                    else a.input_panel.keyboard.key_buttons[ch]
                )  # type: ignore[union-attr]
                qtbot.mouseClick(button, _left())
            names = [a.region_list.item(i).text() for i in range(a.region_list.count())]
            assert name in names, names
            item = a.region_list.item(names.index(name))
            a.region_list.itemClicked.emit(item)
            assert a.rows[key].region is not None and a.rows[key].region.name == name
    else:
        t = table()
        for key, code in (
            ("province_code", "31"),
            ("regency_code", "31.71"),
            ("district_code", "31.71.01"),
            ("village_code", "31.71.01.1002"),
        ):
            a.choose(key, t.get(code))
    press_next(qtbot, a)
    assert current(kiosk) == "profile"
    pr = ctl.profile
    qtbot.mouseClick(pr.education.buttons["sma_smk"], _left())
    next_page(qtbot, pr)
    qtbot.mouseClick(pr.work.buttons["korban_phk"], _left())
    press_next(qtbot, pr)
    assert current(kiosk) == "ktp_photo"
    ktp = ctl.ktp_photo
    ktp.import_file(jpeg_file(tmp_path / "ktp.jpg"))
    qtbot.waitUntil(lambda: ktp.photo is not None, timeout=10000)
    press_next(qtbot, ktp)
    assert current(kiosk) == "selfie"
    selfie = ctl.selfie
    selfie.import_file(SELFIE_FILE)
    qtbot.waitUntil(lambda: selfie.photo is not None, timeout=10000)
    press_next(qtbot, selfie)
    assert current(kiosk) == "declaration"
    d = ctl.declaration
    for index, statement in enumerate(STATEMENTS):
        if index and d.page_of(f"declaration.{statement.id}") != d.current_page:
            next_page(qtbot, d)
        assert d.rows[statement.id].isVisibleTo(d)
        qtbot.mouseClick(d.rows[statement.id].buttons["yes"], _left())
    press_next(qtbot, d)
    assert current(kiosk) == "test"
    press_next(qtbot, ctl.test)
    assert current(kiosk) == "review"


def finish_and_seal(qtbot: QtBot, kiosk: Kiosk) -> str:
    ctl = kiosk.ctl
    assert ctl.flow.missing() == []
    with qtbot.waitSignal(ctl.submission_sealed, timeout=10000) as blocker:
        send_review(qtbot, ctl)
    assert current(kiosk) == "receipt"
    reference = str(blocker.args[0])
    assert ctl.receipt.reference_label.text() == reference
    assert not ctl.receipt.qr_label.pixmap().isNull()
    assert "0001" in ctl.receipt.identity_label.text() and NIK not in ctl.receipt.identity_label.text()
    assert NAME not in ctl.receipt.identity_label.text()
    return reference


def delivered(runtime: KioskRuntime, reference: str) -> bool:
    items = [i for i in runtime.outbox.items() if i.meta.get("reference") == reference]
    return bool(items) and items[0].state == DELIVERED


def test_online_registration_is_verified_sealed_delivered_and_checkable(
    qtbot: QtBot, live_api: LiveApi, tmp_path: Path
) -> None:
    runtime = _runtime(live_api)
    kiosk = _kiosk(qtbot, runtime, tmp_path)
    ctl = kiosk.ctl
    try:
        qtbot.mouseClick(kiosk.shell.welcome.start_button, _left())
        assert current(kiosk) == "contact"
        assert not ctl.contact.offline_note.isVisibleTo(ctl.contact)
        fill_contact(qtbot, kiosk)
        assert current(kiosk) == "otp"
        otp = ctl.otp
        qtbot.waitUntil(lambda: ctl._challenge is not None, timeout=10000)
        assert otp.remaining_seconds() > 0 and not otp.resend_button.isEnabled()
        messages = live_api.otp_outbox(destination=PHONE_E164)
        assert messages, "the API sent no code"
        code = str(messages[-1]["code"])
        wrong = "000000" if code != "000000" else "111111"
        type_keys(qtbot, otp, "otp_token", wrong)
        press_next(qtbot, otp)
        qtbot.waitUntil(lambda: otp.code.error() is not None, timeout=10000)
        assert otp.code.text() == wrong and current(kiosk) == "otp"  # message shown, input kept
        otp.code.line_edit.clear()
        type_keys(qtbot, otp, "otp_token", code)
        press_next(qtbot, otp)
        qtbot.waitUntil(lambda: current(kiosk) == "identity", timeout=10000)
        assert ctl.flow.applicant.otp_verified
        fill_identity_to_review(qtbot, kiosk, tmp_path, pick_regions_by_search=True)
        assert ctl.flow.applicant.village_code == "31.71.01.1002"
        reference = finish_and_seal(qtbot, kiosk)
        assert "Kode verifikasi" not in ctl.receipt.next_label.text()  # verified inline, nothing deferred
        qtbot.waitUntil(lambda: delivered(runtime, reference), timeout=15000)

        # Print (no printer configured -> PDF in the receipts dir).
        qtbot.mouseClick(ctl.receipt.print_button, _left())
        pdf = tmp_path / "receipts" / f"{reference}.pdf"
        assert pdf.is_file() and pdf.stat().st_size > 1000
        assert pdf.read_bytes().startswith(b"%PDF")

        # "Selesai" ends the session; "Cek Status" finds the delivered registration.
        press_next(qtbot, ctl.receipt)
        assert current(kiosk) == "welcome" and ctl.flow.step == Step.WELCOME
        qtbot.mouseClick(kiosk.shell.welcome.status_button, _left())
        assert current(kiosk) == "status"
        ctl.status.reference.line_edit.setText(reference.replace("-", " ").lower())
        with qtbot.waitSignal(ctl.status_shown, timeout=10000) as blocker:
            press_next(qtbot, ctl.status)
        text = str(blocker.args[0])
        assert "diterima" in text
        assert NAME not in text and NIK not in text and PHONE not in text
        # A typo in the reference is caught offline by its check symbol.
        ctl.status.reference.line_edit.setText(reference[:-1] + ("A" if reference[-1] != "A" else "B"))
        press_next(qtbot, ctl.status)
        assert ctl.status.reference.error() is not None
    finally:
        _close(kiosk)


def test_offline_registration_is_queued_then_delivered_when_the_api_returns(
    qtbot: QtBot, live_api: LiveApi, tmp_path: Path
) -> None:
    runtime = _runtime(live_api)
    port = live_api.server.port
    live_api.server.stop()
    kiosk = _kiosk(qtbot, runtime, tmp_path)
    ctl = kiosk.ctl
    restarted: ServerThread | None = None
    try:
        qtbot.mouseClick(kiosk.shell.welcome.start_button, _left())
        qtbot.waitUntil(lambda: not ctl.flow.online, timeout=10000)  # the session's health probe
        assert ctl.contact.offline_note.isVisibleTo(ctl.contact)
        assert "Tidak terhubung" in kiosk.shell.window.status_strip.online_label.text()
        assert kiosk.shell.window.step_indicator.text() == "Langkah 1 dari 11"  # no OTP step offline
        fill_contact(qtbot, kiosk)
        assert current(kiosk) == "identity"  # the OTP step is deferred while offline
        assert kiosk.shell.window.step_indicator.text() == "Langkah 2 dari 11"  # no jump to 3
        fill_identity_to_review(qtbot, kiosk, tmp_path)
        reference = finish_and_seal(qtbot, kiosk)
        assert "Kode verifikasi" in ctl.receipt.next_label.text()
        assert not delivered(runtime, reference)
        qtbot.waitUntil(lambda: "1" in kiosk.shell.window.status_strip.queue_label.text(), timeout=5000)

        restarted = ServerThread(live_api.server.app, "127.0.0.1", port).start()
        runtime.sync_now()
        qtbot.waitUntil(lambda: delivered(runtime, reference), timeout=15000)
        qtbot.waitUntil(lambda: ctl.flow.online, timeout=5000)
        qtbot.waitUntil(
            lambda: "Semua pendaftaran sudah terkirim" in kiosk.shell.window.status_strip.queue_label.text(),
            timeout=5000,
        )
    finally:
        _close(kiosk)
        if restarted is not None:
            restarted.stop()


def test_every_screen_shows_messages_next_to_fields_and_keeps_input(
    qtbot: QtBot, offline_kiosk: Kiosk, tmp_path: Path
) -> None:
    kiosk, ctl = offline_kiosk, offline_kiosk.ctl
    ctl.start()
    # Contact, page 1: no method chosen. The error summary at the top says so and jumps to it.
    c = ctl.contact
    press_next(qtbot, c)
    assert current(kiosk) == "contact" and c.current_page == 0
    assert c.summary.isVisibleTo(c) and c.method.error()
    lines = [line for line in c.summary_lines if line.isVisibleTo(c)]
    assert len(lines) == 1 and "Pilih" in lines[0].text()
    assert not c.phone.error()  # the phone is on the next page: not asked yet, no "Wajib diisi"
    qtbot.mouseClick(c.method.buttons["email"], _left())
    next_page(qtbot, c)
    assert c.email.isVisibleTo(c) and not c.phone.isVisibleTo(c)
    press_next(qtbot, c)
    assert c.email.error() and c.summary.isVisibleTo(c)  # e-mail chosen but empty
    assert not c.email.error_label.isVisibleTo(c)  # said once, in the summary; the field is marked
    type_keys(qtbot, c, "email", "SITI")
    keyboard = c.input_panel.keyboard  # type: ignore[union-attr]
    assert keyboard.email_mode() and keyboard.email_keys["@gmail.com"].isVisibleTo(c)
    qtbot.mouseClick(keyboard.email_keys["@gmail.com"], _left())
    assert c.email.text() == "siti@gmail.com"
    press_next(qtbot, c)
    assert current(kiosk) == "identity"

    # Identity: a short NIK (page 1); a bad date (page 3); a birth date the NIK disagrees with.
    ident = ctl.identity
    ident.nik.line_edit.setText("31710141")
    press_next(qtbot, ident)
    assert ident.current_page == 0 and ident.nik.error() and not ident.birth_place.error()
    assert ident.nik.text() == "31710141"
    # The language switch re-translates the messages and keeps the input.
    id_text = ident.nik.error()
    summary_id = ident.summary_lines[0].text()
    kiosk.shell.languages.set_language("en")
    assert ident.nik.error() != id_text and ident.title_label.text() == "KTP data"
    assert ident.summary_lines[0].text() != summary_id
    assert ident.nik.text() == "31710141"
    kiosk.shell.languages.set_language("id")
    assert ident.nik.error() == id_text
    type_keys(qtbot, ident, "nik", NIK[8:])
    assert ident.nik.text() == NIK
    next_page(qtbot, ident)
    ident.birth_place.line_edit.setText("JAKARTA")
    next_page(qtbot, ident)
    ident.birth_date.line_edit.setText("99")
    press_next(qtbot, ident)
    assert ident.current_page == 2 and ident.birth_date.error() and ident.birth_date.text() == "99"
    # A tap on the summary line puts the focus (and the keypad) on the field.
    qtbot.mouseClick(ident.summary_lines[0], _left())
    assert ident.birth_date.line_edit.hasFocus() or QApplication.focusWidget() is ident.birth_date.line_edit
    ident.birth_date.line_edit.setText("02-01-1990")
    press_next(qtbot, ident)
    assert current(kiosk) == "identity"
    warnings = [p for p in ident.problems() if isinstance(p, FieldWarning)]
    assert warnings and not ident.birth_date.error()  # a warning is amber, not an error on the field
    assert ident.warnings_box.isVisibleTo(ident) and not ident.summary.isVisibleTo(ident)
    box = ident.warning_boxes[warnings[0].flag]
    assert box.isVisibleTo(ident) and box.text() == "Ya, sudah sesuai KTP"
    qtbot.mouseClick(box, _left())  # the one big toggle
    assert box.isChecked() and box.text().startswith("✓")
    press_next(qtbot, ident)
    assert current(kiosk) == "personal"
    assert "nik_birth_date_mismatch" in ctl.flow.applicant.confirmed_flags

    # Personal: nothing chosen, digits in the name (page 1); the mother's name is on page 2.
    p = ctl.personal
    p.full_name.line_edit.setText("SITI 123")
    press_next(qtbot, p)
    assert p.full_name.error() and p.gender.error() and not p.mother.error()
    assert p.full_name.text() == "SITI 123"
    assert len([line for line in p.summary_lines if line.isVisibleTo(p)]) == 2
    p.full_name.line_edit.setText(NAME)
    qtbot.mouseClick(p.gender.buttons["P"], _left())
    press_next(qtbot, p)
    assert p.current_page == 1 and not p.summary.isVisibleTo(p)
    p.mother.line_edit.setText(MOTHER)
    press_next(qtbot, p)
    assert current(kiosk) == "address"

    # Address, page 1: no RT/RW; page 2: no regions; a village opened before its parent asks for it.
    a = ctl.address
    a.street.line_edit.setText(STREET)
    press_next(qtbot, a)
    assert a.current_page == 0 and a.rt.error() and not a.rows["province_code"].error()
    assert a.street.text() == STREET
    a.rt.line_edit.setText("1")
    a.rw.line_edit.setText("2")
    next_page(qtbot, a)
    press_next(qtbot, a)
    assert a.rows["province_code"].error() and a.summary.isVisibleTo(a)
    qtbot.mouseClick(a.rows["village_code"].button, _left())
    assert a.picking() is None and a.rows["village_code"].error_label.isVisibleTo(a)
    t = table()
    for key, code in (("province_code", "31"), ("regency_code", "31.71"), ("district_code", "31.71.01")):
        a.choose(key, t.get(code))
    a.choose("village_code", t.get("31.71.01.1001"))
    a.choose("regency_code", t.get("31.73"))  # a different regency clears the levels below it
    assert a.rows["district_code"].region is None and a.rows["village_code"].region is None
    a.choose("regency_code", t.get("31.71"))
    a.choose("district_code", t.get("31.71.01"))
    a.choose("village_code", t.get("31.71.01.1001"))
    press_next(qtbot, a)
    assert current(kiosk) == "profile"

    # Profile: nothing chosen (one question per page).
    pr = ctl.profile
    press_next(qtbot, pr)
    assert pr.education.error() and not pr.work.error() and pr.summary.isVisibleTo(pr)
    qtbot.mouseClick(pr.education.buttons["sd"], _left())
    next_page(qtbot, pr)
    assert pr.education.value() == "sd" and not pr.education.error()
    qtbot.mouseClick(pr.work.buttons["bekerja"], _left())
    press_next(qtbot, pr)
    assert current(kiosk) == "ktp_photo"

    # KTP photo: no photo; a file that is not a picture; then a real picture (file import).
    ktp = ctl.ktp_photo
    press_next(qtbot, ktp)
    assert ktp.panel.error_label.isVisibleTo(ktp)
    not_a_picture = tmp_path / "notes.jpg"
    not_a_picture.write_bytes(b"this is not a picture at all" * 10)
    ktp.import_file(not_a_picture)
    qtbot.waitUntil(lambda: not ktp.importing(), timeout=5000)
    assert "JPG" in ktp.panel.error_label.text() and ktp.photo is None
    ktp.import_file(tmp_path / "missing.jpg")
    assert ktp.panel.error_label.isVisibleTo(ktp)
    ktp.import_file(jpeg_file(tmp_path / "ktp.jpg", 3000, 1900))
    qtbot.waitUntil(lambda: ktp.photo is not None, timeout=10000)
    assert ktp.photo is not None and ktp.photo[:3] == b"\xff\xd8\xff" and len(ktp.photo) <= 100_000
    assert not ktp.panel.preview.pixmap().isNull() and not ktp.panel.error_label.isVisibleTo(ktp)
    press_next(qtbot, ktp)
    assert current(kiosk) == "selfie" and ctl.flow.applicant.ktp_photo
    s = ctl.selfie
    s.import_file(SELFIE_FILE)
    qtbot.waitUntil(lambda: s.photo is not None, timeout=10000)
    press_next(qtbot, s)

    # Declaration: unanswered (page 1 only), then one qualifying answer missing -> the refusal is
    # explained at the top and the answer kept.
    d = ctl.declaration
    assert current(kiosk) == "declaration"
    press_next(qtbot, d)
    on_page = [row for row in d.rows.values() if row.isVisibleTo(d)]
    assert len(on_page) == 2 and all(row.error() for row in on_page)
    first = STATEMENTS[0].id
    qtbot.mouseClick(d.rows[first].buttons["no"], _left())  # "Tidak" to "Apakah Anda WNI?"
    assert d.rows[first].buttons["no"].text() == "Tidak"
    for statement in STATEMENTS[1:]:
        if d.page_of(f"declaration.{statement.id}") != d.current_page:
            d.go_to_page(d.page_of(f"declaration.{statement.id}") or 0)
        qtbot.mouseClick(d.rows[statement.id].buttons["yes"], _left())
    press_next(qtbot, d)
    assert current(kiosk) == "declaration" and d.rows[first].value() == "no" and d.current_page == 0
    assert STATEMENTS[0].refusal.id.split(".")[0] in d.rows[first].error()
    assert any(STATEMENTS[0].refusal.id.split(".")[0] in line.text() for line in d.summary_lines)
    qtbot.mouseClick(d.rows[first].buttons["yes"], _left())
    press_next(qtbot, d)
    press_next(qtbot, ctl.test)
    assert current(kiosk) == "review"

    # Review: "Ubah" jumps to a section and "Lanjut" comes straight back; without a runtime the
    # sealing fails with a message and nothing is lost.
    r = ctl.review
    qtbot.mouseClick(r.edit_buttons[Step.PERSONAL], _left())
    assert current(kiosk) == "personal" and p.full_name.text() == NAME
    press_next(qtbot, p)
    assert current(kiosk) == "review" and r.current_page == 0  # back on the page of "Data diri"
    while not r.on_last_page():  # "Lanjut" turns the review's pages; "Kirim" is on the last one
        assert r.next_button.text() == "Lanjut ▶"
        press_next(qtbot, r)
    assert r.next_button.text() == "Kirim ▶"
    press_next(qtbot, r)
    qtbot.waitUntil(lambda: current(kiosk) == "review", timeout=5000)
    assert r.general_error.isVisibleTo(r)
    assert ctl.flow.applicant.full_name == NAME


def test_cancel_asks_first_and_then_wipes(qtbot: QtBot, offline_kiosk: Kiosk) -> None:
    kiosk, ctl = offline_kiosk, offline_kiosk.ctl
    ctl.start()
    ctl.contact.phone.line_edit.setText(PHONE)
    qtbot.mouseClick(ctl.contact.cancel_button, _left())
    assert ctl.cancel_dialog.isVisible()
    qtbot.mouseClick(ctl.cancel_dialog.no_button, _left())
    assert current(kiosk) == "contact" and ctl.contact.phone.text() == PHONE
    qtbot.mouseClick(ctl.contact.cancel_button, _left())
    with qtbot.waitSignal(ctl.session_wiped, timeout=2000):
        qtbot.mouseClick(ctl.cancel_dialog.yes_button, _left())
    assert current(kiosk) == "welcome" and ctl.contact.phone.text() == ""


def test_the_status_check_never_needs_personal_data(qtbot: QtBot, offline_kiosk: Kiosk) -> None:
    kiosk, ctl = offline_kiosk, offline_kiosk.ctl
    qtbot.mouseClick(kiosk.shell.welcome.status_button, _left())
    ctl.status.reference.line_edit.setText("PK-1234")
    press_next(qtbot, ctl.status)
    assert ctl.status.reference.error() and ctl.status.reference.text() == "PK-1234"
    qtbot.mouseClick(ctl.status.back_button, _left())
    assert current(kiosk) == "welcome"
    QApplication.processEvents()


def test_a_photo_still_importing_at_the_wipe_never_reaches_the_next_session(
    qtbot: QtBot, offline_kiosk: Kiosk, tmp_path: Path
) -> None:
    """Batal / idle expiry while a photo compresses: the late result belongs to the wiped session."""
    screen = offline_kiosk.ctl.ktp_photo
    screen.import_file(jpeg_file(tmp_path / "ktp.jpg", 4000, 3000))
    assert screen.importing()
    offline_kiosk.ctl.wipe_session()
    wait_for_background_work(10_000)
    qtbot.wait(50)  # the queued result is delivered (and must be dropped)
    assert screen.photo is None and screen.collect() == {} and not screen.importing()
    assert screen.panel.status.text() == "Kamera belum siap. Silakan panggil petugas."  # no camera here
    # Two imports in a row: only the newer one counts.
    screen.import_file(jpeg_file(tmp_path / "first.jpg", 4000, 3000))
    (tmp_path / "second.jpg").write_bytes(b"not a photo")
    screen.import_file(tmp_path / "second.jpg")
    wait_for_background_work(10_000)
    qtbot.wait(50)
    assert screen.photo is None and screen.panel.error_label.isVisibleTo(screen.panel)


def test_a_status_result_follows_the_language(qtbot: QtBot, offline_kiosk: Kiosk) -> None:
    from kiosk.i18n import Message

    ctl = offline_kiosk.ctl
    ctl.show_status()
    ctl.status.show_result("rejected", Message("Foto KTP tidak terbaca.", "The KTP photo is not readable."))
    text = ctl.status.result_label.text()
    assert text.startswith("Pendaftaran ditolak.") and text.endswith("\nFoto KTP tidak terbaca.")
    assert "petugas" in text  # a refusal says what to do next
    offline_kiosk.shell.languages.set_language("en")
    try:
        assert "The KTP photo is not readable." in ctl.status.result_label.text()
        assert "Pendaftaran" not in ctl.status.result_label.text()
    finally:
        offline_kiosk.shell.languages.set_language("id")
