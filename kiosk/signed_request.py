"""Requests a device signs with its own Ed25519 key: token renewal and health heartbeats (issue 19).

Why signed and not only bearer-authenticated: the bearer token is what *expires*; a kiosk that was
switched off past its token's expiry (or lost the renewal reply) must still be able to prove who it is.
The device key made at enrolment is the lasting credential — the server holds its public half — so a
request signed with it renews the token even after expiry, while a revoked device is refused either way.

Wire form (JSON)::

    {"format": "prakerja-signed-request-v1", "kind": "token-renew" | "heartbeat",
     "device_id": "...", "sent_at": "2026-11-30T08:00:00+00:00", "body": {...},
     "signature": "<base64url Ed25519 over canonical({format, kind, device_id, sent_at, body})>"}

``canonical`` is compact JSON with sorted keys (UTF-8), so both sides hash the same bytes whatever the
order on the wire. Replays are refused by the server: ``sent_at`` must be within a window of its clock and
newer than the last accepted request of that kind from that device.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from kiosk.envelope import b64d, b64e

FORMAT = "prakerja-signed-request-v1"
KINDS = frozenset({"token-renew", "heartbeat"})
MAX_BODY_BYTES = 16 * 1024


class SignedRequestError(ValueError):
    """The request is malformed, of the wrong kind, or its signature does not verify."""


def canonical(kind: str, device_id: str, sent_at: str, body: Mapping[str, Any]) -> bytes:
    """The exact bytes that are signed."""
    doc = {"format": FORMAT, "kind": kind, "device_id": device_id, "sent_at": sent_at, "body": body}
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def sign_request(
    kind: str,
    device_id: str,
    key: Ed25519PrivateKey,
    body: Mapping[str, Any] | None = None,
    *,
    sent_at: dt.datetime | None = None,
) -> dict[str, Any]:
    """A signed request document ready to POST as JSON."""
    if kind not in KINDS:
        raise ValueError(f"unknown signed request kind {kind!r}")
    when = (sent_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).isoformat(timespec="microseconds")
    payload = dict(body or {})
    signature = key.sign(canonical(kind, device_id, when, payload))
    return {
        "format": FORMAT,
        "kind": kind,
        "device_id": device_id,
        "sent_at": when,
        "body": payload,
        "signature": b64e(signature),
    }


def parse_request(doc: Any, kind: str) -> tuple[str, dt.datetime, dict[str, Any], bytes, bytes]:
    """Check the shape: ``(device_id, sent_at, body, signed bytes, signature)``; no key needed yet."""
    if not isinstance(doc, Mapping) or doc.get("format") != FORMAT or doc.get("kind") != kind:
        raise SignedRequestError("not a signed request of this kind")
    device_id, sent_at, body, sig = (
        doc.get("device_id"),
        doc.get("sent_at"),
        doc.get("body"),
        doc.get("signature"),
    )
    if not isinstance(device_id, str) or not 0 < len(device_id) <= 80:
        raise SignedRequestError("device_id missing")
    if not isinstance(sent_at, str) or len(sent_at) > 40 or not isinstance(body, dict):
        raise SignedRequestError("sent_at or body missing")
    if not isinstance(sig, str) or len(sig) > 200:
        raise SignedRequestError("signature missing")
    try:
        when = dt.datetime.fromisoformat(sent_at)
        signature = b64d(sig)
    except ValueError as exc:
        raise SignedRequestError("sent_at or signature malformed") from exc
    if when.tzinfo is None:
        raise SignedRequestError("sent_at has no time zone")
    signed = canonical(kind, device_id, sent_at, body)
    if len(signed) > MAX_BODY_BYTES:
        raise SignedRequestError("body too large")
    return device_id, when.astimezone(dt.UTC), body, signed, signature


def verify(signed: bytes, signature: bytes, public_key: Ed25519PublicKey) -> None:
    """Raise :class:`SignedRequestError` unless ``signature`` is the device's over ``signed``."""
    try:
        public_key.verify(signature, signed)
    except InvalidSignature as exc:
        raise SignedRequestError("signature does not verify") from exc
