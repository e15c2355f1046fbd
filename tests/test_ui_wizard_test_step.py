"""Issue 8's end-to-end proof: the wizard WITH the test panel, answered by touch, scored by the API.

Why this exists: the unit tests of the test screens and of the server's scoring each prove one half.
Only a complete run shows that what the applicant taps on the question screens (shipped demo bank,
trusted via its demo key) is sealed into the registration, delivered by the real sync, stored by the
real reference API with the bank id, version, seed and presentation order, and scored against the
server-side key so that ``GET /v1/submissions/{id}`` reports ``passed``/``failed``.

The answers are chosen from ``central_api/data/demo-key.json`` (a test may read the server's key; the
kiosk never does) so the outcome is known; it is also recomputed with ``central_api.testbank.score`` on
the answers the server stored, so the test fails if either side drifts.
"""

from __future__ import annotations

import json
from pathlib import Path

from pytestqt.qtbot import QtBot

from central_api.testbank import DEMO_KEY_FILE, load_key, score
from kiosk.test_session import ManualClock
from kiosk.testbank import BankStore
from offline_queue.outbox import DELIVERED
from tests.support.live_api import LiveApi
from tests.support.wizard_driver import (
    LEFT,
    config,
    current,
    enrolled_runtime,
    press_next,
    send_review,
    walk_to_test,
)
from ui.app import GuiOptions, KioskShell, create_application
from ui.controller import WizardController, make_test_panel
from ui.screens.test_panel import TestPanel
from ui.worker import wait_for_background_work

#: Choice questions deliberately answered wrong (any other option): 10 of 14 stay right (rule: >= 8).
WRONG = {"l1", "l2", "l3", "l4"}
#: Likert answer for ordinary / reversed statements: 4 points each -> 75 % motivation (rule: >= 50 %).
LIKERT_PLAIN, LIKERT_REVERSED = "4", "2"


def _intended(question_id: str, option_ids: list[str]) -> str:
    """The option this run picks for ``question_id`` (from the server's demo key)."""
    key = load_key(DEMO_KEY_FILE)
    if key.likert is not None and question_id not in key.correct:
        return LIKERT_REVERSED if question_id in key.likert.reversed else LIKERT_PLAIN
    right = key.correct[question_id]
    if question_id in WRONG:
        return next(o for o in option_ids if o != right)
    return right


def _last_code(api: LiveApi) -> str:
    messages = api.otp_outbox()
    assert messages, "the API sent no code"
    return str(messages[-1]["code"])


def _take_test(qtbot: QtBot, ctl: WizardController, panel: TestPanel) -> dict[str, str]:
    """Tap "Mulai Tes", answer every question by its option button, tap "Selesai"; the picks."""
    # Without answers there is no "Lanjut": the intro offers "Mulai Tes" (and Batal/Kembali) only.
    assert current_name(ctl) == "test"
    assert not ctl.test.next_button.isVisible() and panel.intro.start_button.isVisible()
    qtbot.mouseClick(panel.intro.start_button, LEFT)
    q = panel.question
    # The test's own mode: the wizard's title and navigation are gone until the test ends.
    assert ctl.test.stage == "question"
    assert not any(
        b.isVisible() for b in (ctl.test.next_button, ctl.test.back_button, ctl.test.cancel_button)
    )
    assert panel.stack.currentWidget() is q and q.session is not None
    session = q.session
    picked: dict[str, str] = {}
    for position in range(session.count):
        assert session.position == position
        assert q.progress_label.text() == f"Soal {position + 1} dari {session.count}"
        question = session.current
        ids = [o.id for o in session.options()]
        want = _intended(question.id, ids)
        if position == 0:  # change an answer before finishing: tap another option first
            other = next(i for i, o in enumerate(ids) if o != want)
            qtbot.mouseClick(q.option_buttons[other], LEFT)
            assert session.answer_at() == ids[other]
        button = q.option_buttons[ids.index(want)]
        assert button.isVisible() and button.text()
        qtbot.mouseClick(button, LEFT)
        assert button.isChecked() and session.answer_at() == want
        picked[question.id] = want
        if not session.is_last:
            qtbot.mouseClick(q.next_button, LEFT)
    qtbot.mouseClick(q.finish_button, LEFT)  # "Akhiri Tes" asks first
    with qtbot.waitSignal(panel.finished, timeout=5000):
        qtbot.mouseClick(q.end_button, LEFT)
    assert ctl.test.answers is not None and ctl.test.stage == "done" and ctl.test.next_button.isVisible()
    press_next(qtbot, ctl.test)
    assert current_name(ctl) == "review"
    return picked


def current_name(ctl: WizardController) -> str:
    screen = ctl.window.current_screen()
    return screen.screen_name if screen is not None else ""


def test_wizard_with_the_test_delivers_answers_that_the_api_scores(
    qtbot: QtBot, live_api: LiveApi, tmp_path: Path
) -> None:
    runtime = enrolled_runtime(live_api)
    shell = KioskShell(create_application(), GuiOptions(windowed=True), speech_engines=[])
    qtbot.addWidget(shell.window)
    ctl = WizardController(
        shell.window,
        shell.welcome,
        shell.languages,
        runtime,
        config=config(),
        test_widget_factory=lambda: make_test_panel(runtime),
    )
    shell.window.resize(1024, 600)
    shell.window.show()
    panel = ctl.test.embedded
    assert isinstance(panel, TestPanel)
    try:
        walk_to_test(qtbot, shell, ctl, 0, tmp_path, otp_code=lambda: _last_code(live_api))
        picked = _take_test(qtbot, ctl, panel)
        assert ctl.flow.missing() == []
        with qtbot.waitSignal(ctl.submission_sealed, timeout=10000) as sealed:
            send_review(qtbot, ctl)
        reference = str(sealed.args[0])
        assert current(shell) == "receipt"

        def delivered_id() -> str | None:
            items = [i for i in runtime.outbox.items() if i.meta.get("reference") == reference]
            return items[0].id if items and items[0].state == DELIVERED else None

        qtbot.waitUntil(lambda: delivered_id() is not None, timeout=15000)
        submission_id = delivered_id()
        assert submission_id is not None

        rows = live_api.sql("SELECT payload_json FROM submissions WHERE id = :id", id=submission_id)
        assert len(rows) == 1
        stored = json.loads(rows[0][0])["test"]
        bank = panel._choice.bank.bank if panel._choice is not None else None
        assert bank is not None
        assert stored["bank_id"] == bank.bank_id == "demo-tmkd"
        assert stored["bank_version"] == bank.version
        assert isinstance(stored["seed"], int) and stored["seed"] >= 0
        assert stored["order"] == list(picked)  # the order the screens showed
        assert sorted(stored["order"]) == sorted(q.id for q in bank.questions)
        assert stored["answers"] == picked and stored["timed_out"] is False

        expected = score(stored, live_api.data_dir)
        assert expected.outcome == "passed"  # by construction: 10/14 right, 75 % motivation
        assert expected.details["correct"] == 14 - len(WRONG)
        status = runtime.api.submission_status(submission_id) if runtime.api is not None else None
        assert status is not None and status.status == expected.outcome
    finally:
        ctl.shutdown()
        wait_for_background_work(3000)
        runtime.close()


def test_time_warnings_are_spoken_where_an_engine_exists(qtbot: QtBot) -> None:
    """The 5-minute warning raised by the real countdown reaches the window's speech engine.

    Qt's ``mock`` engine (English voices only, makes no sound) stands in for a machine with speech;
    a :class:`ManualClock` moves the countdown instead of waiting 15 minutes.
    """
    clock = ManualClock()
    shell = KioskShell(create_application(), GuiOptions(windowed=True), speech_engines=["mock"])
    qtbot.addWidget(shell.window)

    def panel_factory() -> TestPanel:
        made = TestPanel(clock=clock)
        made.load(BankStore().current(None))  # the shipped demo bank
        return made

    ctl = WizardController(
        shell.window, shell.welcome, shell.languages, None, config=config(), test_widget_factory=panel_factory
    )
    try:
        shell.languages.set_language("en")
        reader = shell.window.read_aloud_button
        assert reader.available()
        speaker = reader._speaker
        assert speaker is not None
        words: list[str] = []
        speaker.sayingWord.connect(lambda word, *_: words.append(word))
        panel = ctl.test.embedded
        assert isinstance(panel, TestPanel)
        panel.start()
        question = panel.question
        assert question.session is not None
        limit = question.session.remaining_s()
        with qtbot.waitSignal(question.time_warning, timeout=2000) as warned:
            clock.advance(limit - 299)
            question.tick()
        assert warned.args == [300]
        assert question.warning_label.isVisibleTo(question)
        qtbot.waitUntil(lambda: "5" in words, timeout=5000)
        said = " ".join(words)
        assert "5" in question.warning_label.text() and said.split()[0] in question.warning_label.text()
    finally:
        ctl.shutdown()
        wait_for_background_work(3000)
