"""Fault injection for tests and training: an ASGI middleware in front of the whole API.

Why ASGI middleware (not per-endpoint code): the faults must look like a bad network or an overloaded
server to the kiosk *before* any endpoint runs (captive portal, 429, 5xx), or must cut an already
computed response (connection dropped mid-body, after the server stored the submission — the case
that tests idempotent resends). Randomness comes from a ``random.Random(seed)`` so a test run is
reproducible; bursts (``*_burst``) fault exactly the next N requests.

Admin paths (``/v1/admin/…``) and the OpenAPI document are never faulted, so a test can always switch
faults off again.
"""

from __future__ import annotations

import asyncio
import random
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

EXEMPT_PREFIXES = ("/v1/admin", "/openapi.json", "/docs", "/redoc")
CAPTIVE_PORTAL_HTML = (
    b"<!DOCTYPE html><html><head><title>Wi-Fi Login</title></head>"
    b"<body><h1>Selamat datang di Wi-Fi Gratis</h1><p>Silakan masuk untuk melanjutkan.</p>"
    b"<form><input name='voucher'><button>Masuk</button></form></body></html>"
)


class FaultConfig(BaseModel):
    """Which faults to inject. All zero/false (the default) means a healthy server."""

    model_config = ConfigDict(extra="forbid")

    seed: int = Field(default=0, description="seed of the random generator (reset when config is set)")
    latency_ms: int = Field(default=0, ge=0, le=120_000, description="added delay on every request")
    latency_jitter_ms: int = Field(default=0, ge=0, le=120_000, description="extra uniform random delay")
    slow_rate: float = Field(
        default=0.0, ge=0.0, le=1.0, description="probability that a request also stalls for slow_ms"
    )
    slow_ms: int = Field(
        default=0, ge=0, le=120_000, description="the stall of a slow request (e.g. past a client's timeout)"
    )
    error_rate: float = Field(default=0.0, ge=0.0, le=1.0, description="probability of a 5xx answer")
    error_burst: int = Field(default=0, ge=0, description="the next N requests get a 5xx answer")
    error_status: int = Field(default=500, ge=500, le=599, description="status used for injected 5xx")
    rate_limit_rate: float = Field(default=0.0, ge=0.0, le=1.0, description="probability of a 429")
    rate_limit_burst: int = Field(default=0, ge=0, description="the next N requests get 429")
    retry_after: int = Field(default=1, ge=0, le=3600, description="Retry-After seconds on 429/503")
    drop_rate: float = Field(default=0.0, ge=0.0, le=1.0, description="probability of a dropped reply")
    drop_burst: int = Field(default=0, ge=0, description="the next N replies are cut mid-body")
    captive_portal: bool = Field(default=False, description="answer every request 200 text/html")
    captive_portal_burst: int = Field(default=0, ge=0, description="the next N requests get the portal")
    path_prefix: str = Field(default="/", max_length=200, description="only fault paths starting here")

    def is_healthy(self) -> bool:
        """True when nothing is injected."""
        return self == FaultConfig(seed=self.seed, path_prefix=self.path_prefix)


class FaultState:
    """The live, thread-safe fault configuration plus its random generator and burst counters."""

    def __init__(self, config: FaultConfig | None = None) -> None:
        self._lock = threading.Lock()
        self._config = FaultConfig()
        self._rng = random.Random(0)
        self._bursts: dict[str, int] = {}
        self.injected: dict[str, int] = {}
        self.set(config or FaultConfig())

    @property
    def config(self) -> FaultConfig:
        with self._lock:
            return self._config

    def set(self, config: FaultConfig) -> None:
        """Replace the configuration, reseed, and restart the burst counters."""
        with self._lock:
            self._config = config
            self._rng = random.Random(config.seed)
            self._bursts = {
                "captive": config.captive_portal_burst,
                "drop": config.drop_burst,
                "429": config.rate_limit_burst,
                "error": config.error_burst,
            }
            self.injected = {"captive": 0, "drop": 0, "429": 0, "error": 0, "latency": 0}

    def decide(self, path: str) -> tuple[str | None, float]:
        """Pick the fault for one request: ``(kind or None, delay seconds)``."""
        with self._lock:
            cfg = self._config
            if path.startswith(EXEMPT_PREFIXES) or not path.startswith(cfg.path_prefix):
                return None, 0.0
            delay = cfg.latency_ms / 1000.0
            if cfg.latency_jitter_ms:
                delay += self._rng.uniform(0, cfg.latency_jitter_ms / 1000.0)
            if self._roll(cfg.slow_rate):  # chosen by the seed, not by how loaded the machine is
                delay += cfg.slow_ms / 1000.0
            if delay:
                self.injected["latency"] += 1
            kind: str | None = None
            if cfg.captive_portal or self._take("captive"):
                kind = "captive"
            elif self._take("drop") or self._roll(cfg.drop_rate):
                kind = "drop"
            elif self._take("429") or self._roll(cfg.rate_limit_rate):
                kind = "429"
            elif self._take("error") or self._roll(cfg.error_rate):
                kind = "error"
            if kind:
                self.injected[kind] += 1
            return kind, delay

    def _take(self, name: str) -> bool:
        if self._bursts.get(name, 0) > 0:
            self._bursts[name] -= 1
            return True
        return False

    def _roll(self, rate: float) -> bool:
        return rate > 0 and self._rng.random() < rate


class FaultMiddleware:
    """ASGI middleware applying :class:`FaultState` decisions to HTTP requests."""

    def __init__(self, app: ASGIApp, state: FaultState) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        kind, delay = self.state.decide(scope.get("path", ""))
        if delay:
            await asyncio.sleep(delay)
        if kind is None:
            await self.app(scope, receive, send)
        elif kind == "captive":
            await _plain(send, 200, CAPTIVE_PORTAL_HTML, "text/html; charset=utf-8")
        elif kind == "429":
            body = b'{"error":"rate_limited","message":{"id":"Terlalu banyak permintaan.","en":"Too many requests."}}'
            await _plain(send, 429, body, "application/json", self.state.config.retry_after)
        elif kind == "error":
            status = self.state.config.error_status
            body = b'{"error":"injected_fault","message":{"id":"Gangguan server.","en":"Server fault."}}'
            retry = self.state.config.retry_after if status == 503 else None
            await _plain(send, status, body, "application/json", retry)
        else:
            await self._drop(scope, receive, send)

    async def _drop(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the real endpoint (its side effects happen), then send half the reply and hang up."""
        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(bytes(message.get("body", b"")))

        await self.app(scope, receive, capture)
        body = b"".join(chunks) or b"{}"
        headers = [(k, v) for k, v in (start or {}).get("headers", []) if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body) + 64).encode()))
        await send(
            {"type": "http.response.start", "status": (start or {}).get("status", 200), "headers": headers}
        )
        await send({"type": "http.response.body", "body": body[: max(1, len(body) // 2)], "more_body": True})
        # Returning now leaves the response incomplete: uvicorn closes the socket.


async def _plain(
    send: Send, status: int, body: bytes, content_type: str, retry_after: int | None = None
) -> None:
    headers = [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode())]
    if retry_after is not None:
        headers.append((b"retry-after", str(retry_after).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
