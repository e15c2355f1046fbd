"""Fuzz what the kiosk reads from the network: any reply gives a typed result or a documented error.

A tiny real HTTP server on 127.0.0.1 answers every request with the reply hypothesis drew (status,
content type, ``Retry-After``, body — random bytes, random JSON, or a valid answer with one node
replaced, possibly cut mid-body). ``kiosk.api_client.ApiClient`` must return its model or raise an
``ApiError``; ``kiosk.http_transport.HttpTransport.send`` must return a ``Delivery`` and never raise.
No mock: the client's real ``requests`` stack parses real bytes off a socket.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.api_client import ApiClient, ApiError, parse_retry_after
from kiosk.envelope import b64e, key_id, raw_public
from kiosk.http_transport import HttpTransport
from offline_queue.transport import Delivery, Outcome, classify_http
from tests.support.fuzzing import FUZZ, mutate
from tests.support.local_http import QuietHandler, serve

SIGNING = Ed25519PrivateKey.generate()
ENVELOPE = X25519PrivateKey.generate()
NOW = "2026-11-23T09:00:00+00:00"


def _keys() -> dict[str, Any]:
    return {
        "envelope": {
            "algorithm": "X25519",
            "key_id": key_id(ENVELOPE.public_key()),
            "public_key": b64e(raw_public(ENVELOPE.public_key())),
        },
        "signing": {
            "algorithm": "Ed25519",
            "key_id": key_id(SIGNING.public_key()),
            "public_key": b64e(raw_public(SIGNING.public_key())),
        },
    }


STATUS = {
    "submission_id": "6f1c2a8e-0000-4000-8000-000000000001",
    "status": "received",
    "reason": None,
    "received_at": NOW,
    "updated_at": NOW,
}
# Valid answers of the endpoints, to be damaged one node at a time (deeper than random bytes get).
VALID: list[Any] = [
    {
        "status": "ok",
        "service": "prakerja-central-api",
        "api_version": 1,
        "time": NOW,
        "envelope_key_id": "k",
    },
    {"device_id": "d1", "token": "t" * 40, "token_expires_at": NOW, "server_keys": _keys()},
    STATUS,
    {"matches": [STATUS]},
    {
        "challenge_id": "c1",
        "channel": "sms",
        "destination_masked": "+62***12",
        "expires_at": NOW,
        "resend_after_seconds": 30,
    },
    {"verified": True, "otp_token": "o"},
    {
        "session_token": "s",
        "expires_at": NOW,
        "operator": {"username": "u", "display_name": "U", "role": "operator"},
        "offline_verifier": {"algorithm": "scrypt", "salt": "AAAA", "n": 1024, "r": 8, "p": 1, "length": 32},
    },
    {"submission_id": STATUS["submission_id"], "sha256": "0" * 64, "status": "received"},
    {
        "error": "invalid_payload",
        "message": {"id": "x", "en": "x"},
        "problems": [{"field": "a", "message": {}}],
    },
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


bodies = st.one_of(
    st.binary(max_size=600),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.builds(
        lambda doc, path, value: json.dumps(mutate(doc, path, value)).encode(),
        st.sampled_from(VALID),
        st.lists(st.integers(0, 20), max_size=4),
        json_values,
    ),
    st.sampled_from(VALID).map(lambda v: json.dumps(v).encode()),
    st.just(b"<html><body>Login to the hotel Wi-Fi</body></html>"),
    st.just(b"[" * 5000),  # deep nesting
)
header_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=40)


@dataclass
class Reply:
    status: int = 200
    content_type: str | None = "application/json"
    retry_after: str | None = None
    body: bytes = b"{}"
    cut: bool = False  # announce more bytes than are sent, then close


replies = st.builds(
    Reply,
    status=st.sampled_from([200, 201, 204, 301, 400, 401, 403, 404, 409, 410, 413, 422, 429, 500, 502, 503])
    | st.integers(200, 599),
    content_type=st.sampled_from(
        ["application/json", "application/json; charset=utf-8", "text/html", "text/plain", "APPLICATION/JSON"]
    )
    | st.none()
    | header_text,
    retry_after=st.none()
    | st.integers(-5, 10**12).map(str)
    | st.sampled_from(["Wed, 21 Oct 2015 07:28:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "soon", ""])
    | header_text,
    body=bodies,
    cut=st.booleans(),
)


@dataclass
class _State:
    reply: Reply = field(default_factory=Reply)


class _Handler(QuietHandler):
    protocol_version = "HTTP/1.1"
    state: _State

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        r = self.state.reply
        self.send_response_only(r.status)
        if r.content_type is not None:
            self.send_header("Content-Type", r.content_type)
        if r.retry_after is not None:
            self.send_header("Retry-After", r.retry_after)
        self.send_header("Content-Length", str(len(r.body) + (10 if r.cut else 0)))
        if r.cut:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if r.status >= 200 and r.status not in (204, 304):
            self.wfile.write(r.body)
        self.wfile.flush()

    do_GET = do_POST = do_PUT = _answer


@pytest.fixture(scope="module")
def reply_server() -> Iterator[tuple[str, _State]]:
    state = _State()
    handler = type("Handler", (_Handler,), {"state": state})
    with serve(handler) as url:
        yield url, state


def _calls(client: ApiClient) -> list[Callable[[], object]]:
    return [
        client.health,
        lambda: client.enrol("ABCD-EFGH", Ed25519PrivateKey.generate(), "fuzz"),
        lambda: client.operator_login("op", "123456"),
        lambda: client.otp_request("sms", "+6281234567890"),
        lambda: client.otp_verify("c1", "123456"),
        lambda: client.submission_status(STATUS["submission_id"]),
        lambda: client.submission_status_by_reference("PRK-ABCD-EFGH"),
        client.current_wave,
        lambda: client.current_testbank(verify_with=SIGNING.public_key()),
    ]


@FUZZ
@given(reply=replies, which=st.integers(0, 8))
def test_api_client_gives_a_result_or_an_api_error(
    reply_server: tuple[str, _State], reply: Reply, which: int
) -> None:
    url, state = reply_server
    state.reply = reply
    with ApiClient(url, token="device-token", timeout=5) as client:
        try:
            _calls(client)[which]()
        except ApiError as exc:
            assert exc.message.id and exc.message.en
            assert exc.retry_after is None or exc.retry_after >= 0
        else:
            assert 200 <= reply.status < 300, "only a 2xx reply may produce a result"


@FUZZ
@given(reply=replies)
def test_http_transport_always_returns_a_delivery(reply_server: tuple[str, _State], reply: Reply) -> None:
    url, state = reply_server
    state.reply = reply
    transport = HttpTransport(url, "device-token", connect_timeout=2, min_read_timeout=5, margin_s=0)
    try:
        delivery = transport.send(STATUS["submission_id"], b"sealed-envelope-bytes")
    finally:
        transport.close()
    assert isinstance(delivery, Delivery)
    assert isinstance(delivery.outcome, Outcome)
    if delivery.outcome is Outcome.DELIVERED:
        assert 200 <= reply.status < 300
    assert delivery.retry_after is None or delivery.retry_after >= 0


@settings(max_examples=300, deadline=None)
@given(
    status=st.integers(0, 999),
    headers=st.dictionaries(
        st.sampled_from(["Content-Type", "Retry-After", "content-type", "X-A"]), header_text
    ),
    body=st.none() | bodies,
)
def test_classify_http_is_total(status: int, headers: dict[str, str], body: bytes | None) -> None:
    delivery = classify_http(status, headers, body)
    assert isinstance(delivery.outcome, Outcome)


@settings(max_examples=300, deadline=None)
@given(
    st.none()
    | st.text(max_size=60)
    | st.sampled_from(["Fri, 31 Dec 9999 23:59:59 GMT", "99999999999999999999"])
)
def test_retry_after_parsing_is_total(value: str | None) -> None:
    seconds = parse_retry_after(value)
    assert seconds is None or seconds >= 0


def test_texts_shown_on_screen_are_bounded(reply_server: tuple[str, _State]) -> None:
    """A megabyte "reason", "name" or masked address would freeze the GUI thread while laid out:
    shown texts are clipped, an absurd resend wait is capped (the applicant could never resend)."""
    url, state = reply_server
    huge = "x" * 1_000_000
    with ApiClient(url, token="device-token", timeout=10) as client:
        state.reply = Reply(body=json.dumps({**STATUS, "reason": {"id": huge, "en": huge}}).encode())
        status = client.submission_status(STATUS["submission_id"])
        reason = status.reason_message()
        assert reason is not None and len(reason.id) <= 300 and reason.en.endswith("…")
        challenge = dict(VALID[4], destination_masked=huge, resend_after_seconds=10**15)
        state.reply = Reply(body=json.dumps(challenge).encode())
        otp = client.otp_request("sms", "+6281234567890")
        assert len(otp.destination_masked) <= 80 and otp.resend_after_seconds == 600
        session = dict(VALID[6], operator={"username": "u", "display_name": huge, "role": "operator"})
        state.reply = Reply(body=json.dumps(session).encode())
        assert len(client.operator_login("op", "123456").operator.display_name) <= 80
