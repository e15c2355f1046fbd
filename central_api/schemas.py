"""Request and response bodies of the reference API (they make up ``docs/openapi.json``).

Why separate from the database models: the wire format is a contract with deployed kiosks and changes
only with a version; the tables may change freely.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from central_api.reasons import ReasonCode

Role = Literal["operator", "supervisor"]
SubmissionStatus = Literal["received", "verifying", "accepted", "rejected", "passed", "failed"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class BilingualText(BaseModel):
    id: str = Field(description="Bahasa Indonesia")
    en: str = Field(description="English")


class ErrorBody(BaseModel):
    """Every refusal has this shape."""

    error: str = Field(description="stable machine-readable code")
    message: BilingualText
    problems: list[dict[str, object]] | None = None


class Health(BaseModel):
    status: Literal["ok"]
    service: Literal["prakerja-central-api"]
    api_version: Literal[1]
    time: dt.datetime
    envelope_key_id: str


class PublicKeyInfo(BaseModel):
    algorithm: str
    key_id: str
    public_key: str = Field(description="raw public key, URL-safe base64 without padding")


class ServerPublicKeys(BaseModel):
    envelope: PublicKeyInfo
    signing: PublicKeyInfo


class EnrolRequest(_In):
    code: str = Field(min_length=4, max_length=40, description="one-time enrolment code")
    public_key: str = Field(min_length=40, max_length=60, description="device Ed25519 key, base64url raw")
    label: str = Field(default="", max_length=120)


class EnrolResponse(BaseModel):
    device_id: str
    token: str
    token_expires_at: dt.datetime
    server_keys: ServerPublicKeys


class EnrolmentCodesRequest(_In):
    count: int = Field(default=1, ge=1, le=100)
    ttl_hours: int | None = Field(default=None, ge=1, le=24 * 90)
    label: str = Field(default="", max_length=120)


class EnrolmentCodesResponse(BaseModel):
    codes: list[str]
    expires_at: dt.datetime


class OperatorCreate(_In):
    username: str = Field(pattern=r"^[a-z0-9_.-]{2,60}$")
    pin: str = Field(min_length=4, max_length=128)
    role: Role = "operator"
    display_name: str = Field(default="", max_length=120)


class OperatorInfo(BaseModel):
    username: str
    display_name: str
    role: Role


class LoginRequest(_In):
    username: str = Field(min_length=1, max_length=60)
    pin: str = Field(min_length=1, max_length=128)


class OfflineVerifier(BaseModel):
    """Parameters for the kiosk's cached offline check: scrypt(PIN, salt, n, r, p), 32 bytes."""

    algorithm: Literal["scrypt"]
    salt: str
    n: int
    r: int
    p: int
    length: int


class LoginResponse(BaseModel):
    session_token: str
    expires_at: dt.datetime
    operator: OperatorInfo
    offline_verifier: OfflineVerifier


class OtpRequest(_In):
    channel: Literal["sms", "email"]
    destination: str = Field(min_length=5, max_length=254, description="E.164 phone or e-mail address")


class OtpChallengeInfo(BaseModel):
    challenge_id: str
    channel: Literal["sms", "email"]
    destination_masked: str
    expires_at: dt.datetime
    resend_after_seconds: int


class OtpVerify(_In):
    challenge_id: str = Field(min_length=1, max_length=40)
    code: str = Field(min_length=4, max_length=12)


class OtpVerified(BaseModel):
    verified: Literal[True]
    otp_token: str = Field(description="goes into the payload's account.otp_token")


class Receipt(BaseModel):
    """Answer to a successful PUT (201 first time, 200 identical resend)."""

    submission_id: str
    sha256: str
    status: SubmissionStatus
    received_at: dt.datetime
    duplicate: bool


class SubmissionStatusInfo(BaseModel):
    """What any enrolled device learns about a submission: a status and a coded reason, nothing more."""

    submission_id: str
    status: SubmissionStatus
    reason_code: ReasonCode | None = Field(default=None, description="central_api/reasons.py")
    reason: BilingualText | None = Field(default=None, description="the applicant text of reason_code")
    received_at: dt.datetime
    updated_at: dt.datetime


class AdminSubmissionStatus(SubmissionStatusInfo):
    """The admin listener's view: also the staff's internal note (never sent to devices)."""

    note: BilingualText | None = None


class ReferenceLookup(BaseModel):
    matches: list[SubmissionStatusInfo]


class SetStatusRequest(_In):
    status: SubmissionStatus
    reason_code: ReasonCode | None = Field(default=None, description="the reason applicants are shown")
    reason_id: str | None = Field(default=None, max_length=500, description="internal note (admin only)")
    reason_en: str | None = Field(default=None, max_length=500, description="internal note (admin only)")


class WaveInfo(BaseModel):
    wave_id: int
    number: int
    name: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    quota: int


class WaveCreate(_In):
    number: int = Field(ge=1, le=2**31 - 1)  # the column is a 32-bit INTEGER on PostgreSQL
    name: str = Field(min_length=1, max_length=120)
    opens_at: dt.datetime
    closes_at: dt.datetime
    quota: int = Field(default=0, ge=0, le=2**31 - 1)


class SignedDocument(BaseModel):
    """A document signed with the server's Ed25519 signing key (verify before parsing)."""

    format: Literal["prakerja-signed-document-v1"]
    key_id: str
    algorithm: Literal["Ed25519"]
    sha256: str
    document: str = Field(description="the exact document bytes, URL-safe base64 without padding")
    signature: str = Field(description="Ed25519 signature over the document bytes, base64url")


class OtpOutboxEntry(BaseModel):
    challenge_id: str
    channel: str
    destination_masked: str
    destination_digest: str
    code: str
    sent_at: str


class DeviceInfo(BaseModel):
    device_id: str
    label: str
    revoked: bool
    enrolled_at: dt.datetime
