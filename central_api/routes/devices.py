"""Device enrolment: a one-time code plus the device's Ed25519 public key → id, token, server keys.

Why one-time codes: a kiosk is enrolled once by staff in the office; the code is useless afterwards,
so a photo of it on a sticky note does not let another machine pose as the kiosk. The route needs no
token, so attempts are rate-limited per client address (429 + Retry-After; ``central_api.limits``) and
its body is capped like every JSON route.
"""

from __future__ import annotations

import datetime as dt
import uuid

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import APIRouter, Request
from sqlalchemy import update

from central_api.auth import RuntimeDep
from central_api.db import Device, EnrolmentCode, utcnow
from central_api.errors import ApiProblem
from central_api.schemas import EnrolRequest, EnrolResponse, ErrorBody, ServerPublicKeys
from central_api.security import digest, new_token, normalise_code
from kiosk.envelope import b64d
from kiosk.i18n import Message

router = APIRouter(tags=["devices"])

TOO_MANY = Message(
    "Terlalu banyak percobaan pendaftaran dari alamat ini; coba lagi sebentar lagi.",
    "Too many enrolment attempts from this address; try again shortly.",
)

CODE_INVALID = Message(
    "Kode pendaftaran salah, sudah dipakai, atau kedaluwarsa.",
    "The enrolment code is wrong, already used, or expired.",
)


@router.post(
    "/v1/devices/enrol",
    status_code=201,
    response_model=EnrolResponse,
    responses={403: {"model": ErrorBody}, 422: {"model": ErrorBody}, 429: {"model": ErrorBody}},
)
def enrol(body: EnrolRequest, rt: RuntimeDep, request: Request) -> EnrolResponse:
    """Enrol a device with a one-time code; the code is consumed in the same transaction."""
    peer = request.client.host if request.client else "?"
    wait = rt.enrol_limiter.hit(f"enrol:{peer}")
    if wait:
        raise ApiProblem(429, "enrol_rate_limited", TOO_MANY, headers={"Retry-After": str(int(wait) + 1)})
    try:
        raw = b64d(body.public_key)
        Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise ApiProblem(
            422,
            "public_key_invalid",
            Message("Kunci publik perangkat tidak valid.", "The device public key is not valid."),
        ) from None
    code_hash = digest(normalise_code(body.code))
    device_id = f"dev-{uuid.uuid4().hex[:20]}"
    token = new_token()
    now = utcnow()
    expires = now + dt.timedelta(days=rt.settings.device_token_days)
    with rt.session() as s:
        # Atomic single use: only one UPDATE can flip used_at from NULL, even under concurrency.
        claimed = s.execute(
            update(EnrolmentCode)
            .where(
                EnrolmentCode.code_hash == code_hash,
                EnrolmentCode.used_at.is_(None),
                EnrolmentCode.expires_at > now,
            )
            .values(used_at=now, device_id=device_id)
        ).rowcount  # type: ignore[attr-defined]
        if claimed != 1:
            raise ApiProblem(403, "enrolment_code_invalid", CODE_INVALID)
        s.add(
            Device(
                id=device_id,
                label=body.label,
                public_key=raw,
                token_hash=digest(token),
                token_expires_at=expires,
                revoked=False,
                enrolled_at=now,
            )
        )
    return EnrolResponse(
        device_id=device_id,
        token=token,
        token_expires_at=expires,
        server_keys=ServerPublicKeys.model_validate(rt.keys.public_info()),
    )
