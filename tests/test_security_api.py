"""Issue 18, reference API hardening: each test reproduces a finding of the security review against the
real server on 127.0.0.1 and fails on the code before the fix.

Items: 11 (submission id hijack), 12 (body limits, enrolment rate), 13 (OTP normalisation, caps,
token check), 14 (operator enumeration and lock-out), 15 (coded reasons, created_at window) and the
optional audit head of item 10. The CLI's deployment rules are in ``test_security_api_cli.py``.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import socket
import time
import uuid
from typing import Any

import requests

from kiosk import reference
from tests.support.live_api import EnrolledDevice, LiveApi
from tests.support.payloads import fake_photos, make_payload

# --------------------------------------------------------------------------- 11: id hijack


def _sealed(
    api: LiveApi,
    device: EnrolledDevice,
    sid: str,
    *,
    created_at: dt.datetime | None = None,
    account: dict[str, Any] | None = None,
) -> bytes:
    photos = fake_photos()
    payload = make_payload(submission_id=sid, device_id=device.device_id, photos=photos)
    if account is not None:
        payload["account"] = {**payload["account"], **account}
    return api.seal_submission(device, payload, photos, submission_id=sid, created_at=created_at)[1]


def test_another_device_cannot_block_or_redirect_a_victims_submission_id(live_api: LiveApi) -> None:
    victim, rogue, office = (live_api.enrol_device(n) for n in ("victim", "rogue", "office"))
    sid = str(uuid.uuid4())
    genuine = _sealed(live_api, victim, sid)
    # The rogue read the id (envelope header, USB manifest) and uploads its own content under it first.
    assert live_api.put_submission(rogue, sid, _sealed(live_api, rogue, sid)).status_code == 201
    resp = live_api.put_submission(victim, sid, genuine)
    assert resp.status_code == 201, resp.text  # was 409 submission_conflict
    assert resp.json()["duplicate"] is False
    assert live_api.put_submission(victim, sid, genuine).status_code == 200  # still idempotent
    # Other content under its *own* id is still a conflict for the same signer.
    other = _sealed(live_api, victim, sid)
    assert live_api.put_submission(victim, sid, other).json()["error"] == "submission_conflict"
    # The trainer rejects the rogue's record; the victim's kiosk still sees its own registration.
    live_api.admin(
        "POST",
        f"/v1/admin/submissions/{sid}/status",
        params={"device_id": rogue.device_id},
        json={"status": "rejected", "reason_code": "other"},
    )
    url = f"{live_api.url}/v1/submissions"
    assert requests.get(f"{url}/{sid}", headers=victim.headers, timeout=5).json()["status"] == "received"
    by_ref = requests.get(
        f"{url}/by-reference/{reference.format(uuid.UUID(sid))}", headers=victim.headers, timeout=5
    ).json()
    assert [m["status"] for m in by_ref["matches"]] == ["received"]
    # A third kiosk (Cek Status elsewhere) is pointed at neither record: "verifying, ask staff".
    live_api.admin(
        "POST",
        f"/v1/admin/submissions/{sid}/status",
        params={"device_id": rogue.device_id},
        json={"status": "accepted"},
    )
    third = requests.get(f"{url}/{sid}", headers=office.headers, timeout=5).json()
    assert (third["status"], third["reason_code"]) == ("verifying", "other")
    third_ref = requests.get(
        f"{url}/by-reference/{reference.format(uuid.UUID(sid))}", headers=office.headers, timeout=5
    ).json()
    assert [m["status"] for m in third_ref["matches"]] == ["verifying"]
    assert requests.get(f"{url}/{sid}", headers=rogue.headers, timeout=5).json()["status"] == "accepted"
    # Both records exist, each under its signer.
    rows = live_api.sql("SELECT device_id FROM submissions WHERE id = :sid ORDER BY device_id", sid=sid)
    assert sorted(r[0] for r in rows) == sorted([victim.device_id, rogue.device_id])
    # Relays still work: the office kiosk uploads the victim's next envelope (USB import).
    sid2 = str(uuid.uuid4())
    relayed = _sealed(live_api, victim, sid2)
    assert live_api.put_submission(office, sid2, relayed).status_code == 201
    assert live_api.put_submission(victim, sid2, relayed).status_code == 200
    got = requests.get(f"{url}/{sid2}", headers=office.headers, timeout=5).json()
    assert got["status"] == "received"
    assert live_api.sql("SELECT relayed_by FROM submissions WHERE id = :s", s=sid2)[0][0] == office.device_id


# --------------------------------------------------------------------- 12: body size limits


def _raw_request(url: str, head: str, chunks: list[bytes]) -> tuple[int, bytes]:
    """Send ``head`` and then ``chunks`` on one socket (stopping early if the server answers)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(head.encode())
        try:
            for chunk in chunks:
                sock.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        sock.settimeout(10)
        data = b""
        while b"\r\n\r\n" not in data:
            part = sock.recv(65536)
            if not part:
                break
            data += part
        head_part, _, body = data.partition(b"\r\n\r\n")
        length = int(
            next(
                line.split(b":")[1]
                for line in head_part.split(b"\r\n")
                if line.lower().startswith(b"content-length")
            )
        )
        while len(body) < length:
            part = sock.recv(65536)
            if not part:
                break
            body += part
        return int(data.split(b" ", 2)[1]), body


def test_json_routes_refuse_large_bodies_before_reading_them(live_api: LiveApi) -> None:
    # A declared 150 MB body to the unauthenticated enrolment route: refused at once, nothing read.
    head = (
        "POST /v1/devices/enrol HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        f"Content-Length: {150 * 1024 * 1024}\r\n\r\n"
    )
    started = time.monotonic()
    status, data = _raw_request(live_api.url, head, [b"{" + b" " * 1000])
    assert status == 413 and b"too_large" in data
    assert time.monotonic() - started < 5
    # Chunked (no length declared): stopped once 64 KiB have streamed in, without reading 4 MB.
    dev = live_api.enrol_device()
    head = (
        f"POST /v1/operators/login HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {dev.token}\r\n"
        "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    block = b" " * 65536
    chunk = f"{len(block):x}\r\n".encode() + block + b"\r\n"
    status, data = _raw_request(live_api.url, head, [chunk] * 64)
    assert status == 413 and b"too_large" in data
    # A normal JSON request still works, and an envelope keeps its own 8 MiB limit.
    assert requests.get(live_api.url + "/v1/health", timeout=5).status_code == 200
    big = live_api.put_submission(dev, str(uuid.uuid4()), b"\0" * (8 * 1024 * 1024 + 1))
    assert big.status_code == 413 and big.json()["error"] == "envelope_too_large"


def _enrol_from(url: str, source: str) -> tuple[int, dict[str, str]]:
    host, port = url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10, source_address=(source, 0))
    body = json.dumps({"code": "AAAA-BBBB-CCCC", "public_key": "A" * 43})
    try:
        conn.request("POST", "/v1/devices/enrol", body, {"Content-Type": "application/json"})
        resp = conn.getresponse()
        resp.read()
        return resp.status, dict(resp.getheaders())
    finally:
        conn.close()


def test_enrolment_is_rate_limited_per_client(live_api_factory: Any) -> None:
    api = live_api_factory(enrol_attempts_per_minute=5)
    statuses = [_enrol_from(api.url, "127.0.0.1")[0] for _ in range(5)]
    assert set(statuses) <= {403, 422}
    status, headers = _enrol_from(api.url, "127.0.0.1")
    assert status == 429 and int(headers["retry-after"]) > 0
    # Another client address is not affected by the first one's attempts.
    assert _enrol_from(api.url, "127.0.0.2")[0] in (403, 422)


# ---------------------------------------------------------------------------------- 13: OTP


def _otp(api: LiveApi, dev: EnrolledDevice, destination: str, channel: str = "sms") -> requests.Response:
    return requests.post(
        f"{api.url}/v1/otp/request",
        json={"channel": channel, "destination": destination},
        headers=dev.headers,
        timeout=5,
    )


def test_otp_limits_apply_to_the_contact_not_its_spelling(live_api_factory: Any) -> None:
    api = live_api_factory(otp_resend_seconds=0, otp_max_sends_per_hour=2)
    dev = api.enrol_device()
    spellings = ["081200000001", "+62 812-0000-0001", "6281200000001", "+6281200000001", "0812 0000 0001"]
    statuses = [_otp(api, dev, s).status_code for s in spellings]
    assert statuses == [201, 201, 429, 429, 429]  # was 201 for every spelling
    email = [
        _otp(api, dev, e, "email").status_code
        for e in ("Budi@Example.com", "budi@example.com ", "BUDI@EXAMPLE.COM")
    ]
    assert email == [201, 201, 429]
    assert len(api.otp_outbox(destination="+6281200000001")) == 2


def test_otp_refuses_what_is_not_a_contact(live_api: LiveApi) -> None:
    dev = live_api.enrol_device()
    for channel, text in (
        ("sms", "not a phone at all"),
        ("sms", "budi@example.com"),
        ("email", "+6281200000001"),
    ):
        resp = _otp(live_api, dev, text, channel)
        assert resp.status_code == 422, (text, resp.text)
        assert resp.json()["error"] == "otp_destination_invalid"
        assert resp.json()["problems"][0]["field"] == "destination"
    assert live_api.otp_outbox() == []


def test_otp_sends_are_capped_per_device_and_overall(live_api_factory: Any) -> None:
    api = live_api_factory(otp_max_sends_per_device_hour=3, otp_max_sends_global_hour=5)
    a, b = api.enrol_device("a"), api.enrol_device("b")
    assert [_otp(api, a, f"+62812000001{i:02d}").status_code for i in range(3)] == [201] * 3
    refused = _otp(api, a, "+6281200000199")
    assert refused.status_code == 429 and refused.json()["error"] == "otp_device_limit"
    assert [_otp(api, b, f"+62812000002{i:02d}").status_code for i in range(2)] == [201] * 2
    overall = _otp(api, b, "+6281200000299")
    assert overall.status_code == 429 and overall.json()["error"] == "otp_global_limit"


def _verify_sent_code(
    api: LiveApi, asking: EnrolledDevice, verifying: EnrolledDevice, phone: str
) -> requests.Response:
    """``asking`` requests an OTP for ``phone``; ``verifying`` posts the code the server sent."""
    challenge = _otp(api, asking, phone).json()
    code = api.otp_outbox(challenge_id=challenge["challenge_id"])[0]["code"]
    return requests.post(
        f"{api.url}/v1/otp/verify",
        json={"challenge_id": challenge["challenge_id"], "code": code},
        headers=verifying.headers,
        timeout=5,
    )


def _verified_token(api: LiveApi, dev: EnrolledDevice, phone: str) -> str:
    resp = _verify_sent_code(api, dev, dev, phone)
    assert resp.status_code == 200, resp.text
    return str(resp.json()["otp_token"])


def test_submission_otp_token_is_checked(live_api_factory: Any) -> None:
    live_api = live_api_factory(otp_resend_seconds=0)
    dev, other = live_api.enrol_device("kiosk"), live_api.enrol_device("other")
    # A challenge can only be checked by the device that asked for it.
    stolen = _verify_sent_code(live_api, dev, other, "+6281200000007")
    assert stolen.status_code == 410
    phone = "+6281200000001"  # the payload's phone (tests.support.payloads)
    token = _verified_token(live_api, dev, phone)
    wrong_contact = _verified_token(live_api, dev, "+6281200000009")
    foreign = _verified_token(live_api, other, phone)

    def put(account: dict[str, Any]) -> requests.Response:
        sid = str(uuid.uuid4())
        return live_api.put_submission(dev, sid, _sealed(live_api, dev, sid, account=account))

    for bad in ("forged.0000", token[:-1] + ("0" if token[-1] != "0" else "1"), wrong_contact, foreign, None):
        resp = put({"otp_verified": True, "otp_token": bad})
        assert resp.status_code == 422, (bad, resp.text)  # "forged.0000" was 201
        assert resp.json()["problems"][0]["field"] == "account.otp_token"
    assert put({"otp_verified": True, "otp_token": token}).status_code == 201
    # Offline registrations (verify later) are still accepted, flagged unverified.
    assert put({"otp_verified": False, "otp_token": None}).status_code == 201


# ----------------------------------------------------------------------- 14: operator login


def _login(api: LiveApi, dev: EnrolledDevice, user: str, pin: str) -> requests.Response:
    return requests.post(
        f"{api.url}/v1/operators/login", json={"username": user, "pin": pin}, headers=dev.headers, timeout=10
    )


def test_unknown_and_wrong_pin_look_the_same(live_api_factory: Any) -> None:
    api = live_api_factory(operator_max_failures=1000)
    api.create_operator("sari", "482913")
    dev = api.enrol_device()
    known = _login(api, dev, "sari", "000000")
    unknown = _login(api, dev, "nobody", "000000")
    assert (known.status_code, known.json()) == (unknown.status_code, unknown.json())

    fastest = {"sari": 1e9, "nobody": 1e9}
    for _ in range(7):  # interleaved, so load on the machine hits both alike; min() drops the noise
        for user in fastest:
            start = time.perf_counter()
            _login(api, dev, user, "000000")
            fastest[user] = min(fastest[user], time.perf_counter() - start)
    # The same scrypt work for both: before, an unknown user answered in 2-4 ms against 50-80 ms.
    ratio = fastest["nobody"] / fastest["sari"]
    assert ratio > 0.3, (ratio, fastest)


def test_lockout_is_per_device_with_backoff(live_api_factory: Any) -> None:
    api = live_api_factory(operator_max_failures=3, operator_lock_seconds=1, operator_lock_max_seconds=60)
    api.create_operator("sari", "482913")
    rogue, desk = api.enrol_device("rogue"), api.enrol_device("desk")
    for _ in range(3):
        assert _login(api, rogue, "sari", "000000").status_code == 401
    locked = _login(api, rogue, "sari", "482913")
    assert locked.status_code == 429 and locked.json()["error"] == "operator_locked"
    # The right PIN on another kiosk works during the rogue's lock-out (was 429 everywhere).
    assert _login(api, desk, "sari", "482913").status_code == 200
    # Unknown usernames lock the same way, so 429 does not reveal which usernames exist.
    for _ in range(3):
        assert _login(api, rogue, "ghost", "000000").status_code == 401
    assert _login(api, rogue, "ghost", "000000").status_code == 429
    # Backoff: the second lock-out in a row lasts twice as long.
    time.sleep(1.2)
    for _ in range(3):
        assert _login(api, rogue, "sari", "000000").status_code == 401
    second = _login(api, rogue, "sari", "000000")
    assert second.status_code == 429 and int(second.headers["Retry-After"]) >= 2


# --------------------------------------------------------- 15: coded reasons, created_at window


def test_devices_see_coded_reasons_not_staff_notes(live_api: LiveApi) -> None:
    dev = live_api.enrol_device()
    sid, blob = live_api.seal_submission(dev)
    assert live_api.put_submission(dev, sid, blob).status_code == 201
    admin = live_api.set_submission_status(sid, "rejected", "NIK di daftar bansos", "NIK on welfare list")
    assert admin["note"]["en"] == "NIK on welfare list"  # staff keep their note on the admin listener
    url = f"{live_api.url}/v1/submissions"
    for path in (f"/{sid}", f"/by-reference/{reference.format(uuid.UUID(sid))}"):
        text = requests.get(url + path, headers=dev.headers, timeout=5).text
        assert "welfare" not in text and "bansos" not in text
        assert '"reason_code":"other"' in text
    bad = live_api.admin(
        "POST", f"/v1/admin/submissions/{sid}/status", json={"status": "rejected", "reason_code": "free text"}
    )
    assert bad.status_code == 422


def test_envelopes_outside_the_created_at_window_are_refused(live_api: LiveApi) -> None:
    dev = live_api.enrol_device()
    now = dt.datetime.now(dt.UTC)
    cases = [
        (dt.datetime(2001, 1, 1, tzinfo=dt.UTC), 422, "envelope_too_old"),
        (now + dt.timedelta(days=3), 422, "envelope_from_future"),
        (now - dt.timedelta(days=30), 201, None),  # a field laptop offline for a month: accepted
        (now + dt.timedelta(hours=2), 201, None),  # a clock a little fast: accepted
    ]
    for created, status, code in cases:
        sid = str(uuid.uuid4())
        resp = live_api.put_submission(dev, sid, _sealed(live_api, dev, sid, created_at=created))
        assert resp.status_code == status, (created, resp.text)
        if code:
            assert resp.json()["error"] == code


# ------------------------------------------------------------------- 10 (server side): audit head


def test_audit_head_may_not_go_backwards(live_api: LiveApi) -> None:
    dev = live_api.enrol_device()

    def put(head: str | None) -> requests.Response:
        sid, blob = live_api.seal_submission(dev)
        headers = {"X-Audit-Head": head} if head is not None else {}
        return live_api.put_submission(dev, sid, blob, headers=headers)

    assert put("5:" + "a" * 64).status_code == 201
    assert put(None).status_code == 201  # optional
    assert put("5:" + "a" * 64).status_code == 201
    assert put("9:" + "b" * 64).status_code == 201
    for regressed in ("8:" + "c" * 64, "9:" + "d" * 64):
        resp = put(regressed)
        assert resp.status_code == 409 and resp.json()["error"] == "audit_head_regressed"
    assert put("not-a-head").status_code == 422
    assert live_api.sql("SELECT seq FROM audit_heads WHERE device_id = :d", d=dev.device_id)[0][0] == 9
    # Once Dinas IT has looked, the admin forgets the head and the kiosk syncs again.
    assert live_api.admin("DELETE", f"/v1/admin/devices/{dev.device_id}/audit-head").status_code == 204
    assert put("2:" + "f" * 64).status_code == 201
    assert live_api.admin("DELETE", "/v1/admin/devices/dev-unknown/audit-head").status_code == 404
    # Another device's head is its own.
    other = live_api.enrol_device("other")
    sid, blob = live_api.seal_submission(other)
    assert (
        live_api.put_submission(other, sid, blob, headers={"X-Audit-Head": "1:" + "e" * 64}).status_code
        == 201
    )


def test_a_database_from_before_the_per_signer_key_is_refused_at_start(tmp_path: Any) -> None:
    import sqlite3

    import pytest

    from central_api.keys import DataDirError
    from central_api.runtime import build_runtime
    from central_api.settings import Settings

    db = tmp_path / "central.sqlite3"
    with sqlite3.connect(db) as conn:  # the old table: one record per id, whoever uploaded first
        conn.execute(
            "CREATE TABLE submissions (id VARCHAR(36) PRIMARY KEY, device_id VARCHAR(40), relayed_by VARCHAR(40),"
            " reference_key VARCHAR(16), sha256 VARCHAR(64), envelope BLOB, payload_json TEXT,"
            " attachment_names TEXT, status VARCHAR(20), reason_id TEXT, reason_en TEXT,"
            " received_at DATETIME, updated_at DATETIME)"
        )
    with pytest.raises(DataDirError, match="older version"):
        build_runtime(Settings(data_dir=tmp_path))
