"""Health, current wave and current test bank.

Why the test bank is served as a signed document: kiosks cache it for offline use and may get it via a
captive portal or a proxy; they verify the Ed25519 signature with the signing key received at enrolment
before trusting any byte of it. The bank's format and which bank is current belong to
``central_api.testbank``; this module only signs the bytes it publishes. A bank that cannot be loaded
(or does not fit its answer key) is a 404 ``no_testbank``, never a 500.
"""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import select

from central_api.auth import DeviceDep, RuntimeDep
from central_api.db import Wave, as_utc, utcnow
from central_api.errors import ApiProblem
from central_api.runtime import Runtime
from central_api.schemas import ErrorBody, Health, SignedDocument, WaveInfo
from central_api.testbank import current_bank
from kiosk.envelope import key_id
from kiosk.i18n import Message

router = APIRouter(tags=["info"])

NO_BANK = Message("Bank soal belum tersedia.", "No test bank is available.")


@router.get("/v1/health", response_model=Health)
def health(rt: RuntimeDep) -> Health:
    """Liveness and identity (no authentication; the kiosk's self-test uses it)."""
    return Health(
        status="ok",
        service="prakerja-central-api",
        api_version=1,
        time=utcnow(),
        envelope_key_id=key_id(rt.keys.envelope.public_key()),
    )


@router.get(
    "/v1/wave/current",
    response_model=WaveInfo,
    responses={401: {"model": ErrorBody}, 404: {"model": ErrorBody}},
)
def current_wave(rt: RuntimeDep, _device: DeviceDep) -> WaveInfo:
    """The open wave (gelombang) with the latest opening time, or 404 when none is open."""
    now = utcnow()
    with rt.session() as s:
        wave = s.execute(
            select(Wave)
            .where(Wave.opens_at <= now, Wave.closes_at > now)
            .order_by(Wave.opens_at.desc())
            .limit(1)
        ).scalar_one_or_none()
    if wave is None:
        raise ApiProblem(404, "no_open_wave", Message("Belum ada gelombang yang dibuka.", "No wave is open."))
    return WaveInfo(
        wave_id=wave.id,
        number=wave.number,
        name=wave.name,
        opens_at=as_utc(wave.opens_at),
        closes_at=as_utc(wave.closes_at),
        quota=wave.quota,
    )


def _bank_bytes(rt: Runtime) -> bytes | None:
    """The current bank's exact bytes, as chosen by ``central_api.testbank.current_bank``."""
    return current_bank(rt.settings.data_dir).raw


@router.get(
    "/v1/testbank/current",
    response_model=SignedDocument,
    responses={401: {"model": ErrorBody}, 404: {"model": ErrorBody}},
)
def current_testbank(rt: RuntimeDep, _device: DeviceDep) -> SignedDocument:
    """The current test bank as a signed document (verify the signature before parsing the bank)."""
    try:
        data = _bank_bytes(rt)
    except (OSError, ValueError, TypeError):
        data = None
    if not data:
        raise ApiProblem(404, "no_testbank", NO_BANK)
    return rt.keys.signed_document(data)
