"""``PUT/GET /v1/submissions/{id}``: the sync contract (docs/envelope.md, design.md).

Status codes of PUT: 201 stored; 200 the identical envelope (same sha256) was already stored; 409 the id
is taken by other content; 422 the envelope or the payload is invalid (``problems`` per field, both
languages); 413 too large; 415 not ``application/octet-stream``; 401 no or bad token; 403 revoked
device or an envelope signed by another key / for another device. 429/503 come from the capacity limit
and fault injection, always with ``Retry-After``.

Relaying: the envelope must be signed by an enrolled, non-revoked device, but it may be uploaded by
*another* enrolled device — a field laptop's export imported on a connected office kiosk. The
signature, not the uploader, proves where the data came from; the uploader is recorded.

Why the idempotency check comes before opening: a kiosk that lost the reply resends the same bytes and
must hear "delivered" (200) cheaply, even under load.

Why records are kept per (signer, id) (issue 18, item 11): ids are readable from envelope headers and
USB manifests. When any enrolled device could claim an id first, a rogue kiosk uploaded its own content
under a victim's id and the victim's real envelope got 409. Now the 409 is only for *the same signer*
sending other content under its own id; another signer's envelope under that id is a separate record,
so the victim's envelope is stored and its receipt names it. Look-ups answer the asking device's own
record (signed or relayed by it); a third device asking about an id that several signers hold is told
"verifying, ask staff" rather than either record (:func:`_answer`). Relays are unchanged: the signature,
not the uploader, decides whose record it is.

Also checked after opening: ``created_at`` of the (signed) header must lie within
``envelope_max_age_days`` in the past and ``envelope_max_future_hours`` in the future (422
``envelope_too_old`` / ``envelope_from_future``), and a payload that claims a verified contact must
carry a valid ``otp_token`` for that contact (``central_api.routes.otp.check_otp_token``).

``X-Audit-Head: <seq>:<sha256 hex>`` (optional) is the uploading kiosk's audit-log head; the server
keeps the highest per device and refuses (409 ``audit_head_regressed``) a head that goes backwards or
rewrites the same sequence number, which is how a log cut short on the kiosk shows up centrally.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
import uuid
from collections.abc import Sequence
from typing import Annotated, Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from fastapi import APIRouter, Header, Path, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from starlette.requests import ClientDisconnect

from central_api.auth import DeviceDep, RuntimeDep
from central_api.db import (
    AuditHead,
    Device,
    DeviceRevocation,
    Submission,
    SubmissionReview,
    as_utc,
    utcnow,
)
from central_api.errors import ApiProblem
from central_api.reasons import REASON_TEXTS, reason_for
from central_api.routes.otp import check_otp_token
from central_api.runtime import Runtime
from central_api.schemas import ErrorBody, Receipt, ReferenceLookup, SubmissionStatusInfo
from central_api.testbank import apply_score
from kiosk import reference
from kiosk.envelope import EnvelopeError, OpenedEnvelope, open_envelope
from kiosk.i18n import Message
from kiosk.payload import FieldProblem, PayloadInvalid, RegistrationPayload, validate_payload

router = APIRouter(tags=["submissions"])
log = logging.getLogger(__name__)

ENVELOPE_MEDIA_TYPE = "application/octet-stream"
SubmissionId = Annotated[uuid.UUID, Path(description="client-generated UUID, also the idempotency key")]

_PUT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"model": Receipt, "description": "identical envelope already stored (delivered)"},
    201: {"model": Receipt, "description": "stored (delivered)"},
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    409: {
        "model": ErrorBody,
        "description": "same id and signer, different content; or the audit head went backwards",
    },
    413: {"model": ErrorBody},
    415: {"model": ErrorBody},
    422: {"model": ErrorBody, "description": "invalid envelope or payload, with per-field problems"},
    429: {"model": ErrorBody, "description": "back off; honour Retry-After"},
    503: {"model": ErrorBody, "description": "back off; honour Retry-After"},
}

CONFLICT = Message(
    "Nomor kiriman ini sudah dipakai untuk data lain.", "This submission id is already used by other data."
)
NOT_FOUND = Message("Kiriman tidak ditemukan di server.", "The submission is not on the server.")
PAYLOAD_INVALID = Message("Data pendaftaran tidak valid.", "The registration data is not valid.")
TOO_OLD = Message(
    "Kiriman ini dibuat terlalu lama yang lalu; hubungi Dinas IT.",
    "This envelope was made too long ago; contact Dinas IT.",
)
FROM_FUTURE = Message(
    "Tanggal kiriman ada di masa depan; periksa jam perangkat.",
    "The envelope is dated in the future; check the device's clock.",
)
AUDIT_REGRESSED = Message(
    "Catatan audit perangkat ini lebih pendek dari yang sudah dilaporkan; hubungi Dinas IT.",
    "This device's audit log is shorter than it reported before; contact Dinas IT.",
)
AUDIT_HEADER = "X-Audit-Head"
_AUDIT_RE = re.compile(r"^(\d{1,15}):([0-9a-f]{64})$")


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise ApiProblem(
                400, "bad_content_length", Message("Panjang data tidak valid.", "Bad Content-Length.")
            )
        if int(declared) > limit:
            raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise _too_large(limit)
            chunks.append(chunk)
    except ClientDisconnect:
        # The kiosk's link dropped mid-upload: nothing was stored; it will resend. Not a server error.
        log.info("upload cut off by the client after %d bytes", size)
        raise ApiProblem(
            400, "upload_incomplete", Message("Kiriman terputus.", "The upload was cut off.")
        ) from None
    return b"".join(chunks)


def _too_large(limit: int) -> ApiProblem:
    return ApiProblem(
        413,
        "envelope_too_large",
        Message(
            f"Data melebihi batas {limit // (1024 * 1024)} MB.", f"Larger than {limit // (1024 * 1024)} MB."
        ),
    )


def _receipt(sub: Submission, duplicate: bool) -> dict[str, Any]:
    return Receipt.model_validate(
        {
            "submission_id": sub.id,
            "sha256": sub.sha256,
            "status": sub.status,
            "received_at": as_utc(sub.received_at),
            "duplicate": duplicate,
        }
    ).model_dump(mode="json")


def _check_payload(rt: Runtime, opened: OpenedEnvelope, sid: str, signer_id: str) -> RegistrationPayload:
    """Validate the payload and its consistency with the envelope; raise 422 with problems."""
    try:
        payload = validate_payload(opened.payload_json())
    except PayloadInvalid as exc:
        raise ApiProblem(
            422, "payload_invalid", PAYLOAD_INVALID, problems=[p.as_dict() for p in exc.problems]
        ) from None
    except EnvelopeError as exc:
        raise ApiProblem(422, exc.code, exc.message) from None
    problems: list[FieldProblem] = []
    if str(payload.submission_id) != sid:
        problems.append(
            FieldProblem(
                "submission_id",
                Message("Tidak cocok dengan nomor kiriman.", "Does not match the submission id."),
            )
        )
    if payload.device_id != signer_id:
        problems.append(
            FieldProblem("device_id", Message("Tidak cocok dengan perangkat.", "Does not match the device."))
        )
    refs = {"photos.ktp": payload.photos.ktp, "photos.selfie": payload.photos.selfie}
    referenced = {ref.name for ref in refs.values()}
    for path, ref in refs.items():
        data = opened.attachments.get(ref.name)
        if data is None:
            problems.append(
                FieldProblem(path, Message("Foto tidak ada dalam kiriman.", "The photo is missing."))
            )
        elif len(data) != ref.size or hashlib.sha256(data).hexdigest() != ref.sha256:
            problems.append(
                FieldProblem(
                    path, Message("Foto tidak cocok dengan datanya.", "The photo does not match its record.")
                )
            )
    otp_problem = check_otp_token(rt, payload, signer_id)
    if otp_problem is not None:
        problems.append(otp_problem)
    for name in sorted(set(opened.attachments) - referenced):
        problems.append(
            FieldProblem(f"attachments.{name}", Message("Lampiran tidak dikenal.", "Unknown attachment."))
        )
    if problems:
        raise ApiProblem(422, "payload_invalid", PAYLOAD_INVALID, problems=[p.as_dict() for p in problems])
    return payload


SIGNER_COMPROMISED = Message(
    "Perangkat yang menyegel pendaftaran ini telah dicabut karena tidak aman, sehingga pendaftaran ini "
    "tidak dapat diterima. Pendaftar perlu mendaftar ulang.",
    "The device that sealed this registration was revoked as compromised, so the registration cannot "
    "be accepted. The applicant must register again.",
)
SIGNER_RETIRED_LATE = Message(
    "Pendaftaran ini disegel setelah perangkatnya dipensiunkan, sehingga tidak dapat diterima. Pendaftar "
    "perlu mendaftar ulang.",
    "This registration was sealed after its device was retired, so it cannot be accepted. The applicant "
    "must register again.",
)
SIGNER_RETIRED = "signer_retired"
"""Review flag of an envelope accepted from a device retired since it was sealed."""


def _revocation(rt: Runtime, device_id: str) -> DeviceRevocation | None:
    with rt.session() as s:
        return s.get(DeviceRevocation, device_id)


def _store(rt: Runtime, sid: str, blob: bytes, device: Device) -> tuple[int, dict[str, Any]]:
    """Synchronous part of PUT (runs in the thread pool): idempotency, open, validate, store."""
    sha = hashlib.sha256(blob).hexdigest()
    with rt.session() as s:
        same = s.execute(
            select(Submission).where(Submission.id == sid, Submission.sha256 == sha).limit(1)
        ).scalar_one_or_none()
    if same is not None:  # the identical envelope, resent by its kiosk or a relay
        return 200, _receipt(same, duplicate=True)

    retired: list[dt.datetime] = []  # when the signer was retired, if it was
    compromised: list[str] = []

    def lookup(device_id: str) -> Ed25519PublicKey | None:
        if device_id == device.id:
            return Ed25519PublicKey.from_public_bytes(device.public_key)
        with rt.session() as s:
            signer = s.get(Device, device_id)
            if signer is None:
                return None
            key = Ed25519PublicKey.from_public_bytes(signer.public_key)
        if not signer.revoked:
            return key
        revocation = _revocation(rt, device_id)
        if revocation is not None and revocation.kind == "retired":
            retired.append(as_utc(revocation.revoked_at))
            return key  # checked against the sealing time below
        compromised.append(device_id)
        return None

    try:
        opened = open_envelope(
            blob,
            expected_submission_id=sid,
            server_key=rt.keys.envelope,
            device_public_key_lookup=lookup,
        )
    except EnvelopeError as exc:
        if compromised:  # same code (one item needs attention, not the queue), words that can help
            raise ApiProblem(exc.http_status, exc.code, SIGNER_COMPROMISED) from None
        raise ApiProblem(exc.http_status, exc.code, exc.message) from None
    signer_id = opened.header.device_id
    with rt.session() as s:
        if s.get(Submission, (sid, signer_id)) is not None:  # its own id, other content
            raise ApiProblem(409, "submission_conflict", CONFLICT)
    created = _check_created_at(rt, opened.header.created_at)
    if retired and not created < retired[0]:
        raise ApiProblem(403, "envelope_device_mismatch", SIGNER_RETIRED_LATE)
    payload = _check_payload(rt, opened, sid, signer_id)
    now = utcnow()
    sub = Submission(
        id=sid,
        device_id=signer_id,
        relayed_by=None if signer_id == device.id else device.id,
        reference_key=reference.key_for(uuid.UUID(sid)),
        sha256=sha,
        envelope=blob,
        payload_json=payload.model_dump_json(),
        attachment_names=json.dumps(sorted(opened.attachments)),
        status="received",
        created_at=created,
        received_at=now,
        updated_at=now,
    )
    try:
        with rt.session() as s:
            s.add(sub)
            if retired:
                s.add(SubmissionReview(submission_id=sid, device_id=signer_id, reason=SIGNER_RETIRED))
    except IntegrityError:
        # A concurrent PUT with the same id won the race: answer as if it came first.
        with rt.session() as s:
            winner = s.get(Submission, (sid, signer_id))
        if winner is not None and winner.sha256 == sha:
            return 200, _receipt(winner, duplicate=True)
        raise ApiProblem(409, "submission_conflict", CONFLICT) from None
    if sub.relayed_by is None:
        _note_shared_id(rt, sid, signer_id)
    receipt = _receipt(sub, duplicate=False)
    apply_score(rt, sid, payload)  # test outcome (passed/failed) shown by GET, not by this receipt
    return 201, receipt


def _check_created_at(rt: Runtime, created_at: str) -> dt.datetime:
    """The header's ``created_at`` as UTC, or 422 when it lies outside the accepted window.

    Why a window: an envelope dated 2001 (or next year) is a broken clock or a forgery; one that waited
    weeks on a field laptop is normal, so the past limit is generous (``envelope_max_age_days``).
    """
    try:
        when = dt.datetime.fromisoformat(created_at)
    except ValueError:
        raise ApiProblem(422, "envelope_created_at_invalid", TOO_OLD) from None
    when = when if when.tzinfo else when.replace(tzinfo=dt.UTC)
    now = utcnow()
    if when < now - dt.timedelta(days=rt.settings.envelope_max_age_days):
        raise ApiProblem(422, "envelope_too_old", TOO_OLD)
    if when > now + dt.timedelta(hours=rt.settings.envelope_max_future_hours):
        raise ApiProblem(422, "envelope_from_future", FROM_FUTURE)
    return when


def _note_shared_id(rt: Runtime, sid: str, signer_id: str) -> None:
    """Log (device ids only) when another signer already has a record under this id."""
    with rt.session() as s:
        others = (
            s.execute(
                select(Submission.device_id).where(Submission.id == sid, Submission.device_id != signer_id)
            )
            .scalars()
            .all()
        )
    if others:
        log.warning("submission id %s claimed by signers %s and %s", sid, ", ".join(others), signer_id)


def check_audit_head(rt: Runtime, device_id: str, value: str | None) -> None:
    """Record the kiosk's audit head; 409 when it goes backwards, 422 when it is malformed."""
    if value is None:
        return
    match = _AUDIT_RE.match(value.strip().lower())
    if match is None:
        raise ApiProblem(
            422,
            "audit_head_invalid",
            Message("Kepala catatan audit tidak valid.", "The audit head is not valid."),
            problems=[
                FieldProblem(
                    AUDIT_HEADER, Message("Format: urutan:sha256.", "Format: seq:sha256 hex.")
                ).as_dict()
            ],
        )
    seq, head = int(match.group(1)), match.group(2)
    try:
        with rt.session() as s:
            known = s.get(AuditHead, device_id)
            if known is None:
                s.add(AuditHead(device_id=device_id, seq=seq, head=head, updated_at=utcnow()))
                return
            if seq < known.seq or (seq == known.seq and head != known.head):
                log.warning("audit head of device %s went from %d to %d", device_id, known.seq, seq)
                raise ApiProblem(409, "audit_head_regressed", AUDIT_REGRESSED)
            if seq > known.seq:
                known.seq, known.head, known.updated_at = seq, head, utcnow()
    except IntegrityError:  # two uploads at once reported the first head: the other one stored it
        return


async def deliver(
    rt: Runtime, sid: str, blob: bytes, device: Device, audit_head: str | None
) -> tuple[int, dict[str, Any]]:
    """Check the audit head, then verify and store one envelope: (HTTP status, receipt).

    Why one function: ``PUT /v1/submissions/{id}`` and ``POST /v2/uploads/{id}/commit`` must accept and
    refuse exactly the same envelopes, with the audit head checked first in both; each route only gets
    the bytes (whole body, or the staged parts) before calling this. Both steps touch the database, so
    they run in the thread pool.
    """
    await run_in_threadpool(check_audit_head, rt, device.id, audit_head)
    return await run_in_threadpool(_store, rt, sid, blob, device)


@router.put(
    "/v1/submissions/{submission_id}",
    responses=_PUT_RESPONSES,
    status_code=201,
    response_model=Receipt,
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {ENVELOPE_MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}},
            "description": "sealed envelope (docs/envelope.md), at most 8 MB",
        }
    },
)
async def put_submission(
    submission_id: SubmissionId,
    request: Request,
    rt: RuntimeDep,
    device: DeviceDep,
    x_audit_head: Annotated[
        str | None,
        Header(
            alias=AUDIT_HEADER,
            max_length=100,
            description="optional: the kiosk's audit-log head as `seq:sha256hex`; must never go backwards",
        ),
    ] = None,
) -> JSONResponse:
    """Deliver one sealed envelope (idempotent by id + sha256)."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype != ENVELOPE_MEDIA_TYPE:
        raise ApiProblem(
            415,
            "unsupported_media_type",
            Message(
                "Kiriman harus berupa amplop data (application/octet-stream).",
                "The body must be a sealed envelope (application/octet-stream).",
            ),
        )
    blob = await _read_body(request, rt.settings.max_body_bytes)
    status, body = await deliver(rt, str(submission_id), blob, device, x_audit_head)
    return JSONResponse(body, status_code=status)


@router.get(
    "/v1/submissions/{submission_id}",
    response_model=SubmissionStatusInfo,
    responses={401: {"model": ErrorBody}, 403: {"model": ErrorBody}, 404: {"model": ErrorBody}},
)
def get_submission(submission_id: SubmissionId, rt: RuntimeDep, device: DeviceDep) -> SubmissionStatusInfo:
    """Status of a submission (received, verifying, accepted, rejected, passed, failed).

    Any enrolled device may ask: the answer holds no personal data, and an applicant may check at
    another office than the one that registered them.
    """
    with rt.session() as s:
        subs = (
            s.execute(
                select(Submission).where(Submission.id == str(submission_id)).order_by(Submission.received_at)
            )
            .scalars()
            .all()
        )
    if not subs:
        raise ApiProblem(404, "submission_not_found", NOT_FOUND)
    return _answer(subs, device.id)


def _answer(subs: Sequence[Submission], asking: str) -> SubmissionStatusInfo:
    """The status one device is told for the records under one id (``subs``, oldest first).

    The asking device's own record (signed, else relayed by it) when there is one. Otherwise the record
    itself when only one signer holds the id; when several do (a second signer claimed someone's id),
    a neutral "verifying, ask staff" — neither record — because nothing tells a third kiosk which
    signer is genuine, and answering with the first one would let a rogue that uploaded first point
    the applicant's receipt at its own record. Central review sees both (admin listener).
    """
    for sub in subs:
        if sub.device_id == asking:
            return status_info(sub)
    for sub in subs:
        if sub.relayed_by == asking:
            return status_info(sub)
    if len({sub.device_id for sub in subs}) == 1:
        return status_info(subs[0])
    return SubmissionStatusInfo.model_validate(
        {
            "submission_id": subs[0].id,
            "status": "verifying",
            "reason_code": "other",
            "reason": REASON_TEXTS["other"].as_dict(),
            "received_at": as_utc(subs[0].received_at),
            "updated_at": max(as_utc(sub.updated_at) for sub in subs),
        }
    )


def status_info(sub: Submission) -> SubmissionStatusInfo:
    """The device-facing status: the coded reason and its fixed applicant text, never staff's note."""
    coded = reason_for(sub.status, sub.reason_code)
    return SubmissionStatusInfo.model_validate(
        {
            "submission_id": sub.id,
            "status": sub.status,
            "reason_code": coded[0] if coded else None,
            "reason": coded[1].as_dict() if coded else None,
            "received_at": as_utc(sub.received_at),
            "updated_at": as_utc(sub.updated_at),
        }
    )


@router.get(
    "/v1/submissions/by-reference/{reference_number}",
    response_model=ReferenceLookup,
    responses={
        401: {"model": ErrorBody},
        403: {"model": ErrorBody},
        404: {"model": ErrorBody},
        422: {"model": ErrorBody},
    },
)
def get_by_reference(
    reference_number: Annotated[
        str, Path(max_length=40, description="receipt reference, e.g. PK-7Q4M-9XRT-3A2B-K")
    ],
    rt: RuntimeDep,
    device: DeviceDep,
) -> ReferenceLookup:
    """ "Cek Status" by the receipt's reference number; every match (collisions are possible but rare)."""
    try:
        key = reference.parse(reference_number).key
    except reference.ReferenceNumberError as exc:
        raise ApiProblem(
            422, "reference_invalid", exc.message, problems=[FieldProblem("reference", exc.message).as_dict()]
        ) from None
    with rt.session() as s:
        subs = (
            s.execute(
                select(Submission).where(Submission.reference_key == key).order_by(Submission.received_at)
            )
            .scalars()
            .all()
        )
    if not subs:
        raise ApiProblem(404, "submission_not_found", NOT_FOUND)
    by_id: dict[str, list[Submission]] = {}
    for sub in subs:
        by_id.setdefault(sub.id, []).append(sub)
    answers = sorted((_answer(group, device.id) for group in by_id.values()), key=lambda a: a.received_at)
    return ReferenceLookup(matches=answers)
