"""The kiosk's long-lived services, assembled once: config, directories, device, outbox, sync, API.

Why one object: the GUI, the headless CLI (``sync``, ``status``) and the benchmarks all need the same
wiring — the outbox file in the data dir, the sync engine with the configured backoff, the HTTP
transport with the device's token and optional certificate pin, the API client for OTP and status.
Assembling it in one Qt-free place keeps the three consistent and testable with plain pytest.
Sync events arrive on the engine's thread; listeners must hop to their own thread (the UI does it
through ``ui.worker.CoreEventBridge``).
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from kiosk import device as device_store
from kiosk.api_client import ApiClient
from kiosk.audit import head_header
from kiosk.bank_sync import BankSync
from kiosk.config import KioskConfig
from kiosk.device import DeviceIdentity
from kiosk.fleet_agent import FleetAgent, attach_fleet
from kiosk.fleet_settings import load_layered
from kiosk.flow import Flow
from kiosk.heartbeat import HardwareState
from kiosk.http_transport import ENVELOPE_SIGNER_REFUSED, HttpTransport
from kiosk.i18n import Message
from kiosk.paths import KioskPaths, kiosk_paths
from kiosk.registration_context import NIK_KEY_META, NikRegistry, WaveCache, payload_context
from kiosk.submission import SealedSubmission, prepare, seal_and_enqueue
from kiosk.testbank import BankStore
from kiosk.token_renewal import REVOKED
from kiosk.version_notice import REGISTRATION_BLOCKED
from offline_queue.errors import OutboxError
from offline_queue.events import AuthRequired, Offline, Online, SyncEvent
from offline_queue.outbox import Outbox, OutboxStats
from offline_queue.policy import RetryPolicy
from offline_queue.sync import SyncEngine

log = logging.getLogger(__name__)

SyncListener = Callable[[SyncEvent], None]

NOT_ENROLLED = Message(
    "Perangkat ini belum terdaftar. Petugas: jalankan `prakerja-kiosk enrol KODE`.",
    "This device is not enrolled yet. Operator: run `prakerja-kiosk enrol CODE`.",
)


NOTICE_DAYS = 7
"""Days the status strip repeats what an outbox recovery found (a damaged file, lost registrations)."""
IDENTITY_KEY = "device_id"
"""The outbox remembers which enrolled device filled it, to notice a re-enrolment at the next start."""


def outbox_limit_bytes(config: KioskConfig) -> int | None:
    """``[sync] outbox_max_mb`` in bytes (``None`` when 0: only the disk limits the outbox)."""
    mb = config.sync.outbox_max_mb
    return mb * 1024 * 1024 if mb > 0 else None


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
    #: Token renewal and heartbeats (issue 19, ``kiosk.fleet_agent``); ``None`` until enrolled.
    fleet: FleetAgent | None = None
    #: Camera/printer state as the UI sees it, reported by heartbeats.
    hardware: HardwareState = field(default_factory=HardwareState)
    #: Username of the operator logged in at this kiosk's console (set by the console), for ``assisted``.
    desk_operator: str | None = None
    #: Keyed NIK hashes of queued registrations (same NIK twice) and the centre's current wave.
    nik_registry: NikRegistry | None = None
    waves: WaveCache | None = None

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
        paths = (paths or kiosk_paths()).ensure()
        if config is None:  # local file < the centre's signed settings < console overrides (issue 19)
            config = load_layered(paths).config
        identity = device if device is not None else device_store.load(paths=paths)
        outbox = Outbox(paths.outbox_file, max_bytes=outbox_limit_bytes(config))
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
        audit_file = self.paths.audit_file
        transport = HttpTransport(
            url,
            identity.token,
            pin_sha256=self.config.api.pin_sha256,
            audit_head=lambda: head_header(audit_file),  # issue 18: the API sees a cut audit log
        )
        policy = RetryPolicy(
            base_s=self.config.sync.backoff_base_s,
            cap_s=self.config.sync.backoff_cap_s,
            concurrency=self.config.sync.concurrency,
            poll_s=self.config.sync.interval_s,
        )
        self.engine = SyncEngine(self.outbox, transport, on_event=self._on_sync_event, policy=policy)
        self._note_identity(identity)
        self.bank_sync = BankSync(
            BankStore(self.paths.cache_dir),
            self.api,
            identity.server_signing_key,
            demo=identity.demo or self.config.demo,
            refresh_s=self.config.sync.bank_refresh_s,
            max_age_s=self.config.sync.bank_max_age_days * 86400,
        )
        self.nik_registry = NikRegistry(identity, self.outbox, self.config.kiosk.time_zone)
        self.waves = WaveCache(self.api)
        self.fleet = attach_fleet(self, identity)
        if start_sync:
            self.engine.start()
            self.bank_sync.start(wait_s=min(5.0, self.config.api.timeout_s))
            self.fleet.start()

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

    def _note_identity(self, identity: DeviceIdentity) -> None:
        """After a re-enrolment: forget the old refusal and send again what was refused for the old device.

        Why: the queue still holds envelopes signed by the previous device identity. Items the server
        refused for their signer (``envelope_device_mismatch``) while the old identity was being
        replaced are made due again once; a server that retired the old device (rather than marking it
        compromised) now accepts those sealed before the revocation, the rest come back to attention.
        """
        try:
            previous = self.outbox.get_value(IDENTITY_KEY)
            if previous == identity.device_id:
                return
            if previous is not None:
                self.outbox.set_auth_error(None)
                retried = self.outbox.retry_where_reason(ENVELOPE_SIGNER_REFUSED)
                log.info("re-enrolled (was %s): %d refused items sent again", previous, len(retried))
            self.outbox.set_value(IDENTITY_KEY, identity.device_id)
        except OutboxError as err:
            log.warning("could not note the device identity in the outbox: %s", err)

    def startup_notice(self) -> Message | None:
        """What staff must know at start-up about the queue itself (a damaged file, lost items), in words.

        Shown on the status strip at every start for :data:`NOTICE_DAYS` after the recovery (applicants
        see the strip too, so not for ever); ``prakerja-kiosk status`` keeps reporting it until the
        record is acknowledged (``Outbox.acknowledge_recovery``).
        """
        try:
            recovered = self.outbox.last_recovery()
        except OutboxError:
            return None
        if recovered is None or time.time() - recovered.at > NOTICE_DAYS * 86400:
            return None
        en, id_text = recovered.words()
        return Message(id_text, en)

    def _on_sync_event(self, event: SyncEvent) -> None:
        if isinstance(event, AuthRequired):
            # Persist why uploads stopped: the dashboard and `status` show it (also after a restart)
            # until a delivery succeeds again or the device is enrolled again.
            try:
                self.outbox.set_auth_error(event.reason)
            except OutboxError as err:
                log.warning("could not record the refused credentials: %s", err)
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
        blocked = self.registration_block()
        if blocked is not None:
            raise device_store.DeviceError(blocked)
        wave = self.waves.open_now() if self.waves is not None else None
        extra = payload_context(operator=self.desk_operator, office=self.config.kiosk.office, wave=wave)
        nik = flow.applicant.nik
        key = self.nik_registry.key(nik) if nik and self.nik_registry is not None else None
        sealed = seal_and_enqueue(
            prepare(flow, identity.device_id, extra=extra),
            identity,
            self.outbox,
            {NIK_KEY_META: key} if key else None,
        )
        if key and self.nik_registry is not None:
            self.nik_registry.add(key, sealed.created_at)
        checked = self.waves is not None and self.waves.checked_at is not None
        sealed = dataclasses.replace(
            sealed,
            wave=f"{wave.number} — {wave.name}" if wave is not None else None,
            joins_next_wave=wave is None and checked,
        )
        self._audit_sealed(identity, sealed.reference)
        return sealed

    def _audit_sealed(self, identity: DeviceIdentity, ref: str) -> None:
        """One audit entry per sealed registration: reference and assisting operator, no personal data."""
        from kiosk.audit import AuditError, AuditLog
        from kiosk.console_model import audit_reference

        try:
            AuditLog(self.paths.audit_file, identity.signing_key).append(
                self.desk_operator or "kiosk", "registration.sealed", audit_reference(ref)
            )
        except AuditError as exc:  # the registration is safely queued; a missing entry is logged
            log.error("audit entry registration.sealed not written: %s", exc.message.en)

    def registration_block(self) -> Message | None:
        """Why no new registration may start now (revoked device, app below the centre's minimum
        version), or ``None``; the queue keeps being delivered either way (issue 19)."""
        if self.fleet is None:
            return None
        if self.fleet.renewer.revoked:
            return REVOKED
        notice = self.fleet.version_notice
        return REGISTRATION_BLOCKED if notice is not None and notice.below_minimum else None

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
                if self.engine.auth_required:
                    # Uploads stopped because the server refused the device: staff asked, so try the
                    # current credentials once more (refused again, the reason is recorded again).
                    self.engine.clear_auth()
                self.engine.send_now()
            else:
                self.engine.wake()

    def close(self) -> None:
        """Stop the engine (within a second) and close the outbox and HTTP sessions."""
        if self.fleet is not None:
            self.fleet.stop()
        if self.bank_sync is not None:
            self.bank_sync.stop()
        if self.engine is not None:
            self.engine.stop(timeout=1.0)
            if isinstance(self.engine.transport, HttpTransport):
                self.engine.transport.close()
        if self.api is not None:
            self.api.close()
        self.outbox.close()
