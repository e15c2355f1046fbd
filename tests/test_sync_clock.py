"""Clock steps do not stall sync (issue 22, finding 3).

The kiosk's wall clock runs 7 h ahead until NTP steps it back. Before: backoff, the Retry-After hold and
the next probe were wall-clock times, so 10 items waited 6.99 h after one 5xx (restart or not), one 503
with ``Retry-After: 30`` stopped everything, new registrations included, for 7 h, and an offline item
stayed held 6.99 h. Now in-process waits run on the monotonic clock, stored times more than the backoff
cap ahead are clamped (at start-up and when a step is seen), and offline items are due at start-up.

Two fake clocks: ``wall`` (steppable) and ``mono`` (only moves forward, with the fake sleep).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from offline_queue.outbox import DELIVERED, Outbox
from offline_queue.policy import RetryPolicy
from offline_queue.sync import SyncEngine
from offline_queue.transport import Delivery, Outcome
from tests.support.scripted_transport import ScriptedTransport

JSON = {"content-type": "application/json"}
AHEAD = 7 * 3600.0
CAP = 60.0


class Clocks:
    def __init__(self) -> None:
        self.real = 1_700_000_000.0
        self.wall_offset = AHEAD  # the kiosk's clock is 7 h ahead
        self.mono_now = 5_000.0

    def wall(self) -> float:
        return self.real + self.wall_offset

    def mono(self) -> float:
        return self.mono_now

    def sleep(self, seconds: float) -> None:
        self.real += seconds
        self.mono_now += seconds

    def ntp_step_back(self) -> None:
        self.wall_offset = 0.0


@pytest.fixture
def clocks() -> Clocks:
    return Clocks()


def engine_for(outbox: Outbox, transport: ScriptedTransport, clocks: Clocks) -> SyncEngine:
    return SyncEngine(
        outbox,
        transport,
        policy=RetryPolicy(base_s=5.0, cap_s=CAP, probe_base_s=5.0, probe_cap_s=CAP),
        clock=clocks.wall,
        monotonic=clocks.mono,
        sleep=clocks.sleep,
        rng=random.Random(5),
    )


def fill(outbox: Outbox, n: int) -> list[str]:
    ids = [f"id-{i:03d}" for i in range(n)]
    for i, item_id in enumerate(ids):
        outbox.enqueue(item_id, f"sealed-{i}".encode() * 40)
    return ids


def test_items_backed_off_under_a_fast_clock_are_sent_within_the_cap_after_a_restart(
    tmp_path: Path, clocks: Clocks
) -> None:
    path = tmp_path / "o.sqlite3"
    outbox = Outbox(path, clock=clocks.wall)
    ids = fill(outbox, 10)
    failing = ScriptedTransport(clock=clocks.wall, script=[(500, JSON, b"{}")] * 10)
    assert engine_for(outbox, failing, clocks).drain().failed == 10
    outbox.close()
    clocks.ntp_step_back()
    outbox = Outbox(path, clock=clocks.wall)  # restart after the step
    started = clocks.real
    transport = ScriptedTransport(clock=clocks.wall)
    report = engine_for(outbox, transport, clocks).drain(wait=True, timeout=10)
    assert report.delivered == 10
    assert clocks.real - started <= CAP + 1  # before: 6.99 h
    assert all(outbox.get(i).state == DELIVERED for i in ids)  # type: ignore[union-attr]
    outbox.close()


def test_a_step_while_running_is_noticed_and_stored_times_are_clamped(tmp_path: Path, clocks: Clocks) -> None:
    outbox = Outbox(tmp_path / "o.sqlite3", clock=clocks.wall)
    fill(outbox, 3)
    transport = ScriptedTransport(clock=clocks.wall, script=[(500, JSON, b"{}")] * 3)
    engine = engine_for(outbox, transport, clocks)
    assert engine.drain().failed == 3
    clocks.ntp_step_back()  # same process, no restart
    started = clocks.real
    assert engine.drain(wait=True, timeout=10).delivered == 3
    assert clocks.real - started <= CAP + 1
    outbox.close()


def test_a_retry_after_hold_runs_on_the_monotonic_clock(tmp_path: Path, clocks: Clocks) -> None:
    outbox = Outbox(tmp_path / "o.sqlite3", clock=clocks.wall)
    fill(outbox, 2)
    transport = ScriptedTransport(clock=clocks.wall, script=[(503, {**JSON, "Retry-After": "30"}, b"{}")])
    engine = engine_for(outbox, transport, clocks)
    engine.drain()
    clocks.ntp_step_back()
    outbox.enqueue("new-registration", b"sealed-new" * 40)
    started = clocks.mono_now
    report = engine.drain(wait=True, timeout=10)
    assert report.delivered == 3 and report.waiting == 0
    assert 30 <= clocks.mono_now - started <= CAP + 1  # the hold was honoured, then not 7 h more
    assert "new-registration" in [c.item_id for c in transport.calls]
    outbox.close()


def test_offline_items_are_due_at_start(tmp_path: Path, clocks: Clocks) -> None:
    path = tmp_path / "o.sqlite3"
    outbox = Outbox(path, clock=clocks.wall)
    fill(outbox, 1)
    offline = ScriptedTransport(clock=clocks.wall, script=[Delivery(Outcome.OFFLINE, reason="unreachable")])
    assert engine_for(outbox, offline, clocks).drain().offline
    item = outbox.get("id-000")
    assert item is not None and item.next_attempt_at > clocks.wall()
    outbox.close()
    clocks.ntp_step_back()
    outbox = Outbox(path, clock=clocks.wall)
    transport = ScriptedTransport(clock=clocks.wall)
    report = engine_for(outbox, transport, clocks).drain()  # no waiting at all: due at start
    assert report.delivered == 1 and len(transport.calls) == 1
    outbox.close()


def test_an_offline_probe_is_timed_on_the_monotonic_clock(tmp_path: Path, clocks: Clocks) -> None:
    outbox = Outbox(tmp_path / "o.sqlite3", clock=clocks.wall)
    fill(outbox, 2)
    transport = ScriptedTransport(clock=clocks.wall, script=[Delivery(Outcome.OFFLINE, reason="unreachable")])
    engine = engine_for(outbox, transport, clocks)
    assert engine.drain().offline
    clocks.ntp_step_back()
    started = clocks.mono_now
    assert engine.drain(wait=True, timeout=10).delivered == 2
    assert clocks.mono_now - started <= CAP + 1
    outbox.close()
