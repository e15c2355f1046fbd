"""Server key material in the data dir, generated on first start.

Why files in the data dir: the reference server must work from an empty directory (demo mode, tests)
and keep its identity across restarts, or every queued envelope sealed for the old key becomes
unopenable. Private keys are written with mode 0600 via ``os.open`` so they are never world-readable,
not even for an instant.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from central_api.schemas import SignedDocument
from kiosk.envelope import b64e, key_id, raw_public

ENVELOPE_KEY_FILE = "server-envelope-x25519.pem"
SIGNING_KEY_FILE = "server-signing-ed25519.pem"
ADMIN_TOKEN_FILE = "admin-token"  # noqa: S105 (a file name, not a secret)


class DataDirError(RuntimeError):
    """The data dir cannot be created, read or written; the message says which path."""


def write_secret(path: Path, data: bytes) -> None:
    """Create ``path`` with mode 0600 (fails if it exists, so keys are never overwritten)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


@dataclass(frozen=True, slots=True)
class ServerKeys:
    """The X25519 key that opens envelopes and the Ed25519 key that signs documents (test bank)."""

    envelope: X25519PrivateKey
    signing: Ed25519PrivateKey

    def public_info(self) -> dict[str, Any]:
        """What a device receives at enrolment (JSON)."""
        return {
            "envelope": {
                "algorithm": "X25519",
                "key_id": key_id(self.envelope.public_key()),
                "public_key": b64e(raw_public(self.envelope.public_key())),
            },
            "signing": {
                "algorithm": "Ed25519",
                "key_id": key_id(self.signing.public_key()),
                "public_key": b64e(raw_public(self.signing.public_key())),
            },
        }

    def signed_document(self, data: bytes) -> SignedDocument:
        """``data`` wrapped and signed as the kiosk verifies it (test bank, central settings).

        Why one place: every signed document the kiosk fetches must carry the same format, key id and
        digest, or one of them would fail the kiosk's single verifier.
        """
        return SignedDocument(
            format="prakerja-signed-document-v1",
            key_id=key_id(self.signing.public_key()),
            algorithm="Ed25519",
            sha256=hashlib.sha256(data).hexdigest(),
            document=b64e(data),
            signature=b64e(self.signing.sign(data)),
        )


def _load_or_create(path: Path, generate: Any, kind: type) -> Any:
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, kind):
            raise DataDirError(f"{path} does not hold a {kind.__name__}")
        return key
    key = generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    write_secret(path, pem)
    return key


def ensure_data_dir(data_dir: Path) -> None:
    """Create the data dir (0700) and check that it is writable, with a message naming it."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        probe = data_dir / f".write-test-{secrets.token_hex(4)}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise DataDirError(f"data dir {data_dir} is not writable ({exc.strerror or exc})") from exc


def load_server_keys(data_dir: Path) -> ServerKeys:
    """Load the server keys from ``data_dir``, generating them on first start."""
    try:
        envelope = _load_or_create(data_dir / ENVELOPE_KEY_FILE, X25519PrivateKey.generate, X25519PrivateKey)
        signing = _load_or_create(data_dir / SIGNING_KEY_FILE, Ed25519PrivateKey.generate, Ed25519PrivateKey)
    except (OSError, ValueError) as exc:
        raise DataDirError(f"cannot read or create server keys in {data_dir}: {exc}") from exc
    return ServerKeys(envelope=envelope, signing=signing)


def load_admin_token(data_dir: Path, given: str | None) -> str:
    """The admin token: the given one, else the one stored in the data dir, else a new one saved there."""
    if given:
        return given
    path = data_dir / ADMIN_TOKEN_FILE
    try:
        if path.exists():
            token = path.read_text(encoding="ascii").strip()
            if token:
                return token
        token = secrets.token_urlsafe(24)
        write_secret(path, token.encode("ascii"))
        return token
    except (OSError, UnicodeDecodeError) as exc:
        raise DataDirError(f"cannot read or create {path}: {exc}") from exc
