"""The timed test session, driven by a controllable clock (no Qt, no waiting)."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk import payload as payload_mod
from kiosk import testbank as tb
from kiosk.test_session import ManualClock, SessionFinished, TestSession, TimeUp, TimeWarning

BANK = tb.BankStore(shipped_dir=tb.RESOURCES_DIR).shipped().bank


def _session(seed: int = 7) -> tuple[TestSession, ManualClock]:
    clock = ManualClock()
    return TestSession(BANK, seed=seed, clock=clock), clock


def test_order_is_reproducible_from_the_seed_and_keeps_sections_together() -> None:
    a, _ = _session(seed=123)
    b, _ = _session(seed=123)
    assert a.order == b.order
    assert sorted(a.order) == sorted(q.id for q in BANK.questions)
    sections = [BANK.section_of(q).id for q in a.order]
    assert sections == sorted(sections, key=[s.id for s in BANK.sections].index)
    others = {TestSession(BANK, seed=s, clock=ManualClock()).order for s in range(20)}
    assert len(others) > 1


def test_random_seed_is_recorded_in_the_payload() -> None:
    session = TestSession(BANK, clock=ManualClock())
    result = session.finish()
    assert result.seed == session.seed and result.order == list(session.order)
    assert result.bank_id == BANK.bank_id and result.bank_version == BANK.version


def test_warnings_at_five_and_one_minute_each_once() -> None:
    session, clock = _session()
    session.start()
    clock.advance(BANK.time_limit_s - 301)
    assert session.poll() == []
    clock.advance(1)
    assert session.poll() == [TimeWarning(300)]
    assert session.poll() == []
    clock.advance(240)
    assert session.poll() == [TimeWarning(60)]
    clock.advance(59)
    assert session.poll() == [] and not session.finished
    assert session.remaining_s() == pytest.approx(1.0)


def test_time_out_keeps_what_was_answered() -> None:
    session, clock = _session()
    session.start()
    session.answer(session.options()[0].id)
    session.next()
    session.answer(session.options()[-1].id)
    clock.advance(BANK.time_limit_s + 5)
    events = session.poll()
    assert isinstance(events[-1], TimeUp)
    result = events[-1].answers
    assert result.timed_out and len(result.answers) == 2
    assert result.finished_at - result.started_at == dt.timedelta(seconds=BANK.time_limit_s)
    with pytest.raises(SessionFinished):
        session.answer(session.options()[0].id)
    assert session.result is result and session.finish() is result


def test_clock_jump_past_both_warnings_reports_both_then_time_up() -> None:
    session, clock = _session()
    session.start()
    clock.advance(BANK.time_limit_s * 2)
    events = session.poll()
    assert events[:2] == [TimeWarning(300), TimeWarning(60)] and isinstance(events[2], TimeUp)


def test_late_touch_after_the_limit_is_not_recorded() -> None:
    session, clock = _session()
    session.start()
    clock.advance(BANK.time_limit_s)
    with pytest.raises(SessionFinished):
        session.answer(session.options()[0].id)
    assert session.result is not None and session.result.answers == {} and session.result.timed_out


def test_going_back_resumes_with_answers_and_allows_a_change() -> None:
    session, clock = _session()
    session.start()
    first = session.options()[0].id
    session.answer(first)
    session.next()
    session.next()
    session.answer(session.options()[1].id)
    clock.advance(120)
    assert session.back() and session.back() and not session.back()
    assert session.position == 0 and session.answer_at() == first
    session.answer(session.options()[2].id)  # changed before finishing
    session.go_to(2)
    assert session.answer_at() == session.options()[1].id
    assert session.remaining_s() == BANK.time_limit_s - 120  # going back does not reset the timer
    result = session.finish()
    assert result.answers[session.order[0]] == session.options(0)[2].id
    assert not result.timed_out and session.unanswered() == [
        i for i in range(session.count) if i not in (0, 2)
    ]


def test_likert_questions_use_the_section_scale_and_unknown_options_are_refused() -> None:
    session, _ = _session()
    section, _question = session.question_at(0)
    assert section.kind == "likert" and [o.id for o in session.options(0)] == [o.id for o in section.scale]
    with pytest.raises(ValueError):
        session.answer("zz")
    assert session.answer_at() is None


def test_result_is_a_valid_payload_part() -> None:
    session, clock = _session()
    session.start()
    for i in range(session.count):
        session.go_to(i)
        session.answer(session.options()[0].id)
        clock.advance(10)
    result = session.finish()
    again = payload_mod.TestAnswers.model_validate_json(result.model_dump_json())
    assert again == result and len(again.answers) == session.count
    assert again.finished_at - again.started_at == dt.timedelta(seconds=10 * session.count)


def test_clear_and_navigation_bounds() -> None:
    session, _ = _session()
    session.answer(session.options()[0].id)  # answering starts the clock if the screen did not
    assert session.started
    session.clear()
    assert session.answer_at() is None and session.answered_count == 0
    session.go_to(999)
    assert session.is_last and not session.next()
    session.go_to(-5)
    assert session.position == 0
