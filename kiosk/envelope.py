"""Sealed envelopes: a submission encrypted for the central API and signed by the device.

Why: a registration waits in the kiosk's outbox for hours or days (field laptops without signal) and
may be carried on a USB stick. Sealing it at once means the plaintext (NIK, photos, mother's name) never
rests on disk; the kiosk only holds the central API's *public* key, so a stolen kiosk cannot open its own
queue. The device signature lets the server refuse envelopes that were not made by an enrolled kiosk,
and the authenticated header binds the envelope to its submission id so it cannot be replayed under
another id.

Construction (``docs/envelope.md`` has the byte layout): ephemeral X25519 key agreement with the
server's X25519 key, HKDF-SHA256 to a 256-bit key, AES-256-GCM with the header as associated data,
then an Ed25519 signature by the device over everything before it. All primitives are from
``cryptography``; nothing here is home-made except the framing.

Errors: :func:`open_envelope` raises only :class:`EnvelopeError` subclasses, each with a stable
``code``, a bilingual :class:`~kiosk.i18n.Message` and the HTTP status the reference API answers with.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import re
import struct
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from kiosk.i18n import Message, UserFacingError

MAGIC = b"PKE1"
FORMAT_VERSION = 1
ALGORITHM = "X25519-HKDF-SHA256-AES256GCM-Ed25519"
HKDF_INFO = b"prakerja-kiosk envelope v1"
PAYLOAD_NAME = "payload.json"

MAX_ENVELOPE_BYTES = 8 * 1024 * 1024
MAX_HEADER_BYTES = 4096
MAX_ATTACHMENTS = 16
_SIG_LEN = 64
_NONCE_LEN = 12
_NAME_RE = re.compile(r"^[a-z0-9_.-]{1,40}$")
_HEADER_FIELDS = frozenset(
    {
        "v",
        "alg",
        "submission_id",
        "device_id",
        "created_at",
        "server_key_id",
        "device_key_id",
        "epk",
        "nonce",
    }
)


# --------------------------------------------------------------------------------------------- errors
class EnvelopeError(UserFacingError, ValueError):
    """An envelope that cannot be accepted; ``code`` is stable, ``message`` is for people."""

    code: ClassVar[str] = "envelope_invalid"
    http_status: ClassVar[int] = 422
    message: Message

    def __init__(self, detail: str | None = None) -> None:
        self.detail = detail
        super().__init__(self.default_message(), f"{self.code}: {detail}" if detail else self.code)

    @classmethod
    def default_message(cls) -> Message:
        return Message("Amplop data tidak valid.", "The sealed submission is not valid.")


class EnvelopeTooLarge(EnvelopeError):
    """Bigger than :data:`MAX_ENVELOPE_BYTES` (or an attachment count/size beyond the limits)."""

    code = "envelope_too_large"
    http_status = 413

    @classmethod
    def default_message(cls) -> Message:
        return Message("Data terlalu besar.", "The submission is too large.")


class EnvelopeMalformed(EnvelopeError):
    """Not an envelope, truncated, or framing that does not add up."""

    code = "envelope_malformed"

    @classmethod
    def default_message(cls) -> Message:
        return Message(
            "Data kiriman rusak atau terpotong.", "The submission is damaged or incomplete (truncated)."
        )


class EnvelopeVersionUnsupported(EnvelopeError):
    """A format version or algorithm this code does not know."""

    code = "envelope_version_unsupported"

    @classmethod
    def default_message(cls) -> Message:
        return Message(
            "Versi amplop data tidak didukung; perbarui aplikasi.",
            "This envelope version is not supported; update the application.",
        )


class EnvelopeIdMismatch(EnvelopeError):
    """The header names another submission id than the one it was sent under (a replay)."""

    code = "envelope_id_mismatch"

    @classmethod
    def default_message(cls) -> Message:
        return Message(
            "Nomor kiriman tidak cocok dengan isi amplop.",
            "The submission id does not match the sealed envelope.",
        )


class EnvelopeDeviceMismatch(EnvelopeError):
    """Signed by a key that is not the enrolled key of the sending device, or for another device."""

    code = "envelope_device_mismatch"
    http_status = 403

    @classmethod
    def default_message(cls) -> Message:
        return Message(
            "Amplop tidak ditandatangani oleh perangkat ini; daftarkan ulang perangkat.",
            "The envelope was not signed by this device; enrol the device again.",
        )


class EnvelopeSignatureInvalid(EnvelopeError):
    """The signature does not verify with the device's key: the bytes changed after sealing."""

    code = "envelope_signature_invalid"

    @classmethod
    def default_message(cls) -> Message:
        return Message(
            "Data kiriman berubah setelah disegel (tanda tangan tidak cocok).",
            "The submission changed after it was sealed (signature does not match).",
        )


class EnvelopeWrongServerKey(EnvelopeError):
    """Sealed for a server key this server does not hold."""

    code = "envelope_wrong_server_key"

    @classmethod
    def default_message(cls) -> Message:
        return Message(
            "Amplop disegel untuk kunci server lain.", "The envelope was sealed for another server key."
        )


class EnvelopeDecryptFailed(EnvelopeError):
    """The signature verified but decryption failed (should not happen unless keys are wrong)."""

    code = "envelope_decrypt_failed"

    @classmethod
    def default_message(cls) -> Message:
        return Message("Amplop tidak dapat dibuka.", "The envelope could not be opened.")


# ------------------------------------------------------------------------------------------- keys
def key_id(public_key: X25519PublicKey | Ed25519PublicKey) -> str:
    """Short stable id of a public key: the first 16 hex digits of sha256 of its raw bytes."""
    return hashlib.sha256(raw_public(public_key)).hexdigest()[:16]


def raw_public(public_key: X25519PublicKey | Ed25519PublicKey) -> bytes:
    """The 32 raw bytes of an X25519 or Ed25519 public key."""
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def b64e(data: bytes) -> str:
    """URL-safe base64 without padding (used in headers and JSON)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64d(text: str) -> bytes:
    """Inverse of :func:`b64e`; raises ``ValueError`` on bad input."""
    if not isinstance(text, str) or len(text) > 200_000:
        raise ValueError("not base64 text")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError) as exc:
        raise ValueError("not base64") from exc


# ------------------------------------------------------------------------------------------- data
@dataclass(frozen=True, slots=True)
class EnvelopeHeader:
    """The authenticated, unencrypted header (readable without keys, e.g. by an outbox export)."""

    version: int
    algorithm: str
    submission_id: str
    device_id: str
    created_at: str
    server_key_id: str
    device_key_id: str
    ephemeral_public_key: bytes
    nonce: bytes


@dataclass(frozen=True, slots=True)
class OpenedEnvelope:
    """What the server gets back from :func:`open_envelope`."""

    payload_bytes: bytes
    attachments: dict[str, bytes]
    header: EnvelopeHeader

    def payload_json(self) -> Any:
        """The payload decoded as JSON; raises :class:`EnvelopeMalformed` when it is not JSON."""
        try:
            return json.loads(self.payload_bytes)
        except (ValueError, RecursionError) as exc:
            raise EnvelopeMalformed("payload is not JSON") from exc


# ----------------------------------------------------------------------------------------- framing
def _pack_inner(payload: bytes, attachments: Mapping[str, bytes]) -> bytes:
    parts = [struct.pack(">H", 1 + len(attachments))]
    for name, data in [(PAYLOAD_NAME, payload), *attachments.items()]:
        encoded = name.encode("utf-8")
        parts += [struct.pack(">H", len(encoded)), encoded, struct.pack(">I", len(data)), bytes(data)]
    return b"".join(parts)


def _unpack_inner(inner: bytes) -> tuple[bytes, dict[str, bytes]]:
    view = memoryview(inner)
    pos = 0

    def take(n: int) -> bytes:
        nonlocal pos
        if n < 0 or pos + n > len(view):
            raise EnvelopeMalformed("inner framing truncated")
        chunk = bytes(view[pos : pos + n])
        pos += n
        return chunk

    (count,) = struct.unpack(">H", take(2))
    if count < 1 or count > MAX_ATTACHMENTS + 1:
        raise EnvelopeMalformed("bad part count")
    parts: dict[str, bytes] = {}
    for _ in range(count):
        (name_len,) = struct.unpack(">H", take(2))
        try:
            name = take(name_len).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise EnvelopeMalformed("part name not UTF-8") from exc
        (data_len,) = struct.unpack(">I", take(4))
        if name in parts:
            raise EnvelopeMalformed("duplicate part name")
        parts[name] = take(data_len)
    if pos != len(view):
        raise EnvelopeMalformed("trailing bytes in inner framing")
    if PAYLOAD_NAME not in parts:
        raise EnvelopeMalformed("no payload part")
    payload = parts.pop(PAYLOAD_NAME)
    return payload, parts


def _derive_key(shared: bytes, epk: bytes, server_pub: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=epk + server_pub, info=HKDF_INFO)
    return hkdf.derive(shared)


def _header_bytes(fields: Mapping[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


# -------------------------------------------------------------------------------------------- seal
def seal(
    payload: bytes | Mapping[str, Any],
    attachments: Mapping[str, bytes],
    *,
    submission_id: str | uuid.UUID,
    device_id: str,
    device_key: Ed25519PrivateKey,
    server_key: X25519PublicKey,
    created_at: dt.datetime | None = None,
) -> bytes:
    """Encrypt ``payload`` (JSON bytes or a JSON-able mapping) and ``attachments`` for ``server_key``.

    Returns the envelope bytes. Raises :class:`EnvelopeTooLarge` or :class:`EnvelopeMalformed` when
    the input breaks the documented limits (so the kiosk learns it at sealing time, not days later).
    """
    if isinstance(payload, Mapping):
        payload_bytes = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=str).encode()
    else:
        payload_bytes = bytes(payload)
    if len(attachments) > MAX_ATTACHMENTS:
        raise EnvelopeTooLarge("too many attachments")
    for name in attachments:
        if not _NAME_RE.match(name) or name == PAYLOAD_NAME:
            raise EnvelopeMalformed(f"attachment name not allowed: {name!r}")
    sid = str(uuid.UUID(str(submission_id)))
    when = (created_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).isoformat(timespec="seconds")

    ephemeral = X25519PrivateKey.generate()
    epk = raw_public(ephemeral.public_key())
    server_pub = raw_public(server_key)
    nonce = os.urandom(_NONCE_LEN)
    fields = {
        "v": FORMAT_VERSION,
        "alg": ALGORITHM,
        "submission_id": sid,
        "device_id": device_id,
        "created_at": when,
        "server_key_id": key_id(server_key),
        "device_key_id": key_id(device_key.public_key()),
        "epk": b64e(epk),
        "nonce": b64e(nonce),
    }
    header = _header_bytes(fields)
    if len(header) > MAX_HEADER_BYTES:
        raise EnvelopeMalformed("header too long")
    prefix = MAGIC + struct.pack(">I", len(header)) + header

    key = _derive_key(ephemeral.exchange(server_key), epk, server_pub)
    ciphertext = AESGCM(key).encrypt(nonce, _pack_inner(payload_bytes, attachments), prefix)
    body = prefix + struct.pack(">I", len(ciphertext)) + ciphertext
    blob = body + device_key.sign(body)
    if len(blob) > MAX_ENVELOPE_BYTES:
        raise EnvelopeTooLarge(f"{len(blob)} bytes")
    return blob


# -------------------------------------------------------------------------------------------- open
def read_header(blob: bytes) -> EnvelopeHeader:
    """Parse and check the framing and header without any key (bounded; never trusts lengths).

    The header is authenticated only by :func:`open_envelope`; use this alone for display/routing.
    """
    if not isinstance(blob, bytes | bytearray | memoryview):
        raise EnvelopeMalformed("not bytes")
    blob = bytes(blob)
    if len(blob) > MAX_ENVELOPE_BYTES:
        raise EnvelopeTooLarge(f"{len(blob)} bytes")
    if len(blob) < 8 or blob[:4] != MAGIC:
        if len(blob) >= 8 and blob[:3] == b"PKE" and blob[3:4] != MAGIC[3:4]:
            raise EnvelopeVersionUnsupported("unknown magic version")
        raise EnvelopeMalformed("not an envelope (bad magic or too short)")
    (header_len,) = struct.unpack(">I", blob[4:8])
    if header_len > MAX_HEADER_BYTES or 8 + header_len > len(blob):
        raise EnvelopeMalformed("header length out of range")
    try:
        fields = json.loads(blob[8 : 8 + header_len].decode("ascii"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise EnvelopeMalformed("header is not JSON") from exc
    if not isinstance(fields, dict):
        raise EnvelopeMalformed("header is not an object")
    version = fields.get("v")
    if type(version) is not int or version != FORMAT_VERSION or fields.get("alg") != ALGORITHM:
        raise EnvelopeVersionUnsupported(f"v={fields.get('v')!r}")
    if set(fields) != _HEADER_FIELDS:
        raise EnvelopeMalformed("header fields do not match version 1")
    if not all(isinstance(fields[k], str) for k in _HEADER_FIELDS - {"v"}):
        raise EnvelopeMalformed("header field types")
    try:
        sid = str(uuid.UUID(fields["submission_id"]))
        epk = b64d(fields["epk"])
        nonce = b64d(fields["nonce"])
    except ValueError as exc:
        raise EnvelopeMalformed("header values") from exc
    if len(epk) != 32 or len(nonce) != _NONCE_LEN or sid != fields["submission_id"]:
        raise EnvelopeMalformed("header values")
    return EnvelopeHeader(
        version=FORMAT_VERSION,
        algorithm=ALGORITHM,
        submission_id=sid,
        device_id=fields["device_id"],
        created_at=fields["created_at"],
        server_key_id=fields["server_key_id"],
        device_key_id=fields["device_key_id"],
        ephemeral_public_key=epk,
        nonce=nonce,
    )


def open_envelope(
    blob: bytes,
    *,
    expected_submission_id: str | uuid.UUID,
    server_key: X25519PrivateKey,
    device_public_key_lookup: Callable[[str], Ed25519PublicKey | None],
    expected_device_id: str | None = None,
) -> OpenedEnvelope:
    """Verify, decrypt and unpack an envelope (server side).

    Order of checks: framing and header, submission id (replay), device (``expected_device_id`` is
    the device that authenticated the request; the lookup returns its enrolled key or ``None``),
    signature, server key id, decryption, inner framing. Raises only :class:`EnvelopeError`.
    """
    header = read_header(blob)
    blob = bytes(blob)
    try:
        expected = str(uuid.UUID(str(expected_submission_id)))
    except ValueError as exc:
        raise EnvelopeIdMismatch("expected id is not a UUID") from exc
    if header.submission_id != expected:
        raise EnvelopeIdMismatch("header submission id differs")
    if expected_device_id is not None and header.device_id != expected_device_id:
        raise EnvelopeDeviceMismatch("header names another device")

    prefix_len = 8 + struct.unpack(">I", blob[4:8])[0]
    if prefix_len + 4 + _SIG_LEN > len(blob):
        raise EnvelopeMalformed("truncated before ciphertext")
    (ct_len,) = struct.unpack(">I", blob[prefix_len : prefix_len + 4])
    body_end = prefix_len + 4 + ct_len
    if body_end + _SIG_LEN != len(blob):
        raise EnvelopeMalformed("length does not match (truncated or extended)")

    try:
        device_key = device_public_key_lookup(header.device_id)
    except Exception as exc:  # a lookup failure is a refusal, never a 500
        raise EnvelopeDeviceMismatch("device lookup failed") from exc
    if device_key is None:
        raise EnvelopeDeviceMismatch("device not enrolled")
    try:
        device_key.verify(blob[body_end:], blob[:body_end])
    except InvalidSignature:
        if header.device_key_id != key_id(device_key):
            raise EnvelopeDeviceMismatch("signed by another key") from None
        raise EnvelopeSignatureInvalid() from None

    server_pub = server_key.public_key()
    if header.server_key_id != key_id(server_pub):
        raise EnvelopeWrongServerKey(header.server_key_id)
    try:
        epk = X25519PublicKey.from_public_bytes(header.ephemeral_public_key)
        key = _derive_key(server_key.exchange(epk), header.ephemeral_public_key, raw_public(server_pub))
        inner = AESGCM(key).decrypt(header.nonce, blob[prefix_len + 4 : body_end], blob[:prefix_len])
    except (InvalidTag, ValueError) as exc:
        raise EnvelopeDecryptFailed() from exc
    payload, attachments = _unpack_inner(inner)
    for name in attachments:
        if not _NAME_RE.match(name):
            raise EnvelopeMalformed("attachment name not allowed")
    return OpenedEnvelope(payload_bytes=payload, attachments=attachments, header=header)
