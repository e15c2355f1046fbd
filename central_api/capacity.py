"""Capacity limit: refuse work beyond N concurrent requests with 503 + Retry-After.

Why: on the first day of a wave the real API saw 80,000 registrations a minute. A server that accepts
everything and then times out teaches kiosks nothing; a quick 503 with ``Retry-After`` lets their
backoff spread the load. Limits are global and per client (the bearer token when present, otherwise
the peer address), so one noisy kiosk cannot starve an office. Zero disables a limit.
"""

from __future__ import annotations

import hashlib
import threading
from collections import defaultdict

from central_api.faults import ASGIApp, Receive, Scope, Send, _plain

EXEMPT_PREFIXES = ("/v1/admin", "/openapi.json")


class CapacityLimiter:
    """Counts in-flight requests; thread-safe because uvicorn may run several workers' tasks."""

    def __init__(self, max_total: int, max_per_client: int) -> None:
        self.max_total = max_total
        self.max_per_client = max_per_client
        self._lock = threading.Lock()
        self._total = 0
        self._per_client: dict[str, int] = defaultdict(int)
        self.refused = 0

    def acquire(self, client: str) -> bool:
        with self._lock:
            if (self.max_total and self._total >= self.max_total) or (
                self.max_per_client and self._per_client[client] >= self.max_per_client
            ):
                self.refused += 1
                return False
            self._total += 1
            self._per_client[client] += 1
            return True

    def release(self, client: str) -> None:
        with self._lock:
            self._total -= 1
            self._per_client[client] -= 1
            if self._per_client[client] <= 0:
                del self._per_client[client]


def client_key(scope: Scope) -> str:
    """The bearer token's digest when present (one kiosk), else the peer IP."""
    for name, value in scope.get("headers", []):
        if name.lower() == b"authorization":
            return "t:" + hashlib.sha256(value).hexdigest()[:16]
    peer = scope.get("client") or ("?", 0)
    return f"ip:{peer[0]}"


class CapacityMiddleware:
    """ASGI middleware applying a :class:`CapacityLimiter`."""

    def __init__(self, app: ASGIApp, limiter: CapacityLimiter, retry_after: int) -> None:
        self.app = app
        self.limiter = limiter
        self.retry_after = retry_after

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path", "").startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        client = client_key(scope)
        if not self.limiter.acquire(client):
            body = (
                b'{"error":"over_capacity","message":{"id":"Server sedang sibuk, dicoba lagi nanti.",'
                b'"en":"The server is busy; it will be retried later."}}'
            )
            await _plain(send, 503, body, "application/json", self.retry_after)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            self.limiter.release(client)
