"""Fill a :class:`kiosk.flow.Flow` with a complete, valid, obviously fake applicant.

Shared by the runtime, wizard and soak tests so they all walk the same real flow (every value goes
through ``Flow.submit`` and its validation) instead of building payloads by hand.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import cv2
import numpy as np

from kiosk.declaration import STATEMENTS
from kiosk.flow import Flow, Step


def fake_jpeg(width: int = 320, height: int = 200, seed: int = 0) -> bytes:
    """A small real JPEG (random noise so sizes vary by seed)."""
    rng = np.random.default_rng(seed)
    image = rng.integers(0, 255, size=(height, width, 3), dtype=np.uint8)
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 70])
    assert ok
    return data.tobytes()


def letters(index: int) -> str:
    """``index`` spelt in letters (names on a KTP hold no digits): 0 -> "A", 27 -> "BB"."""
    out = ""
    n = index
    while True:
        out = chr(ord("A") + n % 26) + out
        n = n // 26 - 1
        if n < 0:
            return out + "X" * max(0, 3 - len(out))


def applicant_values(index: int = 0) -> dict[Step, dict[str, Any]]:
    """Per-step input for applicant ``index``: distinct, recognisable values (for PII-at-rest scans)."""
    day = 1 + index % 28
    serial = f"{1 + index % 9999:04d}"
    nik = f"327301{day:02d}0890{serial}"  # Kota Bandung, Sukasari; born dd-08-1990, male
    return {
        Step.LANGUAGE: {"language": "id"},
        Step.CONTACT: {
            "email": f"pelamar.uji{index}@contoh.id",
            "phone": f"0812{5550000 + index:07d}",
            "verification_method": "sms",
        },
        Step.OTP: {"defer": True},
        Step.IDENTITY: {"nik": nik, "birth_place": "BANDUNG", "birth_date": dt.date(1990, 8, day)},
        Step.PERSONAL: {
            "full_name": f"BUDI UJICOBA {letters(index)}",
            "gender": "L",
            "mother_maiden_name": f"SITI IBUUJI {letters(index)}",
        },
        Step.ADDRESS: {
            "street": f"JL. PERCOBAAN NO. {index + 1}",
            "rt": "001",
            "rw": "002",
            "province_code": "32",
            "regency_code": "32.73",
            "district_code": "32.73.01",
            "village_code": "32.73.01.1001",
        },
        Step.PROFILE: {"education": "sma_smk", "work_status": "korban_phk"},
        Step.KTP_PHOTO: {"photo": fake_jpeg(seed=2 * index)},
        Step.SELFIE: {"photo": fake_jpeg(240, 320, seed=2 * index + 1)},
        Step.DECLARATION: {s.id: True for s in STATEMENTS},
        Step.TEST: {
            "test": {
                "bank_id": "demo",
                "bank_version": 1,
                "seed": 7,
                "order": ["q1", "q2"],
                "answers": {"q1": "a", "q2": "b"},
                "started_at": "2026-11-23T02:00:00+00:00",
                "finished_at": "2026-11-23T02:10:00+00:00",
                "timed_out": False,
            }
        },
    }


def fill_flow(flow: Flow, index: int = 0) -> None:
    """Walk ``flow`` from welcome to review with applicant ``index``; fails loudly on any problem."""
    values = applicant_values(index)
    if flow.step == Step.WELCOME:
        assert flow.next() == []
    guard = 0
    while flow.step != Step.REVIEW:
        guard += 1
        assert guard < 40, f"flow did not reach review (stuck at {flow.step})"
        step = flow.step
        if step in values:
            problems = flow.submit(step, dict(values[step]))
            assert not problems, f"{step}: {[(p.field, p.message.en) for p in problems]}"
        problems = flow.next()
        assert not problems, f"{step}: {[(p.field, p.message.en) for p in problems]}"
