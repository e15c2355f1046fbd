"""Operator login (desk staff on an enrolled kiosk).

Why the response carries an *offline verifier* description: field laptops must let staff sign in with
no signal. The server never hands out its own PIN hash; it gives a separate public salt and scrypt
parameters, and the kiosk, right after a successful online login, stores scrypt(PIN, that salt) to
check the PIN offline later. Repeated failures lock the account for a while (429 + Retry-After).
"""

from __future__ import annotations

import datetime as dt

from fastapi import APIRouter

from central_api.auth import DeviceDep, RuntimeDep
from central_api.db import Operator, OperatorSession, as_utc, utcnow
from central_api.errors import ApiProblem
from central_api.schemas import ErrorBody, LoginRequest, LoginResponse, OfflineVerifier, OperatorInfo
from central_api.security import digest, new_token, pin_matches
from kiosk.envelope import b64e
from kiosk.i18n import Message

router = APIRouter(tags=["operators"])

LOGIN_FAILED = Message("Nama pengguna atau PIN salah.", "Wrong username or PIN.")
LOCKED = Message(
    "Terlalu banyak percobaan; coba lagi beberapa menit lagi.",
    "Too many attempts; try again in a few minutes.",
)


@router.post(
    "/v1/operators/login",
    response_model=LoginResponse,
    responses={401: {"model": ErrorBody}, 429: {"model": ErrorBody}},
)
def login(body: LoginRequest, rt: RuntimeDep, device: DeviceDep) -> LoginResponse:
    """Check an operator's PIN; answer a session token, the role and the offline verifier parameters."""
    now = utcnow()
    with rt.session() as s:
        op = s.get(Operator, body.username.lower())
        if op is None or not op.active:
            raise ApiProblem(401, "operator_login_failed", LOGIN_FAILED)
        if op.locked_until is not None and as_utc(op.locked_until) > now:
            wait = int((as_utc(op.locked_until) - now).total_seconds()) + 1
            raise ApiProblem(429, "operator_locked", LOCKED, headers={"Retry-After": str(wait)})
        ok = pin_matches(body.pin, op.pin_salt, op.pin_hash, op.kdf_n, op.kdf_r, op.kdf_p)
        if not ok:
            op.failures += 1
            if op.failures >= rt.settings.operator_max_failures:
                op.failures = 0
                op.locked_until = now + dt.timedelta(seconds=rt.settings.operator_lock_seconds)
        else:
            op.failures = 0
            op.locked_until = None
            token = new_token()
            expires = now + dt.timedelta(hours=rt.settings.operator_session_hours)
            s.add(
                OperatorSession(
                    token_hash=digest(token), username=op.username, device_id=device.id, expires_at=expires
                )
            )
    if not ok:
        raise ApiProblem(401, "operator_login_failed", LOGIN_FAILED)
    return LoginResponse(
        session_token=token,
        expires_at=expires,
        operator=OperatorInfo(username=op.username, display_name=op.display_name, role=op.role),  # type: ignore[arg-type]
        offline_verifier=OfflineVerifier(
            algorithm="scrypt", salt=b64e(op.offline_salt), n=op.kdf_n, r=op.kdf_r, p=op.kdf_p, length=32
        ),
    )
