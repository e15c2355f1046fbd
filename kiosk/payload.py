"""The registration payload schema (versioned), shared by the kiosk and the reference central API.

Why one module: the kiosk builds the payload it seals and the central API validates what it opens; if
the two used different definitions a field could be accepted at the desk and refused centrally days
later, when the applicant is gone. ``schema_version`` lets the server accept older kiosks during a
rollout. Photos are not inside the JSON: they travel as envelope attachments and the payload refers to
them by name, size and sha256.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kiosk.i18n import Message

SCHEMA_VERSION = 1
MAX_PHOTO_BYTES = 2 * 1024 * 1024


class Education(StrEnum):
    """Highest education completed (pendidikan terakhir)."""

    NONE = "tidak_sekolah"
    SD = "sd"
    SMP = "smp"
    SMA = "sma_smk"
    D1_D3 = "d1_d3"
    D4_S1 = "d4_s1"
    S2_S3 = "s2_s3"


class WorkStatus(StrEnum):
    """Current work status (status pekerjaan)."""

    NOT_WORKING = "tidak_bekerja"
    LAID_OFF = "korban_phk"
    WORKING = "bekerja"
    BUSINESS_OWNER = "wirausaha"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Account(_Strict):
    """How the applicant's account is reached and whether the contact was verified at the kiosk."""

    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, pattern=r"^\+628\d{7,11}$", description="E.164")
    verification_method: Literal["email", "sms"]
    otp_verified: bool = Field(description="False when the kiosk was offline: verified centrally")
    otp_token: str | None = Field(default=None, max_length=200)


class Address(_Strict):
    """Address as on the KTP; region codes are Kemendagri codes like ``11.01.01.2001``."""

    street: str = Field(min_length=1, max_length=200)
    rt: str = Field(pattern=r"^\d{1,3}$")
    rw: str = Field(pattern=r"^\d{1,3}$")
    province_code: str = Field(pattern=r"^\d{2}$")
    regency_code: str = Field(pattern=r"^\d{2}\.\d{2}$")
    district_code: str = Field(pattern=r"^\d{2}\.\d{2}\.\d{2}$")
    village_code: str = Field(pattern=r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")


class Ktp(_Strict):
    """Identity data exactly as printed on the KTP."""

    nik: str = Field(pattern=r"^\d{16}$")
    full_name: str = Field(min_length=1, max_length=120)
    birth_place: str = Field(min_length=1, max_length=80)
    birth_date: dt.date
    gender: Literal["L", "P"]
    address: Address


class Profile(_Strict):
    """Programme questions that are not on the KTP."""

    education: Education
    work_status: WorkStatus
    mother_maiden_name: str = Field(min_length=1, max_length=120)


class TestAnswers(_Strict):
    """Answers to the Tes Motivasi dan Kemampuan Dasar; scored only by the central API."""

    bank_id: str = Field(min_length=1, max_length=80)
    bank_version: int = Field(ge=1)
    seed: int = Field(ge=0)
    order: list[str] = Field(max_length=500)
    answers: dict[str, str] = Field(max_length=500)
    started_at: dt.datetime
    finished_at: dt.datetime
    timed_out: bool


class PhotoRef(_Strict):
    """Reference to an envelope attachment."""

    name: str = Field(pattern=r"^[a-z0-9_.-]{1,40}$")
    media_type: Literal["image/jpeg", "image/png"]
    size: int = Field(gt=0, le=MAX_PHOTO_BYTES)
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")


class Photos(_Strict):
    """The two photos the programme asks for."""

    ktp: PhotoRef
    selfie: PhotoRef


class RegistrationPayload(_Strict):
    """Everything one applicant submits, as sealed into one envelope."""

    schema_version: Literal[1] = SCHEMA_VERSION
    submission_id: uuid.UUID
    created_at: dt.datetime
    device_id: str = Field(min_length=1, max_length=80)
    language: Literal["id", "en"]
    account: Account
    ktp: Ktp
    profile: Profile
    declaration: dict[str, bool] = Field(max_length=50)
    test: TestAnswers | None = None
    photos: Photos
    flags: list[str] = Field(default_factory=list, max_length=20)


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One invalid field: a dotted path and a message in both languages."""

    field: str
    message: Message

    def as_dict(self) -> dict[str, Any]:
        """JSON form used in the API's 422 body."""
        return {"field": self.field, "message": self.message.as_dict()}


class PayloadInvalid(ValueError):
    """The payload does not match the schema; ``problems`` lists each field in words."""

    def __init__(self, problems: list[FieldProblem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message.en}" for p in problems))
        self.problems = problems


def _problem_from_pydantic(err: Any) -> FieldProblem:
    path = ".".join(str(p) for p in err.get("loc", ())) or "(payload)"
    kind = err.get("type", "")
    if kind == "missing":
        msg = Message("Wajib diisi.", "This field is required.")
    elif kind == "extra_forbidden":
        msg = Message("Kolom ini tidak dikenal.", "This field is not recognised.")
    elif kind.startswith("string_pattern") or kind.endswith("_parsing") or kind.endswith("_type"):
        msg = Message("Format tidak sesuai.", "The format is not valid.")
    elif "too_long" in kind or "less_than" in kind:
        msg = Message("Terlalu panjang atau terlalu besar.", "Too long or too large.")
    elif "too_short" in kind or "greater_than" in kind:
        msg = Message("Terlalu pendek atau terlalu kecil.", "Too short or too small.")
    else:
        msg = Message("Isian tidak valid.", "The value is not valid.")
    return FieldProblem(path, msg)


def validate_payload(obj: Any) -> RegistrationPayload:
    """Parse ``obj`` (decoded JSON) into a payload or raise :class:`PayloadInvalid`.

    Never raises anything else, whatever ``obj`` is: the server feeds it data from the network.
    """
    try:
        return RegistrationPayload.model_validate(obj)
    except ValidationError as exc:
        raise PayloadInvalid([_problem_from_pydantic(e) for e in exc.errors()]) from None
