"""One error shape for every refusal: ``{"error": code, "message": {"id", "en"}, "problems": [...]}``.

Why: the kiosk shows the server's reason to a person (in their language) and decides what to do by the
stable ``code``; FastAPI's default error bodies have neither. Malformed requests (bad JSON, bad UUID,
wrong types) become 4xx here; anything unexpected is a 500 with no detail (and is a bug).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kiosk.i18n import Message

log = logging.getLogger("central_api")


class ApiProblem(Exception):
    """Raised by endpoints to answer with a documented error."""

    def __init__(
        self,
        status: int,
        code: str,
        message: Message,
        *,
        problems: Sequence[Mapping[str, Any]] = (),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.message = message
        self.problems = list(problems)
        self.headers = dict(headers or {})


def error_body(code: str, message: Message, problems: Sequence[Mapping[str, Any]] = ()) -> dict[str, Any]:
    """The JSON body of an error answer."""
    body: dict[str, Any] = {"error": code, "message": message.as_dict()}
    if problems:
        body["problems"] = list(problems)
    return body


_STATUS_MESSAGES: dict[int, tuple[str, Message]] = {
    404: ("not_found", Message("Alamat tidak ditemukan.", "Not found.")),
    405: ("method_not_allowed", Message("Metode tidak diizinkan.", "Method not allowed.")),
    413: ("too_large", Message("Data terlalu besar.", "The request is too large.")),
    415: ("unsupported_media_type", Message("Jenis data tidak didukung.", "Unsupported content type.")),
}


_UNREADABLE_BODY = Message("Isi permintaan tidak bisa dibaca.", "The request body cannot be read.")


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that give every error the documented shape."""

    @app.exception_handler(ApiProblem)
    async def _problem(_request: Request, exc: ApiProblem) -> JSONResponse:
        return JSONResponse(
            error_body(exc.code, exc.message, exc.problems), status_code=exc.status, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for err in exc.errors()[:50]:
            loc = [str(p) for p in err.get("loc", ())]
            problems.append(
                {
                    "field": ".".join(loc) or "(request)",
                    "message": {
                        "id": "Isian permintaan tidak valid.",
                        "en": str(err.get("msg", "invalid"))[:200],
                    },
                }
            )
        msg = Message("Permintaan tidak valid.", "The request is not valid.")
        return JSONResponse(error_body("request_invalid", msg, problems), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        if exc.status_code == 400:
            # FastAPI's "error parsing the body" (a body it cannot decode at all): the same documented
            # 422 as any other invalid request, so a client needs one rule and the OpenAPI stays true.
            return JSONResponse(error_body("request_invalid", _UNREADABLE_BODY), status_code=422)
        code, msg = _STATUS_MESSAGES.get(
            exc.status_code, ("http_error", Message("Permintaan ditolak.", "The request was refused."))
        )
        return JSONResponse(error_body(code, msg), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        # Only the exception type: the message could carry request data (PII).
        log.error("unexpected error %s", type(exc).__name__)
        msg = Message("Kesalahan di server.", "Server error.")
        return JSONResponse(error_body("internal_error", msg), status_code=500)
