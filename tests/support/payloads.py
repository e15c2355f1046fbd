"""Valid registration payloads with obviously fake data, for tests and demos.

Why here: every area (API, outbox, UI, console) needs a payload the central API accepts; building it
by hand in each test would drift from ``kiosk.payload``. ``make_payload`` returns a plain dict that
passes ``validate_payload``; ``overrides`` replace parts of it (nested dicts are merged, so
``make_payload(ktp={"full_name": "X"})`` changes one field), and photo refs are computed from the given
attachment bytes so the server's photo checks pass.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Mapping
from typing import Any

from kiosk.payload import validate_payload

# Tiny byte strings that start like JPEG/PNG files; the server checks size and sha256, not pixels.
FAKE_KTP_JPEG = b"\xff\xd8\xff\xe0" + b"FAKE-KTP-PHOTO-FOR-TESTS " * 40 + b"\xff\xd9"
FAKE_SELFIE_JPEG = b"\xff\xd8\xff\xe0" + b"FAKE-SELFIE-PHOTO-FOR-TESTS " * 40 + b"\xff\xd9"


def fake_photos() -> dict[str, bytes]:
    """Attachments named as :func:`make_payload` refers to them by default."""
    return {"ktp.jpg": FAKE_KTP_JPEG, "selfie.jpg": FAKE_SELFIE_JPEG}


def photo_ref(name: str, data: bytes) -> dict[str, Any]:
    """A ``PhotoRef`` dict for ``data``."""
    media = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
    return {"name": name, "media_type": media, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def _merge(base: dict[str, Any], overrides: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in overrides.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def make_payload(
    *,
    submission_id: str | uuid.UUID | None = None,
    device_id: str = "dev-test",
    photos: Mapping[str, bytes] | None = None,
    validate: bool = True,
    **overrides: Any,
) -> dict[str, Any]:
    """A valid ``RegistrationPayload`` dict (JSON-ready) with fake data; see module docstring.

    ``photos`` maps attachment names to bytes; the first name is the KTP photo, the second the selfie
    (default :func:`fake_photos`). ``validate=False`` skips the check, for building invalid payloads.
    """
    photos = dict(photos if photos is not None else fake_photos())
    names = list(photos)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    base: dict[str, Any] = {
        "schema_version": 1,
        "submission_id": str(submission_id or uuid.uuid4()),
        "created_at": now.isoformat(),
        "device_id": device_id,
        "language": "id",
        "account": {
            "email": "contoh.pemohon@example.invalid",
            "phone": "+6281200000001",
            "verification_method": "sms",
            "otp_verified": False,
            "otp_token": None,
        },
        "ktp": {
            "nik": "3171014101900001",
            "full_name": "CONTOH PEMOHON FIKTIF",
            "birth_place": "KOTA CONTOH",
            "birth_date": "1990-01-01",
            "gender": "P",
            "address": {
                "street": "JL. CONTOH NO. 1",
                "rt": "001",
                "rw": "002",
                "province_code": "31",
                "regency_code": "31.71",
                "district_code": "31.71.01",
                "village_code": "31.71.01.1001",
            },
        },
        "profile": {"education": "sma_smk", "work_status": "korban_phk", "mother_maiden_name": "IBU FIKTIF"},
        "declaration": {"not_in_formal_education": True, "not_civil_servant": True, "data_is_true": True},
        "test": None,
        "photos": {
            "ktp": photo_ref(names[0], photos[names[0]]) if names else None,
            "selfie": photo_ref(names[1], photos[names[1]]) if len(names) > 1 else None,
        },
        "flags": [],
    }
    payload = _merge(base, overrides)
    if validate:
        validate_payload(payload)
    return payload
