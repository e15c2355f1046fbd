"""Application factory of the reference central API.

Why FastAPI: typed request bodies (pydantic, like ``kiosk.payload``) and an OpenAPI document generated
from the code, which is the published contract (``docs/openapi.json``). Fault injection and the
capacity limit are ASGI middleware around the whole app (see ``central_api.faults``).
"""

from __future__ import annotations

from fastapi import FastAPI

from central_api.capacity import CapacityMiddleware
from central_api.errors import install_error_handlers
from central_api.faults import FaultMiddleware
from central_api.otp import OtpSender
from central_api.routes import admin, devices, info, operators, otp, submissions
from central_api.runtime import Runtime, build_runtime
from central_api.settings import Settings

API_TITLE = "Prakerja kiosk reference central API"
API_VERSION = "1.0.0"
API_DESCRIPTION = (
    "Server side of the kiosk sync contract: device enrolment, operator login, OTP, sealed submissions "
    "(docs/envelope.md), current wave and signed test bank. Errors have the shape "
    '`{"error": code, "message": {"id": ..., "en": ...}, "problems": [...]}`.'
)


def create_app(settings: Settings | Runtime, *, otp_sender: OtpSender | None = None) -> FastAPI:
    """Build the app; prepares the data dir, keys and database (raises ``DataDirError`` on bad dirs)."""
    rt = settings if isinstance(settings, Runtime) else build_runtime(settings, otp_sender)
    app = FastAPI(title=API_TITLE, version=API_VERSION, description=API_DESCRIPTION)
    app.state.rt = rt
    install_error_handlers(app)
    for module in (info, devices, operators, otp, submissions, admin):
        app.include_router(module.router)
    app.add_middleware(CapacityMiddleware, limiter=rt.limiter, retry_after=rt.settings.capacity_retry_after)
    app.add_middleware(FaultMiddleware, state=rt.faults)
    return app


def openapi_document() -> dict[str, object]:
    """The OpenAPI document without needing a data dir (used by scripts/export_openapi.py)."""
    app = FastAPI(title=API_TITLE, version=API_VERSION, description=API_DESCRIPTION)
    for module in (info, devices, operators, otp, submissions, admin):
        app.include_router(module.router)
    return app.openapi()
