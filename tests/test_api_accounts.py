"""Enrolment (one-time codes), operator login, OTP via the outbox, wave and test bank, over HTTP."""

from __future__ import annotations

import json
import threading

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from central_api.security import hash_pin
from kiosk.api_client import ApiAuthError, ApiClient, ApiNotFound, ApiRateLimited, ApiRefused
from kiosk.envelope import b64d, key_id
from tests.support.live_api import LiveApi


def test_enrolment_code_is_single_use(live_api: LiveApi) -> None:
    code = live_api.create_enrolment_code()
    first = ApiClient(live_api.url).enrol(code, Ed25519PrivateKey.generate())
    assert first.device_id.startswith("dev-") and first.token
    assert key_id(first.envelope_key()) == first.server_keys.envelope.key_id
    with pytest.raises(ApiAuthError) as info:
        ApiClient(live_api.url).enrol(code, Ed25519PrivateKey.generate())
    assert info.value.status == 403 and info.value.code == "enrolment_code_invalid"


def test_enrolment_code_cannot_be_used_twice_concurrently(live_api: LiveApi) -> None:
    code = live_api.create_enrolment_code()
    results: list[int] = []

    def enrol() -> None:
        key = Ed25519PrivateKey.generate()
        from kiosk.envelope import b64e, raw_public

        resp = requests.post(
            live_api.url + "/v1/devices/enrol",
            json={"code": code, "public_key": b64e(raw_public(key.public_key()))},
            timeout=10,
        )
        results.append(resp.status_code)

    threads = [threading.Thread(target=enrol) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [201] + [403] * 5


def test_enrolment_accepts_typed_code_variants_and_refuses_bad_keys(live_api: LiveApi) -> None:
    code = live_api.create_enrolment_code()
    ApiClient(live_api.url).enrol(code.lower().replace("-", " "), Ed25519PrivateKey.generate())
    resp = requests.post(
        live_api.url + "/v1/devices/enrol",
        json={"code": live_api.create_enrolment_code(), "public_key": "A" * 43},
        timeout=5,
    )
    assert resp.status_code in (201, 422)  # 43 'A's decode to 32 bytes: a valid-looking key is accepted
    resp = requests.post(
        live_api.url + "/v1/devices/enrol",
        json={"code": live_api.create_enrolment_code(), "public_key": "!" * 43},
        timeout=5,
    )
    assert resp.status_code == 422 and resp.json()["error"] == "public_key_invalid"
    resp = requests.post(
        live_api.url + "/v1/devices/enrol", json={"code": "NOPE-NOPE-NOPE", "public_key": "A" * 43}, timeout=5
    )
    assert resp.status_code == 403


def test_expired_enrolment_code_is_refused(live_api: LiveApi) -> None:
    import datetime as dt

    code = live_api.create_enrolment_code()
    live_api.sql("UPDATE enrolment_codes SET expires_at = :t", t=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    with pytest.raises(ApiAuthError):
        ApiClient(live_api.url).enrol(code, Ed25519PrivateKey.generate())


def test_operator_login_roles_and_offline_verifier(live_api: LiveApi) -> None:
    dev = live_api.enrol_device()
    live_api.create_operator("sari", "482913", "supervisor", display_name="Sari (fiktif)")
    client = ApiClient(live_api.url, token=dev.token)
    session = client.operator_login("sari", "482913")
    assert session.operator.role == "supervisor" and session.session_token
    v = session.offline_verifier
    # The kiosk can derive its own offline check from the PIN it just saw; it is not the server's hash.
    derived = hash_pin("482913", b64d(v.salt), v.n, v.r, v.p)
    assert len(derived) == v.length
    with pytest.raises(ApiAuthError) as info:
        client.operator_login("sari", "000000")
    assert info.value.code == "operator_login_failed"
    with pytest.raises(ApiAuthError):
        client.operator_login("nobody", "482913")
    with pytest.raises(ApiAuthError) as info:
        ApiClient(live_api.url).operator_login("sari", "482913")
    assert info.value.code == "auth_required"


def test_operator_locked_after_repeated_failures(live_api_factory) -> None:
    api = live_api_factory(operator_max_failures=3, operator_lock_seconds=60)
    dev = api.enrol_device()
    api.create_operator("budi", "1234")
    client = ApiClient(api.url, token=dev.token)
    for _ in range(3):
        with pytest.raises(ApiAuthError):
            client.operator_login("budi", "9999")
    with pytest.raises(ApiRateLimited) as info:
        client.operator_login("budi", "1234")
    assert info.value.retry_after and info.value.retry_after > 0


def test_otp_flow_through_the_outbox(live_api: LiveApi) -> None:
    dev = live_api.enrol_device()
    client = ApiClient(live_api.url, token=dev.token)
    phone = "+6281200000001"
    challenge = client.otp_request("sms", phone)
    assert challenge.destination_masked != phone and challenge.destination_masked.endswith("0001")
    outbox = live_api.otp_outbox(destination=phone)
    assert len(outbox) == 1 and outbox[0]["challenge_id"] == challenge.challenge_id
    code = outbox[0]["code"]
    # The outbox file does not hold the number in clear.
    assert phone not in (live_api.data_dir / "otp-outbox.jsonl").read_text()
    wrong = "000000" if code != "000000" else "111111"
    with pytest.raises(ApiRefused) as info:
        client.otp_verify(challenge.challenge_id, wrong)
    assert info.value.code == "otp_wrong_code" and info.value.status == 422
    verified = client.otp_verify(challenge.challenge_id, code)
    assert verified.verified and verified.otp_token.startswith(challenge.challenge_id)
    with pytest.raises(ApiRefused) as info:
        client.otp_verify(challenge.challenge_id, code)
    assert info.value.status == 410


def test_otp_resend_is_rate_limited_and_codes_expire(live_api_factory) -> None:
    api = live_api_factory(otp_resend_seconds=60, otp_ttl_seconds=1)
    dev = api.enrol_device()
    client = ApiClient(api.url, token=dev.token)
    first = client.otp_request("email", "contoh@example.com")
    with pytest.raises(ApiRateLimited) as info:
        client.otp_request("email", "CONTOH@example.com ")
    assert info.value.status == 429 and info.value.retry_after and 0 < info.value.retry_after <= 61
    import time

    time.sleep(1.2)
    code = api.otp_outbox(challenge_id=first.challenge_id)[0]["code"]
    with pytest.raises(ApiRefused) as exc:
        client.otp_verify(first.challenge_id, code)
    assert exc.value.status == 410 and exc.value.code == "otp_expired"


def test_otp_attempts_are_limited(live_api_factory) -> None:
    api = live_api_factory(otp_max_attempts=2)
    dev = api.enrol_device()
    client = ApiClient(api.url, token=dev.token)
    ch = client.otp_request("sms", "+6281200000002")
    code = api.otp_outbox(challenge_id=ch.challenge_id)[0]["code"]
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(2):
        with pytest.raises(ApiRefused):
            client.otp_verify(ch.challenge_id, wrong)
    with pytest.raises(ApiRateLimited):
        client.otp_verify(ch.challenge_id, code)


def test_current_wave_and_new_wave(live_api: LiveApi) -> None:
    dev = live_api.enrol_device()
    client = ApiClient(live_api.url, token=dev.token)
    assert client.current_wave().number == 1
    import datetime as dt

    now = dt.datetime.now(dt.UTC)
    resp = live_api.admin(
        "POST",
        "/v1/admin/waves",
        json={
            "number": 2,
            "name": "Gelombang 2",
            "opens_at": now.isoformat(),
            "closes_at": (now + dt.timedelta(days=7)).isoformat(),
        },
    )
    assert resp.status_code == 201
    assert client.current_wave().number == 2


def test_no_open_wave_is_404(live_api: LiveApi) -> None:
    live_api.sql("DELETE FROM waves")
    dev = live_api.enrol_device()
    with pytest.raises(ApiNotFound):
        ApiClient(live_api.url, token=dev.token).current_wave()


def test_testbank_is_signed_by_the_enrolment_signing_key(live_api: LiveApi) -> None:
    dev = live_api.enrol_device()
    client = ApiClient(live_api.url, token=dev.token)
    doc = client.current_testbank(verify_with=dev.signing_key)
    bank = json.loads(doc.verified_bytes(dev.signing_key))
    assert bank["bank_id"] and bank["version"] >= 1
    from kiosk.api_client import ApiBadResponse

    with pytest.raises(ApiBadResponse):
        doc.verified_bytes(Ed25519PrivateKey.generate().public_key())


def test_submission_with_test_answers_is_scored(live_api: LiveApi) -> None:
    import datetime as dt
    import uuid

    import requests as rq

    dev = live_api.enrol_device()
    bank = json.loads(
        ApiClient(live_api.url, token=dev.token).current_testbank().verified_bytes(dev.signing_key)
    )
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    sid = str(uuid.uuid4())
    from tests.support.payloads import make_payload

    test = {
        "bank_id": bank["bank_id"],
        "bank_version": bank["version"],
        "seed": 1,
        "order": [],
        "answers": {},
        "started_at": (now - dt.timedelta(minutes=20)).isoformat(),
        "finished_at": now.isoformat(),
        "timed_out": False,
    }
    payload = make_payload(submission_id=sid, device_id=dev.device_id, test=test)
    _, blob = live_api.seal_submission(dev, payload_dict=payload, submission_id=sid)
    resp = live_api.put_submission(dev, sid, blob)
    assert resp.status_code == 201 and resp.json()["status"] == "received"
    got = rq.get(f"{live_api.url}/v1/submissions/{sid}", headers=dev.headers, timeout=5).json()
    assert got["status"] == "failed"  # nothing answered: cannot pass


def test_admin_endpoints_need_the_admin_token(live_api: LiveApi) -> None:
    for method, path in [
        ("POST", "/v1/admin/enrolment-codes"),
        ("PUT", "/v1/admin/faults"),
        ("GET", "/v1/admin/otp-outbox"),
    ]:
        resp = requests.request(method, live_api.url + path, json={}, timeout=5)
        assert resp.status_code == 401 and resp.json()["error"] == "admin_auth_required"
        resp = requests.request(
            method, live_api.url + path, json={}, headers={"Authorization": "Bearer wrong"}, timeout=5
        )
        assert resp.status_code == 401
