#!/usr/bin/env python3
"""Render kiosk screens offscreen into docs/screens/ at the two target sizes, in both languages.

Why: the kiosk runs on 1366×768 terminals and 1024×600 field laptops; looking at every screen at both
sizes in both languages is how clipping, tiny text and overlaps are caught (issue 6). Files are named
``<screen>_<lang>_<width>.png``. To add a screen, add an entry to :data:`SCREENS`: a name and a
function that puts the screen in the state to show and makes it current.

    .venv/bin/python scripts/screenshots.py [--out docs/screens] [--only welcome]
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtGui import QColor, QImage, QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication, QDialog, QWidget  # noqa: E402

from ui.app import GuiOptions, KioskShell, create_application  # noqa: E402

SIZES: tuple[tuple[int, int], ...] = ((1366, 768), (1024, 600))
LANGUAGES: tuple[str, ...] = ("id", "en")


def _welcome(shell: KioskShell) -> None:
    shell.window.show_screen("welcome")


def _welcome_starting(shell: KioskShell) -> None:
    """The first second after start-up: services still opening, a tap on "Daftar" already taken."""
    shell.window.show_screen("welcome")
    shell.window.status_strip.set_unknown()
    shell._before_bound("start")


# ---- the registration wizard (issue 6): sample fake data, no runtime (nothing is sealed or sent) ----
SAMPLE_PHOTO = ROOT / "resources" / "demo" / "portrait_eileen_collins.jpg"


def _wizard(shell: KioskShell) -> Any:
    """The wizard controller, created once per shell, with every screen filled with fake data."""
    existing = getattr(shell, "wizard", None)
    if existing is not None:
        return existing
    from kiosk.declaration import STATEMENTS
    from kiosk.flow import Step
    from kiosk.regions import table
    from ui.controller import WizardController
    from ui.receipt import ReceiptData

    ctl = WizardController(
        shell.window,
        shell.welcome,
        shell.languages,
        None,
        camera=True,  # the photo screens with the real camera view, fed by the demo clips
        demo=True,
        test_widget_factory=_test_panel_factory(shell),
    )
    shell.wizard = ctl  # type: ignore[attr-defined]
    ctl.contact.phone.line_edit.setText("0812 3456 7890")
    ctl.contact.method.set_value("sms")
    ctl.identity.nik.line_edit.setText("3171014101900001")
    ctl.identity.birth_place.line_edit.setText("JAKARTA")
    ctl.identity.birth_date.line_edit.setText("02-01-1990")
    ctl.personal.full_name.line_edit.setText("SITI CONTOH FIKTIF")
    ctl.personal.gender.set_value("P")
    ctl.personal.mother.line_edit.setText("IBU FIKTIF")
    ctl.address.street.line_edit.setText("JL. CONTOH NO. 1")
    ctl.address.rt.line_edit.setText("001")
    ctl.address.rw.line_edit.setText("002")
    regions = table()
    for key, code in (
        ("province_code", "31"),
        ("regency_code", "31.71"),
        ("district_code", "31.71.01"),
        ("village_code", "31.71.01.1002"),
    ):
        ctl.address.choose(key, regions.get(code))
    ctl.profile.education.set_value("sma_smk")
    ctl.profile.work.set_value("korban_phk")
    photo = SAMPLE_PHOTO.read_bytes()
    ctl.selfie.set_photo(photo)
    for statement in STATEMENTS:
        ctl.declaration.rows[statement.id].set_value("yes")
    flow = ctl.flow
    for screen in (ctl.contact, ctl.identity, ctl.personal, ctl.address, ctl.profile, ctl.declaration):
        flow.submit(screen.flow_step, screen.collect())
    flow.submit(Step.KTP_PHOTO, {"photo": photo})
    flow.submit(Step.SELFIE, {"photo": photo})
    ctl.receipt.show_receipt(
        ReceiptData("PK-7Q4M-9XRT-D2KF-3", "SI** CO**** FI*****", "****…0001", "23-11-2026 09:30 WIB", True)
    )
    ctl.otp.code_sent("+62 812-****-7890", 42)
    ctl.otp.code.line_edit.setText("1234")
    ctl.status.reference.line_edit.setText("PK-7Q4M-9XRT-D2KF-3")
    ctl.status.show_result("verifying")
    return ctl


def _test_panel_factory(shell: KioskShell) -> Callable[[], Any]:
    """The real test panel with the shipped demo bank and a hand-moved clock (the countdown is shown
    at a fixed time, and the 1-minute warning can be reached without waiting)."""
    from kiosk.test_session import ManualClock
    from kiosk.testbank import BankStore
    from ui.screens.test_panel import TestPanel

    clock = ManualClock()
    shell.test_clock = clock  # type: ignore[attr-defined]

    def make() -> TestPanel:
        panel = TestPanel(clock=clock)
        panel.load(BankStore().current(None))
        return panel

    return make


def _test_at(kind: str) -> Callable[[Any], None]:
    """The test screen at a question of ``kind``: "text", "likert", "reading", "picture", or a stage:
    "intro", "warning" (1 minute left), "confirm" ("end the test now?"), "done"."""

    def prepare(ctl: Any) -> None:
        panel = ctl.test.embedded
        panel.clear()
        ctl.test.set_answers(None)
        if kind == "intro":
            return
        panel.start()
        question = panel.question
        session = question.session
        position = 0
        for index in range(session.count):
            section, item = session.question_at(index)
            prompt = item.prompt.text("id")
            if (
                (kind == "picture" and item.picture is not None)
                or (kind == "likert" and section.kind == "likert")
                or (kind == "reading" and len(prompt) > 300)
                or (
                    kind == "text" and section.kind != "likert" and item.picture is None and len(prompt) < 140
                )
            ):
                position = index
                break
        session.go_to(position)
        if kind in ("warning", "confirm", "done"):
            session.go_to(session.count - 1)
        question.retranslate()
        if kind == "warning":
            panel._clock.advance(session.remaining_s() - 59)
            question.tick()
        elif kind == "confirm":
            question.request_finish()
        elif kind == "done":
            question.request_finish()
            question.request_finish()
        else:
            question.tick()

    return prepare


def _wizard_screen(name: str, prepare: Callable[[Any], None] | None = None) -> Callable[[KioskShell], None]:
    def show(shell: KioskShell) -> None:
        ctl = _wizard(shell)
        if prepare is not None:
            prepare(ctl)
        shell.window.show_screen(name)

    return show


def _page(screen: str, index: int, prepare: Callable[[Any], None] | None = None) -> Callable[[Any], None]:
    """Page ``index`` of a screen split into pages (no messages shown, unless ``prepare`` adds some)."""

    def show(ctl: Any) -> None:
        target = getattr(ctl, screen)
        target.show_problems([])
        target.go_to_page(index)
        if prepare is not None:
            prepare(ctl)

    return show


def _contact_method(method: str) -> Callable[[Any], None]:
    def choose(ctl: Any) -> None:
        ctl.contact.method.set_value(method)
        ctl.contact.page_changed()
        edit = ctl.contact.email if method == "email" else ctl.contact.phone
        ctl.contact.input_panel.show_for(edit.line_edit)

    return choose


def _identity_problems(ctl: Any) -> None:
    """The birth date the NIK disagrees with: an amber warning and the "sesuai KTP" toggle."""
    from kiosk.flow import Step

    ctl.identity.show_problems(ctl.flow.submit(Step.IDENTITY, ctl.identity.collect()))


def _address_picker(ctl: Any) -> None:
    ctl.address.go_to_page(1)
    ctl.address.open_picker("district_code", 3)
    ctl.address.search.line_edit.setText("GA")


def _review(page: int) -> Callable[[Any], None]:
    def show(ctl: Any) -> None:
        ctl.flow.confirm("nik_birth_date_mismatch")  # confirmed "sesuai KTP" on the identity screen
        ctl.review.show_flow(ctl.flow)
        ctl.review.go_to_page(page)

    return show


def _camera(state: str, screen: str = "ktp_photo") -> Callable[[Any], None]:
    """A photo screen's camera: "live" plays the demo clip through the real view (guidance and
    overlay drawn from the real analysis); "none" starts the real webcam source, which finds no
    camera on this machine and says so."""

    def prepare(ctl: Any) -> None:
        from PySide6.QtCore import QElapsedTimer

        photo = getattr(ctl, screen)
        view = photo.camera_view
        if view is None:
            return
        photo.set_photo(None)
        view.stop()
        view.clear()
        view.auto_capture_enabled = state != "live"  # the live view as a person sees it, before the shot
        if state == "live":
            from ui.camera.demo import demo_source

            view.set_source(demo_source(photo.kind, parent=photo))
        else:
            from ui.camera.qt_camera import CameraSource

            view.set_source(CameraSource(b"no-such-camera", parent=photo))
        view.start()
        app = QApplication.instance()
        timer = QElapsedTimer()
        timer.start()
        limit = 4000 if state == "live" else 300
        while app is not None and timer.elapsed() < limit:
            app.processEvents()
            if state == "live" and view.preview.frames_painted > 20 and view.guidance_text():
                break
        if state == "live":
            view.stop()  # the picture stays; nothing keeps running behind the other states

    return prepare


def _status_scan(ctl: Any) -> None:
    """Cek Status scanning the receipt's QR code; on this machine the real webcam source finds no camera."""
    ctl.status_checker.stop_scan()
    ctl.status_checker.toggle_scan()
    app = QApplication.instance()
    if app is not None:
        for _ in range(5):
            app.processEvents()


def _idle_warning(ctl: Any) -> None:
    """ "Masih di sini?" with its countdown (what the idle watchdog opens after the quiet time)."""
    _page("contact", 1, _contact_method("sms"))(ctl)
    ctl.idle.dialog.set_ends_test(False)
    ctl.idle.dialog.set_seconds(27)
    ctl.idle.dialog.open()


def _idle_warning_test(ctl: Any) -> None:
    """The same warning during the test: it ends the test, answers kept, and wipes nothing."""
    _test_at("text")(ctl)
    ctl.idle.dialog.set_ends_test(True)
    ctl.idle.dialog.set_seconds(27)
    ctl.idle.dialog.open()


# name -> prepares the shell; other screens are added here as the wizard grows.
SCREENS: dict[str, Callable[[KioskShell], None]] = {
    "welcome": _welcome,
    "contact": _wizard_screen("contact", _page("contact", 0)),
    "contact_phone": _wizard_screen("contact", _page("contact", 1, _contact_method("sms"))),
    "contact_email": _wizard_screen("contact", _page("contact", 1, _contact_method("email"))),
    "otp": _wizard_screen("otp"),
    "identity": _wizard_screen("identity", _page("identity", 0)),
    "identity_birth_place": _wizard_screen("identity", _page("identity", 1)),
    "identity_birth_date": _wizard_screen("identity", _page("identity", 2)),
    "identity_warning": _wizard_screen("identity", _page("identity", 2, _identity_problems)),
    "personal": _wizard_screen("personal", _page("personal", 0)),
    "personal_mother": _wizard_screen("personal", _page("personal", 1)),
    "address": _wizard_screen("address", _page("address", 0)),
    "address_regions": _wizard_screen("address", _page("address", 1)),
    "address_picker": _wizard_screen("address", _address_picker),
    "profile": _wizard_screen("profile", _page("profile", 0)),
    "profile_work": _wizard_screen("profile", _page("profile", 1)),
    "ktp_photo": _wizard_screen("ktp_photo", _camera("live")),
    "ktp_photo_no_camera": _wizard_screen("ktp_photo", _camera("none")),
    "selfie_live": _wizard_screen("selfie", _camera("live", "selfie")),
    "selfie": _wizard_screen("selfie", lambda ctl: ctl.selfie.set_photo(SAMPLE_PHOTO.read_bytes())),
    "declaration": _wizard_screen("declaration", _page("declaration", 0)),
    "declaration_2": _wizard_screen("declaration", _page("declaration", 1)),
    "declaration_3": _wizard_screen("declaration", _page("declaration", 2)),
    "test_intro": _wizard_screen("test", _test_at("intro")),
    "test_question": _wizard_screen("test", _test_at("text")),
    "test_likert": _wizard_screen("test", _test_at("likert")),
    "test_reading": _wizard_screen("test", _test_at("reading")),
    "test_picture": _wizard_screen("test", _test_at("picture")),
    "test_warning": _wizard_screen("test", _test_at("warning")),
    "test_confirm_end": _wizard_screen("test", _test_at("confirm")),
    "test_done": _wizard_screen("test", _test_at("done")),
    "review": _wizard_screen("review", _review(0)),
    "review_2": _wizard_screen("review", _review(1)),
    "sealing": _wizard_screen("sealing"),
    "receipt": _wizard_screen("receipt", lambda ctl: ctl.receipt.set_printer_available(True)),
    "receipt_no_printer": _wizard_screen("receipt", lambda ctl: ctl.receipt.set_printer_available(False)),
    "status": _wizard_screen("status", lambda ctl: ctl.status_checker.stop_scan()),
    "status_scan_no_camera": _wizard_screen("status", _status_scan),
    "cancel_dialog": _wizard_screen("identity", lambda ctl: (ctl.identity.go_to_page(0), ctl.ask_cancel())),
    "idle_warning": _wizard_screen("contact", _idle_warning),
    "idle_warning_test": _wizard_screen("test", _idle_warning_test),
    "welcome_starting": _welcome_starting,  # last: it leaves the strip in its start-up state
}


def open_shell(demo: bool = False) -> KioskShell:
    """The shell the registry's states are shown in (no runtime, no speech engine)."""
    app = create_application()
    shell = KioskShell(app, GuiOptions(windowed=True, demo=demo), speech_engines=[])
    shell.window.set_queue_status(0, True)
    shell.window.show()
    return shell


def show_state(shell: KioskShell, name: str, language: str, size: tuple[int, int]) -> list[QWidget]:
    """Put ``shell`` in registry state ``name`` at ``size``; returns the dialogs open over the window.

    Used by :func:`render` and by ``tests/test_ui_layout_fit.py`` (which checks every state fits).
    """
    app = QApplication.instance()
    shell.languages.set_language(language)
    _close_dialogs(shell)
    SCREENS[name](shell)
    shell.window.setMinimumSize(1, 1)
    shell.window.resize(*size)
    for _ in range(3):
        if app is not None:
            app.processEvents()
    dialogs = [d for d in shell.window.findChildren(QDialog) if d.isVisible()]
    for dialog in dialogs:
        _centre_over(dialog, shell.window)
    if app is not None:
        app.processEvents()
    return dialogs


def _close_dialogs(shell: KioskShell) -> None:
    for dialog in shell.window.findChildren(QDialog):
        if dialog.isVisible():
            dialog.hide()


def _centre_over(dialog: QWidget, window: QWidget) -> None:
    """Offscreen there is no window manager to place a dialog: centre it over the window like one."""
    width = min(dialog.width(), window.width())
    height = min(dialog.height(), window.height())
    dialog.resize(width, height)
    top_left = window.mapToGlobal(window.rect().center())
    dialog.move(top_left.x() - width // 2, top_left.y() - height // 2)


def _grab(shell: KioskShell, dialogs: list[QWidget]) -> QImage:
    """The window with its open dialogs painted where they stand (a screen grab would show both)."""
    window = shell.window
    pixmap = window.grab()
    if dialogs:
        painter = QPainter(pixmap)
        painter.fillRect(pixmap.rect(), QColor(0, 0, 0, 110))
        for dialog in dialogs:
            offset = window.mapFromGlobal(dialog.mapToGlobal(dialog.rect().topLeft()))
            painter.drawPixmap(offset, dialog.grab())
        painter.end()
    return pixmap.toImage()


def render(out: Path, only: set[str] | None = None, demo: bool = False) -> list[Path]:
    shell = open_shell(demo)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name in SCREENS:
        if only and name not in only:
            continue
        for language in LANGUAGES:
            for width, height in SIZES:
                dialogs = show_state(shell, name, language, (width, height))
                path = out / f"{name}{'_demo' if demo else ''}_{language}_{width}.png"
                # 256 colours: the flat kiosk theme loses nothing visible and the PNGs stay small.
                image = _grab(shell, dialogs).convertToFormat(
                    QImage.Format.Format_Indexed8,
                    Qt.ImageConversionFlag.ThresholdDither | Qt.ImageConversionFlag.AvoidDither,
                )
                if not image.save(str(path), "PNG", 9):
                    raise SystemExit(f"screenshots: cannot write {path}")
                written.append(path)
    _close_dialogs(shell)
    controller = getattr(shell, "wizard", None)
    if controller is not None:
        controller.shutdown()  # camera views stop their analysis threads
    shell.languages.set_language("id")
    shell.window.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="render kiosk screens offscreen into PNG files")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screens")
    parser.add_argument("--only", action="append", help="screen name to render (repeatable)")
    parser.add_argument("--demo", action="store_true", help="render with the DEMO / PELATIHAN ribbon")
    args = parser.parse_args(argv)
    for path in render(args.out, set(args.only) if args.only else None, demo=args.demo):
        print(f"screenshots: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
