"""Secrets handling: random tokens, their stored digests, and PIN hashing.

Why digests for tokens: a copy of the database must not let anyone act as a device or operator.
Bearer tokens and one-time codes have ≥128 bits (codes: 50 bits but single-use, expiring, and
attempt-limited) so a plain sha256 is enough; PINs are short, so they get scrypt (memory-hard).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud over the phone


def new_token() -> str:
    """A bearer token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """The stored form of a high-entropy secret."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_enrolment_code() -> str:
    """A one-time code like ``KQ7M-2XPD-9HTA`` (12 symbols of 32 = 60 bits)."""
    raw = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise_code(code: str) -> str:
    """Accept lower case, spaces and missing dashes when a person types a code."""
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}" if len(raw) == 12 else raw


def new_otp_code() -> str:
    """A six-digit OTP code."""
    return f"{secrets.randbelow(1_000_000):06d}"


def hash_pin(pin: str, salt: bytes, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> bytes:
    """scrypt(PIN); the same function the kiosk uses for its offline verifier (with another salt)."""
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(pin.encode("utf-8"))


def pin_matches(pin: str, salt: bytes, expected: bytes, n: int, r: int, p: int) -> bool:
    """Constant-time PIN check."""
    return hmac.compare_digest(hash_pin(pin, salt, n, r, p), expected)


def equal(a: str, b: str) -> bool:
    """Constant-time string comparison (admin token)."""
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))
