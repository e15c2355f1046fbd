"""Decide when to take the photo by itself: after N consecutive good frames, held for a moment.

Why a state machine with an injectable clock: "good for 5 frames in a row" alone would fire in 170 ms
on a fast camera and never on a slow one; requiring also a minimum steady time, and forgetting a streak
when frames stop coming (analysis stalled, camera hiccup), makes the behaviour the same on every
machine. The clock is a parameter so tests drive it without sleeping.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable
from dataclasses import dataclass, field


class CaptureState(enum.Enum):
    """Where the auto-capture is."""

    SEARCHING = "searching"
    STEADYING = "steadying"
    CAPTURE = "capture"
    DONE = "done"


@dataclass
class AutoCapture:
    """Feed it one verdict per analysed frame; it answers CAPTURE exactly once, then DONE until reset.

    ``required_frames``: consecutive good frames needed. ``min_steady_seconds``: the streak must also
    last this long. ``max_gap_seconds``: a longer pause between frames breaks the streak.
    """

    required_frames: int = 5
    min_steady_seconds: float = 0.4
    max_gap_seconds: float = 0.75
    clock: Callable[[], float] = time.monotonic
    _streak: int = field(default=0, init=False)
    _streak_start: float = field(default=0.0, init=False)
    _last: float | None = field(default=None, init=False)
    _state: CaptureState = field(default=CaptureState.SEARCHING, init=False)

    def __post_init__(self) -> None:
        if self.required_frames < 1:
            raise ValueError("required_frames must be at least 1")

    @property
    def state(self) -> CaptureState:
        return self._state

    @property
    def progress(self) -> float:
        """0..1, how far the current streak is towards a capture (for a progress ring)."""
        if self._state in (CaptureState.CAPTURE, CaptureState.DONE):
            return 1.0
        return min(1.0, self._streak / self.required_frames)

    def feed(self, good: bool) -> CaptureState:
        """Register one analysed frame and return the new state."""
        now = self.clock()
        if self._state in (CaptureState.CAPTURE, CaptureState.DONE):
            self._state = CaptureState.DONE
            return self._state
        if self._last is not None and now - self._last > self.max_gap_seconds:
            self._streak = 0
        self._last = now
        if not good:
            self._streak = 0
            self._state = CaptureState.SEARCHING
            return self._state
        if self._streak == 0:
            self._streak_start = now
        self._streak += 1
        steady = now - self._streak_start >= self.min_steady_seconds
        if self._streak >= self.required_frames and steady:
            self._state = CaptureState.CAPTURE
        else:
            self._state = CaptureState.STEADYING
        return self._state

    def reset(self) -> None:
        """Start over (retake)."""
        self._streak = 0
        self._last = None
        self._state = CaptureState.SEARCHING
