"""Request body limits for every route, and a small per-client rate limiter.

Why a middleware that counts while streaming: FastAPI reads a JSON body whole before validating it, so
one 150 MB POST to the unauthenticated enrolment route held 150 MB in memory. This middleware refuses a
declared ``Content-Length`` above the route's limit before reading a byte, and stops a chunked or
lying body as soon as the count passes the limit (413, the API's error shape). JSON routes get
64 KiB (the largest real body, an enrolment or a login, is under 1 KiB); the envelope routes keep
their own streamed 8 MiB limit, with this middleware as a backstop just above it.

Why a sliding-window limiter in memory: enrolment is the one route anyone can reach without a token.
Codes have 60 bits, so guessing is hopeless, but each attempt costs a database write; a window of N
attempts per client per minute keeps one client from hammering it. In memory is enough for a reference
server (a restart forgives everyone, which is harmless at these numbers).
"""

from __future__ import annotations

import threading
import time
from collections import deque

from fastapi import HTTPException

from central_api.faults import ASGIApp, Message, Receive, Scope, Send, _plain

JSON_BODY_LIMIT = 64 * 1024
ENVELOPE_PREFIXES = ("/v1/submissions/", "/v1/uploads", "/v2/uploads/")
"""Routes whose bodies are sealed envelopes (or parts of one): they keep the envelope limit."""
ENVELOPE_SLACK = 64 * 1024

_TOO_LARGE = b'{"error":"too_large","message":{"id":"Data terlalu besar.","en":"The request is too large."}}'
_BAD_LENGTH = (
    b'{"error":"bad_content_length","message":{"id":"Panjang data tidak valid.","en":"Bad Content-Length."}}'
)


def body_limit_for(path: str, envelope_limit: int) -> int:
    """The most bytes a request body to ``path`` may have."""
    if path.startswith(ENVELOPE_PREFIXES):
        return envelope_limit + ENVELOPE_SLACK
    return JSON_BODY_LIMIT


class BodyLimitMiddleware:
    """ASGI middleware: 413 for bodies over the route's limit, counted while they stream in."""

    def __init__(self, app: ASGIApp, envelope_limit: int) -> None:
        self.app = app
        self.envelope_limit = envelope_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit_for(scope.get("path", ""), self.envelope_limit)
        declared = None
        for name, value in scope.get("headers", []):
            if name.lower() == b"content-length":
                declared = value
        if declared is not None:
            if not declared.isdigit() or len(declared) > 18:
                await _plain(send, 400, _BAD_LENGTH, "application/json")
                return
            if int(declared) > limit:
                await _plain(send, 413, _TOO_LARGE, "application/json")
                return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message.get("type") == "http.request":
                body = message.get("body", b"")
                received += len(body) if isinstance(body, bytes | bytearray) else 0
                if received > limit:
                    # Raised inside the route's body read: FastAPI passes HTTPException through, and
                    # the API's handler answers it in the documented shape (code ``too_large``).
                    raise HTTPException(413)
            return message

        await self.app(scope, limited_receive, send)


class SlidingWindowLimiter:
    """At most ``limit`` events per ``window_s`` seconds per key; thread-safe."""

    def __init__(self, limit: int, window_s: float = 60.0, max_keys: int = 100_000) -> None:
        self.limit = limit
        self.window_s = window_s
        self.max_keys = max_keys
        self._events: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, now: float | None = None) -> float:
        """Record one event; 0 when allowed, else the seconds until the next one would be."""
        if self.limit <= 0:
            return 0.0
        now = time.monotonic() if now is None else now
        with self._lock:
            events = self._events.get(key)
            if events is None:
                if len(self._events) >= self.max_keys:
                    self._prune(now)
                events = self._events.setdefault(key, deque())
            while events and events[0] <= now - self.window_s:
                events.popleft()
            if len(events) >= self.limit:
                return max(0.001, events[0] + self.window_s - now)
            events.append(now)
            return 0.0

    def _prune(self, now: float) -> None:
        stale = [k for k, ev in self._events.items() if not ev or ev[-1] <= now - self.window_s]
        for key in stale:
            del self._events[key]
        if len(self._events) >= self.max_keys:  # still full: forget the oldest half
            for key in list(self._events)[: self.max_keys // 2]:
                del self._events[key]
