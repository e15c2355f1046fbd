"""PUT/GET /v1/submissions/{id} over real HTTP: every status code of the sync contract."""

from __future__ import annotations

import json
import uuid

import requests

from kiosk.envelope import seal
from tests.support.live_api import LiveApi
from tests.support.payloads import fake_photos, make_payload


def assert_error(resp: requests.Response, status: int, code: str) -> dict:
    assert resp.status_code == status, (resp.status_code, resp.text)
    assert resp.headers["content-type"].startswith("application/json")
    body = resp.json()
    assert body["error"] == code, body
    assert body["message"]["id"] and body["message"]["en"]
    return body


def test_new_submission_is_201_and_identical_resend_is_200(live_api: LiveApi) -> None:
    dev = live_api.enrol_device()
    sid, blob = live_api.seal_submission(dev)
    first = live_api.put_submission(dev, sid, blob)
    assert first.status_code == 201, first.text
    receipt = first.json()
    assert receipt["submission_id"] == sid and receipt["status"] == "received" and not receipt["duplicate"]
    again = live_api.put_submission(dev, sid, blob)
    assert again.status_code == 200
    assert again.json()["sha256"] == receipt["sha256"] and again.json()["duplicate"] is True


def test_same_id_other_content_is_409(live_api: LiveApi) -> None:
    dev = live_api.enrol_device()
    sid, blob = live_api.seal_submission(dev)
    assert live_api.put_submission(dev, sid, blob).status_code == 201
    _, other = live_api.seal_submission(dev, submission_id=sid)
    assert_error(live_api.put_submission(dev, sid, other), 409, "submission_conflict")


def test_invalid_payload_is_422_with_bilingual_field_problems(live_api: LiveApi) -> None:
    dev = live_api.enrol_device()
    sid = str(uuid.uuid4())
    bad = make_payload(submission_id=sid, device_id=dev.device_id, validate=False, ktp={"nik": "12345"})
    del bad["profile"]["education"]
    _, blob = live_api.seal_submission(dev, payload_dict=bad, submission_id=sid)
    body = assert_error(live_api.put_submission(dev, sid, blob), 422, "payload_invalid")
    fields = {p["field"]: p["message"] for p in body["problems"]}
    assert "ktp.nik" in fields and "profile.education" in fields
    assert fields["ktp.nik"]["id"] and fields["ktp.nik"]["en"]


def test_photo_that_does_not_match_its_ref_is_422(live_api: LiveApi) -> None:
    dev = live_api.enrol_device()
    sid = str(uuid.uuid4())
    payload = make_payload(submission_id=sid, device_id=dev.device_id)
    photos = {**fake_photos(), "selfie.jpg": b"\xff\xd8 another picture"}
    _, blob = live_api.seal_submission(dev, payload_dict=payload, photos=photos, submission_id=sid)
    body = assert_error(live_api.put_submission(dev, sid, blob), 422, "payload_invalid")
    assert [p["field"] for p in body["problems"]] == ["photos.selfie"]


def test_payload_ids_must_match_envelope(live_api: LiveApi) -> None:
    dev = live_api.enrol_device()
    sid = str(uuid.uuid4())
    payload = make_payload(submission_id=uuid.uuid4(), device_id="dev-someone-else")
    _, blob = live_api.seal_submission(dev, payload_dict=payload, submission_id=sid)
    body = assert_error(live_api.put_submission(dev, sid, blob), 422, "payload_invalid")
    assert {p["field"] for p in body["problems"]} == {"submission_id", "device_id"}


def test_replay_under_another_id_is_422(live_api: LiveApi) -> None:
    dev = live_api.enrol_device()
    sid, blob = live_api.seal_submission(dev)
    assert live_api.put_submission(dev, sid, blob).status_code == 201
    assert_error(live_api.put_submission(dev, str(uuid.uuid4()), blob), 422, "envelope_id_mismatch")


def test_flipped_byte_is_422(live_api: LiveApi) -> None:
    dev = live_api.enrol_device()
    sid, blob = live_api.seal_submission(dev)
    tampered = bytearray(blob)
    tampered[len(blob) // 2] ^= 0xFF
    assert_error(live_api.put_submission(dev, sid, bytes(tampered)), 422, "envelope_signature_invalid")


def test_truncated_body_is_422(live_api: LiveApi) -> None:
    dev = live_api.enrol_device()
    sid, blob = live_api.seal_submission(dev)
    assert_error(live_api.put_submission(dev, sid, blob[: len(blob) - 100]), 422, "envelope_malformed")
    assert_error(live_api.put_submission(dev, sid, b""), 422, "envelope_malformed")


def test_wrong_device_key_is_403(live_api: LiveApi) -> None:
    dev = live_api.enrol_device()
    sid = str(uuid.uuid4())
    payload = make_payload(submission_id=sid, device_id=dev.device_id)
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    blob = seal(
        payload,
        fake_photos(),
        submission_id=sid,
        device_id=dev.device_id,
        device_key=Ed25519PrivateKey.generate(),
        server_key=dev.envelope_key,
    )
    assert_error(live_api.put_submission(dev, sid, blob), 403, "envelope_device_mismatch")


def test_envelope_signed_by_a_device_that_is_not_enrolled_is_403(live_api: LiveApi) -> None:
    """Relaying is allowed (see test_api_relay_reference), but only for envelopes of enrolled devices."""
    uploader = live_api.enrol_device("b")
    ghost = live_api.enrol_device("ghost")
    ghost.device_id = "dev-not-enrolled"
    sid = str(uuid.uuid4())
    payload = make_payload(submission_id=sid, device_id="dev-not-enrolled")
    sid, blob = live_api.seal_submission(ghost, payload_dict=payload, submission_id=sid)
    assert_error(live_api.put_submission(uploader, sid, blob), 403, "envelope_device_mismatch")


def test_missing_or_bad_token_is_401_and_revoked_device_is_403(live_api: LiveApi) -> None:
    dev = live_api.enrol_device()
    sid, blob = live_api.seal_submission(dev)
    url = f"{live_api.url}/v1/submissions/{sid}"
    ctype = {"Content-Type": "application/octet-stream"}
    assert_error(requests.put(url, data=blob, headers=ctype, timeout=5), 401, "auth_required")
    bad = {**ctype, "Authorization": "Bearer not-a-token"}
    assert_error(requests.put(url, data=blob, headers=bad, timeout=5), 401, "auth_invalid")
    live_api.revoke_device(dev.device_id)
    assert_error(live_api.put_submission(dev, sid, blob), 403, "device_revoked")


def test_wrong_content_type_is_415(live_api: LiveApi) -> None:
    dev = live_api.enrol_device()
    sid, blob = live_api.seal_submission(dev)
    resp = live_api.put_submission(dev, sid, blob, headers={"Content-Type": "application/json"})
    assert_error(resp, 415, "unsupported_media_type")


def test_huge_body_is_413(live_api_factory) -> None:
    api = live_api_factory(max_body_bytes=64 * 1024)
    dev = api.enrol_device()
    sid = str(uuid.uuid4())
    assert_error(api.put_submission(dev, sid, b"\x00" * (65 * 1024)), 413, "envelope_too_large")

    def chunks():  # no Content-Length: the streamed size is checked too
        for _ in range(70):
            yield b"\x00" * 1024

    assert_error(api.put_submission(dev, sid, chunks()), 413, "envelope_too_large")


def test_bad_uuid_is_422_request_invalid(live_api: LiveApi) -> None:
    dev = live_api.enrol_device()
    body = assert_error(live_api.put_submission(dev, "not-a-uuid", b"x"), 422, "request_invalid")
    assert body["problems"][0]["field"].endswith("submission_id")


def test_status_lifecycle_via_get(live_api: LiveApi) -> None:
    dev = live_api.enrol_device()
    sid, blob = live_api.seal_submission(dev)
    url = f"{live_api.url}/v1/submissions/{sid}"
    assert_error(requests.get(url, headers=dev.headers, timeout=5), 404, "submission_not_found")
    assert live_api.put_submission(dev, sid, blob).status_code == 201
    assert requests.get(url, headers=dev.headers, timeout=5).json()["status"] == "received"
    for status in ("verifying", "accepted", "passed"):
        live_api.set_submission_status(sid, status)
        got = requests.get(url, headers=dev.headers, timeout=5).json()
        assert got["status"] == status and got["reason"] is None
    live_api.set_submission_status(
        sid, "rejected", "NIK ada di daftar bansos.", "NIK on welfare list.", reason_code="ktp_photo_unclear"
    )
    got = requests.get(url, headers=dev.headers, timeout=5).json()
    assert got["status"] == "rejected" and got["reason_code"] == "ktp_photo_unclear"
    assert got["reason"]["id"].startswith("Foto KTP buram") and "blurred" in got["reason"]["en"]
    assert "welfare" not in json.dumps(got) and "bansos" not in json.dumps(got)
    # another office's kiosk may check the status too (no personal data in it; "Cek Status" anywhere)
    other = live_api.enrol_device("other")
    assert requests.get(url, headers=other.headers, timeout=5).json()["status"] == "rejected"
    assert_error(requests.get(url, timeout=5), 401, "auth_required")


def test_stored_row_keeps_blob_and_sha(live_api: LiveApi) -> None:
    import hashlib

    dev = live_api.enrol_device()
    sid, blob = live_api.seal_submission(dev)
    live_api.put_submission(dev, sid, blob)
    row = live_api.sql("SELECT envelope, sha256, payload_json FROM submissions WHERE id = :id", id=sid)[0]
    assert bytes(row[0]) == blob and row[1] == hashlib.sha256(blob).hexdigest()
    assert '"nik":"3171014101900001"' in row[2]
