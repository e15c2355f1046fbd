"""Request authentication: device bearer tokens, operator sessions and the admin token.

Why dependencies built on ``HTTPBearer(auto_error=False)``: the OpenAPI document then shows the
security schemes, while the refusals keep the API's own error shape and the contract's codes (401 no or
bad token, 403 revoked device).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import select

from central_api.db import Device, as_utc, utcnow
from central_api.errors import ApiProblem
from central_api.runtime import Runtime
from central_api.security import digest, equal
from kiosk.i18n import Message

device_bearer = HTTPBearer(auto_error=False, scheme_name="DeviceToken", description="device token")
admin_bearer = HTTPBearer(auto_error=False, scheme_name="AdminToken", description="admin token")

AUTH_REQUIRED = Message(
    "Perangkat belum masuk; daftarkan perangkat.", "The device is not signed in; enrol it."
)
AUTH_INVALID = Message(
    "Token perangkat tidak dikenal atau kedaluwarsa; daftarkan ulang.",
    "The device token is unknown or expired; enrol the device again.",
)
DEVICE_REVOKED = Message(
    "Perangkat ini telah dicabut; hubungi pengelola.",
    "This device has been revoked; contact the administrator.",
)


def runtime(request: Request) -> Runtime:
    """The server's :class:`Runtime`."""
    rt: Runtime = request.app.state.rt
    return rt


RuntimeDep = Annotated[Runtime, Depends(runtime)]


def current_device(
    rt: RuntimeDep,
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(device_bearer)],
) -> Device:
    """The enrolled, not revoked device whose bearer token came with the request."""
    if creds is None or not creds.credentials:
        raise ApiProblem(401, "auth_required", AUTH_REQUIRED, headers={"WWW-Authenticate": "Bearer"})
    token = creds.credentials
    if len(token) > 200:
        raise ApiProblem(401, "auth_invalid", AUTH_INVALID, headers={"WWW-Authenticate": "Bearer"})
    with rt.session() as s:
        device = s.execute(select(Device).where(Device.token_hash == digest(token))).scalar_one_or_none()
    if device is None or as_utc(device.token_expires_at) < utcnow():
        raise ApiProblem(401, "auth_invalid", AUTH_INVALID, headers={"WWW-Authenticate": "Bearer"})
    if device.revoked:
        raise ApiProblem(403, "device_revoked", DEVICE_REVOKED)
    return device


DeviceDep = Annotated[Device, Depends(current_device)]


def require_admin(
    rt: RuntimeDep,
    creds: Annotated[HTTPAuthorizationCredentials | None, Depends(admin_bearer)],
) -> None:
    """Refuse unless the admin token came with the request."""
    if creds is None or not equal(creds.credentials, rt.admin_token):
        raise ApiProblem(
            401,
            "admin_auth_required",
            Message("Token admin diperlukan.", "The admin token is required."),
            headers={"WWW-Authenticate": "Bearer"},
        )
