"""The kiosk's long-lived services, assembled once: config, directories, device, outbox, sync, API.

Why one object: the GUI, the headless CLI (``sync``, ``status``) and the benchmarks all need the same
wiring — the outbox file in the data dir, the sync engine with the configured backoff, the HTTP
transport with the device's token and optional certificate pin, the API client for OTP and status.
Assembling it in one Qt-free place keeps the three consistent and testable with plain pytest.
Sync events arrive on the engine's thread; listeners must hop to their own thread (the UI does it
through ``ui.worker.CoreEventBridge``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from kiosk import device as device_store
from kiosk.api_client import ApiClient
from kiosk.bank_sync import BankSync
from kiosk.config import KioskConfig, load_config
from kiosk.device import DeviceIdentity
from kiosk.flow import Flow
from kiosk.http_transport import HttpTransport
from kiosk.i18n import Message
from kiosk.paths import KioskPaths, kiosk_paths
from kiosk.submission import SealedSubmission, prepare, seal_and_enqueue
from kiosk.testbank import BankStore
from offline_queue.events import Offline, Online, SyncEvent
from offline_queue.outbox import Outbox, OutboxStats
from offline_queue.policy import RetryPolicy
from offline_queue.sync import SyncEngine

log = logging.getLogger(__name__)

SyncListener = Callable[[SyncEvent], None]

NOT_ENROLLED = Message(
    "Perangkat ini belum terdaftar. Petugas: jalankan `prakerja-kiosk enrol KODE`.",
    "This device is not enrolled yet. Operator: run `prakerja-kiosk enrol CODE`.",
)


@dataclass
class KioskRuntime:
    """Open services of one kiosk process. Use :meth:`open`; call :meth:`close` on exit."""

    config: KioskConfig
    paths: KioskPaths
    device: DeviceIdentity | None
    outbox: Outbox
    api: ApiClient | None
    engine: SyncEngine | None
    _listeners: list[SyncListener] = field(default_factory=list, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    online: bool | None = None
    #: Fetches the signed test bank at start and on a schedule (issue 19); ``None`` until enrolled.
    bank_sync: BankSync | None = None

    @classmethod
    def open(
        cls,
        config: KioskConfig | None = None,
        *,
        paths: KioskPaths | None = None,
        device: DeviceIdentity | None = None,
        start_sync: bool = True,
    ) -> KioskRuntime:
        """Open the outbox and, when the device is enrolled, the API client and the sync engine.

        Raises ``kiosk.paths.DirectoryError``, ``offline_queue.errors.OutboxError`` or
        ``kiosk.device.DeviceError`` with plain-words messages; nothing is left half-open.
        """
        config = config or load_config()
        paths = (paths or kiosk_paths()).ensure()
        identity = device if device is not None else device_store.load(paths=paths)
        outbox = Outbox(paths.outbox_file)
        runtime = cls(config=config, paths=paths, device=identity, outbox=outbox, api=None, engine=None)
        try:
            if identity is not None:
                runtime._connect(identity, start_sync=start_sync)
        except Exception:
            runtime.close()
            raise
        return runtime

    def _connect(self, identity: DeviceIdentity, *, start_sync: bool) -> None:
        url = identity.api_url or self.config.api.url
        self.api = ApiClient.for_settings(url, self.config.api, token=identity.token)  # pinned like uploads
        transport = HttpTransport(url, identity.token, pin_sha256=self.config.api.pin_sha256)
        policy = RetryPolicy(
            base_s=self.config.sync.backoff_base_s,
            cap_s=self.config.sync.backoff_cap_s,
            concurrency=self.config.sync.concurrency,
            poll_s=self.config.sync.interval_s,
        )
        self.engine = SyncEngine(self.outbox, transport, on_event=self._on_sync_event, policy=policy)
        self.bank_sync = BankSync(
            BankStore(self.paths.cache_dir),
            self.api,
            identity.server_signing_key,
            demo=identity.demo or self.config.demo,
            refresh_s=self.config.sync.bank_refresh_s,
            max_age_s=self.config.sync.bank_max_age_days * 86400,
        )
        if start_sync:
            self.engine.start()
            self.bank_sync.start(wait_s=min(5.0, self.config.api.timeout_s))

    # -- sync events ---------------------------------------------------------------------------

    def add_sync_listener(self, listener: SyncListener) -> Callable[[], None]:
        """Call ``listener(event)`` for every sync event (on the engine's thread); returns a remover."""
        with self._lock:
            self._listeners.append(listener)

        def remove() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return remove

    def _on_sync_event(self, event: SyncEvent) -> None:
        if isinstance(event, Online):
            self.online = True
        elif isinstance(event, Offline):
            self.online = False
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            try:
                listener(event)
            except Exception:  # a broken listener must not stop delivery
                log.exception("sync listener %s failed", getattr(listener, "__qualname__", listener))

    # -- registrations -------------------------------------------------------------------------

    def require_device(self) -> DeviceIdentity:
        """The enrolled identity, or ``device.DeviceError`` telling the operator to enrol."""
        if self.device is None:
            raise device_store.DeviceError(NOT_ENROLLED)
        return self.device

    def seal_and_enqueue(self, flow: Flow) -> SealedSubmission:
        """Prepare, seal and enqueue the flow's registration (blocking: run it off the GUI thread)."""
        identity = self.require_device()
        return seal_and_enqueue(prepare(flow, identity.device_id), identity, self.outbox)

    def queue_stats(self) -> OutboxStats:
        """Counts for the status strip and the operator dashboard."""
        return self.outbox.stats()

    def sync_now(self, *, staff: bool = False) -> None:
        """Look at the outbox now, and probe the network if offline.

        ``staff=True`` is the console's "Kirim sekarang": it also sends the oldest waiting item once
        through a server's Retry-After hold or its backoff (``SyncEngine.send_now``). The kiosk's own
        call after each registration does not, so new registrations never bypass the server's hold.
        """
        if self.engine is not None:
            if staff:
                self.engine.send_now()
            else:
                self.engine.wake()

    def close(self) -> None:
        """Stop the engine (within a second) and close the outbox and HTTP sessions."""
        if self.bank_sync is not None:
            self.bank_sync.stop()
        if self.engine is not None:
            self.engine.stop(timeout=1.0)
            if isinstance(self.engine.transport, HttpTransport):
                self.engine.transport.close()
        if self.api is not None:
            self.api.close()
        self.outbox.close()
