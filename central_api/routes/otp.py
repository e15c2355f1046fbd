"""OTP request and verification for an applicant's phone or e-mail.

Why these limits: codes expire (``otp_ttl_seconds``); a contact can be sent a new code only after
``otp_resend_seconds`` and at most ``otp_max_sends_per_hour`` times (429 + Retry-After), and a
challenge allows ``otp_max_attempts`` guesses. Contacts are normalised first (E.164, lower-cased
e-mail; ``central_api.otp.normalise_destination``) so another spelling of the same number is the same
contact, and anything that is not a contact is a 422. Each device may send at most
``otp_max_sends_per_device_hour`` codes an hour and the whole server ``otp_max_sends_global_hour``,
so a rogue kiosk cannot turn the SMS gateway into a spam cannon or run up its bill.

A verified challenge yields an ``otp_token`` (``<challenge id>.<HMAC>``) that the kiosk puts in the
payload; ``PUT /v1/submissions`` checks it with :func:`check_otp_token` (issue 18, item 13).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import re
import uuid

from fastapi import APIRouter
from sqlalchemy import func, select

from central_api.auth import DeviceDep, RuntimeDep
from central_api.db import OtpChallenge, as_utc, utcnow
from central_api.errors import ApiProblem
from central_api.otp import OtpMessage, destination_digest, mask_destination, normalise_destination
from central_api.runtime import Runtime
from central_api.schemas import ErrorBody, OtpChallengeInfo, OtpRequest, OtpVerified, OtpVerify
from central_api.security import digest, new_otp_code
from kiosk.contacts import ContactError
from kiosk.i18n import Message
from kiosk.payload import FieldProblem, RegistrationPayload

router = APIRouter(tags=["otp"])
log = logging.getLogger(__name__)

WAIT = Message("Tunggu sebentar sebelum meminta kode baru.", "Wait a moment before asking for a new code.")
WRONG = Message("Kode salah.", "Wrong code.")
EXPIRED = Message(
    "Kode kedaluwarsa atau sudah dipakai; minta kode baru.",
    "The code expired or was used; ask for a new one.",
)
BUSY = Message(
    "Pengiriman kode sedang dibatasi; pilih 'verifikasi nanti' atau coba lagi beberapa menit lagi.",
    "Sending codes is limited right now; choose 'verify later' or try again in a few minutes.",
)
TOKEN_INVALID = Message(
    "Bukti verifikasi kontak tidak sah atau bukan untuk kontak ini.",
    "The contact verification proof is not valid or not for this contact.",
)
_TOKEN_RE = re.compile(r"^([0-9a-f]{32})\.([0-9a-f]{32})$")
TOO_MANY = Message("Terlalu banyak percobaan; minta kode baru.", "Too many attempts; ask for a new code.")


def otp_token(key: bytes, challenge_id: str) -> str:
    """Proof of a verified challenge: ``<challenge id>.<HMAC>`` (checkable by the central system)."""
    mac = hmac.new(key, f"otp-verified:{challenge_id}".encode(), hashlib.sha256).hexdigest()[:32]
    return f"{challenge_id}.{mac}"


@router.post(
    "/v1/otp/request",
    status_code=201,
    response_model=OtpChallengeInfo,
    responses={401: {"model": ErrorBody}, 422: {"model": ErrorBody}, 429: {"model": ErrorBody}},
)
def request_otp(body: OtpRequest, rt: RuntimeDep, device: DeviceDep) -> OtpChallengeInfo:
    """Send a code to the contact (reference sender: the OTP outbox)."""
    cfg = rt.settings
    now = utcnow()
    try:
        dest = normalise_destination(body.channel, body.destination)
    except ContactError as exc:
        raise ApiProblem(
            422,
            "otp_destination_invalid",
            exc.message,
            problems=[FieldProblem("destination", exc.message).as_dict()],
        ) from None
    dig = destination_digest(rt.digest_key, dest)
    hour_ago = now - dt.timedelta(hours=1)
    with rt.session() as s:
        by_device = s.execute(
            select(func.count())
            .select_from(OtpChallenge)
            .where(OtpChallenge.device_id == device.id, OtpChallenge.created_at > hour_ago)
        ).scalar_one()
        if by_device >= cfg.otp_max_sends_per_device_hour:
            log.warning("OTP send cap reached by device %s", device.id)
            raise ApiProblem(429, "otp_device_limit", BUSY, headers={"Retry-After": "600"})
        overall = s.execute(
            select(func.count()).select_from(OtpChallenge).where(OtpChallenge.created_at > hour_ago)
        ).scalar_one()
        if overall >= cfg.otp_max_sends_global_hour:
            log.warning("global OTP send cap reached")
            raise ApiProblem(429, "otp_global_limit", BUSY, headers={"Retry-After": "600"})
        last = s.execute(
            select(func.max(OtpChallenge.created_at)).where(OtpChallenge.destination_digest == dig)
        ).scalar_one_or_none()
        if last is not None:
            wait = cfg.otp_resend_seconds - (now - as_utc(last)).total_seconds()
            if wait > 0:
                raise ApiProblem(
                    429, "otp_resend_too_soon", WAIT, headers={"Retry-After": str(int(wait) + 1)}
                )
        sent_last_hour = s.execute(
            select(func.count())
            .select_from(OtpChallenge)
            .where(OtpChallenge.destination_digest == dig, OtpChallenge.created_at > hour_ago)
        ).scalar_one()
        if sent_last_hour >= cfg.otp_max_sends_per_hour:
            raise ApiProblem(429, "otp_too_many_sends", WAIT, headers={"Retry-After": "3600"})
        challenge_id = uuid.uuid4().hex
        code = new_otp_code()
        expires = now + dt.timedelta(seconds=cfg.otp_ttl_seconds)
        s.add(
            OtpChallenge(
                id=challenge_id,
                channel=body.channel,
                destination_digest=dig,
                code_hash=digest(f"{challenge_id}:{code}"),
                created_at=now,
                expires_at=expires,
                attempts=0,
                device_id=device.id,
            )
        )
    masked = mask_destination(dest)
    rt.otp_sender.send(
        OtpMessage(
            challenge_id=challenge_id,
            channel=body.channel,
            destination_masked=masked,
            destination_digest=dig,
            code=code,
            sent_at=now.isoformat(),
        )
    )
    return OtpChallengeInfo(
        challenge_id=challenge_id,
        channel=body.channel,
        destination_masked=masked,
        expires_at=expires,
        resend_after_seconds=cfg.otp_resend_seconds,
    )


@router.post(
    "/v1/otp/verify",
    response_model=OtpVerified,
    responses={
        401: {"model": ErrorBody},
        410: {"model": ErrorBody},
        422: {"model": ErrorBody},
        429: {"model": ErrorBody},
    },
)
def verify_otp(body: OtpVerify, rt: RuntimeDep, device: DeviceDep) -> OtpVerified:
    """Check a code: 200 verified; 422 wrong code; 410 expired/used/unknown; 429 too many attempts.

    Only the device that asked for the code may check it (another device's challenge is "unknown"):
    the token it yields is bound to that device (:func:`check_otp_token`) anyway.
    """
    now = utcnow()
    with rt.session() as s:
        ch = s.get(OtpChallenge, body.challenge_id)
        if (
            ch is None
            or ch.device_id != device.id
            or ch.verified_at is not None
            or as_utc(ch.expires_at) <= now
        ):
            raise ApiProblem(410, "otp_expired", EXPIRED)
        if ch.attempts >= rt.settings.otp_max_attempts:
            raise ApiProblem(429, "otp_too_many_attempts", TOO_MANY, headers={"Retry-After": "60"})
        ch.attempts += 1
        good = hmac.compare_digest(ch.code_hash, digest(f"{ch.id}:{body.code.strip()}"))
        if good:
            ch.verified_at = now
    if not good:
        raise ApiProblem(422, "otp_wrong_code", WRONG)
    return OtpVerified(verified=True, otp_token=otp_token(rt.digest_key, body.challenge_id))


def check_otp_token(rt: Runtime, payload: RegistrationPayload, signer_id: str) -> FieldProblem | None:
    """None when the payload's OTP claim holds; else the problem to answer with 422.

    ``otp_verified: false`` is always accepted (the kiosk was offline; the contact is verified
    centrally later, and the record says so). ``otp_verified: true`` needs an ``otp_token`` that this
    server issued (HMAC with its key), for a challenge that was verified, that was requested by the
    device that signed the envelope, and whose contact is the payload's contact for the chosen method.
    """
    account = payload.account
    if not account.otp_verified:
        return None
    token = account.otp_token or ""
    match = _TOKEN_RE.match(token)
    if match is None or not hmac.compare_digest(otp_token(rt.digest_key, match.group(1)), token):
        return FieldProblem("account.otp_token", TOKEN_INVALID)
    contact = account.phone if account.verification_method == "sms" else account.email
    try:
        dest = normalise_destination(account.verification_method, contact or "")
    except ContactError:
        return FieldProblem("account.otp_token", TOKEN_INVALID)
    with rt.session() as s:
        ch = s.get(OtpChallenge, match.group(1))
    if (
        ch is None
        or ch.verified_at is None
        or ch.device_id != signer_id
        or ch.channel != account.verification_method
        or not hmac.compare_digest(ch.destination_digest, destination_digest(rt.digest_key, dest))
    ):
        return FieldProblem("account.otp_token", TOKEN_INVALID)
    return None
