"""The question bank of the Tes Motivasi dan Kemampuan Dasar: format, signature check, cache.

Why this module exists and what it guarantees (format documented in ``docs/test-bank.md``):

* **The bank is data.** Number of questions, sections, texts (Bahasa Indonesia and English), pictures
  and the time limit all come from a signed JSON document; nothing about the test is hard-coded.
* **No answer key can ride along.** Every model forbids unknown fields, so a bank that carries
  ``answer``/``correct``/``score`` fields is *refused by the parser* rather than silently ignored;
  the key lives only on the central API (``central_api.testbank``).
* **Verify, then parse.** The kiosk checks the Ed25519 signature over the exact bytes before reading any
  of them. A bank refused for its signature or content yields a bilingual :class:`Message` for the
  operator and the last good bank stays in use (:class:`BankStore`).
* **Two trust roots, each for one place.** The bank shipped in ``resources/testbank/`` is signed with
  the *demo content-signing key* (:data:`DEMO_CONTENT_KEY`, demo/training only; its private half is on
  the reference server side), so the test works offline on first run. A bank fetched from the central
  API and cached is accepted only under the server's signing key pinned at enrolment
  (``kiosk.device.DeviceIdentity.server_signing_key``) — the demo key is never trusted for the cache,
  because its private half is public in the source tree.
* **Parser errors are documented**: any bytes whatsoever give a :class:`Bank` or :class:`BankInvalid`
  (fuzzed with hypothesis in ``tests/test_testbank_fuzz.py``).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import struct
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from kiosk.api_client import ApiClient, ApiError
from kiosk.atomic_file import write_atomic
from kiosk.envelope import b64d, b64e, key_id
from kiosk.i18n import Language, Message, UserFacingError
from kiosk.paths import ensure_dir, kiosk_paths

BANK_FORMAT = "prakerja-testbank"
BANK_FORMAT_VERSION = 1
SIGNATURE_FORMAT = "prakerja-signature-v1"
SIGNED_DOCUMENT_FORMAT = "prakerja-signed-document-v1"
MAX_BANK_BYTES = 2 * 1024 * 1024
MAX_IMAGE_BYTES = 200 * 1024
MAX_SIGNATURE_FILE_BYTES = 4096
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

#: Public half of the demo content-signing key (Ed25519, raw, base64url). DEMO/TRAINING ONLY: it is
#: trusted solely for the bank shipped in ``resources/testbank/``; the private half is kept on the
#: reference server side (``central_api/data/``) and is public in this source tree.
DEMO_CONTENT_KEY = "vNLfoeIuu7hT2MjkQ46EO_K1JIPEXdW5MrVYt2mChxo"
DEMO_BANK_NAME = "demo-bank.json"
SIGNATURE_SUFFIX = ".sig"
RESOURCES_DIR = Path(__file__).resolve().parents[1] / "resources" / "testbank"
CACHE_SUBDIR = "testbank"
CACHE_FILE = "current.signed.json"

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,39}$")]


# ------------------------------------------------------------------------------------------ errors
class BankError(UserFacingError, ValueError):
    """A bank (or its signature) cannot be used. ``message`` is for the operator, in both languages."""

    code = "bank_error"

    def __init__(self, message: Message, detail: str = "") -> None:
        self.message = message
        self.detail = detail
        super().__init__(message, f"{message.en} {detail}".strip())


class BankInvalid(BankError):
    """The bytes are not a bank in the documented format (the only error :func:`parse_bank` raises)."""

    code = "bank_invalid"


class BankSignatureInvalid(BankError):
    """The signature is missing, malformed, by an untrusted key, or does not match the bytes."""

    code = "bank_signature_invalid"


class BankUnavailable(BankError):
    """Neither a cached nor the shipped bank can be used: the test cannot be offered on this kiosk."""

    code = "bank_unavailable"


def _invalid(detail: str) -> BankInvalid:
    return BankInvalid(
        Message(
            "Bank soal tidak sesuai format dan tidak dipakai.",
            "The test bank is not in the expected format and is not used.",
        ),
        detail,
    )


def _bad_signature(detail: str) -> BankSignatureInvalid:
    return BankSignatureInvalid(
        Message(
            "Tanda tangan bank soal tidak sah; bank soal ini ditolak. Bank soal terakhir yang sah tetap "
            "dipakai. Hubungi pengelola sistem.",
            "The test bank's signature is not valid; this bank was refused. The last valid bank stays "
            "in use. Contact the system administrator.",
        ),
        detail,
    )


# ------------------------------------------------------------------------------------------- model
class _Strict(BaseModel):
    """Unknown fields are refused: this is what keeps answer fields out of a published bank."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Text(_Strict):
    """One text in Bahasa Indonesia (``id``) and English (``en``)."""

    id: str = Field(min_length=1, max_length=4000)
    en: str = Field(min_length=1, max_length=4000)

    def text(self, language: Language = "id") -> str:
        """The text in ``language``."""
        return self.en if language == "en" else self.id

    def message(self) -> Message:
        """As a core :class:`Message` (for the UI's language switch)."""
        return Message(self.id, self.en)


class Picture(_Strict):
    """A small PNG embedded in the bank (base64), with a description for people who cannot see it."""

    media_type: Literal["image/png"]
    data: str = Field(min_length=8, max_length=(MAX_IMAGE_BYTES * 4) // 3 + 8)
    alt: Text

    @field_validator("data")
    @classmethod
    def _png(cls, value: str) -> str:
        raw = _png_bytes(value)
        if len(raw) > MAX_IMAGE_BYTES:
            raise ValueError("picture too large")
        if raw[:8] != PNG_MAGIC or len(raw) < 24 or raw[12:16] != b"IHDR":
            raise ValueError("not a PNG picture")
        width, height = struct.unpack(">II", raw[16:24])
        if not (1 <= width <= 2000 and 1 <= height <= 2000):
            raise ValueError("picture size out of range")
        return value

    def png(self) -> bytes:
        """The PNG bytes."""
        return _png_bytes(self.data)


def _png_bytes(value: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("picture is not base64") from exc


class Option(_Strict):
    """One answer option (or one step of a Likert scale)."""

    id: Slug
    text: Text


class Question(_Strict):
    """One question, shown alone on its screen. Likert questions take their options from the section."""

    id: Slug
    prompt: Text
    picture: Picture | None = None
    options: list[Option] = Field(default_factory=list, max_length=8)


class Section(_Strict):
    """A part of the test: ``likert`` (motivation statements on a scale) or ``choice`` (one right option)."""

    id: Slug
    kind: Literal["likert", "choice"]
    title: Text
    instructions: Text
    scale: list[Option] = Field(default_factory=list, max_length=9)
    questions: list[Question] = Field(min_length=1, max_length=200)

    @model_validator(mode="after")
    def _options_fit_kind(self) -> Section:
        if self.kind == "likert":
            if len(self.scale) < 2:
                raise ValueError(f"likert section {self.id} needs a scale of 2 or more steps")
            if any(q.options for q in self.questions):
                raise ValueError(f"likert section {self.id}: questions take the section's scale")
            _unique([o.id for o in self.scale], f"scale of {self.id}")
        else:
            if self.scale:
                raise ValueError(f"choice section {self.id} has no scale")
            for q in self.questions:
                if len(q.options) < 2:
                    raise ValueError(f"question {q.id} needs 2 or more options")
                _unique([o.id for o in q.options], f"options of {q.id}")
        return self

    def options_for(self, question: Question) -> list[Option]:
        """The options shown for ``question`` (the scale for Likert statements)."""
        return list(self.scale) if self.kind == "likert" else list(question.options)


class Bank(_Strict):
    """A published question bank (no answer key: see the module docstring)."""

    format: Literal["prakerja-testbank"]
    format_version: Literal[1]
    bank_id: Slug
    version: int = Field(ge=1, le=1_000_000)
    title: Text
    instructions: Text
    time_limit_s: int = Field(ge=60, le=4 * 3600)
    warnings_s: list[int] = Field(default_factory=lambda: [300, 60], max_length=5)
    sections: list[Section] = Field(min_length=1, max_length=20)

    @model_validator(mode="after")
    def _consistent(self) -> Bank:
        _unique([s.id for s in self.sections], "section ids")
        _unique([q.id for s in self.sections for q in s.questions], "question ids")
        if sum(len(s.questions) for s in self.sections) > 500:
            raise ValueError("more than 500 questions")
        if any(not 0 < w < self.time_limit_s for w in self.warnings_s):
            raise ValueError("each warning must be inside the time limit")
        return self

    @property
    def questions(self) -> list[Question]:
        """All questions in bank order."""
        return [q for s in self.sections for q in s.questions]

    def section_of(self, question_id: str) -> Section:
        """The section holding ``question_id`` (``KeyError`` when there is none)."""
        for section in self.sections:
            if any(q.id == question_id for q in section.questions):
                return section
        raise KeyError(question_id)

    def question(self, question_id: str) -> Question:
        """The question with ``question_id`` (``KeyError`` when there is none)."""
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)


def _unique(ids: Sequence[str], what: str) -> None:
    if len(set(ids)) != len(ids):
        raise ValueError(f"duplicate {what}")


def parse_bank(raw: bytes) -> Bank:
    """Parse bank bytes (UTF-8 JSON). Raises only :class:`BankInvalid`, whatever the input."""
    if not isinstance(raw, bytes | bytearray):
        raise _invalid("not bytes")
    if len(raw) > MAX_BANK_BYTES:
        raise _invalid(f"larger than {MAX_BANK_BYTES} bytes")
    try:
        return Bank.model_validate_json(bytes(raw))
    except ValidationError as exc:
        errors = exc.errors()
        detail = "invalid"
        if errors:
            where = ".".join(str(p) for p in errors[0].get("loc", ()))
            detail = f"{where}: {errors[0].get('msg', 'invalid')}"
        raise _invalid(detail) from None
    except (ValueError, RecursionError, UnicodeError) as exc:  # defensive: pydantic wraps almost all
        raise _invalid(type(exc).__name__) from None


# -------------------------------------------------------------------------------------- signatures
def demo_content_key() -> Ed25519PublicKey:
    """The demo content-signing public key (trusted only for the shipped demo bank)."""
    return Ed25519PublicKey.from_public_bytes(b64d(DEMO_CONTENT_KEY))


def signature_file(signature: bytes, public_key: Ed25519PublicKey) -> bytes:
    """The ``.sig`` file written next to a bank: JSON naming the format, algorithm and key id."""
    doc = {
        "format": SIGNATURE_FORMAT,
        "algorithm": "Ed25519",
        "key_id": key_id(public_key),
        "signature": b64e(signature),
    }
    return (json.dumps(doc, indent=2) + "\n").encode("ascii")


def signed_document(raw: bytes, signature: bytes, public_key: Ed25519PublicKey) -> bytes:
    """The signed-document JSON (same shape as ``GET /v1/testbank/current``) holding bytes + signature."""
    doc = {
        "format": SIGNED_DOCUMENT_FORMAT,
        "key_id": key_id(public_key),
        "algorithm": "Ed25519",
        "sha256": hashlib.sha256(raw).hexdigest(),
        "document": b64e(raw),
        "signature": b64e(signature),
    }
    return json.dumps(doc).encode("ascii")


def read_signature_file(data: bytes) -> bytes:
    """The 64 signature bytes from a ``.sig`` file; :class:`BankSignatureInvalid` when malformed."""
    if len(data) > MAX_SIGNATURE_FILE_BYTES:
        raise _bad_signature("signature file too large")
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise _bad_signature("signature file is not JSON") from exc
    if (
        not isinstance(doc, dict)
        or doc.get("format") != SIGNATURE_FORMAT
        or doc.get("algorithm") != "Ed25519"
    ):
        raise _bad_signature("unknown signature format")
    return _signature_bytes(doc.get("signature"))


def _signature_bytes(text: Any) -> bytes:
    try:
        sig = b64d(text)
    except ValueError as exc:
        raise _bad_signature("signature is not base64") from exc
    if len(sig) != 64:
        raise _bad_signature("signature has the wrong length")
    return sig


def verify_bank(raw: bytes, signature: bytes, trusted: Sequence[Ed25519PublicKey]) -> Bank:
    """Check ``signature`` over the exact ``raw`` bytes under one of ``trusted``, then parse.

    Raises :class:`BankSignatureInvalid` (checked first: no byte is parsed before it passes) or
    :class:`BankInvalid`.
    """
    if len(signature) != 64:
        raise _bad_signature("signature has the wrong length")
    for key in trusted:
        try:
            key.verify(signature, bytes(raw))
        except InvalidSignature:
            continue
        return parse_bank(bytes(raw))
    raise _bad_signature("no trusted key made this signature")


def signed_document_parts(doc: Any) -> tuple[bytes, bytes]:
    """``(bank bytes, signature)`` from ``GET /v1/testbank/current``'s signed-document JSON.

    Raises :class:`BankSignatureInvalid` when the document is not in that shape (a captive portal's
    page, a truncated reply); the signature itself is checked by :func:`verify_bank`.
    """
    if not isinstance(doc, Mapping) or doc.get("format") != SIGNED_DOCUMENT_FORMAT:
        raise _bad_signature("not a signed document")
    if doc.get("algorithm") != "Ed25519":
        raise _bad_signature("unsupported signature algorithm")
    document = doc.get("document")
    if not isinstance(document, str):
        raise _bad_signature("document is not text")
    try:
        raw = b64d(document)
    except ValueError as exc:
        raise _bad_signature("document is not base64") from exc
    return raw, _signature_bytes(doc.get("signature"))


# ------------------------------------------------------------------------------------------- store
@dataclass(frozen=True, slots=True)
class VerifiedBank:
    """A bank whose signature was checked, with the bytes it came from and where it came from."""

    bank: Bank
    raw: bytes
    signature: bytes
    source: Literal["cache", "shipped"]


@dataclass(frozen=True, slots=True)
class BankChoice:
    """The bank to use now, and a message for the operator when something was refused on the way."""

    bank: VerifiedBank
    problem: Message | None = None


class BankStore:
    """The kiosk's last good bank (cache) and the shipped demo bank as the fallback.

    Why a cache file and not memory: the kiosk must offer the test offline for days after its last
    sync, and across restarts. The cache is re-verified at every load (a file edited on disk is
    refused like a tampered download). Writes are atomic (temp file + fsync + rename), so a power cut
    leaves either the old or the new bank, never half of one.
    """

    def __init__(self, cache_dir: Path | None = None, shipped_dir: Path = RESOURCES_DIR) -> None:
        self.cache_dir = (cache_dir if cache_dir is not None else kiosk_paths().cache_dir) / CACHE_SUBDIR
        self.shipped_dir = shipped_dir

    @property
    def cache_file(self) -> Path:
        """The cached bank: one signed-document JSON (bytes and signature together, so one rename)."""
        return self.cache_dir / CACHE_FILE

    def shipped(self) -> VerifiedBank:
        """The demo bank shipped in ``resources/testbank/``, verified under the demo key."""
        path = self.shipped_dir / DEMO_BANK_NAME
        try:
            raw = path.read_bytes()
            sig_data = (path.parent / (path.name + SIGNATURE_SUFFIX)).read_bytes()
        except OSError as exc:
            raise BankUnavailable(
                Message(
                    "Bank soal bawaan tidak ditemukan. Pasang ulang aplikasi kios.",
                    "The shipped test bank is missing. Reinstall the kiosk application.",
                ),
                str(path),
            ) from exc
        sig = read_signature_file(sig_data)
        return VerifiedBank(verify_bank(raw, sig, [demo_content_key()]), raw, sig, "shipped")

    def cached(self, server_key: Ed25519PublicKey | None) -> VerifiedBank | None:
        """The cached bank if there is one; raises :class:`BankError` when it fails verification."""
        if not self.cache_file.exists():
            return None
        if server_key is None:
            raise _bad_signature("no pinned server key to check the cached bank (device not enrolled)")
        try:
            data = self.cache_file.read_bytes()
        except OSError as exc:
            raise _bad_signature(f"cannot read the cached bank: {exc.strerror or exc}") from exc
        if len(data) > 2 * MAX_BANK_BYTES:
            raise _bad_signature("cached bank too large")
        try:
            doc = json.loads(data)
        except (ValueError, RecursionError) as exc:
            raise _bad_signature("cached bank is not JSON") from exc
        raw, sig = signed_document_parts(doc)
        return VerifiedBank(verify_bank(raw, sig, [server_key]), raw, sig, "cache")

    def current(self, server_key: Ed25519PublicKey | None = None) -> BankChoice:
        """The bank to use: the cached one if valid, else the shipped one (with a message if refused).

        Raises :class:`BankUnavailable` (or another :class:`BankError`) only when no bank is usable.
        """
        problem: Message | None = None
        try:
            cached = self.cached(server_key)
        except BankError as exc:
            cached, problem = None, exc.message
        if cached is not None:
            return BankChoice(cached, None)
        try:
            return BankChoice(self.shipped(), problem)
        except BankUnavailable:
            raise
        except BankError as exc:
            raise BankUnavailable(
                Message(
                    "Tidak ada bank soal yang sah di kios ini; tes tidak dapat diberikan. Hubungkan kios "
                    "ke jaringan untuk mengunduh bank soal, atau pasang ulang aplikasi.",
                    "No valid test bank on this kiosk; the test cannot be given. Connect the kiosk to "
                    "download the bank, or reinstall the application.",
                ),
                exc.detail,
            ) from exc

    def accept(self, raw: bytes, signature: bytes, server_key: Ed25519PublicKey) -> VerifiedBank:
        """Verify a downloaded bank and make it the cached one. On any error the cache is unchanged."""
        bank = verify_bank(raw, signature, [server_key])
        ensure_dir(self.cache_dir)
        write_atomic(self.cache_file, signed_document(bytes(raw), signature, server_key))
        return VerifiedBank(bank, bytes(raw), signature, "cache")

    def update_from_document(self, doc: Any, server_key: Ed25519PublicKey) -> BankChoice:
        """Take ``GET /v1/testbank/current``'s JSON: cache it if valid, else keep the last good bank.

        The returned :class:`BankChoice` carries the operator message when the download was refused.
        """
        try:
            raw, sig = signed_document_parts(doc)
            return BankChoice(self.accept(raw, sig, server_key), None)
        except BankError as exc:
            fallback = self.current(server_key)
            return BankChoice(fallback.bank, exc.message)

    def refresh(self, client: ApiClient, server_key: Ed25519PublicKey) -> BankChoice:
        """Fetch ``GET /v1/testbank/current`` and cache it if valid; otherwise keep the last good bank.

        Being offline is normal for a kiosk and is not a problem for the operator: the cached (or
        shipped) bank is returned without a message. A refused download does carry its message.
        """
        try:
            doc = client.current_testbank()
        except ApiError:
            return self.current(server_key)
        return self.update_from_document(doc.model_dump(), server_key)
