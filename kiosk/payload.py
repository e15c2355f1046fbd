"""The registration payload schema (versioned), shared by the kiosk and the reference central API.

Why one module: the kiosk builds the payload it seals and the central API validates what it opens; if
the two used different definitions a field could be accepted at the desk and refused centrally days
later, when the applicant is gone. ``schema_version`` lets the server accept older kiosks during a
rollout. Photos are not inside the JSON: they travel as envelope attachments and the payload refers to
them by name, size and sha256.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from kiosk.i18n import Message

SCHEMA_VERSION: Literal[1] = 1
MAX_PHOTO_BYTES = 2 * 1024 * 1024
#: Flags a payload may carry: warnings the applicant confirmed as "sesuai KTP" (see kiosk.nik).
FLAG_PATTERN = r"^[a-z0-9_]{1,60}$"
RULE_ERROR = "kiosk_rule"


def _rule(field: str, id_text: str, en_text: str) -> PydanticCustomError:
    """A bilingual rule violation; ``field`` is appended to the error's location."""
    return PydanticCustomError(RULE_ERROR, "{en}", {"id": id_text, "en": en_text, "field": field})


def _ktp_name(value: str, field: str) -> str:
    """Names and places as on the KTP: letters, spaces, apostrophes, dots and hyphens only."""
    if not all(ch.isalpha() or ch in " '.-" for ch in value) or not any(ch.isalpha() for ch in value):
        raise _rule(
            field,
            "Hanya huruf, spasi, tanda petik, titik dan tanda hubung, sesuai KTP.",
            "Only letters, spaces, apostrophes, dots and hyphens, as on the KTP.",
        )
    return value


def nik_birth_fields(nik: str) -> tuple[int, int, int, str]:
    """(day, month, two-digit year, gender) encoded in a 16-digit NIK (women: day + 40)."""
    dd, mm, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    return (dd - 40, mm, yy, "P") if dd > 40 else (dd, mm, yy, "L")


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

    @model_validator(mode="after")
    def _contact_for_method(self) -> Account:
        needed = "phone" if self.verification_method == "sms" else "email"
        if getattr(self, needed) is None:
            raise _rule(
                needed, "Wajib diisi untuk cara verifikasi ini.", "Required for this verification method."
            )
        return self


class Address(_Strict):
    """Address as on the KTP; region codes are Kemendagri codes like ``11.01.01.2001``."""

    street: str = Field(min_length=1, max_length=200)
    rt: str = Field(pattern=r"^\d{1,3}$")
    rw: str = Field(pattern=r"^\d{1,3}$")
    province_code: str = Field(pattern=r"^\d{2}$")
    regency_code: str = Field(pattern=r"^\d{2}\.\d{2}$")
    district_code: str = Field(pattern=r"^\d{2}\.\d{2}\.\d{2}$")
    village_code: str = Field(pattern=r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")

    @model_validator(mode="after")
    def _nested_codes(self) -> Address:
        chain = (
            ("regency_code", self.province_code, self.regency_code),
            ("district_code", self.regency_code, self.district_code),
            ("village_code", self.district_code, self.village_code),
        )
        for field, parent, child in chain:
            if not child.startswith(parent + "."):
                raise _rule(
                    field,
                    "Kode wilayah tidak berada di dalam wilayah di atasnya.",
                    "The region code is not inside the region above it.",
                )
        return self


class Ktp(_Strict):
    """Identity data exactly as printed on the KTP."""

    nik: str = Field(pattern=r"^\d{16}$")
    full_name: str = Field(min_length=1, max_length=120)
    birth_place: str = Field(min_length=1, max_length=80)
    birth_date: dt.date
    gender: Literal["L", "P"]
    address: Address

    @field_validator("nik")
    @classmethod
    def _nik_structure(cls, value: str) -> str:
        day, month, _, _ = nik_birth_fields(value)
        if not (1 <= day <= 31 and 1 <= month <= 12) or value[12:] == "0000":
            raise _rule(
                "",
                "NIK tidak mungkin (tanggal lahir atau nomor urut).",
                "Impossible NIK (date of birth or serial).",
            )
        return value

    @field_validator("full_name")
    @classmethod
    def _full_name(cls, value: str) -> str:
        return _ktp_name(value, "")

    @field_validator("birth_place")
    @classmethod
    def _birth_place(cls, value: str) -> str:
        return _ktp_name(value, "")


class Profile(_Strict):
    """Programme questions that are not on the KTP."""

    education: Education
    work_status: WorkStatus
    mother_maiden_name: str = Field(min_length=1, max_length=120)

    @field_validator("mother_maiden_name")
    @classmethod
    def _mother_name(cls, value: str) -> str:
        return _ktp_name(value, "")


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

    @model_validator(mode="after")
    def _times_in_order(self) -> TestAnswers:
        if self.finished_at < self.started_at:
            raise _rule("finished_at", "Waktu selesai sebelum waktu mulai.", "Finished before it started.")
        return self


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


class Assistance(_Strict):
    """Who helped at the desk (issue 19): the operator logged in on this kiosk, if any, and its office.

    A username only — never a name or ID number — so the payload says *who assisted* without adding
    personal data of staff beyond what the audit log already holds."""

    operator: str | None = Field(default=None, pattern=r"^[A-Za-z0-9._-]{1,60}$")
    office: str = Field(default="", max_length=120)


class WaveRef(_Strict):
    """The programme wave (gelombang) open when the registration was sealed."""

    wave_id: int = Field(ge=0)
    number: int = Field(ge=0)
    name: str = Field(default="", max_length=120)


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
    #: Issue 19: who assisted (operator + office) and the wave open at sealing; ``None`` = no wave was
    #: open, the registration joins the next one.
    assisted: Assistance | None = None
    wave: WaveRef | None = None

    @field_validator("flags")
    @classmethod
    def _flag_names(cls, value: list[str]) -> list[str]:
        if any(not re.match(FLAG_PATTERN, f) for f in value):
            raise _rule("", "Nama tanda tidak valid.", "A flag name is not valid.")
        return value

    @model_validator(mode="after")
    def _nik_agrees_or_is_flagged(self) -> RegistrationPayload:
        """A NIK that disagrees with the typed birth date or gender must carry the confirmed flag.

        The kiosk shows the disagreement as a warning the person confirms (the NIK is never changed
        after a birth date is corrected); an unflagged disagreement means the check was skipped.
        """
        day, month, yy, gender = nik_birth_fields(self.ktp.nik)
        born = self.ktp.birth_date
        if (born.day, born.month, born.year % 100) != (
            day,
            month,
            yy,
        ) and "nik_birth_date_mismatch" not in self.flags:
            raise _rule(
                "ktp.birth_date",
                "Tanggal lahir tidak cocok dengan NIK dan tidak dikonfirmasi.",
                "The date of birth does not match the NIK and was not confirmed.",
            )
        if gender != self.ktp.gender and "nik_gender_mismatch" not in self.flags:
            raise _rule(
                "ktp.gender",
                "Jenis kelamin tidak cocok dengan NIK dan tidak dikonfirmasi.",
                "The gender does not match the NIK and was not confirmed.",
            )
        return self


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
    loc = [str(p) for p in err.get("loc", ())]
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == RULE_ERROR and ctx.get("field"):
        loc.append(str(ctx["field"]))
    path = ".".join(loc) or "(payload)"
    if kind == RULE_ERROR:
        msg = Message(str(ctx.get("id", "")), str(ctx.get("en", "")))
    elif kind == "missing":
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
