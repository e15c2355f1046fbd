"""The applicant's record while they sit at the kiosk: every field the programme asks, in memory only.

Why in memory: the registration holds NIK, names, phone, mother's maiden name and photos. It lives
in this object until it is sealed (encrypted for the central API) and is then dropped with
:meth:`Applicant.wipe`. Photos are ``bytearray`` so ``wipe`` can overwrite them in place; Python
strings cannot be overwritten, so the best we can do for text is to drop every reference promptly.

Values stored here are already normalised (upper-case KTP names, E.164 phone, dotted region codes);
validation happens in :mod:`kiosk.flow` with the domain modules before anything is stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
import uuid
from dataclasses import dataclass, field, fields
from typing import Any, Literal

from kiosk.i18n import Message, UserFacingError
from kiosk.payload import (
    Education,
    PhotoRef,
    RegistrationPayload,
    TestAnswers,
    WorkStatus,
    validate_payload,
)

NAME_MAX = 120
PLACE_MAX = 80
STREET_MAX = 200
_NAME_SPACES = re.compile(r"\s+")
_APOSTROPHES = str.maketrans(
    {"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u2010": "-", "\u2011": "-"}
)


class KtpNameError(UserFacingError, ValueError):
    """A name that cannot be as printed on a KTP; ``message`` in both languages."""

    def __init__(self, message: Message) -> None:
        super().__init__(message, message.id)
        self.message = message


def normalise_ktp_name(text: str, *, max_length: int = NAME_MAX) -> str:
    """A name as printed on the KTP: upper case, single spaces; letters, spaces, ' . - only.

    Raises :class:`KtpNameError`.
    """
    if not isinstance(text, str):
        raise KtpNameError(Message("Nama wajib diisi.", "The name is required."))
    folded = unicodedata.normalize("NFC", text.translate(_APOSTROPHES))
    compact = _NAME_SPACES.sub(" ", folded).strip().upper()
    if not compact:
        raise KtpNameError(Message("Nama wajib diisi.", "The name is required."))
    if len(compact) > max_length:
        raise KtpNameError(
            Message(
                f"Nama terlalu panjang (paling banyak {max_length} huruf).",
                f"The name is too long (at most {max_length} characters).",
            )
        )
    if not all(ch.isalpha() or ch in " '.-" for ch in compact) or not any(ch.isalpha() for ch in compact):
        raise KtpNameError(
            Message(
                "Nama hanya boleh berisi huruf, spasi, tanda petik ('), titik dan tanda hubung (-), "
                "sesuai KTP.",
                "A name may contain only letters, spaces, apostrophes ('), dots and hyphens (-), as on the "
                "KTP.",
            )
        )
    return compact


def photo_ref(name: str, data: bytes | bytearray) -> PhotoRef:
    """The payload's reference to an attachment (name, type from the magic bytes, size, sha256)."""
    media_type: Literal["image/jpeg", "image/png"] = (
        "image/png" if bytes(data[:8]) == b"\x89PNG\r\n\x1a\n" else "image/jpeg"
    )
    return PhotoRef(name=name, media_type=media_type, size=len(data), sha256=hashlib.sha256(data).hexdigest())


@dataclass
class Applicant:
    """Everything one applicant enters. ``None`` means "not entered yet"."""

    language: Literal["id", "en"] = "id"
    # account
    email: str | None = None
    phone: str | None = None
    verification_method: Literal["email", "sms"] | None = None
    otp_verified: bool = False
    otp_token: str | None = None
    # KTP
    nik: str | None = None
    full_name: str | None = None
    birth_place: str | None = None
    birth_date: dt.date | None = None
    gender: Literal["L", "P"] | None = None
    street: str | None = None
    rt: str | None = None
    rw: str | None = None
    province_code: str | None = None
    regency_code: str | None = None
    district_code: str | None = None
    village_code: str | None = None
    # profile
    education: Education | None = None
    work_status: WorkStatus | None = None
    mother_maiden_name: str | None = None
    # declaration, test, photos
    declaration: dict[str, bool] = field(default_factory=dict)
    test: TestAnswers | None = None
    ktp_photo: bytearray | None = None
    selfie_photo: bytearray | None = None
    #: Warnings the person confirmed as "sesuai KTP", e.g. ``nik_birth_date_mismatch``.
    confirmed_flags: set[str] = field(default_factory=set)

    def __repr__(self) -> str:  # never print personal data (logs, tracebacks)
        filled = sorted(f.name for f in fields(self) if getattr(self, f.name) not in (None, {}, set(), False))
        return f"Applicant(filled={filled})"

    def wipe(self) -> None:
        """Drop everything: overwrite photo bytes in place, then reset every field."""
        for photo in (self.ktp_photo, self.selfie_photo):
            if photo is not None:
                photo[:] = bytes(len(photo))
        self.declaration.clear()
        self.confirmed_flags.clear()
        fresh = Applicant()
        for f in fields(self):
            setattr(self, f.name, getattr(fresh, f.name))

    def set_photo(self, which: Literal["ktp", "selfie"], data: bytes | bytearray) -> None:
        """Store a photo, overwriting the bytes of the one it replaces."""
        old = self.ktp_photo if which == "ktp" else self.selfie_photo
        if old is not None:
            old[:] = bytes(len(old))
        new = bytearray(data)
        if which == "ktp":
            self.ktp_photo = new
        else:
            self.selfie_photo = new

    def photo_refs(self) -> dict[str, PhotoRef]:
        """References for the photos present, named ``ktp.jpg``/``selfie.jpg`` (or ``.png``)."""
        refs: dict[str, PhotoRef] = {}
        for key, data in (("ktp", self.ktp_photo), ("selfie", self.selfie_photo)):
            if data:
                ext = "png" if bytes(data[:8]) == b"\x89PNG\r\n\x1a\n" else "jpg"
                refs[key] = photo_ref(f"{key}.{ext}", data)
        return refs

    def payload_dict(
        self,
        submission_id: uuid.UUID,
        device_id: str,
        created_at: dt.datetime,
        photos: dict[str, PhotoRef] | None = None,
    ) -> dict[str, Any]:
        """The payload as plain data (what :func:`kiosk.payload.validate_payload` accepts)."""
        refs = photos if photos is not None else self.photo_refs()
        return {
            "schema_version": 1,
            "submission_id": str(submission_id),
            "created_at": created_at.isoformat(),
            "device_id": device_id,
            "language": self.language,
            "account": {
                "email": self.email,
                "phone": self.phone,
                "verification_method": self.verification_method,
                "otp_verified": self.otp_verified,
                "otp_token": self.otp_token,
            },
            "ktp": {
                "nik": self.nik,
                "full_name": self.full_name,
                "birth_place": self.birth_place,
                "birth_date": self.birth_date.isoformat() if self.birth_date else None,
                "gender": self.gender,
                "address": {
                    "street": self.street,
                    "rt": self.rt,
                    "rw": self.rw,
                    "province_code": self.province_code,
                    "regency_code": self.regency_code,
                    "district_code": self.district_code,
                    "village_code": self.village_code,
                },
            },
            "profile": {
                "education": self.education.value if self.education else None,
                "work_status": self.work_status.value if self.work_status else None,
                "mother_maiden_name": self.mother_maiden_name,
            },
            "declaration": dict(self.declaration),
            "test": self.test.model_dump(mode="json") if self.test else None,
            "photos": {k: v.model_dump(mode="json") for k, v in refs.items()},
            "flags": sorted(self.confirmed_flags),
        }

    def to_payload(
        self,
        submission_id: uuid.UUID,
        device_id: str,
        created_at: dt.datetime,
        photos: dict[str, PhotoRef] | None = None,
    ) -> RegistrationPayload:
        """The validated payload to seal; raises :class:`kiosk.payload.PayloadInvalid` when incomplete.

        ``photos`` maps ``"ktp"``/``"selfie"`` to the refs of the attachments as sealed (after
        compression); by default they are computed from the bytes held here.
        """
        return validate_payload(self.payload_dict(submission_id, device_id, created_at, photos))
