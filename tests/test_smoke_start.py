"""The readiness watcher behind ``bench.startup`` and CI's bundled start-up check fails fast and says why."""

from __future__ import annotations

import os
import sys
import time

import pytest

from bench.startup import READY, SERVICES_FAILED, SERVICES_READY, time_to_ready


def _child(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def test_both_lines_are_timed() -> None:
    code = (
        f"import time; print({READY!r}, flush=True); time.sleep(0.2); print({SERVICES_READY!r}, flush=True)"
    )
    ready, _rss, bound = time_to_ready(_child(code), dict(os.environ), then=SERVICES_READY, timeout=30)
    assert bound is not None and bound >= ready + 0.15


def test_a_silent_process_is_given_up_on_at_the_deadline() -> None:
    code = f"import time; print({READY!r}, flush=True); time.sleep(30)"
    t0 = time.monotonic()
    with pytest.raises(RuntimeError, match=SERVICES_READY):
        time_to_ready(_child(code), dict(os.environ), then=SERVICES_READY, timeout=2)
    assert time.monotonic() - t0 < 10


def test_the_failure_line_and_an_early_exit_fail() -> None:
    failed = f"print({READY!r}, flush=True); print({SERVICES_FAILED!r}, flush=True)"
    with pytest.raises(RuntimeError, match=SERVICES_FAILED):
        time_to_ready(_child(failed), dict(os.environ), then=SERVICES_READY, fail=SERVICES_FAILED, timeout=30)
    with pytest.raises(RuntimeError, match="exited"):
        time_to_ready(_child("raise SystemExit(3)"), dict(os.environ), timeout=30)
