"""Application factory of the reference central API.

Why FastAPI: typed request bodies (pydantic, like ``kiosk.payload``) and an OpenAPI document generated
from the code, which is the published contract (``docs/openapi.json``). Fault injection, the capacity
limit and the body-size limit are ASGI middleware around the whole app (``central_api.faults``,
``central_api.limits``).

Why three surfaces: a deployed server (``central_api.cli``) serves devices on its public listener and
the admin routes plus the interactive docs on a *separate* listener, loopback by default, so nothing
on the public port can even try the admin token (issue 18, item 15). In-process servers (tests, the
frozen demo) bind 127.0.0.1 only and keep everything on one listener (``surface="all"``).
"""

from __future__ import annotations

from typing import Literal

from fastapi import FastAPI

from central_api.capacity import CapacityMiddleware
from central_api.errors import install_error_handlers
from central_api.faults import FaultMiddleware
from central_api.limits import BodyLimitMiddleware
from central_api.otp import OtpSender
from central_api.routes import admin, devices, fleet, info, operators, otp, submissions, uploads
from central_api.runtime import Runtime, build_runtime
from central_api.settings import Settings
from central_api.supervisor import router as _supervisor_router

API_TITLE = "Prakerja kiosk reference central API"
API_VERSION = "1.0.0"
API_DESCRIPTION = (
    "Server side of the kiosk sync contract: device enrolment, operator login, OTP, sealed submissions "
    "(docs/envelope.md), current wave and signed test bank. Errors have the shape "
    '`{"error": code, "message": {"id": ..., "en": ...}, "problems": [...]}`.'
)
Surface = Literal["all", "public", "admin"]
PUBLIC_MODULES = (info, devices, operators, otp, submissions, uploads, fleet)
"""Routers on the public (device) listener; the admin router is only on the admin listener."""


def create_app(
    settings: Settings | Runtime, *, otp_sender: OtpSender | None = None, surface: Surface = "all"
) -> FastAPI:
    """Build the app; prepares the data dir, keys and database (raises ``DataDirError`` on bad dirs).

    ``surface``: ``"public"`` (device routes, no docs), ``"admin"`` (admin routes, health and the docs)
    or ``"all"`` (both, for loopback-only in-process servers).
    """
    rt = settings if isinstance(settings, Runtime) else build_runtime(settings, otp_sender)
    docs = surface != "public"
    app = FastAPI(
        title=API_TITLE,
        version=API_VERSION,
        description=API_DESCRIPTION,
        docs_url="/docs" if docs else None,
        redoc_url="/redoc" if docs else None,
        openapi_url="/openapi.json" if docs else None,
    )
    app.state.rt = rt
    install_error_handlers(app)
    if surface in ("all", "public"):
        for module in PUBLIC_MODULES:
            app.include_router(module.router)
    if surface in ("all", "admin"):
        if surface == "admin":
            app.include_router(info.router)
        app.include_router(admin.router)
        app.include_router(_supervisor_router)  # the Dinas supervisor page (issue 19)
        app.include_router(fleet.admin_router)  # the centre's kiosk settings (issue 19)
    app.add_middleware(CapacityMiddleware, limiter=rt.limiter, retry_after=rt.settings.capacity_retry_after)
    app.add_middleware(FaultMiddleware, state=rt.faults)
    app.add_middleware(BodyLimitMiddleware, envelope_limit=rt.settings.max_body_bytes)
    return app


def openapi_document() -> dict[str, object]:
    """The OpenAPI document without needing a data dir (used by scripts/export_openapi.py)."""
    app = FastAPI(title=API_TITLE, version=API_VERSION, description=API_DESCRIPTION)
    for module in (*PUBLIC_MODULES, admin):
        app.include_router(module.router)
    app.include_router(fleet.admin_router)
    return app.openapi()
