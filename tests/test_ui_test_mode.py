"""The Tes Motivasi as its own full-screen mode, and the idle policy by stage (issue 16).

Real widgets (the wizard, the test panel with the shipped signed demo bank, the idle watchdog), a
:class:`ManualClock` for the test's countdown and the watchdog's injectable timing
(``set_ms_per_second``) instead of real minutes of sleep.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from kiosk.config import KioskConfig, KioskSettings
from kiosk.flow import Step
from kiosk.test_session import ManualClock
from kiosk.testbank import BankStore
from tests.support.applicants import applicant_values
from tests.test_ui_layout_fit import fit_problems
from ui.app import GuiOptions, KioskShell, create_application
from ui.controller import WizardController
from ui.screens.test_panel import TestPanel
from ui.worker import wait_for_background_work

LEFT = Qt.MouseButton.LeftButton
MS_PER_S = 10  # one policy second lasts 10 ms: 120 s of idle is 1.2 s of real time


@dataclass
class TestKiosk:
    __test__ = False
    shell: KioskShell
    ctl: WizardController
    clock: ManualClock
    panel: TestPanel


@pytest.fixture
def kiosk(qtbot: QtBot) -> Iterator[TestKiosk]:
    clock = ManualClock()
    shell = KioskShell(create_application(), GuiOptions(windowed=True), speech_engines=[])
    qtbot.addWidget(shell.window)

    def factory() -> TestPanel:
        panel = TestPanel(clock=clock)
        panel.load(BankStore().current(None))  # the shipped signed demo bank
        return panel

    config = KioskConfig(kiosk=KioskSettings(idle_timeout_s=90, idle_warning_s=30))
    ctl = WizardController(
        shell.window, shell.welcome, shell.languages, None, config=config, test_widget_factory=factory
    )
    panel = ctl.test.embedded
    assert isinstance(panel, TestPanel)
    shell.window.setMinimumSize(1, 1)
    shell.window.resize(1024, 600)
    shell.window.show()
    qtbot.waitExposed(shell.window)
    yield TestKiosk(shell, ctl, clock, panel)
    ctl.shutdown()
    wait_for_background_work(3000)


def _to_test_step(ctl: WizardController) -> None:
    """Every step before the test filled through the real flow (the screens are tested elsewhere)."""
    ctl.start()
    values = applicant_values(3)
    for step in (
        Step.CONTACT,
        Step.IDENTITY,
        Step.PERSONAL,
        Step.ADDRESS,
        Step.PROFILE,
        Step.KTP_PHOTO,
        Step.SELFIE,
        Step.DECLARATION,
    ):
        assert ctl.flow.step == step
        assert ctl.flow.submit(step, values[step]) == []
        assert ctl.flow.next() == []
    assert ctl.window.current_screen() is ctl.test


def _clipped_labels(root: QLabel | object, window: object) -> list[str]:
    found = []
    assert hasattr(root, "findChildren")
    for label in root.findChildren(QLabel):  # type: ignore[attr-defined]
        if not label.isVisible() or not label.text() or not label.wordWrap():
            continue
        need = label.heightForWidth(label.width())
        if need > label.height() + 2:
            found.append(f"{label.objectName()} needs {need} px, has {label.height()}: {label.text()[:40]!r}")
    return found


@pytest.mark.parametrize("language", ["id", "en"])
def test_whole_test_taken_at_1024x600_without_scrolling(
    qtbot: QtBot, kiosk: TestKiosk, language: str
) -> None:
    ctl, panel = kiosk.ctl, kiosk.panel
    kiosk.shell.languages.set_language(language)
    _to_test_step(ctl)
    QApplication.processEvents()
    # Intro: "Mulai Tes" is on screen; the wizard's "Lanjut" is not offered before the test.
    assert panel.intro.start_button.isVisible() and not ctl.test.next_button.isVisible()
    assert fit_problems(kiosk.shell.window, []) == []
    qtbot.mouseClick(panel.intro.start_button, LEFT)
    q = panel.question
    session = q.session
    assert session is not None
    assert not kiosk.shell.window.status_strip.isVisible()  # the test's own mode
    seen_picture = False
    for position in range(session.count):
        QApplication.processEvents()
        # The bar: "Soal N dari M · Sisa waktu mm:ss", always on screen.
        assert q.progress_label.isVisible() and q.timer_label.isVisible()
        assert q.bar.geometry().top() >= 0
        # The question and every option are visible at once; nothing scrolls, nothing is cut.
        problems = fit_problems(kiosk.shell.window, []) + _clipped_labels(q, kiosk.shell.window)
        assert problems == [], f"question {position + 1}: {problems}"
        options = session.options()
        assert all(q.option_buttons[i].isVisible() for i in range(len(options)))
        if session.current.picture is not None:
            seen_picture = True
            pixmap = q.picture_label.pixmap()
            assert pixmap is not None and not pixmap.isNull() and q.picture_label.isVisible()
        # One navigation row: the wizard's own is hidden while the test runs.
        assert not any(
            b.isVisible() for b in (ctl.test.next_button, ctl.test.back_button, ctl.test.cancel_button)
        )
        qtbot.mouseClick(q.option_buttons[0], LEFT)
        if not session.is_last:
            qtbot.mouseClick(q.next_button, LEFT)
    assert seen_picture, "the demo bank has picture questions: they must have been shown"
    qtbot.mouseClick(q.finish_button, LEFT)
    QApplication.processEvents()
    assert q.confirm_row.isVisible() and fit_problems(kiosk.shell.window, []) == []
    with qtbot.waitSignal(panel.finished, timeout=2000):
        qtbot.mouseClick(q.end_button, LEFT)
    assert ctl.test.stage == "done" and ctl.test.next_button.isVisible()
    assert kiosk.shell.window.status_strip.isVisible()
    qtbot.mouseClick(ctl.test.next_button, LEFT)
    assert ctl.flow.step == Step.REVIEW and ctl.flow.applicant.test is not None


def test_120_s_idle_during_the_test_wipes_nothing(qtbot: QtBot, kiosk: TestKiosk) -> None:
    ctl, panel = kiosk.ctl, kiosk.panel
    _to_test_step(ctl)
    ctl.idle.set_ms_per_second(MS_PER_S)
    qtbot.mouseClick(panel.intro.start_button, LEFT)
    assert ctl.idle_stage() == "test" and ctl.idle.timeout_s() == ctl.config.kiosk.idle_timeout_test_s
    q = panel.question
    qtbot.mouseClick(q.option_buttons[1], LEFT)
    wiped: list[bool] = []
    ctl.session_wiped.connect(lambda: wiped.append(True))
    qtbot.wait(120 * MS_PER_S + 300)  # 120 policy seconds without a touch
    assert not wiped and not ctl.idle.warning_visible()
    assert ctl.flow.step == Step.TEST and ctl.flow.applicant.nik is not None
    assert q.session is not None and q.session.answered_count == 1


def test_idle_expiring_in_the_test_ends_it_with_the_answers_kept(qtbot: QtBot, kiosk: TestKiosk) -> None:
    ctl, panel = kiosk.ctl, kiosk.panel
    _to_test_step(ctl)
    ctl.idle.set_ms_per_second(MS_PER_S)
    qtbot.mouseClick(panel.intro.start_button, LEFT)
    qtbot.mouseClick(panel.question.option_buttons[2], LEFT)
    with qtbot.waitSignal(ctl.idle.warning_shown, timeout=20000):
        pass
    assert "Tes akan diakhiri" in ctl.idle.dialog.countdown_label.text()
    with qtbot.waitSignal(panel.finished, timeout=5000) as ended:
        pass
    assert len(ended.args[0].answers) == 1  # the answer given is kept
    assert ctl.flow.step == Step.TEST and ctl.test.stage == "done"
    assert ctl.idle.armed() and ctl.idle_stage() == "identity"
    assert ctl.flow.applicant.nik is not None  # nothing wiped


def test_idle_at_the_contact_step_still_wipes(qtbot: QtBot, kiosk: TestKiosk) -> None:
    ctl = kiosk.ctl
    ctl.start()
    ctl.contact.phone.line_edit.setText("081234567890")
    ctl.idle.set_ms_per_second(MS_PER_S)
    assert ctl.idle_stage() == "start" and ctl.idle.timeout_s() == 90
    with qtbot.waitSignal(ctl.session_wiped, timeout=5000):
        pass  # 90 policy seconds: 0.9 s
    assert ctl.flow.step == Step.WELCOME and ctl.contact.phone.line_edit.text() == ""


def test_identity_data_gets_the_longer_configured_time(qtbot: QtBot, kiosk: TestKiosk) -> None:
    ctl = kiosk.ctl
    ctl.start()
    values = applicant_values(4)
    ctl.flow.submit(Step.CONTACT, values[Step.CONTACT])
    ctl.flow.next()
    assert ctl.idle.timeout_s() == 90
    ctl.flow.submit(Step.IDENTITY, values[Step.IDENTITY])
    ctl.flow.next()
    assert ctl.idle_stage() == "identity"
    assert ctl.idle.timeout_s() == ctl.config.kiosk.idle_timeout_identity_s == 180


def test_sealing_starts_from_kirim_not_from_showing_the_sealing_screen(kiosk: TestKiosk) -> None:
    """(Issue 16) Showing the sealing screen has no side effect; "Kirim" on the review's last page seals."""
    ctl = kiosk.ctl
    started: list[bool] = []
    ctl._seal = lambda: started.append(True)  # type: ignore[method-assign]
    _to_test_step(ctl)
    ctl.flow.submit(Step.TEST, applicant_values(3)[Step.TEST])
    assert ctl.flow.next() == [] and ctl.flow.step == Step.REVIEW
    ctl.window.show_screen("sealing")  # a redraw or a test showing the screen: nothing is sealed
    assert started == []
    ctl.window.show_screen("review")
    while not ctl.review.on_last_page():
        ctl.on_next(ctl.review)
        assert started == []  # "Lanjut" only turns the review's pages
    ctl.on_next(ctl.review)  # "Kirim"
    assert started == [True] and ctl.flow.step == Step.SEALING
