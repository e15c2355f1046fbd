"""Resumable uploads, contract v2 (issue 22, "Performance on real links").

The protocol against the real reference API (start, part, offset, commit through the same checks as
``PUT /v1``); bytes kept from a part cut off mid-body; the kiosk's transport through ``bench.slowlink``
resetting the connection at ~90 % of the envelope (v1 resends the whole envelope, v2 only the rest);
and the fallback to v1 when the server has no v2 routes.
"""

from __future__ import annotations

import hashlib
import json
import socket
import time
from collections.abc import Iterator
from typing import ClassVar

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from bench.drain import _photos
from bench.slowlink import SlowLinkProxy
from central_api.server import ServerThread
from kiosk.http_transport import HttpTransport
from offline_queue.transport import Delivery, Outcome
from tests.support.fuzzing import FUZZ
from tests.support.live_api import EnrolledDevice, LiveApi
from tests.support.local_http import QuietHandler, serve

PART = "application/offset+octet-stream"


def start(
    api: LiveApi, device: EnrolledDevice, sid: str, blob: bytes, sha: str | None = None
) -> requests.Response:
    headers = {
        **device.headers,
        "Upload-Length": str(len(blob)),
        "Upload-Sha256": sha or hashlib.sha256(blob).hexdigest(),
    }
    return requests.post(f"{api.url}/v2/uploads/{sid}", headers=headers, timeout=10)


def patch(api: LiveApi, device: EnrolledDevice, sid: str, offset: int, data: bytes) -> requests.Response:
    headers = {**device.headers, "Upload-Offset": str(offset), "Content-Type": PART}
    return requests.patch(f"{api.url}/v2/uploads/{sid}", headers=headers, data=data, timeout=10)


def commit(api: LiveApi, device: EnrolledDevice, sid: str) -> requests.Response:
    return requests.post(f"{api.url}/v2/uploads/{sid}/commit", headers=device.headers, timeout=10)


def rows(api: LiveApi, sid: str) -> int:
    return len(api.sql("SELECT id FROM submissions WHERE id = :sid", sid=sid))


def test_parts_offsets_and_a_commit_that_is_put(live_api: LiveApi) -> None:
    device = live_api.enrol_device()
    sid, blob = live_api.seal_submission(device)
    half = len(blob) // 2
    r = start(live_api, device, sid, blob)
    assert r.status_code == 201 and r.json() == {"offset": 0, "length": len(blob), "receipt": None}
    assert patch(live_api, device, sid, 0, blob[:half]).headers["Upload-Offset"] == str(half)
    head = requests.head(f"{live_api.url}/v2/uploads/{sid}", headers=device.headers, timeout=10)
    assert head.status_code == 200 and head.headers["Upload-Offset"] == str(half)
    again = start(live_api, device, sid, blob)  # a kiosk that lost the reply asks again
    assert again.status_code == 200 and again.json()["offset"] == half
    wrong = patch(live_api, device, sid, 0, blob)
    assert wrong.status_code == 409 and wrong.json()["error"] == "upload_offset_mismatch"
    assert wrong.headers["Upload-Offset"] == str(half)
    early = commit(live_api, device, sid)
    assert early.status_code == 409 and early.json()["error"] == "upload_incomplete"
    assert patch(live_api, device, sid, half, blob[half:]).status_code == 204
    done = commit(live_api, device, sid)
    assert done.status_code == 201, done.text
    receipt = done.json()
    assert receipt["submission_id"] == sid and receipt["sha256"] == hashlib.sha256(blob).hexdigest()
    # Exactly once, whichever way the envelope comes again.
    stored = start(live_api, device, sid, blob)
    assert stored.status_code == 200 and stored.json()["receipt"]["duplicate"] is True
    assert live_api.put_submission(device, sid, blob).status_code == 200
    assert rows(live_api, sid) == 1
    assert not list((live_api.data_dir / "uploads").rglob("*.part"))  # staged bytes removed


def test_commit_runs_puts_checks(live_api: LiveApi) -> None:
    device = live_api.enrol_device()
    sid, blob = live_api.seal_submission(device, payload_dict={"schema_version": 1, "nonsense": True})
    start(live_api, device, sid, blob)
    patch(live_api, device, sid, 0, blob)
    refused = commit(live_api, device, sid)
    assert (
        refused.status_code == 422
        and refused.json()["error"] == live_api.put_submission(device, sid, blob).json()["error"]
    )
    assert rows(live_api, sid) == 0


def test_damaged_parts_are_dropped_not_stored(live_api: LiveApi) -> None:
    device = live_api.enrol_device()
    sid, blob = live_api.seal_submission(device)
    start(live_api, device, sid, blob)
    patch(live_api, device, sid, 0, blob[:-1] + bytes([blob[-1] ^ 1]))
    bad = commit(live_api, device, sid)
    assert bad.status_code == 409 and bad.json()["error"] == "upload_sha256_mismatch"
    assert start(live_api, device, sid, blob).json()["offset"] == 0  # starts again from zero
    assert rows(live_api, sid) == 0


def test_bad_start_headers_and_other_devices(live_api: LiveApi) -> None:
    device, other = live_api.enrol_device("a"), live_api.enrol_device("b")
    sid, blob = live_api.seal_submission(device)
    assert start(live_api, device, sid, blob, sha="zz").status_code == 400
    huge = requests.post(
        f"{live_api.url}/v2/uploads/{sid}",
        headers={**device.headers, "Upload-Length": str(1 << 30), "Upload-Sha256": "0" * 64},
        timeout=10,
    )
    assert huge.status_code == 413
    start(live_api, device, sid, blob)
    patch(live_api, device, sid, 0, blob[:100])
    # Another device neither sees nor extends this device's upload.
    assert (
        requests.head(f"{live_api.url}/v2/uploads/{sid}", headers=other.headers, timeout=10).status_code
        == 404
    )
    assert patch(live_api, other, sid, 100, blob[100:]).status_code == 404
    assert requests.post(f"{live_api.url}/v2/uploads/{sid}", timeout=10).status_code in (401, 422)


def test_a_part_cut_off_mid_body_keeps_what_arrived(live_api: LiveApi) -> None:
    device = live_api.enrol_device()
    sid, blob = live_api.seal_submission(device, photos=_photos(200_000))
    start(live_api, device, sid, blob)
    host, port = live_api.url.removeprefix("http://").split(":")
    sent = 150_000
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        head = (
            f"PATCH /v2/uploads/{sid} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {device.token}\r\n"
            f"Content-Type: {PART}\r\nUpload-Offset: 0\r\nContent-Length: {len(blob)}\r\n\r\n"
        )
        sock.sendall(head.encode() + blob[:sent])
        time.sleep(0.3)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # RST
    deadline = time.monotonic() + 5
    offset = 0
    while time.monotonic() < deadline:
        r = requests.head(f"{live_api.url}/v2/uploads/{sid}", headers=device.headers, timeout=10)
        offset = int(r.headers["Upload-Offset"])
        if offset == sent:
            break
        time.sleep(0.05)
    assert offset == sent
    assert patch(live_api, device, sid, sent, blob[sent:]).status_code == 204
    assert commit(live_api, device, sid).status_code == 201


@pytest.fixture
def reset_link(live_api: LiveApi) -> Iterator[tuple[LiveApi, EnrolledDevice, str, bytes, SlowLinkProxy]]:
    device = live_api.enrol_device("tethered")
    sid, blob = live_api.seal_submission(device, photos=_photos(600_000))
    proxy = SlowLinkProxy(
        ("127.0.0.1", live_api.server.port),
        rate_bps=8_000_000,
        latency_s=0.02,
        reset_every=int(0.9 * len(blob)),
    ).start()
    try:
        yield live_api, device, sid, blob, proxy
    finally:
        proxy.stop()


def send_until_delivered(transport: HttpTransport, sid: str, blob: bytes, attempts: int) -> list[Delivery]:
    results = []
    for _ in range(attempts):
        results.append(transport.send(sid, blob))
        if results[-1].outcome is Outcome.DELIVERED:
            break
    return results


def test_a_reset_at_90_percent_resends_only_the_rest(
    reset_link: tuple[LiveApi, EnrolledDevice, str, bytes, SlowLinkProxy],
) -> None:
    api, device, sid, blob, proxy = reset_link
    transport = HttpTransport(proxy.url, device.token)
    results = send_until_delivered(transport, sid, blob, attempts=4)
    transport.close()
    # The part broke near its end; the server had kept the bytes, so the transport asked for the
    # offset and sent the rest in the same attempt.
    assert [r.outcome for r in results] == [Outcome.DELIVERED]
    assert proxy.stats.resets >= 1
    # v1 sent 1.9-2x the envelope here (the whole body again after the reset); v2 about 1x.
    assert transport.bytes_sent <= 1.15 * len(blob), (transport.bytes_sent, len(blob))
    assert proxy.stats.up_bytes <= 1.2 * len(blob)
    assert rows(api, sid) == 1


def test_v1_under_the_same_resets_resends_the_whole_envelope(
    reset_link: tuple[LiveApi, EnrolledDevice, str, bytes, SlowLinkProxy],
) -> None:
    """The baseline of the test above, measured the same way: v1 (``resumable_threshold=None``)."""
    _api, device, sid, blob, proxy = reset_link
    transport = HttpTransport(proxy.url, device.token, resumable_threshold=None)
    send_until_delivered(transport, sid, blob, attempts=2)
    transport.close()
    assert proxy.stats.resets >= 1
    assert transport.bytes_sent >= 1.7 * len(blob)


def test_falls_back_to_v1_when_the_server_has_no_v2(
    live_api: LiveApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    from central_api import app as app_module
    from central_api.routes import uploads

    # A server of contract v1 only: the same API (same runtime and database) without the /v2 routes.
    monkeypatch.setattr(
        app_module, "PUBLIC_MODULES", tuple(m for m in app_module.PUBLIC_MODULES if m is not uploads)
    )
    old = ServerThread(app_module.create_app(live_api.server.app.state.rt)).start()
    try:
        device = live_api.enrol_device()
        sid, blob = live_api.seal_submission(device)
        transport = HttpTransport(old.url, device.token, resumable_threshold=1)
        delivery = transport.send(sid, blob)
        assert delivery.outcome is Outcome.DELIVERED and delivery.status == 201
        assert transport._v2_missing_since is not None  # remembered: the next upload goes straight to v1
        sid2, blob2 = live_api.seal_submission(device)
        assert transport.send(sid2, blob2).outcome is Outcome.DELIVERED
        transport.close()
    finally:
        old.stop()
    assert rows(live_api, sid) == 1


def test_the_commit_checks_the_audit_head_like_put(live_api: LiveApi) -> None:
    """The kiosk's audit head goes with the v2 commit too, and a head that went backwards is refused
    there exactly as on ``PUT /v1`` (issue 18 item 10), also through the kiosk's transport."""
    device = live_api.enrol_device()
    first_sid, first_blob = live_api.seal_submission(device)
    ahead = f"5:{'a' * 64}"
    assert (
        live_api.put_submission(device, first_sid, first_blob, headers={"X-Audit-Head": ahead}).status_code
        == 201
    )
    sid, blob = live_api.seal_submission(device, photos=_photos(300_000))
    transport = HttpTransport(live_api.url, device.token, audit_head=lambda: f"3:{'b' * 64}")
    delivery = transport.send(sid, blob)
    transport.close()
    assert delivery.outcome is Outcome.ATTENTION and delivery.status == 409
    assert "audit_head_regressed" in (delivery.reason or "")
    assert rows(live_api, sid) == 0
    ok = HttpTransport(live_api.url, device.token, audit_head=lambda: f"6:{'c' * 64}")
    assert ok.send(sid, blob).outcome is Outcome.DELIVERED  # resumed: the parts were kept
    assert ok.bytes_sent == 0
    ok.close()


# -- bad data from the network on the v2 path: the transport returns a Delivery, never raises ---------
_V2_BODIES = st.one_of(
    st.binary(max_size=300),
    st.fixed_dictionaries(
        {
            "offset": st.one_of(st.integers(-5, 10**7), st.booleans(), st.none(), st.text(max_size=5)),
            "length": st.one_of(st.integers(-5, 10**7), st.none()),
            "receipt": st.one_of(st.none(), st.dictionaries(st.text(max_size=10), st.text(max_size=10))),
        }
    ).map(lambda d: json.dumps(d).encode()),
    st.sampled_from([b"{}", b"[]", b"null", b"<html>Wi-Fi login</html>", b'{"error":"upload_busy"}']),
)
_V2_REPLY = st.tuples(
    st.sampled_from([200, 201, 204, 400, 401, 404, 405, 409, 413, 422, 429, 500, 503]),
    st.sampled_from(["application/json", "text/html"]),
    _V2_BODIES,
)


class _Fuzzed(QuietHandler):
    protocol_version = "HTTP/1.1"
    script: ClassVar[list[tuple[int, str, bytes]]] = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        status, ctype, body = self.script.pop(0) if self.script else (500, "text/plain", b"")
        self.send_response_only(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body) if status != 204 else 0))
        self.end_headers()
        if status != 204:
            self.wfile.write(body)

    do_POST = do_PATCH = do_PUT = _answer


@pytest.fixture(scope="module")
def fuzzed_server() -> Iterator[str]:
    with serve(_Fuzzed) as url:
        yield url


@FUZZ
@given(replies=st.lists(_V2_REPLY, min_size=3, max_size=3))
def test_v2_replies_of_any_shape_give_a_delivery(
    fuzzed_server: str, replies: list[tuple[int, str, bytes]]
) -> None:
    _Fuzzed.script[:] = replies
    transport = HttpTransport(
        fuzzed_server, "t", connect_timeout=2, min_read_timeout=5, margin_s=0, resumable_threshold=1
    )
    try:
        delivery = transport.send("8c1d5c52-3f9e-4a57-9a57-0e1f2a3b4c5d", b"sealed-envelope" * 10)
    finally:
        transport.close()
    assert isinstance(delivery, Delivery) and isinstance(delivery.outcome, Outcome)
    assert delivery.outcome is not Outcome.DELIVERED  # no fuzzed receipt names this envelope's sha256


def test_a_link_resetting_every_third_of_the_envelope_delivers_in_one_attempt(live_api: LiveApi) -> None:
    """Mobile tethering that resets every ~200 KB: each break made progress, so each is resumed at
    once (no backoff per reset); a break without progress would end the attempt (RETRY)."""
    device = live_api.enrol_device("tethered")
    sid, blob = live_api.seal_submission(device, photos=_photos(600_000))
    proxy = SlowLinkProxy(
        ("127.0.0.1", live_api.server.port), rate_bps=8_000_000, latency_s=0.02, reset_every=len(blob) // 3
    ).start()
    try:
        transport = HttpTransport(proxy.url, device.token)
        delivery = transport.send(sid, blob)
        transport.close()
    finally:
        proxy.stop()
    assert delivery.outcome is Outcome.DELIVERED, delivery.reason
    assert proxy.stats.resets >= 2
    assert proxy.stats.up_bytes <= 1.2 * len(blob)
    assert rows(live_api, sid) == 1
