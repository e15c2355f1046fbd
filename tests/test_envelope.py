"""Sealed envelope format: round trip, every tamper case, limits, and fuzzing of the parser."""

from __future__ import annotations

import json
import struct
import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk import envelope as env
from kiosk.envelope import (
    EnvelopeDecryptFailed,
    EnvelopeDeviceMismatch,
    EnvelopeError,
    EnvelopeIdMismatch,
    EnvelopeMalformed,
    EnvelopeSignatureInvalid,
    EnvelopeTooLarge,
    EnvelopeVersionUnsupported,
    EnvelopeWrongServerKey,
    open_envelope,
    read_header,
    seal,
)
from tests.support.payloads import fake_photos, make_payload

SERVER = X25519PrivateKey.generate()
DEVICE = Ed25519PrivateKey.generate()
DEVICE_ID = "dev-test"
SID = str(uuid.uuid4())
PHOTOS = fake_photos()
PAYLOAD = make_payload(submission_id=SID, device_id=DEVICE_ID, photos=PHOTOS)
BLOB = seal(
    PAYLOAD, PHOTOS, submission_id=SID, device_id=DEVICE_ID, device_key=DEVICE, server_key=SERVER.public_key()
)


def lookup(device_id: str) -> Ed25519PublicKey | None:
    return DEVICE.public_key() if device_id == DEVICE_ID else None


def open_(blob: bytes, sid: str = SID, server: X25519PrivateKey = SERVER, **kw: object) -> env.OpenedEnvelope:
    return open_envelope(
        blob, expected_submission_id=sid, server_key=server, device_public_key_lookup=lookup, **kw
    )  # type: ignore[arg-type]


def header_len(blob: bytes) -> int:
    return struct.unpack(">I", blob[4:8])[0]


def test_round_trip_returns_payload_attachments_and_header() -> None:
    opened = open_(BLOB, expected_device_id=DEVICE_ID)
    assert opened.payload_json() == json.loads(json.dumps(PAYLOAD))
    assert opened.attachments == PHOTOS
    assert opened.header.submission_id == SID
    assert opened.header.device_id == DEVICE_ID
    assert opened.header.server_key_id == env.key_id(SERVER.public_key())
    assert opened.header.device_key_id == env.key_id(DEVICE.public_key())


def test_plaintext_is_not_visible_in_the_envelope() -> None:
    assert b"CONTOH PEMOHON" not in BLOB
    assert PAYLOAD["ktp"]["nik"].encode() not in BLOB
    assert PHOTOS["ktp.jpg"][:40] not in BLOB


def test_sealing_twice_gives_different_bytes() -> None:
    again = seal(
        PAYLOAD,
        PHOTOS,
        submission_id=SID,
        device_id=DEVICE_ID,
        device_key=DEVICE,
        server_key=SERVER.public_key(),
    )
    assert again != BLOB
    assert open_(again).payload_bytes == open_(BLOB).payload_bytes


def test_only_the_server_private_key_opens_it() -> None:
    """The kiosk holds only the public key; any other X25519 private key is refused."""
    with pytest.raises(EnvelopeWrongServerKey):
        open_(BLOB, server=X25519PrivateKey.generate())


def test_replay_under_another_id_is_refused() -> None:
    with pytest.raises(EnvelopeIdMismatch):
        open_(BLOB, sid=str(uuid.uuid4()))


def test_wrong_device_key_is_a_device_mismatch() -> None:
    other = Ed25519PrivateKey.generate()
    blob = seal(
        PAYLOAD,
        PHOTOS,
        submission_id=SID,
        device_id=DEVICE_ID,
        device_key=other,
        server_key=SERVER.public_key(),
    )
    with pytest.raises(EnvelopeDeviceMismatch) as info:
        open_(blob)
    assert info.value.http_status == 403


def test_unknown_device_and_other_device_are_refused() -> None:
    blob = seal(
        PAYLOAD,
        PHOTOS,
        submission_id=SID,
        device_id="dev-unknown",
        device_key=DEVICE,
        server_key=SERVER.public_key(),
    )
    with pytest.raises(EnvelopeDeviceMismatch):
        open_(blob)
    with pytest.raises(EnvelopeDeviceMismatch):
        open_(BLOB, expected_device_id="dev-other")


def test_lookup_that_raises_is_a_refusal() -> None:
    def broken(_device_id: str) -> Ed25519PublicKey | None:
        raise RuntimeError("db down")

    with pytest.raises(EnvelopeDeviceMismatch):
        open_envelope(BLOB, expected_submission_id=SID, server_key=SERVER, device_public_key_lookup=broken)


@pytest.mark.parametrize("region", ["ciphertext", "signature", "ct_length", "last"])
def test_flipped_byte_is_refused(region: str) -> None:
    hl = header_len(BLOB)
    index = {
        "ciphertext": 8 + hl + 4 + 10,
        "signature": len(BLOB) - 10,
        "ct_length": 8 + hl + 2,
        "last": len(BLOB) - 1,
    }[region]
    tampered = bytearray(BLOB)
    tampered[index] ^= 0x01
    with pytest.raises((EnvelopeSignatureInvalid, EnvelopeMalformed)):
        open_(bytes(tampered))


def test_every_single_byte_flip_is_refused() -> None:
    """Exhaustive over the header and a sample of the rest: no flip is ever accepted."""
    positions = list(range(0, 8 + header_len(BLOB) + 8)) + list(
        range(8 + header_len(BLOB) + 8, len(BLOB), 97)
    )
    for pos in positions:
        tampered = bytearray(BLOB)
        tampered[pos] ^= 0x20
        with pytest.raises(EnvelopeError):
            open_(bytes(tampered))


@pytest.mark.parametrize("cut", [0, 3, 8, 50, -65, -64, -1])
def test_truncated_body_is_malformed(cut: int) -> None:
    with pytest.raises(EnvelopeMalformed):
        open_(BLOB[:cut] if cut else b"")


def test_extended_body_is_malformed() -> None:
    with pytest.raises(EnvelopeMalformed):
        open_(BLOB + b"\x00")


def test_unknown_version_is_reported_as_such() -> None:
    with pytest.raises(EnvelopeVersionUnsupported):
        open_(b"PKE2" + BLOB[4:])
    hl = header_len(BLOB)
    fields = json.loads(BLOB[8 : 8 + hl])
    fields["v"] = 2
    header = json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()
    with pytest.raises(EnvelopeVersionUnsupported):
        open_(b"PKE1" + struct.pack(">I", len(header)) + header + BLOB[8 + hl :])


def test_header_readable_without_keys() -> None:
    header = read_header(BLOB)
    assert header.submission_id == SID and header.version == 1


def test_size_limits() -> None:
    with pytest.raises(EnvelopeTooLarge) as info:
        open_(b"PKE1" + b"\x00" * env.MAX_ENVELOPE_BYTES)
    assert info.value.http_status == 413
    big = {"a.jpg": b"\x00" * (env.MAX_ENVELOPE_BYTES + 1)}
    with pytest.raises(EnvelopeTooLarge):
        seal(
            b"{}",
            big,
            submission_id=SID,
            device_id=DEVICE_ID,
            device_key=DEVICE,
            server_key=SERVER.public_key(),
        )
    many = {f"p{i}.jpg": b"x" for i in range(env.MAX_ATTACHMENTS + 1)}
    with pytest.raises(EnvelopeTooLarge):
        seal(
            b"{}",
            many,
            submission_id=SID,
            device_id=DEVICE_ID,
            device_key=DEVICE,
            server_key=SERVER.public_key(),
        )


def test_bad_attachment_name_refused_at_sealing() -> None:
    with pytest.raises(EnvelopeMalformed):
        seal(
            b"{}",
            {"../etc/passwd": b"x"},
            submission_id=SID,
            device_id=DEVICE_ID,
            device_key=DEVICE,
            server_key=SERVER.public_key(),
        )


def test_payload_that_is_not_json_is_malformed() -> None:
    blob = seal(
        b"\xff not json",
        {},
        submission_id=SID,
        device_id=DEVICE_ID,
        device_key=DEVICE,
        server_key=SERVER.public_key(),
    )
    with pytest.raises(EnvelopeMalformed):
        open_(blob).payload_json()


def test_every_error_has_a_bilingual_message_and_4xx_status() -> None:
    for cls in (
        EnvelopeError,
        EnvelopeTooLarge,
        EnvelopeMalformed,
        EnvelopeVersionUnsupported,
        EnvelopeIdMismatch,
        EnvelopeDeviceMismatch,
        EnvelopeSignatureInvalid,
        EnvelopeWrongServerKey,
        EnvelopeDecryptFailed,
    ):
        err = cls("x")
        assert 400 <= err.http_status < 500
        assert err.message.id and err.message.en and err.message.id != err.message.en
        assert err.code.startswith("envelope_")


FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=2048))
def test_random_bytes_only_raise_envelope_errors(data: bytes) -> None:
    with pytest.raises(EnvelopeError):
        open_(data)


@FUZZ
@given(st.integers(min_value=0, max_value=len(BLOB) - 1))
def test_random_truncation_only_raises_envelope_errors(cut: int) -> None:
    with pytest.raises(EnvelopeError):
        open_(BLOB[:cut])


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(BLOB) - 1), st.integers(0, 7)), min_size=1, max_size=4))
def test_random_bit_flips_only_raise_envelope_errors(flips: list[tuple[int, int]]) -> None:
    tampered = bytearray(BLOB)
    for pos, bit in flips:
        tampered[pos] ^= 1 << bit
    if bytes(tampered) == BLOB:
        return
    with pytest.raises(EnvelopeError):
        open_(bytes(tampered))


@FUZZ
@given(st.binary(min_size=0, max_size=512))
def test_random_header_json_only_raises_envelope_errors(header: bytes) -> None:
    with pytest.raises(EnvelopeError):
        open_(b"PKE1" + struct.pack(">I", len(header)) + header + BLOB[8 + header_len(BLOB) :])
