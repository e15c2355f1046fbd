"""Operator login (desk staff on an enrolled kiosk).

Why the response carries an *offline verifier* description: field laptops must let staff sign in with
no signal. The server never hands out its own PIN hash; it gives a separate public salt and scrypt
parameters, and the kiosk, right after a successful online login, stores scrypt(PIN, that salt) to
check the PIN offline later.

Why these refusals (issue 18, item 14):
- One answer (401 ``operator_login_failed``) for an unknown user, an inactive one and a wrong PIN, and
  the same scrypt work for all three (a dummy hash for unknown users), so neither the answer nor its
  timing tells a device which usernames exist.
- Lock-out per (device, username), also for usernames that do not exist (so 429 reveals nothing):
  ``operator_max_failures`` wrong PINs lock that pair for ``operator_lock_seconds``, doubling with each
  lock in a row up to ``operator_lock_max_seconds``. A rogue or a curious kiosk can lock an operator out
  only *on itself*; the right PIN on another kiosk still works.
"""

from __future__ import annotations

import datetime as dt
import logging
import os

from fastapi import APIRouter
from sqlalchemy.exc import IntegrityError

from central_api.auth import DeviceDep, RuntimeDep
from central_api.db import Operator, OperatorLockout, OperatorSession, as_utc, utcnow
from central_api.errors import ApiProblem
from central_api.runtime import Runtime
from central_api.schemas import ErrorBody, LoginRequest, LoginResponse, OfflineVerifier, OperatorInfo
from central_api.security import SCRYPT_N, SCRYPT_P, SCRYPT_R, digest, hash_pin, new_token, pin_matches
from kiosk.envelope import b64e
from kiosk.i18n import Message

router = APIRouter(tags=["operators"])
log = logging.getLogger(__name__)

LOGIN_FAILED = Message("Nama pengguna atau PIN salah.", "Wrong username or PIN.")
LOCKED = Message(
    "Terlalu banyak percobaan; coba lagi beberapa menit lagi.",
    "Too many attempts; try again in a few minutes.",
)
_DUMMY_SALT = os.urandom(16)
_DUMMY_HASH = hash_pin("dummy-pin-for-unknown-users", _DUMMY_SALT)


def _lock_seconds(locks: int, base: int, cap: int) -> int:
    """Length of the ``locks``-th lock-out in a row: ``base`` doubled each time, at most ``cap``."""
    return int(min(cap, base * 2 ** min(max(locks - 1, 0), 20)))


@router.post(
    "/v1/operators/login",
    response_model=LoginResponse,
    responses={401: {"model": ErrorBody}, 429: {"model": ErrorBody}},
)
def login(body: LoginRequest, rt: RuntimeDep, device: DeviceDep) -> LoginResponse:
    """Check an operator's PIN; answer a session token, the role and the offline verifier parameters."""
    now = utcnow()
    username = body.username.lower()
    try:
        op, ok, token, expires = _check(rt, device.id, username, body.pin, now)
    except IntegrityError:  # two wrong PINs at once created the same lock-out row: still a refusal
        raise ApiProblem(401, "operator_login_failed", LOGIN_FAILED) from None
    if not ok or op is None:
        raise ApiProblem(401, "operator_login_failed", LOGIN_FAILED)
    return LoginResponse(
        session_token=token,
        expires_at=expires,
        operator=OperatorInfo(username=op.username, display_name=op.display_name, role=op.role),  # type: ignore[arg-type]
        offline_verifier=OfflineVerifier(
            algorithm="scrypt", salt=b64e(op.offline_salt), n=op.kdf_n, r=op.kdf_r, p=op.kdf_p, length=32
        ),
    )


def _check(
    rt: Runtime, device_id: str, username: str, pin: str, now: dt.datetime
) -> tuple[Operator | None, bool, str, dt.datetime]:
    """The PIN check and the lock-out bookkeeping in one transaction."""
    cfg = rt.settings
    token, expires = "", now
    with rt.session() as s:
        lock = s.get(OperatorLockout, (device_id, username))
        if lock is not None and lock.locked_until is not None and as_utc(lock.locked_until) > now:
            wait = int((as_utc(lock.locked_until) - now).total_seconds()) + 1
            raise ApiProblem(429, "operator_locked", LOCKED, headers={"Retry-After": str(wait)})
        op = s.get(Operator, username)
        if op is None or not op.active:
            # The same scrypt work as a real check, so the answer time does not reveal the username.
            pin_matches(pin, _DUMMY_SALT, _DUMMY_HASH, SCRYPT_N, SCRYPT_R, SCRYPT_P)
            ok = False
        else:
            ok = pin_matches(pin, op.pin_salt, op.pin_hash, op.kdf_n, op.kdf_r, op.kdf_p)
        if not ok:
            if lock is None:
                lock = OperatorLockout(device_id=device_id, username=username, failures=0, locks=0)
                s.add(lock)
            lock.failures += 1
            if lock.failures >= cfg.operator_max_failures:
                lock.failures = 0
                lock.locks += 1
                seconds = _lock_seconds(lock.locks, cfg.operator_lock_seconds, cfg.operator_lock_max_seconds)
                lock.locked_until = now + dt.timedelta(seconds=seconds)
                log.warning("operator login locked on device %s for %d s", device_id, seconds)
        else:
            assert op is not None
            if lock is not None:
                s.delete(lock)
            token = new_token()
            expires = now + dt.timedelta(hours=cfg.operator_session_hours)
            s.add(
                OperatorSession(
                    token_hash=digest(token), username=op.username, device_id=device_id, expires_at=expires
                )
            )
    return op, ok, token, expires
