"""What a sender must do, and the one table that turns an HTTP reply into an outcome.

Why the table lives here, not in the kiosk's HTTP client: it is the sync contract's heart (what counts
as delivered, what is retried, what needs a person) and must be the same for every transport and
testable without a network. The transport only moves bytes and hands the reply to
:func:`classify_http`.
"""

from __future__ import annotations

import email.utils
import enum
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Protocol

from offline_queue.reasons import ReasonCode

MAX_RETRY_AFTER_S: Final = 24 * 3600.0
"""A Retry-After longer than a day is treated as a day here; the sync engine caps any hold further, at
its backoff cap (``RetryPolicy.cap_s``), so a typo on the server cannot park a kiosk."""


class Outcome(enum.Enum):
    """What happened to one upload."""

    DELIVERED = "delivered"
    RETRY = "retry"
    ATTENTION = "attention"
    AUTH_REQUIRED = "auth_required"
    OFFLINE = "offline"


@dataclass(frozen=True, slots=True)
class Delivery:
    """The result of one ``send``.

    ``retry_after`` (seconds) is set only when the server asked to wait (429/503 with Retry-After);
    the engine then sends nothing at all until it has passed. ``status`` is the HTTP status, if any.
    ``code`` (a :class:`~offline_queue.reasons.ReasonCode` value) says why in a way programs can
    choose words by; ``reason`` is the English sentence for logs.
    """

    outcome: Outcome
    receipt: dict[str, Any] | None = None
    reason: str | None = None
    retry_after: float | None = None
    status: int | None = None
    code: str | None = None


class Transport(Protocol):
    """Moves one blob to the server. Must not raise for network trouble: return a :class:`Delivery`."""

    def send(self, item_id: str, blob: bytes) -> Delivery:
        """Upload ``blob`` as item ``item_id`` and say what happened."""
        ...


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); ``None`` if absent/bad."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():  # str.isdigit() alone admits "²", which int() refuses
        # Beyond 12 digits it is past the cap anyway (and int() of thousands of digits is refused).
        return MAX_RETRY_AFTER_S if len(text) > 12 else min(float(int(text)), MAX_RETRY_AFTER_S)
    when = parse_http_date(text)
    if when is None:
        return None
    current = time.time() if now is None else now
    return min(max(0.0, when - current), MAX_RETRY_AFTER_S)


def parse_http_date(value: str | None) -> float | None:
    """An HTTP date (e.g. a reply's ``Date``) as a POSIX timestamp; ``None`` if absent or unreadable."""
    if not value or not value.strip():
        return None
    try:
        when = email.utils.parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None or when.tzinfo is None:
        return None
    try:
        return when.timestamp()
    except (OverflowError, ValueError, OSError):
        return None


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in headers.items()}


def _json_object(headers: dict[str, str], body: bytes | None) -> dict[str, Any] | None:
    """The body as a JSON object when the reply says it is JSON and it parses; else ``None``."""
    ctype = headers.get("content-type", "").split(";")[0].strip().lower()
    if not (ctype == "application/json" or ctype.endswith("+json")) or not body:
        return None
    try:
        parsed = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: absurdly deep nesting
        return None
    return parsed if isinstance(parsed, dict) else None


def _reason(obj: dict[str, Any] | None, status: int) -> str:
    """A one-line reason from an error body.

    Understands ``{"error": code, "message": {"id": …, "en": …}}`` (both languages kept, Indonesian
    first) and the common ``reason``/``detail``/``message`` keys; the full body stays in the receipt.
    """
    if obj:
        message = obj.get("message")
        if isinstance(message, dict) and any(isinstance(v, str) for v in message.values()):
            texts = [str(message[k]) for k in ("id", "en") if isinstance(message.get(k), str)]
            code = obj.get("error")
            suffix = f" [{code}]" if isinstance(code, str) else ""
            return " / ".join(texts or [str(v) for v in message.values()]) + suffix
        for key in ("reason", "detail", "message", "error"):
            value = obj.get(key)
            if isinstance(value, str) and value:
                return value
            if value:
                return json.dumps(value, ensure_ascii=False, sort_keys=True)[:2000]
    return f"HTTP {status}"


def _server_now(headers: dict[str, str], now: float | None) -> float | None:
    """The server's "now" from its ``Date`` header; else ``now`` (the caller's clock, default local)."""
    server = parse_http_date(headers.get("date"))
    return server if server is not None else now


def classify_http(
    status: int,
    headers: Mapping[str, str],
    body: bytes | None,
    *,
    now: float | None = None,
) -> Delivery:
    """The contract's status table.

    - 200/201 with a JSON object body: delivered (the object is the receipt). A 200 that is not JSON
      (a captive portal's HTML login page) is *not* a delivery: offline.
    - 3xx: something between us and the server redirects (captive portal): offline.
    - 409/422 and other permanent 4xx: needs attention, with the server's reason.
    - 401/403: re-authentication needed; the batch stops and no attempt is counted.
    - 429/503: retry, honouring Retry-After (``retry_after`` set when the header is present). A date
      form is measured against the reply's own ``Date`` (the server's clock), not the kiosk's: a server
      an hour behind would otherwise ask for "-1 h" (hammering) and one two days ahead for two days.
    - 404/405/408, other 5xx: retry with backoff (a wrong or moved URL must not condemn registrations).
    """
    h = _lower(headers)
    obj = _json_object(h, body)
    if status in (200, 201):
        if obj is None:
            return Delivery(
                Outcome.OFFLINE,
                reason="The reply was not the server's (a login page of a Wi-Fi network?)",
                status=status,
                code=ReasonCode.REPLY_NOT_SERVER,
            )
        return Delivery(Outcome.DELIVERED, receipt=obj, status=status)
    if 300 <= status < 400:
        return Delivery(
            Outcome.OFFLINE,
            reason=f"Redirected (HTTP {status}): the network needs a login",
            status=status,
            code=ReasonCode.REDIRECTED,
        )
    if status in (401, 403):
        return Delivery(
            Outcome.AUTH_REQUIRED, reason=_reason(obj, status), status=status, code=ReasonCode.AUTH_REFUSED
        )
    if status in (429, 503):
        return Delivery(
            Outcome.RETRY,
            reason=_reason(obj, status) if obj else f"Server busy (HTTP {status})",
            retry_after=parse_retry_after(h.get("retry-after"), _server_now(h, now)),
            status=status,
            code=ReasonCode.SERVER_BUSY,
        )
    if status in (404, 405, 408) or status >= 500:
        return Delivery(
            Outcome.RETRY, reason=f"Server error (HTTP {status})", status=status, code=ReasonCode.SERVER_ERROR
        )
    if 400 <= status < 500:
        return Delivery(
            Outcome.ATTENTION,
            receipt=obj,
            reason=_reason(obj, status),
            status=status,
            code=ReasonCode.REFUSED,
        )
    return Delivery(
        Outcome.RETRY,
        reason=f"Unexpected reply (HTTP {status})",
        status=status,
        code=ReasonCode.UNEXPECTED_REPLY,
    )
