"""Device-signed fleet routes (issue 19): token renewal and health heartbeats.

Both take a request signed with the device's enrolment key (``kiosk.signed_request``) instead of the
bearer token alone: renewal must still work after the token expired (a kiosk switched off for a while),
and a heartbeat must be attributable to the device even when its token was refused. A revoked device is
refused with 403 ``device_revoked`` on both. Logic and tables: ``central_api.fleet``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from central_api.auth import DEVICE_REVOKED, DeviceDep, RuntimeDep, require_admin
from central_api.errors import ApiProblem
from central_api.fleet import (
    FleetRefusal,
    HeartbeatReport,
    central_settings_document,
    renew_token,
    set_central_settings,
    store_heartbeat,
    verify_device_request,
)
from central_api.schemas import ErrorBody, SignedDocument
from kiosk.i18n import Message

router = APIRouter(tags=["fleet"])
admin_router = APIRouter(
    prefix="/v1/admin",
    tags=["admin"],
    dependencies=[Depends(require_admin)],
    responses={401: {"model": ErrorBody}},
)
"""Admin-listener routes of the fleet (the centre's kiosk settings)."""

REFUSED = Message(
    "Permintaan perangkat tidak sah (tanda tangan, waktu, atau perangkat tidak dikenal).",
    "The device request is not valid (signature, time, or unknown device).",
)
REPORT_INVALID = Message("Laporan kesehatan tidak valid.", "The health report is not valid.")


class SignedRequest(BaseModel):
    """A request signed with the device key (see ``kiosk.signed_request``)."""

    model_config = ConfigDict(extra="forbid")

    format: Literal["prakerja-signed-request-v1"]
    kind: Literal["token-renew", "heartbeat"]
    device_id: str = Field(max_length=80)
    sent_at: str = Field(max_length=40)
    body: dict[str, Any]
    signature: str = Field(max_length=200)


class RenewedToken(BaseModel):
    """The new bearer token; the previous one is no longer accepted."""

    token: str
    token_expires_at: dt.datetime


class HeartbeatStored(BaseModel):
    """The heartbeat was stored."""

    stored: bool = True
    server_time: dt.datetime
    min_version: str | None = None
    latest_version: str | None = None


def _refuse(exc: FleetRefusal) -> ApiProblem:
    if exc.code == "device_revoked":
        return ApiProblem(403, "device_revoked", DEVICE_REVOKED)
    return ApiProblem(exc.status, exc.code, REFUSED)


@router.post(
    "/v1/devices/token",
    response_model=RenewedToken,
    responses={401: {"model": ErrorBody}, 403: {"model": ErrorBody}, 422: {"model": ErrorBody}},
)
def renew(body: SignedRequest, rt: RuntimeDep) -> RenewedToken:
    """Renew the device's bearer token (also after it expired); signed ``token-renew`` request."""
    try:
        device_id, _ = verify_device_request(rt, body.model_dump(), "token-renew")
        token, expires = renew_token(rt, device_id)
    except FleetRefusal as exc:
        raise _refuse(exc) from None
    return RenewedToken(token=token, token_expires_at=expires)


@router.post(
    "/v1/devices/heartbeat",
    response_model=HeartbeatStored,
    responses={401: {"model": ErrorBody}, 403: {"model": ErrorBody}, 422: {"model": ErrorBody}},
)
def heartbeat(body: SignedRequest, rt: RuntimeDep) -> HeartbeatStored:
    """Store a device's health report (counts, versions, states; no applicant data)."""
    try:
        device_id, report = verify_device_request(rt, body.model_dump(), "heartbeat")
    except FleetRefusal as exc:
        raise _refuse(exc) from None
    try:
        parsed = HeartbeatReport.model_validate(report)
    except ValidationError:
        raise ApiProblem(422, "heartbeat_invalid", REPORT_INVALID) from None
    store_heartbeat(rt, device_id, parsed)
    return HeartbeatStored(
        server_time=dt.datetime.now(dt.UTC),
        min_version=rt.settings.kiosk_min_version or None,
        latest_version=rt.settings.kiosk_latest_version or None,
    )


NO_SETTINGS = Message(
    "Pusat belum menerbitkan pengaturan kios.", "The centre has not published kiosk settings."
)


class CentralSettingsIn(BaseModel):
    """Kiosk settings to publish: dotted keys (``kiosk.idle_timeout_s`` ...), see ``kiosk.fleet_settings``."""

    model_config = ConfigDict(extra="forbid")

    settings: dict[str, Any]


class CentralSettingsOut(BaseModel):
    """The version now published."""

    version: int


@admin_router.put("/kiosk-settings", response_model=CentralSettingsOut, responses={422: {"model": ErrorBody}})
def publish_settings(body: CentralSettingsIn, rt: RuntimeDep) -> CentralSettingsOut:
    """Publish the settings every kiosk applies above its local file (and below a console override)."""
    try:
        version = set_central_settings(rt, body.settings)
    except ValueError as exc:
        raise ApiProblem(
            422,
            "settings_invalid",
            Message(f"Pengaturan tidak sah: {exc}", f"Settings not valid: {exc}"),
        ) from None
    return CentralSettingsOut(version=version)


@router.get(
    "/v1/settings/current",
    response_model=SignedDocument,
    responses={401: {"model": ErrorBody}, 404: {"model": ErrorBody}},
)
def current_settings(rt: RuntimeDep, _device: DeviceDep) -> SignedDocument:
    """The centre's kiosk settings as a signed document (verify before applying)."""
    data = central_settings_document(rt)
    if data is None:
        raise ApiProblem(404, "no_settings", NO_SETTINGS)
    return rt.keys.signed_document(data)
