"""Resumable uploads (sync contract v2): a sealed envelope sent in parts, with a server-side offset.

Why: on mobile tethering and village links a connection is reset every few hundred kilobytes. With
``PUT /v1/submissions/{id}`` a reset at 90 % of a 1.5 MB registration throws the 1.35 MB away and the
next attempt starts from zero (and, with a reset every ~1.3 MB, never ends). Here the server keeps every
byte that arrived, also from a request cut off mid-body, and the kiosk continues from there.

The protocol (docs/envelope.md, "Contract v2"), all routes need the device's bearer token:

- ``POST /v2/uploads/{id}`` with ``Upload-Length`` (envelope bytes) and ``Upload-Sha256`` (hex) starts
  an upload or finds the one already started: ``{"offset", "length", "receipt"}``. ``receipt`` is set
  when this very envelope is already stored (the reply to an earlier commit was lost): delivered.
- ``HEAD /v2/uploads/{id}``: ``Upload-Offset`` and ``Upload-Length`` headers (404 when there is none).
- ``PATCH /v2/uploads/{id}`` with ``Upload-Offset: k`` and the bytes from ``k`` on: appended; a body
  cut off by the network keeps what arrived. 204 with the new ``Upload-Offset``; 409
  ``upload_offset_mismatch`` (with the server's ``Upload-Offset``) when ``k`` is not the server's offset.
- ``POST /v2/uploads/{id}/commit``: when every byte is there and the sha256 matches, the envelope goes
  through exactly the checks and storage of ``PUT /v1/submissions/{id}`` (same function, same status
  codes and receipt), so exactly-once holds whichever way an envelope arrives. 409
  ``upload_incomplete`` when bytes are missing; ``upload_sha256_mismatch`` (the staged bytes are
  dropped) when they do not hash to the declared sha256.

Staged parts live under ``<data-dir>/uploads/<device>/`` (sealed envelope bytes only, never plaintext),
one upload per (device, id), at most 8 MiB each (the envelope limit), removed on commit and after
``STALE_AFTER_S`` without progress.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import logging
import os
import re
import threading
import time
import uuid
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response
from fastapi import Path as PathParam
from fastapi.responses import JSONResponse
from sqlalchemy import select
from starlette.requests import ClientDisconnect

from central_api.auth import DeviceDep, RuntimeDep
from central_api.db import Device, Submission
from central_api.errors import ApiProblem
from central_api.routes.submissions import AUDIT_HEADER, _receipt, deliver
from central_api.runtime import Runtime
from central_api.schemas import ErrorBody, Receipt
from kiosk.i18n import Message

router = APIRouter(tags=["uploads (contract v2)"])
log = logging.getLogger(__name__)

UPLOAD_MEDIA_TYPES = ("application/offset+octet-stream", "application/octet-stream")
STALE_AFTER_S = 7 * 24 * 3600.0
"""A staged upload untouched this long is removed (a kiosk offline for a week starts that one again)."""
MAX_UPLOADS_PER_DEVICE = 64
IDLE_TIMEOUT_S = 60.0
"""A part whose bytes stop coming for this long ends there (bytes kept): a kiosk whose connection died
silently must not leave the upload "busy" for ever (uvicorn has no body read timeout)."""
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()

UploadId = Annotated[uuid.UUID, PathParam(description="the submission id (client-generated UUID)")]

NO_UPLOAD = Message("Unggahan ini tidak ada di server.", "There is no such upload on the server.")
BAD_HEADERS = Message(
    "Upload-Length dan Upload-Sha256 wajib dan harus valid.",
    "Upload-Length and Upload-Sha256 are required and must be valid.",
)
OTHER_CONTENT = Message(
    "Unggahan dengan nomor ini sudah dimulai untuk data lain.",
    "An upload with this id was already started for other data.",
)
OFFSET_MISMATCH = Message(
    "Posisi unggahan tidak cocok; tanyakan posisinya lagi.", "The upload offset does not match; ask again."
)
INCOMPLETE = Message("Unggahan belum lengkap.", "The upload is not complete yet.")
SHA_MISMATCH = Message(
    "Data unggahan rusak (sha256 tidak cocok); kirim ulang dari awal.",
    "The uploaded data is damaged (sha256 mismatch); send it again from the start.",
)
BUSY = Message("Bagian lain unggahan ini sedang diterima.", "Another part of this upload is being received.")
TOO_MANY = Message("Terlalu banyak unggahan terbuka.", "Too many open uploads.")


class _Staged:
    """One staged upload: ``<sid>.part`` (the bytes so far) and ``<sid>.json`` (length, sha256)."""

    def __init__(self, rt: Runtime, device: Device, sid: str) -> None:
        folder = hashlib.sha256(device.id.encode()).hexdigest()[:32]
        self.dir = Path(rt.settings.data_dir) / "uploads" / folder
        self.part = self.dir / f"{sid}.part"
        self.meta_path = self.dir / f"{sid}.json"
        self.key = f"{folder}/{sid}"

    def meta(self) -> dict[str, Any] | None:
        try:
            meta = json.loads(self.meta_path.read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(meta, dict) or not isinstance(meta.get("length"), int):
            return None
        if not isinstance(meta.get("sha256"), str) or not self.part.exists():
            return None
        return meta

    def offset(self) -> int:
        try:
            return self.part.stat().st_size
        except OSError:
            return 0

    def create(self, length: int, sha: str) -> None:
        self.dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.part.touch(mode=0o600)
        with self.part.open("r+b") as f:
            f.truncate(0)
        tmp = self.meta_path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps({"length": length, "sha256": sha, "created": time.time()}), "utf-8")
        os.replace(tmp, self.meta_path)

    def remove(self) -> None:
        for path in (self.part, self.meta_path):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def lock(self) -> threading.Lock:
        with _locks_guard:
            return _locks.setdefault(self.key, threading.Lock())

    def forget_lock(self) -> None:
        """Drop this upload's lock once it is committed (one lock per upload ever would only grow)."""
        with _locks_guard:
            _locks.pop(self.key, None)


def _sweep(staged: _Staged) -> None:
    """Remove this device's stale uploads; refuse a new one when too many are open."""
    if not staged.dir.is_dir():
        return
    now = time.time()
    parts = sorted(staged.dir.glob("*.part"))
    for part in parts:
        with contextlib.suppress(OSError):
            if now - part.stat().st_mtime > STALE_AFTER_S:
                part.unlink()
                part.with_suffix(".json").unlink(missing_ok=True)
    if len(list(staged.dir.glob("*.part"))) >= MAX_UPLOADS_PER_DEVICE:
        raise ApiProblem(429, "too_many_uploads", TOO_MANY, headers={"Retry-After": "60"})


def _offset_headers(offset: int, length: int) -> dict[str, str]:
    return {"Upload-Offset": str(offset), "Upload-Length": str(length), "Cache-Control": "no-store"}


def _stored_receipt(rt: Runtime, sid: str, sha: str) -> dict[str, Any] | None:
    with rt.session() as s:
        same = s.execute(
            select(Submission).where(Submission.id == sid, Submission.sha256 == sha).limit(1)
        ).scalar_one_or_none()
    return _receipt(same, duplicate=True) if same is not None else None


_START_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "the upload already exists (or the envelope is already stored: `receipt`)"},
    201: {"description": "upload started"},
    400: {"model": ErrorBody},
    401: {"model": ErrorBody},
    403: {"model": ErrorBody},
    409: {"model": ErrorBody, "description": "an upload with this id was started for other data"},
    413: {"model": ErrorBody},
    429: {"model": ErrorBody},
}


@router.post("/v2/uploads/{submission_id}", responses=_START_RESPONSES, status_code=201)
def start_upload(
    submission_id: UploadId,
    rt: RuntimeDep,
    device: DeviceDep,
    upload_length: Annotated[str, Header(alias="Upload-Length", max_length=12)],
    upload_sha256: Annotated[str, Header(alias="Upload-Sha256", max_length=64)],
) -> JSONResponse:
    """Start (or find) the upload of one sealed envelope: its length and sha256, and the current offset."""
    sid = str(submission_id)
    sha = upload_sha256.strip().lower()
    if not upload_length.isdigit() or not _SHA256.match(sha):
        raise ApiProblem(400, "upload_headers_invalid", BAD_HEADERS)
    length = int(upload_length)
    if length <= 0:
        raise ApiProblem(400, "upload_headers_invalid", BAD_HEADERS)
    if length > rt.settings.max_body_bytes:
        raise ApiProblem(
            413, "envelope_too_large", Message("Data melebihi batas.", "Larger than the envelope limit.")
        )
    receipt = _stored_receipt(rt, sid, sha)
    staged = _Staged(rt, device, sid)
    if receipt is not None:
        staged.remove()
        return JSONResponse(
            {"offset": length, "length": length, "receipt": receipt},
            status_code=200,
            headers=_offset_headers(length, length),
        )
    with staged.lock():
        meta = staged.meta()
        if meta is not None:
            if meta["length"] != length or meta["sha256"] != sha:
                if staged.offset() > 0:
                    raise ApiProblem(409, "upload_conflict", OTHER_CONTENT)
                staged.remove()  # nothing received yet: the kiosk may start again with other bytes
            else:
                offset = staged.offset()
                return JSONResponse(
                    {"offset": offset, "length": length, "receipt": None},
                    status_code=200,
                    headers=_offset_headers(offset, length),
                )
        _sweep(staged)
        staged.create(length, sha)
    return JSONResponse(
        {"offset": 0, "length": length, "receipt": None}, status_code=201, headers=_offset_headers(0, length)
    )


@router.head(
    "/v2/uploads/{submission_id}",
    responses={
        200: {"description": "`Upload-Offset` and `Upload-Length` headers"},
        401: {"description": "no or bad token"},
        403: {"description": "revoked device"},
        404: {"description": "no such upload"},
    },
)
def upload_offset(submission_id: UploadId, rt: RuntimeDep, device: DeviceDep) -> Response:
    """How many bytes of this upload the server holds (``Upload-Offset``)."""
    staged = _Staged(rt, device, str(submission_id))
    meta = staged.meta()
    if meta is None:
        return Response(status_code=404)
    return Response(status_code=200, headers=_offset_headers(staged.offset(), meta["length"]))


@router.patch(
    "/v2/uploads/{submission_id}",
    status_code=204,
    responses={
        204: {"description": "appended; `Upload-Offset` is the new offset"},
        400: {"model": ErrorBody},
        401: {"model": ErrorBody},
        403: {"model": ErrorBody},
        404: {"model": ErrorBody},
        409: {"model": ErrorBody, "description": "offset mismatch (header `Upload-Offset`) or busy"},
        413: {"model": ErrorBody},
        415: {"model": ErrorBody},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
            "description": "the envelope's bytes from `Upload-Offset` on (all of them, or a part)",
        }
    },
)
async def append_upload(
    submission_id: UploadId,
    request: Request,
    rt: RuntimeDep,
    device: DeviceDep,
    upload_offset_header: Annotated[str, Header(alias="Upload-Offset", max_length=12)],
) -> Response:
    """Append bytes at ``Upload-Offset``; what arrives before a connection breaks is kept."""
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if ctype not in UPLOAD_MEDIA_TYPES:
        raise ApiProblem(
            415,
            "unsupported_media_type",
            Message("Jenis data tidak didukung.", "The body must be application/octet-stream."),
        )
    if not upload_offset_header.isdigit():
        raise ApiProblem(400, "upload_headers_invalid", BAD_HEADERS)
    staged = _Staged(rt, device, str(submission_id))
    meta = staged.meta()
    if meta is None:
        raise ApiProblem(404, "upload_not_found", NO_UPLOAD)
    length = int(meta["length"])
    lock = staged.lock()
    if not lock.acquire(blocking=False):
        raise ApiProblem(409, "upload_busy", BUSY, headers=_offset_headers(staged.offset(), length))
    try:
        offset = staged.offset()
        if int(upload_offset_header) != offset:
            raise ApiProblem(
                409, "upload_offset_mismatch", OFFSET_MISMATCH, headers=_offset_headers(offset, length)
            )
        with staged.part.open("ab") as f:
            stream = request.stream().__aiter__()
            try:
                while True:
                    try:
                        chunk = await asyncio.wait_for(stream.__anext__(), IDLE_TIMEOUT_S)
                    except StopAsyncIteration:
                        break
                    except TimeoutError:
                        log.info(
                            "upload part idle for %.0f s; kept %d of %d bytes", IDLE_TIMEOUT_S, offset, length
                        )
                        break
                    if offset + len(chunk) > length:
                        f.write(chunk[: length - offset])
                        offset = length
                        raise ApiProblem(
                            413,
                            "upload_too_long",
                            Message("Data melebihi panjang unggahan.", "More bytes than Upload-Length."),
                            headers=_offset_headers(offset, length),
                        )
                    f.write(chunk)
                    offset += len(chunk)
            except ClientDisconnect:
                log.info("upload part cut off by the client; kept %d of %d bytes", offset, length)
            finally:
                f.flush()
                os.fsync(f.fileno())
    finally:
        lock.release()
    return Response(status_code=204, headers=_offset_headers(offset, length))


@router.post(
    "/v2/uploads/{submission_id}/commit",
    response_model=Receipt,
    status_code=201,
    responses={
        200: {"model": Receipt, "description": "identical envelope already stored (delivered)"},
        201: {"model": Receipt, "description": "stored (delivered)"},
        401: {"model": ErrorBody},
        403: {"model": ErrorBody},
        404: {"model": ErrorBody, "description": "no such upload"},
        409: {"model": ErrorBody, "description": "incomplete, sha256 mismatch, or PUT's conflict"},
        422: {"model": ErrorBody, "description": "as PUT /v1/submissions/{id}"},
    },
)
async def commit_upload(
    submission_id: UploadId,
    rt: RuntimeDep,
    device: DeviceDep,
    x_audit_head: Annotated[
        str | None,
        Header(
            alias=AUDIT_HEADER,
            max_length=100,
            description="optional: the kiosk's audit-log head as `seq:sha256hex`, as on PUT /v1",
        ),
    ] = None,
) -> JSONResponse:
    """Deliver the staged envelope: the same checks, storage and receipt as ``PUT /v1/submissions/{id}``."""
    sid = str(submission_id)
    staged = _Staged(rt, device, sid)
    meta = staged.meta()
    if meta is None:
        raise ApiProblem(404, "upload_not_found", NO_UPLOAD)
    lock = staged.lock()
    if not lock.acquire(blocking=False):
        raise ApiProblem(409, "upload_busy", BUSY)
    try:
        offset, length = staged.offset(), int(meta["length"])
        if offset != length:
            raise ApiProblem(409, "upload_incomplete", INCOMPLETE, headers=_offset_headers(offset, length))
        blob = staged.part.read_bytes()
        if hashlib.sha256(blob).hexdigest() != meta["sha256"]:
            staged.remove()
            raise ApiProblem(409, "upload_sha256_mismatch", SHA_MISMATCH)
        status, body = await deliver(rt, sid, blob, device, x_audit_head)
        staged.remove()  # stored: the parts are done (a refusal above keeps them for a staff retry)
    finally:
        lock.release()
    staged.forget_lock()
    return JSONResponse(body, status_code=status)
