"""Drive the real registration wizard like a person would, for the proof suites (PII at rest, soak).

Why shared: ``tests/test_pii_at_rest.py`` and ``bench/soak.py`` must walk the very same real screens
(``ui.controller.WizardController``): typing with Qt key events, tapping buttons, importing photo files
through the photo screens (which compress them with ``kiosk.imaging``), sealing on the review screen.
Values come from ``tests.support.applicants.applicant_values(index)`` so every registration is distinct.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from kiosk.config import KioskConfig, KioskSettings, SyncSettings
from kiosk.declaration import STATEMENTS
from kiosk.flow import Step
from kiosk.regions import table
from kiosk.runtime import KioskRuntime
from tests.support.applicants import applicant_values
from ui.app import KioskShell
from ui.controller import WizardController
from ui.screens.wizard import WizardScreen

if TYPE_CHECKING:
    from tests.support.live_api import LiveApi

LEFT = Qt.MouseButton.LeftButton


class Bot:
    """The few qtbot operations the driver needs (pytest-qt's ``QtBot`` satisfies it; so does :class:`PlainBot`)."""

    def keyClicks(self, widget: object, text: str) -> None: ...
    def mouseClick(self, widget: object, button: Qt.MouseButton) -> None: ...
    def waitUntil(self, predicate: Callable[[], object], timeout: int = 5000) -> None: ...


class PlainBot:
    """pytest-qt's event helpers without pytest (for ``bench.soak``): real key and mouse events."""

    def keyClicks(self, widget: object, text: str) -> None:
        from PySide6.QtTest import QTest

        QTest.keyClicks(widget, text)  # type: ignore[call-overload]

    def mouseClick(self, widget: object, button: Qt.MouseButton) -> None:
        from PySide6.QtTest import QTest

        QTest.mouseClick(widget, button)  # type: ignore[call-overload]

    def waitUntil(self, predicate: Callable[[], object], timeout: int = 5000) -> None:
        import time

        from PySide6.QtWidgets import QApplication

        deadline = time.monotonic() + timeout / 1000
        while not predicate():
            if time.monotonic() > deadline:
                raise TimeoutError("waitUntil timed out")
            QApplication.processEvents()
            time.sleep(0.002)


def config() -> KioskConfig:
    return KioskConfig(
        kiosk=KioskSettings(idle_timeout_s=600, idle_warning_s=30),
        sync=SyncSettings(backoff_base_s=0.05, backoff_cap_s=0.5, interval_s=5),
    )


def enrolled_runtime(
    api: LiveApi, cfg: KioskConfig | None = None, *, label: str = "test-kiosk"
) -> KioskRuntime:
    """A kiosk runtime enrolled at the live reference API (keys in the encrypted-file store)."""
    identity = api.enrol_device(label).identity(api.url)
    return KioskRuntime.open(cfg or config(), device=identity)


def type_into(qtbot: Bot, screen: WizardScreen, name: str, text: str) -> None:
    edit = screen.fields[name].line_edit  # type: ignore[attr-defined]
    edit.setFocus()
    edit.clear()
    qtbot.keyClicks(edit, text)


def press_next(qtbot: Bot, screen: WizardScreen) -> None:
    qtbot.mouseClick(screen.next_button, LEFT)


def send_review(qtbot: Bot, ctl: WizardController) -> None:
    """ "Lanjut" through the review's pages, then "Kirim" on the last one (which seals)."""
    while not ctl.review.on_last_page():
        press_next(qtbot, ctl.review)
    press_next(qtbot, ctl.review)


def current(shell: KioskShell) -> str:
    screen = shell.window.current_screen()
    return screen.screen_name if screen is not None else ""


def walk_to_test(
    qtbot: Bot,
    shell: KioskShell,
    ctl: WizardController,
    index: int,
    photos: Path,
    *,
    photo_files: dict[Step, Path] | None = None,
    otp_code: Callable[[], str] | None = None,
) -> None:
    """From the welcome screen to the test step, filling every screen with applicant ``index``'s values.

    Photos: the applicant's generated JPEGs written to ``photos`` (and deleted after import), or the
    given ``photo_files`` (e.g. the demo media). OTP: deferred, or — with ``otp_code`` (e.g. reading the
    live API's outbox) — verified with the code it returns once the API has sent one.
    """
    v = applicant_values(index)
    qtbot.mouseClick(shell.welcome.start_button, LEFT)
    qtbot.waitUntil(lambda: current(shell) == "contact", timeout=5000)
    c = ctl.contact
    qtbot.mouseClick(c.method.buttons["sms"], LEFT)
    type_into(qtbot, c, "phone", v[Step.CONTACT]["phone"])
    type_into(qtbot, c, "email", v[Step.CONTACT]["email"])
    press_next(qtbot, c)
    qtbot.waitUntil(lambda: current(shell) == "otp", timeout=5000)
    if otp_code is None:
        qtbot.mouseClick(ctl.otp.defer_button, LEFT)
    else:
        qtbot.waitUntil(lambda: ctl._challenge is not None, timeout=10000)
        type_into(qtbot, ctl.otp, "otp_token", otp_code())
        press_next(qtbot, ctl.otp)
    qtbot.waitUntil(lambda: current(shell) == "identity", timeout=10000)
    assert ctl.flow.applicant.otp_verified is (otp_code is not None)
    ident = ctl.identity
    birth: dt.date = v[Step.IDENTITY]["birth_date"]
    type_into(qtbot, ident, "nik", v[Step.IDENTITY]["nik"])
    type_into(qtbot, ident, "birth_place", v[Step.IDENTITY]["birth_place"])
    type_into(qtbot, ident, "birth_date", birth.strftime("%d%m%Y"))
    press_next(qtbot, ident)
    assert current(shell) == "personal", ctl.flow.step
    p = ctl.personal
    type_into(qtbot, p, "full_name", v[Step.PERSONAL]["full_name"])
    qtbot.mouseClick(p.gender.buttons[v[Step.PERSONAL]["gender"]], LEFT)
    type_into(qtbot, p, "mother_maiden_name", v[Step.PERSONAL]["mother_maiden_name"])
    press_next(qtbot, p)
    assert current(shell) == "address"
    a = ctl.address
    addr = v[Step.ADDRESS]
    for key in ("street", "rt", "rw"):
        type_into(qtbot, a, key, addr[key])
    for key in ("province_code", "regency_code", "district_code", "village_code"):
        a.choose(key, table().get(addr[key]))
    press_next(qtbot, a)
    assert current(shell) == "profile"
    pr = ctl.profile
    qtbot.mouseClick(pr.education.buttons[v[Step.PROFILE]["education"]], LEFT)
    qtbot.mouseClick(pr.work.buttons[v[Step.PROFILE]["work_status"]], LEFT)
    press_next(qtbot, pr)
    for step, screen in ((Step.KTP_PHOTO, ctl.ktp_photo), (Step.SELFIE, ctl.selfie)):
        assert current(shell) == screen.screen_name
        given = (photo_files or {}).get(step)
        file = given or photos / f"{step.value}-{index}.jpg"
        if given is None:
            file.write_bytes(v[step]["photo"])
        screen.import_file(file)
        qtbot.waitUntil(lambda s=screen: s.photo is not None, timeout=10000)
        if given is None:
            file.unlink()
        press_next(qtbot, screen)
    assert current(shell) == "declaration"
    d = ctl.declaration
    for statement in STATEMENTS:
        qtbot.mouseClick(d.rows[statement.id].buttons["yes"], LEFT)
    press_next(qtbot, d)
    assert current(shell) == "test"


def register(
    qtbot: Bot,
    shell: KioskShell,
    ctl: WizardController,
    index: int,
    photos: Path,
    *,
    photo_files: dict[Step, Path] | None = None,
    end: str = "done",
) -> str:
    """One registration from the welcome screen to the receipt and back; returns its reference.

    Fills the screens with :func:`walk_to_test` (OTP deferred), skips the optional test, seals on the
    review screen. ``end="done"`` taps "Selesai" on the receipt; ``end="idle"`` leaves the receipt alone
    until the idle watchdog warns and wipes the session (its times shortened for this session only).
    """
    walk_to_test(qtbot, shell, ctl, index, photos, photo_files=photo_files)
    press_next(qtbot, ctl.test)
    assert current(shell) == "review"
    assert ctl.flow.missing() == []
    sealed: list[str] = []
    ctl.submission_sealed.connect(sealed.append)
    try:
        send_review(qtbot, ctl)
        qtbot.waitUntil(lambda: bool(sealed), timeout=10000)
    finally:
        ctl.submission_sealed.disconnect(sealed.append)
    assert current(shell) == "receipt"
    if end == "idle":
        ctl.idle.set_tick_ms(20)
        ctl.idle.configure(1.1, 1.0)  # quiet 100 ms, then a one-"second" (20 ms) warning, then wipe
        qtbot.waitUntil(lambda: current(shell) == "welcome", timeout=5000)
        ctl.idle.set_tick_ms(1000)
        ctl.idle.configure(ctl.config.kiosk.idle_timeout_s, ctl.config.kiosk.idle_warning_s)
    else:
        press_next(qtbot, ctl.receipt)  # "Selesai": the session ends and is wiped
        qtbot.waitUntil(lambda: current(shell) == "welcome", timeout=5000)
    return str(sealed[0])
