"""The kiosk's background duties towards the centre: token renewal and heartbeats (issue 19).

One daemon thread, woken by sync events and by its own timer:

* after a sync round (``Idle``) a heartbeat goes out — at most one per ``min_gap_s`` so a busy queue
  does not send one per item — and at least every ``interval_s`` (hourly) when nothing happens;
* the token is checked on every wake-up and renewed when due; an ``AuthRequired`` event (the server
  refused the token) triggers a signed renewal at once.

Qt-free; the runtime wires it (``KioskRuntime._connect``). Clocks are injectable for tests.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk.device import DeviceIdentity
from kiosk.fleet_settings import SettingsStore
from kiosk.heartbeat import build_report, send_heartbeat
from kiosk.token_renewal import REVOKED_OUTBOX_REASON, TokenRenewer
from kiosk.version_notice import VersionNotice
from offline_queue.errors import OutboxError
from offline_queue.events import AuthRequired, Idle, SyncEvent

if TYPE_CHECKING:
    from kiosk.runtime import KioskRuntime

log = logging.getLogger(__name__)


class FleetAgent:
    """Runs :class:`TokenRenewer` checks and heartbeats on one thread; see the module docstring."""

    def __init__(
        self,
        renewer: TokenRenewer,
        report: Callable[[], dict[str, Any]],
        *,
        interval_s: float = 3600.0,
        min_gap_s: float = 60.0,
        monotonic: Callable[[], float] = time.monotonic,
        on_tick: Callable[[], None] | None = None,
    ) -> None:
        self.renewer = renewer
        self.on_tick = on_tick  # e.g. the current-wave refresh, on the same schedule as heartbeats
        self.report = report
        self.interval_s = interval_s
        self.min_gap_s = min_gap_s
        self._mono = monotonic
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._refused = False
        self._sync_round = False
        self._last_beat: float | None = None
        self._thread: threading.Thread | None = None
        self.heartbeats_sent = 0
        #: The centre's version policy from the last heartbeat reply (``None`` before the first).
        self.version_notice: VersionNotice | None = None

    # -- events -------------------------------------------------------------------------------------

    def on_sync_event(self, event: SyncEvent) -> None:
        """Sync listener (engine thread): note what happened and wake the agent's thread."""
        if isinstance(event, AuthRequired):
            with self._lock:
                self._refused = True
            self._wake.set()
        elif isinstance(event, Idle):
            with self._lock:
                self._sync_round = True
            self._wake.set()

    # -- work ---------------------------------------------------------------------------------------

    def tick(self) -> None:
        """One round: renew the token if due (or refused), then a heartbeat if one is due."""
        with self._lock:
            refused, self._refused = self._refused, False
            sync_round, self._sync_round = self._sync_round, False
        self.renewer.check(refused=refused)
        if self.renewer.revoked:
            return
        now = self._mono()
        last = self._last_beat
        due = last is None or now - last >= self.interval_s or (sync_round and now - last >= self.min_gap_s)
        if not due:
            if sync_round:  # too soon after the last one: send it when the gap has passed
                with self._lock:
                    self._sync_round = True
            return
        try:
            body = self.report()
        except Exception:  # a report that cannot be built must not stop renewals
            log.exception("heartbeat report failed")
            return
        notice = send_heartbeat(self.renewer.api, self.renewer.identity, body)
        if notice is not None:
            self._last_beat = now
            self.heartbeats_sent += 1
            self.version_notice = notice
            if self.on_tick is not None:
                try:
                    self.on_tick()
                except Exception:
                    log.exception("fleet agent task failed")

    def start(self) -> None:
        """Start the thread (one tick right away)."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="fleet-agent", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:
                log.exception("fleet agent round failed")
            with self._lock:
                pending = self._sync_round
            wait = self.min_gap_s if pending else self.interval_s
            self._wake.wait(wait)
            self._wake.clear()

    def stop(self, timeout: float = 1.0) -> None:
        """Stop the thread (within ``timeout`` unless a request is in flight)."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None


def attach_fleet(rt: KioskRuntime, identity: DeviceIdentity) -> FleetAgent:
    """Build the agent for an open runtime: renewal updates every holder of the token; revocation
    stops uploads and the bank schedule and records the reason in the outbox (shown by the console)."""
    assert rt.api is not None and rt.engine is not None
    api, engine = rt.api, rt.engine

    def renewed(new: DeviceIdentity) -> None:
        rt.device = new
        api.token = new.token
        if hasattr(engine.transport, "token"):
            engine.transport.token = new.token
        with contextlib.suppress(OutboxError):
            rt.outbox.set_auth_error(None)
        engine.clear_auth()

    def revoked() -> None:
        with contextlib.suppress(OutboxError):
            rt.outbox.set_auth_error(REVOKED_OUTBOX_REASON)
        engine.stop(timeout=1.0)
        if rt.bank_sync is not None:
            rt.bank_sync.stop()

    renewer = TokenRenewer(identity, api, rt.paths, on_renewed=renewed, on_revoked=revoked)

    def report() -> dict[str, Any]:
        return build_report(
            stats=rt.outbox.stats(),
            paths=rt.paths,
            bank=rt.bank_sync.status() if rt.bank_sync is not None else None,
            hardware=rt.hardware,
            office=rt.config.kiosk.office,
        )

    settings = SettingsStore(rt.paths.cache_dir)

    def tasks() -> None:
        """Hourly with the heartbeat: the current wave and the centre's settings (applied at next start)."""
        if rt.waves is not None:
            rt.waves.refresh()
        settings.refresh(api, identity.server_signing_key)

    agent = FleetAgent(renewer, report, on_tick=tasks)
    rt.add_sync_listener(agent.on_sync_event)
    return agent
