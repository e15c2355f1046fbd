"""Receipt reference numbers: short, typeable, read aloud over the phone, and self-checking.

Format: ``PK-XXXX-XXXX-XXXX-C`` — 12 Crockford base32 symbols (60 bits) in groups of four and one
Crockford check symbol (the 60-bit value mod 37, from ``0-9A-Z`` minus ``ILOU`` plus ``*~$=U``).
Crockford's alphabet has no I, L, O or U among the data symbols, so ``parse`` reads ``I``/``L`` as 1
and ``O`` as 0, ignores case, spaces and hyphens, and the check symbol catches any single mistyped
symbol and any swap of two neighbours (37 is prime and larger than 32).

Why hashed: the 60 bits are the first 60 bits of SHA-256 of the submission UUID's 16 bytes, so the
reference is uniformly spread whatever the UUID version (a UUIDv7 starts with a timestamp, which
would make references of simultaneous submissions share their first symbols). It is one-way: the
server stores :func:`key_for` (submission id) next to each submission and looks it up with
``parse(text).key``. Collision odds (birthday bound, n²/2⁶¹): 1 in 230,000 among 10 million
submissions, 1 in 230 among 100 million — the server must still treat the key as non-unique and
show every match (the programme had 1.4 million registrations in its first day).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from kiosk.i18n import Message, UserFacingError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CHECK_ALPHABET = ALPHABET + "*~$=U"
PREFIX = "PK"
SYMBOLS = 12
BITS = SYMBOLS * 5
_DECODE = {ch: i for i, ch in enumerate(ALPHABET)} | {"I": 1, "L": 1, "O": 0}
_CHECK_DECODE = {ch: i for i, ch in enumerate(CHECK_ALPHABET)} | {"I": 1, "L": 1, "O": 0}
MAX_INPUT_LENGTH = 64


class ReferenceNumberError(UserFacingError, ValueError):
    """Text that is not a valid reference number; ``message`` in both languages."""

    def __init__(self, message: Message) -> None:
        super().__init__(message, message.id)
        self.message = message


@dataclass(frozen=True, slots=True)
class Reference:
    """A checked reference; ``key`` is the 12 canonical symbols the server indexes."""

    key: str

    @property
    def check(self) -> str:
        return CHECK_ALPHABET[_value(self.key) % 37]

    def __str__(self) -> str:
        k = self.key
        return f"{PREFIX}-{k[0:4]}-{k[4:8]}-{k[8:12]}-{self.check}"


def _value(key: str) -> int:
    value = 0
    for ch in key:
        value = value * 32 + _DECODE[ch]
    return value


def _encode(value: int) -> str:
    out = []
    for _ in range(SYMBOLS):
        out.append(ALPHABET[value & 31])
        value >>= 5
    return "".join(reversed(out))


def key_for(submission_id: uuid.UUID) -> str:
    """The 12-symbol key of a submission (what the server stores and indexes)."""
    digest = hashlib.sha256(submission_id.bytes).digest()
    return _encode(int.from_bytes(digest[:8], "big") >> (64 - BITS))


def format(submission_id: uuid.UUID) -> str:
    """The printed reference of a submission, e.g. ``PK-7Q4M-9XRT-D2KF-3``."""
    return str(Reference(key_for(submission_id)))


def _problem() -> ReferenceNumberError:
    return ReferenceNumberError(
        Message(
            "Nomor referensi tidak valid. Periksa kembali: formatnya PK-XXXX-XXXX-XXXX-X.",
            "The reference number is not valid. Please check it: the format is PK-XXXX-XXXX-XXXX-X.",
        )
    )


def parse(text: str) -> Reference:
    """Read a typed reference (any case, with or without ``PK``, hyphens or spaces).

    Raises :class:`ReferenceNumberError` for wrong length, characters outside the alphabet or a check symbol
    that does not match (a mistyped or swapped symbol). Never raises anything else.
    """
    if not isinstance(text, str) or len(text) > MAX_INPUT_LENGTH:
        raise _problem()
    compact = "".join(text.split()).replace("-", "").upper()
    if compact.startswith(PREFIX) and len(compact) == SYMBOLS + 1 + len(PREFIX):
        compact = compact[len(PREFIX) :]
    if len(compact) != SYMBOLS + 1:
        raise _problem()
    body, check = compact[:SYMBOLS], compact[SYMBOLS]
    if any(ch not in _DECODE for ch in body) or check not in _CHECK_DECODE:
        raise _problem()
    key = "".join(ALPHABET[_DECODE[ch]] for ch in body)
    if _value(key) % 37 != _CHECK_DECODE[check]:
        raise ReferenceNumberError(
            Message(
                "Nomor referensi salah ketik: ada huruf atau angka yang keliru. Periksa kembali.",
                "The reference number has a typo: a letter or digit is wrong. Please check it.",
            )
        )
    return Reference(key)
