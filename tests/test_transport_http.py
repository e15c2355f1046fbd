"""kiosk.http_transport against the real reference API over HTTP, and certificate pinning over HTTPS."""

from __future__ import annotations

import hashlib
import json
import socket
import ssl
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.http_transport import (
    CertificatePinMismatch,
    HttpTransport,
    check_certificate_pin,
    normalize_pin,
)
from offline_queue.outbox import Outbox
from offline_queue.sync import SyncEngine
from offline_queue.transport import Outcome
from tests.support.live_api import LiveApi
from tests.support.local_http import QuietHandler, serve
from tests.support.tls import self_signed


def transport_for(api: LiveApi, token: str, **kw: float) -> HttpTransport:
    return HttpTransport(api.url, token, **kw)  # type: ignore[arg-type]


def test_created_then_identical_resend_are_both_delivered(live_api: LiveApi) -> None:
    device = live_api.enrol_device()
    sid, blob = live_api.seal_submission(device)
    t = transport_for(live_api, device.token)
    first = t.send(sid, blob)
    assert first.outcome is Outcome.DELIVERED and first.status == 201
    assert first.receipt is not None and first.receipt["sha256"] == hashlib.sha256(blob).hexdigest()
    again = t.send(sid, blob)
    assert again.outcome is Outcome.DELIVERED and again.status == 200 and again.receipt["duplicate"] is True  # type: ignore[index]


def test_refusals(live_api: LiveApi) -> None:
    device = live_api.enrol_device()
    sid, blob = live_api.seal_submission(device)
    t = transport_for(live_api, device.token)
    assert t.send(sid, blob).outcome is Outcome.DELIVERED
    _same_sid, other_blob = live_api.seal_submission(device, submission_id=sid)  # same id, other content
    conflict = t.send(sid, other_blob)
    assert conflict.outcome is Outcome.ATTENTION and conflict.status == 409
    bad_sid, bad_blob = live_api.seal_submission(device, payload_dict={"schema_version": 1, "nonsense": True})
    invalid = t.send(bad_sid, bad_blob)
    assert invalid.outcome is Outcome.ATTENTION and invalid.status == 422 and invalid.reason
    wrong = transport_for(live_api, "not-a-token").send(bad_sid, bad_blob)
    assert wrong.outcome is Outcome.AUTH_REQUIRED and wrong.status == 401


def test_unreachable_server_is_offline() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    d = HttpTransport(f"http://127.0.0.1:{port}", "t", connect_timeout=1).send("x", b"blob")
    assert d.outcome is Outcome.OFFLINE


def test_faults_seen_through_the_transport(live_api: LiveApi) -> None:
    device = live_api.enrol_device()
    t = transport_for(live_api, device.token, min_read_timeout=0.6, margin_s=0.5)
    sid, blob = live_api.seal_submission(device)

    live_api.set_faults(captive_portal_burst=1)
    assert t.send(sid, blob).outcome is Outcome.OFFLINE

    live_api.set_faults(rate_limit_burst=1, retry_after=7)
    d = t.send(sid, blob)
    assert d.outcome is Outcome.RETRY and d.retry_after == 7

    live_api.set_faults(drop_burst=1)  # the server stores it, then the reply is cut
    assert t.send(sid, blob).outcome is Outcome.RETRY
    resend = t.send(sid, blob)
    assert resend.outcome is Outcome.DELIVERED and resend.status == 200

    live_api.set_faults(latency_ms=2000)
    sid2, blob2 = live_api.seal_submission(device)
    assert t.send(sid2, blob2).outcome is Outcome.RETRY  # read timeout
    live_api.clear_faults()


def test_read_timeout_scales_with_the_body() -> None:
    t = HttpTransport("http://127.0.0.1:1", "t")
    assert t.read_timeout(0) == 15.0
    assert t.read_timeout(300_000) >= 300_000 * 8 / 64_000
    assert t.session.verify is True


def test_engine_drains_to_the_reference_api(live_api: LiveApi, tmp_path: Path) -> None:
    device = live_api.enrol_device()
    ob = Outbox(tmp_path / "o.sqlite3")
    ids = []
    for _ in range(5):
        sid, blob = live_api.seal_submission(device)
        ob.enqueue(sid, blob)
        ids.append(sid)
    report = SyncEngine(ob, transport_for(live_api, device.token)).drain()
    assert report.delivered == 5 and report.waiting == 0
    for sid in ids:
        r = live_api.http.get(f"{live_api.url}/v1/submissions/{sid}", headers=device.headers, timeout=5)
        assert r.status_code == 200 and r.json()["status"] == "received"
    ob.close()


# -- pinning --------------------------------------------------------------------------------------


def test_pin_checker() -> None:
    der = b"certificate bytes"
    pin = hashlib.sha256(der).hexdigest()
    check_certificate_pin(der, pin)
    check_certificate_pin(der, ":".join(pin[i : i + 2] for i in range(0, 64, 2)).upper())
    check_certificate_pin(der, "sha256/" + pin)
    with pytest.raises(CertificatePinMismatch):
        check_certificate_pin(b"another certificate", pin)
    with pytest.raises(CertificatePinMismatch):
        check_certificate_pin(None, pin)
    with pytest.raises(ValueError):
        normalize_pin("abc")


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[str, Path, bytes, list[str]]]:
    """A tiny HTTPS server answering every PUT like the API would (201 + JSON receipt)."""
    cert = self_signed(tmp_path)
    cert_path, key_path, der = cert.cert_path, cert.key_path, cert.der
    seen: list[str] = []

    class Handler(QuietHandler):
        def do_PUT(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            seen.append(self.path)
            sid = self.path.rsplit("/", 1)[-1]
            reply = json.dumps({"submission_id": sid, "sha256": hashlib.sha256(body).hexdigest()}).encode()
            self.reply(201, reply)

    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert_path, key_path)
    with serve(Handler, tls=ctx) as url:
        yield url, cert_path, der, seen


def test_https_with_matching_pin_delivers(tls_server: tuple[str, Path, bytes, list[str]]) -> None:
    url, cert_path, der, seen = tls_server
    t = HttpTransport(url, "tok", pin_sha256=hashlib.sha256(der).hexdigest(), ca_bundle=str(cert_path))
    d = t.send("abc", b"sealed")
    assert d.outcome is Outcome.DELIVERED and seen == ["/v1/submissions/abc"]


def test_https_with_wrong_pin_sends_nothing(tls_server: tuple[str, Path, bytes, list[str]]) -> None:
    url, cert_path, _der, seen = tls_server
    t = HttpTransport(url, "tok", pin_sha256="00" * 32, ca_bundle=str(cert_path))
    d = t.send("abc", b"sealed")
    assert d.outcome is Outcome.OFFLINE and "TLS" in (d.reason or "")
    assert seen == []


def test_https_unknown_certificate_is_refused_without_a_pin(
    tls_server: tuple[str, Path, bytes, list[str]],
) -> None:
    url, _cert, _der, seen = tls_server
    assert HttpTransport(url, "tok").send("abc", b"sealed").outcome is Outcome.OFFLINE
    assert seen == []
