"""What the kiosk adds to each registration beyond the applicant's answers (issue 19).

* **Who assisted**: the operator logged in at this kiosk's desk (username only, set by the console)
  and the kiosk's office (``kiosk.office``) go into the payload's ``assisted``; every sealed
  registration writes an audit entry ``registration.sealed`` with the reference and that operator —
  no personal data.
* **Wave**: the programme wave (gelombang) open at sealing time, from the centre's ``/v1/wave/current``
  (cached by :class:`WaveCache`, refreshed by the fleet agent); none open → ``wave`` is ``None`` and
  the receipt says the registration joins the next wave.
* **Same NIK twice on one kiosk**: a keyed hash of the NIK (HMAC with a key derived from the device
  key, so it cannot be reversed by trying all NIKs without the device key) is kept in the outbox item's
  metadata — never the NIK — and :class:`NikRegistry` answers "was this NIK sealed here, and when?"
  from memory, so the flow can warn the person and staff ("NIK ini sudah didaftarkan di kiosk ini pada
  …"); they decide, and a confirmed warning is recorded as the payload flag ``nik_already_registered``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import threading
from collections.abc import Callable

from kiosk.api_client import ApiClient, ApiError, ApiNotFound, Wave
from kiosk.device import DeviceIdentity, derived_key
from kiosk.office_time import local
from offline_queue.errors import OutboxError
from offline_queue.outbox import Outbox

log = logging.getLogger(__name__)

NIK_KEY_META = "nik_key"
NIK_KEY_PURPOSE = "nik-duplicate-v1"
DUPLICATE_FLAG = "nik_already_registered"


def nik_key(identity: DeviceIdentity, nik: str) -> str:
    """The keyed hash kept instead of the NIK (hex, 32 chars)."""
    key = derived_key(identity, NIK_KEY_PURPOSE)
    return hmac.new(key, nik.strip().encode("ascii", "ignore"), hashlib.sha256).hexdigest()[:32]


class NikRegistry:
    """Keyed NIK hashes of the registrations in this kiosk's outbox, with their sealing time."""

    def __init__(self, identity: DeviceIdentity, outbox: Outbox, time_zone: str = "WIB") -> None:
        self.identity = identity
        self.time_zone = time_zone
        self._key = derived_key(identity, NIK_KEY_PURPOSE)
        self._seen: dict[str, dt.datetime] = {}
        self._lock = threading.Lock()
        try:
            items = outbox.items()
        except OutboxError as exc:
            log.warning("NIK registry not loaded: %s", exc)
            items = []
        for item in items:
            key = item.meta.get(NIK_KEY_META)
            created = item.meta.get("created_at")
            if isinstance(key, str) and isinstance(created, str):
                try:
                    self._seen[key] = dt.datetime.fromisoformat(created)
                except ValueError:
                    continue

    def key(self, nik: str) -> str:
        return hmac.new(self._key, nik.strip().encode("ascii", "ignore"), hashlib.sha256).hexdigest()[:32]

    def previous(self, nik: str) -> dt.datetime | None:
        """When a registration with this NIK was sealed on this kiosk (latest), or ``None``."""
        with self._lock:
            when = self._seen.get(self.key(nik))
        return local(when, self.time_zone) if when is not None else None

    def add(self, key: str, when: dt.datetime) -> None:
        with self._lock:
            self._seen[key] = when


class WaveCache:
    """The centre's current wave, refreshed from ``/v1/wave/current`` (never on the GUI thread)."""

    def __init__(self, api: ApiClient, clock: Callable[[], dt.datetime] | None = None) -> None:
        self.api = api
        self.clock = clock or (lambda: dt.datetime.now(dt.UTC))
        self.wave: Wave | None = None
        self.checked_at: dt.datetime | None = None

    def refresh(self) -> None:
        """Ask the centre; offline keeps the last answer (a wave's dates are in it)."""
        try:
            self.wave = self.api.current_wave()
        except ApiNotFound:
            self.wave = None
        except ApiError as exc:
            log.info("current wave not fetched (%s)", type(exc).__name__)
            return
        self.checked_at = self.clock()

    def open_now(self) -> Wave | None:
        """The cached wave if it is open at this moment (``opens_at <= now < closes_at``)."""
        wave, now = self.wave, self.clock()
        if wave is None or not (wave.opens_at <= now < wave.closes_at):
            return None
        return wave


def payload_context(*, operator: str | None, office: str, wave: Wave | None) -> dict[str, object]:
    """The payload fields the kiosk adds (``assisted``, ``wave``)."""
    return {
        "assisted": {"operator": operator, "office": office},
        "wave": (
            {"wave_id": wave.wave_id, "number": wave.number, "name": wave.name[:120]}
            if wave is not None
            else None
        ),
    }
