"""A faulty network and server (30 % of requests): 100 registrations arrive exactly once, and no request
is sent while a server's Retry-After is running."""

from __future__ import annotations

import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.http_transport import HttpTransport
from offline_queue.outbox import DELIVERED, Outbox
from offline_queue.policy import RetryPolicy
from offline_queue.sync import SyncEngine
from offline_queue.transport import Delivery, Outcome
from tests.support.live_api import LiveApi


@dataclass(frozen=True)
class Sent:
    item_id: str
    started: float
    ended: float
    delivery: Delivery


class RecordingTransport:
    """The real HTTP transport, with the start and end time of every request written down."""

    def __init__(self, inner: HttpTransport) -> None:
        self.inner = inner
        self.log: list[Sent] = []
        self._lock = threading.Lock()

    def send(self, item_id: str, blob: bytes) -> Delivery:
        started = time.time()
        delivery = self.inner.send(item_id, blob)
        with self._lock:
            self.log.append(Sent(item_id, started, time.time(), delivery))
        return delivery


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_hundred_submissions_through_thirty_percent_faults(live_api: LiveApi, tmp_path: Path) -> None:
    device = live_api.enrol_device("fault-test")
    outbox = Outbox(tmp_path / "o.sqlite3")
    expected = {}
    for _ in range(100):
        sid, blob = live_api.seal_submission(device)
        outbox.enqueue(sid, blob)
        expected[sid] = outbox.get(sid).sha256  # type: ignore[union-attr]

    faults = {
        "drop_rate": 0.06,  # the server stored it, then the reply is cut mid-body
        "rate_limit_rate": 0.05,  # 429 with Retry-After
        "error_rate": 0.06,
        "error_status": 502,
        "retry_after": 1,
        # 11 % of requests stall for 1.5 s, far past the 0.4 s read timeout; the others are not delayed,
        # so which requests time out is decided by the seed, not by how busy the test machine is.
        "slow_rate": 0.11,
        "slow_ms": 1500,
        "path_prefix": "/v1/submissions",
    }
    live_api.set_faults(seed=1, **faults)
    stop_portal = threading.Event()

    def captive_portal_now_and_then() -> None:
        seed = 2
        while not stop_portal.wait(0.7):
            live_api.set_faults(seed=seed, captive_portal_burst=1, **faults)
            seed += 1

    portal = threading.Thread(target=captive_portal_now_and_then, daemon=True)
    portal.start()
    transport = RecordingTransport(
        HttpTransport(live_api.url, device.token, min_read_timeout=0.4, margin_s=0.0, min_rate_bps=1e9)
    )
    policy = RetryPolicy(base_s=0.05, cap_s=0.4, probe_base_s=0.05, probe_cap_s=0.3, poll_s=0.5)
    try:
        report = SyncEngine(outbox, transport, policy=policy).drain(wait=True, timeout=150)
    finally:
        stop_portal.set()
        portal.join()
        live_api.clear_faults()

    # Exactly once: the server holds each id once, with the very bytes the outbox sealed.
    conn = sqlite3.connect(f"file:{live_api.data_dir / 'central.sqlite3'}?mode=ro", uri=True)
    rows = conn.execute("SELECT id, sha256 FROM submissions").fetchall()
    conn.close()
    assert report.waiting == 0 and report.attention == 0, report
    assert sorted(rows) == sorted(expected.items())
    assert all(i.state == DELIVERED for i in outbox.items())

    log = transport.log
    failures = [s for s in log if s.delivery.outcome is not Outcome.DELIVERED]
    kinds = {s.delivery.reason for s in failures}
    assert 0.2 <= len(failures) / len(log) <= 0.45, (len(failures), len(log), kinds)
    outcomes = {s.delivery.outcome for s in failures}
    assert {Outcome.RETRY, Outcome.OFFLINE} <= outcomes
    assert any(s.delivery.retry_after for s in failures), "no 429 seen"
    assert any("not the server's" in (s.delivery.reason or "") for s in failures), "no captive portal seen"
    assert any("in time" in (s.delivery.reason or "") for s in failures), "no timeout seen"
    assert any(s.delivery.status is None and "broke" in (s.delivery.reason or "") for s in failures), (
        "no drop"
    )

    # No request started while a Retry-After was running.
    for held in (s for s in log if s.delivery.retry_after):
        until = held.ended + held.delivery.retry_after  # type: ignore[operator]
        early = [s for s in log if held.ended < s.started < until - 0.01]
        assert early == [], (held, early[:1])
    outbox.close()
