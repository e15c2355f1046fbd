"""The test screens with real widgets (pytest-qt, offscreen) and a controllable clock."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from kiosk import testbank as tb
from kiosk.i18n import Message
from kiosk.test_session import ManualClock
from ui.screens.test_panel import TestPanel
from ui.screens.test_question import TestQuestionScreen

CHOICE = tb.BankStore(shipped_dir=tb.RESOURCES_DIR).current(None)
BANK = CHOICE.bank.bank


@pytest.fixture
def panel(qtbot: Any) -> tuple[TestPanel, ManualClock]:
    clock = ManualClock()
    widget = TestPanel(clock=clock)
    qtbot.addWidget(widget)
    widget.load(CHOICE)
    widget.resize(1024, 768)
    widget.show()
    return widget, clock


def _start(qtbot: Any, panel: TestPanel) -> TestQuestionScreen:
    assert panel.intro.start_button.isEnabled()
    qtbot.mouseClick(panel.intro.start_button, Qt.MouseButton.LeftButton)
    assert panel.stack.currentWidget() is panel.question
    return panel.question


def test_explanation_screen_shows_the_bank_in_the_chosen_language(
    panel: tuple[TestPanel, ManualClock],
) -> None:
    widget, _ = panel
    assert widget.intro.title_label.text() == BANK.title.id
    assert str(len(BANK.questions)) in widget.intro.facts_label.text()
    widget.set_language("en")
    assert widget.intro.title_label.text() == BANK.title.en
    assert not widget.intro.operator_note.isVisible()


def test_refused_bank_message_is_shown_to_the_operator(qtbot: Any) -> None:
    widget = TestPanel(clock=ManualClock())
    qtbot.addWidget(widget)
    problem = Message("Tanda tangan bank soal tidak sah.", "The bank's signature is not valid.")
    widget.load(tb.BankChoice(CHOICE.bank, problem))
    widget.show()
    assert widget.intro.operator_note.isVisible() and problem.id in widget.intro.operator_note.text()
    widget.show_unavailable(tb.BankUnavailable(problem))
    assert not widget.intro.start_button.isEnabled()


def test_one_question_per_screen_with_progress_and_change_before_finishing(
    qtbot: Any, panel: tuple[TestPanel, ManualClock]
) -> None:
    widget, clock = panel
    screen = _start(qtbot, widget)
    session = screen.session
    assert session is not None
    assert screen.progress_label.text() == f"Soal 1 dari {len(BANK.questions)}"
    first_prompt = screen.prompt_label.text()
    assert first_prompt == session.current.prompt.id
    visible = [b for b in screen.option_buttons if b.isVisible()]
    assert len(visible) == len(session.options()) and all(b.height() >= 64 for b in visible)
    qtbot.mouseClick(visible[0], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.next_button, Qt.MouseButton.LeftButton)
    assert screen.progress_label.text().startswith("Soal 2 dari")
    assert not any(b.isChecked() for b in screen.option_buttons)  # a fresh question shows no answer
    clock.advance(30)
    screen.tick()
    qtbot.mouseClick(screen.back_button, Qt.MouseButton.LeftButton)
    assert screen.prompt_label.text() == first_prompt and screen.option_buttons[0].isChecked()
    qtbot.mouseClick(screen.option_buttons[2], Qt.MouseButton.LeftButton)  # change the answer
    assert screen.option_buttons[2].isChecked() and not screen.option_buttons[0].isChecked()
    assert session.answer_at(0) == session.options(0)[2].id
    widget.set_language("en")
    assert screen.prompt_label.text() == session.current.prompt.en


def test_timer_warnings_at_five_and_one_minute(qtbot: Any, panel: tuple[TestPanel, ManualClock]) -> None:
    widget, clock = panel
    screen = _start(qtbot, widget)
    warnings: list[int] = []
    screen.time_warning.connect(warnings.append)
    screen.tick()
    assert "20:00" in screen.timer_label.text() and not screen.warning_label.isVisible()
    clock.advance(BANK.time_limit_s - 300)
    screen.tick()
    assert warnings == [300] and screen.warning_label.isVisible() and "5 menit" in screen.warning_label.text()
    assert "05:00" in screen.timer_label.text()
    clock.advance(240)
    screen.tick()
    assert warnings == [300, 60] and "1 menit" in screen.warning_label.text()


def test_time_out_keeps_answers_and_emits_finished(qtbot: Any, panel: tuple[TestPanel, ManualClock]) -> None:
    widget, clock = panel
    screen = _start(qtbot, widget)
    qtbot.mouseClick(screen.option_buttons[1], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.option_buttons[0], Qt.MouseButton.LeftButton)
    clock.advance(BANK.time_limit_s + 1)
    with qtbot.waitSignal(widget.finished, timeout=1000) as blocker:
        screen.tick()
    answers = blocker.args[0]
    assert answers.timed_out and len(answers.answers) == 2
    assert answers.bank_id == BANK.bank_id and answers.order and answers.seed >= 0
    assert widget.stack.currentWidget() is widget.done_label and "Waktu habis" in widget.done_label.text()


def test_finish_asks_once_when_questions_are_unanswered(
    qtbot: Any, panel: tuple[TestPanel, ManualClock]
) -> None:
    widget, _ = panel
    screen = _start(qtbot, widget)
    screen.session.go_to(screen.session.count - 1)  # type: ignore[union-attr]
    screen.retranslate()
    assert screen.finish_button.isVisible() and not screen.next_button.isVisible()
    qtbot.mouseClick(screen.finish_button, Qt.MouseButton.LeftButton)
    assert screen.confirm_label.isVisible() and str(len(BANK.questions)) in screen.confirm_label.text()
    assert screen.keep_button.hasFocus() or screen.focusWidget() is screen.keep_button  # the safe choice
    qtbot.mouseClick(screen.keep_button, Qt.MouseButton.LeftButton)  # "no": back to the question
    assert screen.nav_row.isVisible() and not screen.confirm_row.isVisible() and screen.session is not None
    qtbot.mouseClick(screen.finish_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(widget.finished, timeout=1000) as blocker:
        qtbot.mouseClick(screen.end_button, Qt.MouseButton.LeftButton)
    assert not blocker.args[0].timed_out and blocker.args[0].answers == {}


def test_complete_run_answers_every_question_and_clear_wipes_it(
    qtbot: Any, panel: tuple[TestPanel, ManualClock]
) -> None:
    widget, clock = panel
    screen = _start(qtbot, widget)
    for _ in range(len(BANK.questions)):
        qtbot.mouseClick(screen.option_buttons[0], Qt.MouseButton.LeftButton)
        clock.advance(20)
        screen.tick()
        if screen.next_button.isVisible():
            qtbot.mouseClick(screen.next_button, Qt.MouseButton.LeftButton)
    assert "Soal" in screen.spoken_text()
    qtbot.mouseClick(screen.finish_button, Qt.MouseButton.LeftButton)  # ending always asks first
    assert screen.confirm_row.isVisible() and not screen.nav_row.isVisible()
    assert "Semua soal sudah dijawab" in screen.confirm_label.text()
    with qtbot.waitSignal(widget.finished, timeout=1000) as blocker:
        qtbot.mouseClick(screen.end_button, Qt.MouseButton.LeftButton)
    assert len(blocker.args[0].answers) == len(BANK.questions)
    widget.clear()
    assert widget.answers is None and widget.stack.currentWidget() is widget.intro and screen.session is None


def test_picture_question_shows_the_chart(qtbot: Any, panel: tuple[TestPanel, ManualClock]) -> None:
    widget, _ = panel
    screen = _start(qtbot, widget)
    session = screen.session
    assert session is not None
    index = next(i for i in range(session.count) if session.question_at(i)[1].picture is not None)
    session.go_to(index)
    screen.retranslate()
    assert screen.picture_label.isVisible() and not screen.picture_label.pixmap().isNull()
    assert "12" in screen.spoken_text()  # the picture's description is read aloud
