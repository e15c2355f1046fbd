"""The sync engine's state machine, driven through an in-process transport and a settable clock."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from offline_queue.events import (
    AuthRequired,
    Idle,
    ItemDelivered,
    ItemFailed,
    Offline,
    Online,
    SyncEvent,
    SyncStarted,
    SyncStopped,
)
from offline_queue.outbox import ATTENTION, DELIVERED, PENDING, RETRY, Outbox
from offline_queue.policy import RetryPolicy, full_jitter
from offline_queue.sync import SyncEngine
from offline_queue.transport import Delivery, Outcome
from tests.support.scripted_transport import ScriptedTransport

JSON = {"content-type": "application/json"}


class Clock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def outbox(tmp_path: Path, clock: Clock) -> Outbox:
    ob = Outbox(tmp_path / "o.sqlite3", clock=clock)
    yield ob
    ob.close()


def engine_for(
    outbox: Outbox, transport: ScriptedTransport, clock: Clock, events: list[SyncEvent], **policy: float
) -> SyncEngine:
    return SyncEngine(
        outbox,
        transport,
        on_event=events.append,
        policy=RetryPolicy(**policy),  # type: ignore[arg-type]
        clock=clock,
        rng=random.Random(7),
        sleep=clock.sleep,
    )


def fill(outbox: Outbox, clock: Clock, n: int) -> list[str]:
    ids = []
    for i in range(n):
        outbox.enqueue(f"id-{i:03d}", f"sealed-{i}".encode() * 50)
        clock.now += 1
        ids.append(f"id-{i:03d}")
    return ids


def test_drain_delivers_oldest_first(outbox: Outbox, clock: Clock) -> None:
    ids = fill(outbox, clock, 5)
    transport = ScriptedTransport(clock=clock)
    events: list[SyncEvent] = []
    report = engine_for(outbox, transport, clock, events).drain()
    assert report.delivered == 5 and report.waiting == 0
    assert [c.item_id for c in transport.calls] == ids
    assert [e.item_id for e in events if isinstance(e, ItemDelivered)] == ids
    assert isinstance(events[0], Online) and isinstance(events[-1], Idle)
    tomb = outbox.get(ids[0])
    assert (
        tomb is not None
        and tomb.state == DELIVERED
        and tomb.receipt == {"submission_id": ids[0], "sha256": tomb.sha256}
    )


def test_conflict_and_invalid_need_attention_with_the_servers_reason(outbox: Outbox, clock: Clock) -> None:
    fill(outbox, clock, 3)
    body = b'{"error":"payload_invalid","message":{"id":"Data tidak valid.","en":"Invalid."},"problems":[]}'
    transport = ScriptedTransport(
        clock=clock, script=[(409, JSON, b'{"error":"submission_conflict"}'), (422, JSON, body)]
    )
    events: list[SyncEvent] = []
    report = engine_for(outbox, transport, clock, events).drain()
    assert (report.delivered, report.attention) == (1, 2)
    a, b = outbox.get("id-000"), outbox.get("id-001")
    assert a is not None and a.state == ATTENTION and "submission_conflict" in (a.reason or "")
    assert b is not None and b.reason == "Data tidak valid. / Invalid. [payload_invalid]"
    assert b.receipt is not None and b.receipt["error"] == "payload_invalid"
    failed = [e for e in events if isinstance(e, ItemFailed)]
    assert [f.will_retry for f in failed] == [False, False]


@pytest.mark.parametrize("status", [401, 403])
def test_auth_refusal_stops_the_batch_without_burning_attempts(
    outbox: Outbox, clock: Clock, status: int
) -> None:
    fill(outbox, clock, 3)
    transport = ScriptedTransport(clock=clock, script=[(status, JSON, b'{"error":"unauthorized"}')])
    events: list[SyncEvent] = []
    engine = engine_for(outbox, transport, clock, events)
    report = engine.drain()
    assert report.auth_required and report.delivered == 0
    assert len(transport.calls) == 1
    assert [type(e) for e in events].count(AuthRequired) == 1
    info = outbox.get("id-000")
    assert info is not None and info.state == PENDING and info.attempts == 0
    assert engine.drain().delivered == 0 and len(transport.calls) == 1  # still stopped
    engine.clear_auth()
    assert engine.drain().delivered == 3


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_holds_every_item(outbox: Outbox, clock: Clock, status: int) -> None:
    fill(outbox, clock, 4)
    transport = ScriptedTransport(clock=clock, script=[(status, {**JSON, "Retry-After": "30"}, b"{}")])
    events: list[SyncEvent] = []
    engine = engine_for(outbox, transport, clock, events)
    refused_at = clock.now
    report = engine.drain(wait=True, timeout=5)
    assert report.delivered == 4 and report.waiting == 0
    later = transport.calls[1:]
    assert later and all(c.at >= refused_at + 30 for c in later)
    assert transport.calls[1].item_id == "id-000"  # still oldest first


def test_retry_after_as_http_date_and_persisted_hold(tmp_path: Path, clock: Clock) -> None:
    from email.utils import formatdate

    path = tmp_path / "o.sqlite3"
    ob = Outbox(path, clock=clock)
    fill(ob, clock, 2)
    when = formatdate(clock.now + 120, usegmt=True)
    transport = ScriptedTransport(clock=clock, script=[(503, {"Retry-After": when}, b"busy")])
    engine_for(ob, transport, clock, []).drain()
    hold = ob.stats().hold_until
    assert hold is not None and 119 <= hold - clock.now <= 120
    ob.close()
    ob2 = Outbox(path, clock=clock)  # a restart honours the hold
    t2 = ScriptedTransport(clock=clock)
    assert engine_for(ob2, t2, clock, []).drain().delivered == 0 and t2.calls == []
    clock.now += 121
    assert engine_for(ob2, t2, clock, []).drain().delivered == 2
    ob2.close()


def test_server_errors_back_off_with_full_jitter(outbox: Outbox, clock: Clock) -> None:
    fill(outbox, clock, 1)
    transport = ScriptedTransport(clock=clock, script=[(500, JSON, b"{}")] * 6)
    events: list[SyncEvent] = []
    report = engine_for(outbox, transport, clock, events, base_s=5.0, cap_s=40.0).drain(wait=True, timeout=5)
    assert report.delivered == 1
    failed = [e for e in events if isinstance(e, ItemFailed)]
    assert len(failed) == 6 and all(f.will_retry for f in failed)
    gaps = [b.at - a.at for a, b in zip(transport.calls, transport.calls[1:], strict=False)]
    bounds = [5, 10, 20, 40, 40, 40]
    assert all(0 <= g <= bound + 1e-6 for g, bound in zip(gaps, bounds, strict=False))
    assert outbox.get("id-000").attempts == 7  # type: ignore[union-attr]


def test_full_jitter_bounds() -> None:
    rng = random.Random(1)
    values = [full_jitter(n, 5, 900, rng) for n in range(1, 30) for _ in range(20)]
    assert all(0 <= v <= 900 for v in values)
    assert max(full_jitter(1, 5, 900, rng) for _ in range(200)) <= 5
    assert max(full_jitter(20, 5, 900, rng) for _ in range(200)) > 450


def test_captive_portal_is_offline_then_probe_brings_it_back(outbox: Outbox, clock: Clock) -> None:
    fill(outbox, clock, 3)
    portal = (200, {"content-type": "text/html"}, b"<html>Wi-Fi login</html>")
    transport = ScriptedTransport(clock=clock, script=[portal, portal])
    events: list[SyncEvent] = []
    engine = engine_for(
        outbox, transport, clock, events, base_s=600.0, cap_s=900.0, probe_base_s=2.0, probe_cap_s=4.0
    )
    report = engine.drain()
    assert report.offline and report.delivered == 0 and len(transport.calls) == 1
    offline = [e for e in events if isinstance(e, Offline)]
    assert len(offline) == 1 and offline[0].next_probe_at <= clock.now + 2
    assert outbox.get("id-000").state == RETRY  # type: ignore[union-attr]
    # The probe comes long before the item's own (600 s base) backoff, and resends the oldest.
    report = engine.drain(wait=True, timeout=5)
    assert report.delivered == 3 and not report.offline
    assert [c.item_id for c in transport.calls] == ["id-000", "id-000", "id-000", "id-001", "id-002"]
    assert transport.calls[-1].at - transport.calls[0].at < 10
    assert any(isinstance(e, Online) for e in events[events.index(offline[0]) :])


def test_transport_exception_is_a_retry_not_a_crash(outbox: Outbox, clock: Clock) -> None:
    fill(outbox, clock, 1)
    transport = ScriptedTransport(clock=clock, script=[RuntimeError("boom")])
    report = engine_for(outbox, transport, clock, [], base_s=1.0).drain(wait=True, timeout=5)
    assert report.delivered == 1
    assert transport.calls[0].outcome is Outcome.DELIVERED  # the raising call left no record


def test_concurrency_is_configurable(outbox: Outbox) -> None:
    ids = fill(outbox, Clock(), 12)
    transport = ScriptedTransport(send_seconds=0.05)
    engine = SyncEngine(outbox, transport, policy=RetryPolicy(concurrency=3))
    report = engine.drain()
    assert report.delivered == 12
    assert transport.max_active == 3
    assert sorted(c.item_id for c in transport.calls) == ids


def test_one_at_a_time_by_default(outbox: Outbox) -> None:
    fill(outbox, Clock(), 4)
    transport = ScriptedTransport(send_seconds=0.02)
    assert SyncEngine(outbox, transport).drain().delivered == 4
    assert transport.max_active == 1


def _wait_for(condition: Callable[[], bool], timeout_s: float = 30.0) -> None:
    """Wait for a condition (not for a fixed time): quick when the machine is idle, patient when not."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.01)


def test_thread_wakes_on_enqueue_and_stops_fast_mid_backoff(tmp_path: Path) -> None:
    ob = Outbox(tmp_path / "o.sqlite3")
    transport = ScriptedTransport()
    events: list[SyncEvent] = []
    delivered = threading.Event()

    def on_event(e: SyncEvent) -> None:
        events.append(e)
        if isinstance(e, ItemDelivered):
            delivered.set()

    # Why no wall-clock limits: the engine polls every 60 s and the server asks for 600 s, so a wake
    # within 30 s can only be the enqueue, and a stop within 30 s can only be the stop cutting the
    # back-off short — whatever the machine's load.
    engine = SyncEngine(ob, transport, on_event=on_event, policy=RetryPolicy(poll_s=60))
    engine.start()
    _wait_for(lambda: any(isinstance(e, SyncStarted) for e in events))
    ob.enqueue("a", b"sealed")
    assert delivered.wait(30), "enqueue did not wake the engine"
    transport.script.append(Delivery(Outcome.RETRY, reason="busy", retry_after=600))
    ob.enqueue("b", b"sealed-b")
    _wait_for(lambda: any(isinstance(e, ItemFailed) for e in events))
    assert engine.hold_until > time.time() + 500
    assert engine.stop(timeout=30.0)
    assert isinstance(events[0], SyncStarted) and isinstance(events[-1], SyncStopped)
    ob.close()


def test_wake_while_offline_probes_at_once(tmp_path: Path) -> None:
    ob = Outbox(tmp_path / "o.sqlite3")
    ob.enqueue("a", b"x")
    transport = ScriptedTransport(script=[Delivery(Outcome.OFFLINE, reason="unreachable")])
    engine = SyncEngine(
        ob, transport, policy=RetryPolicy(base_s=300, cap_s=900, probe_base_s=300, probe_cap_s=300)
    )
    assert engine.drain().offline
    engine.wake()  # e.g. the OS says the network came back
    assert engine.drain().delivered == 1
    ob.close()


def test_event_handler_errors_do_not_stop_the_engine(outbox: Outbox, clock: Clock) -> None:
    fill(outbox, clock, 2)

    def bad(_e: SyncEvent) -> None:
        raise ValueError("handler bug")

    engine = SyncEngine(outbox, ScriptedTransport(clock=clock), on_event=bad, clock=clock)
    assert engine.drain().delivered == 2
