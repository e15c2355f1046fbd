"""The sync engine: drains the outbox through a transport, on its own plain Python thread.

Why a plain thread and not Qt or asyncio: the engine must run headless (``prakerja-kiosk sync``), be
testable without an event loop, and the HTTP client (``requests``) is blocking. The UI wraps the events
into Qt signals.

When it works: on ``start()``, whenever the outbox stores something new (the outbox calls ``wake``),
on a timer (``RetryPolicy.poll_s``), when a retry falls due, and when connectivity returns: after an
OFFLINE outcome the engine probes (sends the oldest waiting item) with its own backoff, and on the first
reply from the server makes every item that failed for being offline due again.

What it promises:
- Expired leases (a sender in another process that hung or died) are reclaimed at each round.
- An item is marked delivered only after the server's success reply. A crash in between leaves the item
  leased; the lease is reclaimed and the item resent; the server's idempotent PUT answers "already
  stored", which counts as delivered. So nothing is lost and the server stores nothing twice.
- A server that sheds load (429/503) holds *every* upload for ``max(Retry-After, backoff(n))``, ``n``
  counting the busy replies in a row: ``Retry-After: 0`` (or none) must not turn into hundreds of
  requests a second. The hold never exceeds the policy's backoff cap (a server clock days ahead or
  ``Retry-After: 99999999999`` must not park 80 kiosks for a day), is persisted so a restart honours
  it, and staff can send one probe through it (:meth:`SyncEngine.send_now`, "Kirim sekarang"); a
  delivered probe lifts the hold.
- Clocks: waits inside the process (the hold, the next connectivity probe) run on the monotonic clock,
  so NTP stepping the wall clock back does not stall sync for the size of the step. Stored times (each
  item's next attempt, the persisted hold) are wall-clock times because they must survive a restart:
  at start-up, and whenever the engine sees the wall clock jump against the monotonic one, anything
  more than the cap into the future is brought back to the cap. Items that failed for being offline
  are made due at start-up: a restart is often the moment the network came back.
- 401/403 stop the batch without counting attempts; uploads resume after ``clear_auth()``.
- ``stop()`` returns within its timeout even in the middle of a backoff: every wait is an Event wait.
  An upload already on the wire finishes (or times out) in its worker and is recorded.
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_futures
from dataclasses import dataclass
from typing import Final

from offline_queue.errors import OutboxError
from offline_queue.events import (
    AuthRequired,
    EngineError,
    Idle,
    ItemDelivered,
    ItemFailed,
    Offline,
    Online,
    SyncEvent,
    SyncStarted,
    SyncStopped,
)
from offline_queue.outbox import LeasedItem, Outbox
from offline_queue.policy import RetryPolicy
from offline_queue.reasons import ReasonCode
from offline_queue.transport import Delivery, Outcome, Transport

log = logging.getLogger(__name__)

TEST_HOOK_ENV: Final = "OFFLINE_QUEUE_TEST_PAUSE_AFTER_REPLY_S"
"""Test hook for the kill test: after the server's reply and before the local commit, announce
``after-reply <id>`` on stderr and pause this many seconds, so a test can SIGKILL inside that window."""

_OFFLINE_OUTCOME: Final = "offline"
_BUSY_OUTCOME: Final = "busy"
CLOCK_STEP_S: Final = 30.0
"""A change of (wall − monotonic) larger than this between two looks is a clock step, not drift."""
MIN_HOLD_CAP_S: Final = 60.0
"""A server's Retry-After is honoured up to the backoff cap, or up to a minute when the cap is shorter."""


def _test_pause_from_env() -> float:
    try:
        return max(0.0, float(os.environ.get(TEST_HOOK_ENV, "") or 0.0))
    except ValueError:
        return 0.0


@dataclass(frozen=True, slots=True)
class DrainReport:
    """What one ``drain()`` did, and what is left."""

    delivered: int
    failed: int
    attention: int
    waiting: int
    auth_required: bool
    offline: bool


class SyncEngine:
    """Sends the outbox's items through ``transport``; see the module docstring."""

    def __init__(
        self,
        outbox: Outbox,
        transport: Transport,
        *,
        on_event: Callable[[SyncEvent], None] | None = None,
        policy: RetryPolicy | None = None,
        clock: Callable[[], float] | None = None,
        rng: random.Random | None = None,
        sleep: Callable[[float], None] | None = None,
        monotonic: Callable[[], float] | None = None,
    ) -> None:
        """``clock`` is the wall clock of stored times (default: the outbox's); ``monotonic`` the clock of
        in-process waits (default ``time.monotonic``, or ``clock`` itself when only ``clock`` is given,
        so a test's one fake clock drives both)."""
        self.outbox = outbox
        self.transport = transport
        self.policy = policy or RetryPolicy()
        self._on_event = on_event
        self._clock = clock or outbox.clock
        self._mono = monotonic or (clock if clock is not None else time.monotonic)
        self._rng = rng or random.Random()  # jitter, not secrecy
        self._sleep = sleep
        self._lock = threading.RLock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pool: ThreadPoolExecutor | None = None
        self._online: bool | None = None
        self._probes = 0
        self._next_probe_at = 0.0
        self._auth_reason: str | None = None
        self._hold_mono = 0.0  # no upload starts before this monotonic time (a server's Retry-After)
        self._busy_streak = 0
        self._send_now = False
        self._hold_probe: str | None = None
        self._started_up = False
        self._clock_offset: float | None = None
        stored = outbox.hold_until()
        if stored is not None:
            left = min(stored - self._clock(), self._max_hold)
            if left > 0:
                self._hold_mono = self._mono() + left
        self._idle_announced = False
        self._counts = {"delivered": 0, "failed": 0, "attention": 0}
        self._test_pause = _test_pause_from_env()

    # -- control ---------------------------------------------------------------------------------

    def start(self) -> None:
        """Start the engine's thread (idempotent).

        Called right after a :meth:`stop` whose thread is still finishing an upload, it starts a new
        thread with a fresh stop flag; the new thread waits for the old one to end before sending, so
        one engine never runs two loops at once.
        """
        with self._lock:
            previous = self._thread
            if previous is not None and previous.is_alive() and not self._stop.is_set():
                return
            self._stop = threading.Event()
            self._thread = threading.Thread(
                target=self._run, args=(self._stop, previous), name="offline-queue-sync", daemon=True
            )
            self.outbox.add_listener(self.wake)
            self._thread.start()

    def stop(self, timeout: float = 1.0) -> bool:
        """Ask the thread to stop and wait up to ``timeout`` s; returns whether it has stopped."""
        with self._lock:
            stop, thread = self._stop, self._thread
        stop.set()
        self._wake.set()
        self.outbox.remove_listener(self.wake)
        if thread is None:
            return True
        thread.join(timeout)
        return not thread.is_alive()

    def wake(self) -> None:
        """Look at the outbox now (new item, network change, operator action)."""
        with self._lock:
            self._idle_announced = False
            if self._online is False:
                self._next_probe_at = 0.0
        self._wake.set()

    @property
    def _max_hold(self) -> float:
        return max(self.policy.cap_s, MIN_HOLD_CAP_S)

    def send_now(self) -> None:
        """Staff's "Kirim sekarang": send the oldest waiting item now, once, whatever its schedule.

        It goes through a server's Retry-After hold and an item's backoff (one request, a person asked
        for it); a delivered probe lifts the hold. Unlike :meth:`wake`, which the kiosk also calls after
        every new registration and which respects the hold.
        """
        with self._lock:
            self._send_now = True
        self.wake()

    def clear_auth(self) -> None:
        """The device's credentials were renewed: resume uploads."""
        with self._lock:
            self._auth_reason = None
        self.wake()

    @property
    def online(self) -> bool | None:
        """Whether the server answered last time (``None`` before the first attempt)."""
        return self._online

    @property
    def auth_required(self) -> bool:
        """Whether uploads are stopped until the credentials are renewed."""
        return self._auth_reason is not None

    @property
    def hold_until(self) -> float:
        """No upload starts before this wall-clock time (a server's Retry-After); 0 when none."""
        with self._lock:
            left = self._hold_mono - self._mono()
        return self._clock() + left if left > 0 else 0.0

    # -- the loop ---------------------------------------------------------------------------------

    def _emit(self, event: SyncEvent) -> None:
        if self._on_event is None:
            return
        try:
            self._on_event(event)
        except Exception:
            log.exception("sync event handler failed on %s", type(event).__name__)

    def _run(self, stop: threading.Event, previous: threading.Thread | None = None) -> None:
        while previous is not None and previous.is_alive() and not stop.is_set():
            previous.join(0.1)  # the loop of an earlier start() is still recording its last upload
        self._emit(SyncStarted())
        try:
            while not stop.is_set():
                delay = self._pump(stop)
                if stop.is_set():
                    break
                self._wake.wait(min(delay, self.policy.poll_s))
                self._wake.clear()
        finally:
            with self._lock:
                pool, self._pool = self._pool, None
            if pool is not None:
                pool.shutdown(wait=False)
            self._emit(SyncStopped())

    def drain(self, *, wait: bool = False, timeout: float | None = None) -> DrainReport:
        """Send in the calling thread; for the CLI and tests.

        With ``wait=False`` it returns once nothing more is due now. With ``wait=True`` it keeps going
        through retries until nothing is waiting, credentials are refused, or ``timeout`` s passed.
        """
        before = dict(self._counts)
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._stop.is_set():
            delay = self._pump()
            if not wait or self._auth_reason is not None:
                break
            if self.outbox.stats().waiting == 0:
                break
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                delay = min(delay, left)
            self._pause(min(delay, self.policy.poll_s))
        stats = self.outbox.stats()
        return DrainReport(
            delivered=self._counts["delivered"] - before["delivered"],
            failed=self._counts["failed"] - before["failed"],
            attention=self._counts["attention"] - before["attention"],
            waiting=stats.waiting,
            auth_required=self._auth_reason is not None,
            offline=self._online is False,
        )

    def _pause(self, delay: float) -> None:
        if delay <= 0:
            return
        if self._sleep is not None:
            self._sleep(delay)
        else:
            self._wake.wait(delay)
            self._wake.clear()

    def _pump(self, stop: threading.Event | None = None) -> float:
        """Send everything due now; return how long to wait before looking again."""
        stop = stop or self._stop
        if not self._started_up:
            self._started_up = True
            self._startup()
        try:
            # Leases of a sender that died or hung (another process sharing the file) expire while
            # this engine runs for weeks; opening the outbox alone would reclaim them only at restart.
            self.outbox.reclaim_leases()
        except OutboxError as err:
            self._emit(EngineError(str(err)))
        inflight: dict[Future[None], str] = {}
        while not stop.is_set():
            delay = self._lease_into(inflight, stop)
            if not inflight:
                return delay
            done, _ = wait_futures(list(inflight), timeout=0.25, return_when="FIRST_COMPLETED")
            for future in done:
                inflight.pop(future, None)
                future.result()
        return 0.0

    def _startup(self) -> None:
        """Once per engine, before the first upload: undo what a wrong clock or an outage left stored."""
        now = self._clock()
        try:
            clamped = self.outbox.clamp_schedule(now + self._max_hold)
            due = self.outbox.make_due(_OFFLINE_OUTCOME)
            stored = self.outbox.hold_until()
            if stored is not None and stored > now + self._max_hold:
                self.outbox.set_hold_until(now + self._max_hold)
        except OutboxError as err:
            self._emit(EngineError(str(err)))
            return
        if clamped or due:
            log.info(
                "start-up: %d item(s) brought back within the backoff cap, %d offline item(s) due",
                clamped,
                due,
            )

    def _check_clock(self, now: float, mono: float) -> None:
        """Notice a step of the wall clock (NTP fixing a clock hours off) and re-clamp stored times."""
        offset = now - mono
        previous, self._clock_offset = self._clock_offset, offset
        if previous is None or abs(offset - previous) <= CLOCK_STEP_S:
            return
        log.warning("the wall clock stepped by %+.0f s; re-clamping stored retry times", offset - previous)
        try:
            self.outbox.clamp_schedule(now + self._max_hold)
            with self._lock:
                left = self._hold_mono - mono
            self.outbox.set_hold_until(now + left if left > 0 else None)
        except OutboxError as err:
            self._emit(EngineError(str(err)))

    def _lease_into(self, inflight: dict[Future[None], str], stop: threading.Event) -> float:
        """Start as many uploads as allowed now; return the wait until more could start."""
        while len(inflight) < self.policy.concurrency and not stop.is_set():
            now, mono = self._clock(), self._mono()
            self._check_clock(now, mono)
            with self._lock:
                if self._auth_reason is not None:
                    return self.policy.poll_s
                forced, self._send_now = self._send_now, False
                held = mono < self._hold_mono
                if held and not forced:
                    return self._hold_mono - mono
                probing = self._online is False
                if probing and not forced:
                    if inflight:
                        return self.policy.poll_s
                    if mono < self._next_probe_at:
                        return self._next_probe_at - mono
            try:
                item = self.outbox.lease_next(
                    self.policy.lease_s,
                    ignore_schedule=probing or forced,
                    exclude=frozenset(inflight.values()),
                )
            except OutboxError as err:
                log.warning("outbox failed while leasing: %s", err)
                self._emit(EngineError(str(err)))
                return self.policy.poll_s
            if item is None:
                return self._idle_delay(now, bool(inflight))
            self._idle_announced = False
            if held:
                with self._lock:
                    self._hold_probe = item.id
            inflight[self._submit(item)] = item.id
            if probing or forced:
                break
        return self.policy.poll_s

    def _idle_delay(self, now: float, busy: bool) -> float:
        try:
            next_due = self.outbox.next_due_at()
            waiting = self.outbox.stats().waiting if not busy else 0
        except OutboxError as err:
            self._emit(EngineError(str(err)))
            return self.policy.poll_s
        if not busy and not self._idle_announced:
            self._idle_announced = True
            self._emit(Idle(waiting=waiting, next_attempt_at=next_due))
        if next_due is None:
            return self.policy.poll_s
        return max(0.0, next_due - now)

    def _submit(self, item: LeasedItem) -> Future[None]:
        if self.policy.concurrency == 1:
            future: Future[None] = Future()
            try:
                self._send_and_record(item)
                future.set_result(None)
            except BaseException as exc:  # pragma: no cover - re-raised by the caller's result()
                future.set_exception(exc)
            return future
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.policy.concurrency, thread_name_prefix="offline-queue-send")
        return self._pool.submit(self._send_and_record, item)

    # -- one upload -------------------------------------------------------------------------------

    def _send_and_record(self, item: LeasedItem) -> None:
        try:
            delivery = self.transport.send(item.id, item.blob)
        except Exception as exc:
            log.warning("transport raised %s for item %s", type(exc).__name__, item.id)
            delivery = Delivery(
                Outcome.RETRY, reason=f"Sending failed ({type(exc).__name__})", code=ReasonCode.SENDING_FAILED
            )
        if self._test_pause:
            sys.stderr.write(f"after-reply {item.id}\n")
            sys.stderr.flush()
            time.sleep(self._test_pause)
        try:
            self._record(item, delivery)
        except OutboxError as err:
            log.warning("outbox failed while recording item %s: %s", item.id, err)
            self._emit(EngineError(str(err)))

    def _record(self, item: LeasedItem, delivery: Delivery) -> None:
        now = self._clock()
        outcome = delivery.outcome
        with self._lock:
            hold_probe = self._hold_probe == item.id
            if hold_probe:
                self._hold_probe = None
        if outcome is not Outcome.OFFLINE:
            self._set_online()
        busy = outcome is Outcome.RETRY and (
            delivery.retry_after is not None or delivery.status in (429, 503)
        )
        if not busy and outcome is not Outcome.OFFLINE:
            self._server_not_busy(lift=hold_probe and outcome is Outcome.DELIVERED)
        if outcome is Outcome.DELIVERED:
            self.outbox.mark_delivered(item.id, delivery.receipt)
            self._count("delivered")
            self._emit(ItemDelivered(item.id, delivery.receipt))
            return
        reason = delivery.reason or outcome.value
        if outcome is Outcome.ATTENTION:
            self.outbox.mark_attention(item.id, reason, delivery.receipt, code=delivery.code)
            self._count("attention")
            self._emit(ItemFailed(item.id, reason, will_retry=False))
            return
        if outcome is Outcome.AUTH_REQUIRED:
            self.outbox.release(item.id)
            with self._lock:
                first = self._auth_reason is None
                self._auth_reason = reason
            if first:
                self._emit(AuthRequired(reason))
            return
        if busy:
            asked = max(0.0, delivery.retry_after or 0.0)
            with self._lock:
                self._busy_streak += 1
                streak = self._busy_streak
            hold = min(max(asked, self.policy.backoff(streak, self._rng)), self._max_hold)
            wait = min(max(asked, self.policy.backoff(item.attempts + 1, self._rng)), self._max_hold)
            mono = self._mono()
            with self._lock:
                if mono + hold > self._hold_mono:
                    self._hold_mono = mono + hold
                    self.outbox.set_hold_until(now + hold)
            next_at = now + max(wait, hold)
            kind = _BUSY_OUTCOME
        else:
            next_at = now + self.policy.backoff(item.attempts + 1, self._rng)
            kind = _OFFLINE_OUTCOME if outcome is Outcome.OFFLINE else "retry"
        self.outbox.mark_retry(item.id, reason, next_at, outcome=kind, code=delivery.code)
        self._count("failed")
        self._emit(ItemFailed(item.id, reason, will_retry=True, next_attempt_at=next_at))
        if outcome is Outcome.OFFLINE:
            self._set_offline(reason, now)

    def _server_not_busy(self, *, lift: bool) -> None:
        """The server answered, not 429/503: the busy streak ends; ``lift``: a probe sent through the
        hold was delivered, so the hold ends and what waited for it is due again."""
        with self._lock:
            self._busy_streak = 0
            if lift:
                self._hold_mono = 0.0
        if lift:
            with contextlib.suppress(OutboxError):
                self.outbox.set_hold_until(None)
                self.outbox.make_due(_BUSY_OUTCOME)

    def _count(self, key: str) -> None:
        with self._lock:
            self._counts[key] += 1

    def _set_online(self) -> None:
        with self._lock:
            was = self._online
            self._online = True
            self._probes = 0
        if was is not True:
            if was is False:
                with contextlib.suppress(OutboxError):
                    self.outbox.make_due(_OFFLINE_OUTCOME)
            self._emit(Online())

    def _set_offline(self, reason: str, now: float) -> None:
        with self._lock:
            was = self._online
            self._online = False
            self._probes += 1
            self._next_probe_at = self._mono() + self.policy.probe_delay(self._probes, self._rng)
            next_probe = self._next_probe_at
        if was is not False:
            self._emit(Offline(reason, now + (next_probe - self._mono())))
