"""Renew the device's bearer token before it expires (issue 19).

Why: the token expired after a year and nothing renewed it, so every queue stopped for good; it now
lives ``device_token_days`` (30) so that a token lifted from a stolen laptop is soon worthless. The kiosk now asks ``POST /v1/devices/token`` with a request signed by its
enrolment key (``kiosk.signed_request``) when the token is within :data:`RENEW_BEFORE` of its expiry —
and also *after* a 401, because the signature, not the old token, proves who the device is (a kiosk in
a cupboard for 13 months still comes back). The new token replaces the old one in the API client, the
upload transport and the device store; uploads held by the refusal resume (``SyncEngine.clear_auth``).

A revoked device (403 ``device_revoked``) stops: the sync engine is stopped, the refusal is recorded in
the outbox (the console's connection row and ``status`` show it, also after a restart) and
:attr:`TokenRenewer.revoked` is set. Nothing is deleted — Dinas IT decides.

The decision clock is injectable (tests run a kiosk past its expiry without waiting a year); the
``sent_at`` of the signed request is the wall clock, which the server checks.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from kiosk import device as device_store
from kiosk.api_client import ApiAuthError, ApiClient, ApiError
from kiosk.device import DeviceIdentity
from kiosk.i18n import Message
from kiosk.paths import KioskPaths
from kiosk.signed_request import sign_request

log = logging.getLogger(__name__)

RENEW_BEFORE = dt.timedelta(days=10)
REVOKED_REASON = "device_revoked"
REVOKED = Message(
    "Perangkat ini telah DICABUT oleh pusat: kios berhenti mengirim dan tidak menerima pendaftaran baru. "
    "Data di antrean tetap aman. Hubungi Dinas IT.",
    "This device has been REVOKED by the centre: the kiosk stopped sending and takes no new "
    "registrations. The data in the queue stays safe. Contact Dinas IT.",
)
#: What the outbox records as its auth error (``console_model.reason_in_words`` reads "id / en [code]").
REVOKED_OUTBOX_REASON = (
    "Perangkat dicabut oleh pusat; kios berhenti mengirim. / "
    "Device revoked by the centre; the kiosk stopped sending. [device_revoked]"
)

Outcome = Literal["not_due", "renewed", "offline", "refused", "revoked"]


class _Renewed(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    token: str
    token_expires_at: dt.datetime


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class TokenRenewer:
    """Checks the token's expiry and renews it over the signed channel; see the module docstring."""

    def __init__(
        self,
        identity: DeviceIdentity,
        api: ApiClient,
        paths: KioskPaths,
        *,
        on_renewed: Callable[[DeviceIdentity], None] | None = None,
        on_revoked: Callable[[], None] | None = None,
        clock: Callable[[], dt.datetime] = _utcnow,
        renew_before: dt.timedelta = RENEW_BEFORE,
    ) -> None:
        self.identity = identity
        self.api = api
        self.paths = paths
        self.on_renewed = on_renewed
        self.on_revoked = on_revoked
        self.clock = clock
        self.renew_before = renew_before
        self.revoked = False
        self.last_outcome: Outcome = "not_due"
        self._lock = threading.Lock()

    def due(self, *, refused: bool = False) -> bool:
        """Renew now? Within ``renew_before`` of expiry, past it, or after the server refused the token."""
        if self.revoked:
            return False
        if refused:
            return True
        expires = self.identity.token_expires_at
        return expires is not None and self.clock() >= expires - self.renew_before

    def check(self, *, refused: bool = False) -> Outcome:
        """Renew if :meth:`due` (blocking HTTP: call from a worker or the fleet thread)."""
        with self._lock:
            if not self.due(refused=refused):
                return "not_due"
            outcome = self._renew()
            self.last_outcome = outcome
            return outcome

    def _renew(self) -> Outcome:
        identity = self.identity
        doc = sign_request("token-renew", identity.device_id, identity.signing_key, {})
        try:
            answer = self.api._call("POST", "/v1/devices/token", _Renewed, json=doc, auth=False)
        except ApiAuthError as exc:
            if exc.code == REVOKED_REASON:
                self.revoked = True
                log.warning("device %s revoked by the server: uploads stop", identity.device_id)
                if self.on_revoked is not None:
                    self.on_revoked()
                return "revoked"
            log.warning("token renewal refused (%s)", exc.code)
            return "refused"
        except ApiError as exc:
            log.info("token renewal not possible now (%s)", type(exc).__name__)
            return "offline"
        renewed = dataclasses.replace(identity, token=answer.token, token_expires_at=answer.token_expires_at)
        self.identity = renewed
        self._persist(renewed)
        log.info("device token renewed; valid until %s", answer.token_expires_at.date().isoformat())
        if self.on_renewed is not None:
            self.on_renewed(renewed)
        return "renewed"

    def _persist(self, renewed: DeviceIdentity) -> None:
        """Store the new token where the old one was. If that is impossible (a passphrase-protected
        store without the passphrase at hand) the token lives in memory only: after a restart the old
        token is refused and the signed renewal simply runs again."""
        try:
            # A passphrase-protected key file is sealed again with the key the identity was unlocked
            # with (DeviceIdentity.sealing): never a passphrase from the environment (issue 18).
            saved = device_store.save(renewed, paths=self.paths)
            self.identity = saved
        except Exception as exc:  # never lose the in-memory token over a storage problem
            log.warning("renewed token kept in memory only: %s", type(exc).__name__)
