"""Admin endpoints (admin token): enrolment codes, operators, devices, waves, statuses, faults, OTP outbox.

Why endpoints rather than only a CLI: the demo mode, the tests and a trainer's browser all drive the
same running server; the admin token lives in ``<data-dir>/admin-token`` (mode 0600) or is given at
start-up. These paths are never faulted or capacity-limited so faults can always be switched off.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from sqlalchemy import select

from central_api.auth import RuntimeDep, require_admin
from central_api.db import (
    AuditHead,
    Device,
    DeviceRevocation,
    EnrolmentCode,
    Operator,
    Submission,
    Wave,
    as_utc,
    utcnow,
)
from central_api.errors import ApiProblem
from central_api.faults import FaultConfig
from central_api.otp import destination_digest, normalise_destination
from central_api.routes.submissions import status_info
from central_api.schemas import (
    AdminSubmissionStatus,
    DeviceInfo,
    EnrolmentCodesRequest,
    EnrolmentCodesResponse,
    ErrorBody,
    OperatorCreate,
    OperatorInfo,
    OtpOutboxEntry,
    SetStatusRequest,
    WaveCreate,
    WaveInfo,
)
from central_api.security import SCRYPT_N, SCRYPT_P, SCRYPT_R, digest, hash_pin, new_enrolment_code
from kiosk.i18n import Message

router = APIRouter(
    prefix="/v1/admin",
    tags=["admin"],
    dependencies=[Depends(require_admin)],
    responses={401: {"model": ErrorBody}},
)

NOT_FOUND = Message("Tidak ditemukan.", "Not found.")


@router.post("/enrolment-codes", status_code=201, response_model=EnrolmentCodesResponse)
def create_enrolment_codes(body: EnrolmentCodesRequest, rt: RuntimeDep) -> EnrolmentCodesResponse:
    """Create one-time device enrolment codes (shown once; only their hashes are stored)."""
    now = utcnow()
    expires = now + dt.timedelta(hours=body.ttl_hours or rt.settings.enrolment_code_ttl_hours)
    codes = [new_enrolment_code() for _ in range(body.count)]
    with rt.session() as s:
        for code in codes:
            s.add(EnrolmentCode(code_hash=digest(code), label=body.label, created_at=now, expires_at=expires))
    return EnrolmentCodesResponse(codes=codes, expires_at=expires)


@router.post(
    "/operators", status_code=201, response_model=OperatorInfo, responses={409: {"model": ErrorBody}}
)
def create_operator(body: OperatorCreate, rt: RuntimeDep) -> OperatorInfo:
    """Create an operator or supervisor with a PIN (scrypt-hashed)."""
    salt = os.urandom(16)
    with rt.session() as s:
        if s.get(Operator, body.username) is not None:
            raise ApiProblem(
                409, "operator_exists", Message("Nama pengguna sudah ada.", "The username exists.")
            )
        s.add(
            Operator(
                username=body.username,
                display_name=body.display_name,
                role=body.role,
                pin_hash=hash_pin(body.pin, salt),
                pin_salt=salt,
                offline_salt=os.urandom(16),
                kdf_n=SCRYPT_N,
                kdf_r=SCRYPT_R,
                kdf_p=SCRYPT_P,
                active=True,
                failures=0,
            )
        )
    return OperatorInfo(username=body.username, display_name=body.display_name, role=body.role)


@router.get("/devices", response_model=list[DeviceInfo])
def list_devices(rt: RuntimeDep) -> list[DeviceInfo]:
    """Enrolled devices."""
    with rt.session() as s:
        rows = s.execute(select(Device).order_by(Device.enrolled_at)).scalars().all()
    return [
        DeviceInfo(device_id=d.id, label=d.label, revoked=d.revoked, enrolled_at=as_utc(d.enrolled_at))
        for d in rows
    ]


@router.post("/devices/{device_id}/revoke", response_model=DeviceInfo, responses={404: {"model": ErrorBody}})
def revoke_device(
    device_id: str,
    rt: RuntimeDep,
    kind: Annotated[
        Literal["retired", "compromised"],
        Query(
            description="`retired`: replaced or re-installed; envelopes it sealed before now are still "
            "accepted (flagged for review). `compromised`: stolen or key leaked; everything it signed "
            "is refused."
        ),
    ] = "compromised",
) -> DeviceInfo:
    """Revoke a device: its own requests are refused with 403 from now on; ``kind`` decides its envelopes."""
    with rt.session() as s:
        device = s.get(Device, device_id)
        if device is None:
            raise ApiProblem(404, "device_not_found", NOT_FOUND)
        device.revoked = True
        record = s.get(DeviceRevocation, device_id)
        if record is None:
            s.add(DeviceRevocation(device_id=device_id, kind=kind, revoked_at=utcnow()))
        else:  # re-classified (e.g. found to be stolen after all): the first time stays the cut-off
            record.kind = kind
    return DeviceInfo(
        device_id=device.id, label=device.label, revoked=True, enrolled_at=as_utc(device.enrolled_at)
    )


@router.post(
    "/submissions/{submission_id}/status",
    response_model=AdminSubmissionStatus,
    responses={404: {"model": ErrorBody}},
)
def set_submission_status(
    submission_id: str,
    body: SetStatusRequest,
    rt: RuntimeDep,
    device_id: Annotated[
        str | None, Query(max_length=40, description="only the record of this signer")
    ] = None,
) -> AdminSubmissionStatus:
    """Move a submission through central verification (training: a trainer plays the ministry).

    Devices see only ``reason_code`` and its fixed applicant text (``central_api.reasons``);
    ``reason_id``/``reason_en`` are the staff's internal note. An id claimed by several signers has one
    record each; ``device_id`` picks one, otherwise all of them change (the first one is answered).
    """
    with rt.session() as s:
        query = (
            select(Submission).where(Submission.id == submission_id.lower()).order_by(Submission.received_at)
        )
        if device_id:
            query = query.where(Submission.device_id == device_id)
        subs = s.execute(query).scalars().all()
        if not subs:
            raise ApiProblem(404, "submission_not_found", NOT_FOUND)
        for sub in subs:
            sub.status = body.status
            sub.reason_code = body.reason_code
            sub.reason_id = body.reason_id
            sub.reason_en = body.reason_en
            sub.updated_at = utcnow()
    return admin_status(subs[0])


def admin_status(sub: Submission) -> AdminSubmissionStatus:
    """A submission as the admin listener shows it (coded reason and the internal note)."""
    info = status_info(sub)
    note = {"id": sub.reason_id or "", "en": sub.reason_en or ""} if sub.reason_id or sub.reason_en else None
    return AdminSubmissionStatus.model_validate({**info.model_dump(), "note": note})


@router.delete("/devices/{device_id}/audit-head", status_code=204, responses={404: {"model": ErrorBody}})
def reset_audit_head(device_id: str, rt: RuntimeDep) -> Response:
    """Forget the audit head a device reported (``X-Audit-Head``), after Dinas IT checked why it went back.

    Why: a regressed head stops that kiosk's uploads (409 ``audit_head_regressed``) until a person looks;
    once the cause is known (say, a kiosk restored from a backup) this lets it sync again, and the next
    upload's head becomes the new reference.
    """
    with rt.session() as s:
        head = s.get(AuditHead, device_id)
        if head is None:
            raise ApiProblem(404, "audit_head_not_found", NOT_FOUND)
        s.delete(head)
    return Response(status_code=204)


@router.post("/waves", status_code=201, response_model=WaveInfo)
def create_wave(body: WaveCreate, rt: RuntimeDep) -> WaveInfo:
    """Open a new wave (gelombang)."""
    if body.closes_at <= body.opens_at:
        raise ApiProblem(
            422,
            "wave_dates_invalid",
            Message("Tanggal tutup harus setelah tanggal buka.", "Closing must follow opening."),
        )
    wave = Wave(
        number=body.number, name=body.name, opens_at=body.opens_at, closes_at=body.closes_at, quota=body.quota
    )
    with rt.session() as s:
        s.add(wave)
        s.flush()
        wave_id = wave.id
    return WaveInfo(
        wave_id=wave_id,
        number=body.number,
        name=body.name,
        opens_at=body.opens_at,
        closes_at=body.closes_at,
        quota=body.quota,
    )


@router.get("/faults", response_model=FaultConfig)
def get_faults(rt: RuntimeDep) -> FaultConfig:
    """The fault configuration in force."""
    return rt.faults.config


@router.put("/faults", response_model=FaultConfig)
def set_faults(body: FaultConfig, rt: RuntimeDep) -> FaultConfig:
    """Replace the fault configuration (reseeds the generator; ``{}`` switches every fault off)."""
    rt.faults.set(body)
    return rt.faults.config


@router.get("/otp-outbox", response_model=list[OtpOutboxEntry])
def otp_outbox(
    rt: RuntimeDep,
    destination: Annotated[str | None, Query(max_length=254)] = None,
    challenge_id: Annotated[str | None, Query(max_length=40)] = None,
) -> list[OtpOutboxEntry]:
    """Messages the reference OTP sender delivered, newest last; filter by contact or challenge."""
    dig = destination_digest(rt.digest_key, _normalised(destination)) if destination else None
    out = []
    for m in rt.outbox.messages():
        if dig and m.destination_digest != dig:
            continue
        if challenge_id and m.challenge_id != challenge_id:
            continue
        out.append(OtpOutboxEntry(**{k: getattr(m, k) for k in OtpOutboxEntry.model_fields}))
    return out


def _normalised(destination: str) -> str:
    """The canonical contact (as the OTP route stores it), or the text itself when it is not one."""
    from kiosk.contacts import ContactError

    channel = "email" if "@" in destination else "sms"
    try:
        return normalise_destination(channel, destination)
    except ContactError:
        return destination
