"""One applicant's sitting of the Tes Motivasi dan Kemampuan Dasar, without Qt.

Why Qt-free: the rules that matter — the presentation order from a recorded seed, changing an answer
before finishing, the 5- and 1-minute warnings, and keeping what was answered when time runs out — are
decided here and tested with a controllable clock (:class:`ManualClock`), so a test of a 20-minute
countdown takes milliseconds. The question screen only shows the state and forwards touches; a Qt timer
calls :meth:`TestSession.poll` about once a second.

The clock has two faces: ``monotonic()`` measures the time limit (immune to the wall clock being set
while the test runs) and ``now()`` stamps ``started_at``/``finished_at`` for the payload.

Order: questions are shuffled *within* each section with ``random.Random(seed)``; sections keep the
bank's order (each has its own instructions). Options are never shuffled — a Likert scale must read
from one end to the other. The seed and resulting order go into the payload so the central side can
reproduce exactly what this applicant saw.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
import time
from dataclasses import dataclass
from typing import Protocol

from kiosk.payload import TestAnswers
from kiosk.testbank import Bank, Option, Question, Section

MAX_SEED = 2**63 - 1


class Clock(Protocol):
    """What a session needs from a clock."""

    def monotonic(self) -> float:
        """Seconds on a clock that never jumps (measures the time limit)."""
        ...

    def now(self) -> dt.datetime:
        """The current time, timezone-aware (stamps the payload)."""
        ...


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        """``time.monotonic()``."""
        return time.monotonic()

    def now(self) -> dt.datetime:
        """The current UTC time."""
        return dt.datetime.now(dt.UTC)


class ManualClock:
    """A clock that moves only when told to: for tests, demos and screenshots of a given moment."""

    def __init__(self, start: dt.datetime | None = None) -> None:
        self._mono = 0.0
        self._start = start or dt.datetime(2026, 1, 5, 2, 0, tzinfo=dt.UTC)

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds`` (never backward)."""
        if seconds < 0:
            raise ValueError("time only moves forward")
        self._mono += seconds

    def monotonic(self) -> float:
        """Seconds advanced so far."""
        return self._mono

    def now(self) -> dt.datetime:
        """The start time plus the seconds advanced."""
        return self._start + dt.timedelta(seconds=self._mono)


@dataclass(frozen=True, slots=True)
class TimeWarning:
    """Raised once when the remaining time first falls to ``threshold_s`` (e.g. 300 and 60)."""

    threshold_s: int


@dataclass(frozen=True, slots=True)
class TimeUp:
    """The time limit was reached; the session is finished with what was answered."""

    answers: TestAnswers


TimerEvent = TimeWarning | TimeUp


class SessionFinished(RuntimeError):
    """An answer was given after the session finished (time up or finished by the applicant)."""


class TestSession:
    """State of one sitting: order, position, answers, timer. Not thread-safe (GUI thread only)."""

    __test__ = False  # not a pytest test class despite its name

    def __init__(self, bank: Bank, *, seed: int | None = None, clock: Clock | None = None) -> None:
        self.bank = bank
        self.seed = secrets.randbelow(MAX_SEED) if seed is None else seed
        if not 0 <= self.seed <= MAX_SEED:
            raise ValueError("seed out of range")
        self.clock: Clock = clock or SystemClock()
        rng = random.Random(self.seed)
        order: list[str] = []
        for section in bank.sections:
            ids = [q.id for q in section.questions]
            rng.shuffle(ids)
            order.extend(ids)
        self.order: tuple[str, ...] = tuple(order)
        self._by_id = {q.id: (s, q) for s in bank.sections for q in s.questions}
        self._answers: dict[str, str] = {}
        self._position = 0
        self._started_mono: float | None = None
        self._started_at: dt.datetime | None = None
        self._warned: set[int] = set()
        self._result: TestAnswers | None = None

    # ------------------------------------------------------------------------------- timing
    @property
    def started(self) -> bool:
        """True once :meth:`start` was called."""
        return self._started_mono is not None

    def start(self) -> None:
        """Start the countdown (the explanation screen's "Mulai"). Calling again changes nothing."""
        if self._started_mono is None:
            self._started_mono = self.clock.monotonic()
            self._started_at = self.clock.now()

    def remaining_s(self) -> float:
        """Seconds left (the full limit before start, 0 once time is up)."""
        if self._started_mono is None:
            return float(self.bank.time_limit_s)
        elapsed = self.clock.monotonic() - self._started_mono
        return max(0.0, self.bank.time_limit_s - elapsed)

    def poll(self) -> list[TimerEvent]:
        """Warnings newly due and, at the limit, :class:`TimeUp` (which finishes the session).

        Each warning is reported once; if the clock jumped past several (a suspended laptop), each is
        reported, most distant first, before :class:`TimeUp`.
        """
        if self._result is not None or self._started_mono is None:
            return []
        remaining = self.remaining_s()
        events: list[TimerEvent] = []
        for threshold in sorted(self.bank.warnings_s, reverse=True):
            if remaining <= threshold and threshold not in self._warned:
                self._warned.add(threshold)
                events.append(TimeWarning(threshold))
        if remaining <= 0:
            events.append(TimeUp(self._finish(timed_out=True)))
        return events

    # ----------------------------------------------------------------------------- position
    @property
    def count(self) -> int:
        """Number of questions."""
        return len(self.order)

    @property
    def position(self) -> int:
        """Index (0-based) of the question on screen."""
        return self._position

    def go_to(self, index: int) -> None:
        """Show question ``index`` (clamped to the range)."""
        self._position = max(0, min(self.count - 1, index))

    def next(self) -> bool:
        """Move forward; False when already on the last question."""
        if self._position >= self.count - 1:
            return False
        self._position += 1
        return True

    def back(self) -> bool:
        """Move back; False when already on the first question."""
        if self._position == 0:
            return False
        self._position -= 1
        return True

    @property
    def is_last(self) -> bool:
        """True on the last question (the screen shows "Selesai" instead of "Berikutnya")."""
        return self._position == self.count - 1

    def question_at(self, index: int) -> tuple[Section, Question]:
        """The section and question shown at ``index``."""
        return self._by_id[self.order[index]]

    @property
    def current(self) -> Question:
        """The question on screen."""
        return self.question_at(self._position)[1]

    @property
    def current_section(self) -> Section:
        """The section of the question on screen."""
        return self.question_at(self._position)[0]

    def options(self, index: int | None = None) -> list[Option]:
        """The options of the question at ``index`` (default: on screen)."""
        section, question = self.question_at(self._position if index is None else index)
        return section.options_for(question)

    # ------------------------------------------------------------------------------ answers
    def answer(self, option_id: str, index: int | None = None) -> None:
        """Choose ``option_id`` for the question at ``index`` (default: on screen); replaces a previous one.

        Raises :class:`SessionFinished` after the end (also when time ran out just now: the late touch
        is not recorded) and ``ValueError`` for an option the question does not have.
        """
        self.poll()
        if self._result is not None:
            raise SessionFinished("the test is finished")
        i = self._position if index is None else index
        if option_id not in {o.id for o in self.options(i)}:
            raise ValueError(f"unknown option {option_id!r}")
        if not self.started:
            self.start()
        self._answers[self.order[i]] = option_id

    def clear(self, index: int | None = None) -> None:
        """Remove the answer at ``index`` (default: on screen), if the session is still open."""
        if self._result is None:
            self._answers.pop(self.order[self._position if index is None else index], None)

    def answer_at(self, index: int | None = None) -> str | None:
        """The chosen option at ``index`` (default: on screen), or None."""
        return self._answers.get(self.order[self._position if index is None else index])

    @property
    def answered_count(self) -> int:
        """How many questions have an answer."""
        return len(self._answers)

    def unanswered(self) -> list[int]:
        """Indexes (presentation order) of questions without an answer."""
        return [i for i, qid in enumerate(self.order) if qid not in self._answers]

    # ------------------------------------------------------------------------------- finish
    @property
    def finished(self) -> bool:
        """True after :meth:`finish` or time-out."""
        return self._result is not None

    @property
    def result(self) -> TestAnswers | None:
        """The payload part, once finished."""
        return self._result

    def finish(self) -> TestAnswers:
        """End the test now (the applicant pressed "Selesai"); returns the payload part. Idempotent."""
        self.poll()
        if self._result is not None:
            return self._result
        return self._finish(timed_out=False)

    def _finish(self, *, timed_out: bool) -> TestAnswers:
        self.start()
        assert self._started_at is not None and self._started_mono is not None
        if timed_out:  # stamp the moment the limit was reached, not when the timer noticed it
            finished_at = self._started_at + dt.timedelta(seconds=self.bank.time_limit_s)
        else:
            finished_at = self.clock.now()
        self._result = TestAnswers(
            bank_id=self.bank.bank_id,
            bank_version=self.bank.version,
            seed=self.seed,
            order=list(self.order),
            answers=dict(self._answers),
            started_at=self._started_at,
            finished_at=max(finished_at, self._started_at),
            timed_out=timed_out,
        )
        return self._result
