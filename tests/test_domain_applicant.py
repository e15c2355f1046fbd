"""Applicant record, KTP name rules, eligibility and the declaration."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk import eligibility
from kiosk.applicant import Applicant, KtpNameError, normalise_ktp_name
from kiosk.declaration import STATEMENTS
from kiosk.jakarta_time import age_on, today
from kiosk.payload import Education, PayloadInvalid, WorkStatus

TODAY = dt.date(2026, 11, 23)
JPEG = b"\xff\xd8\xff\xe0" + b"k" * 500


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("siti nurhaliza", "SITI NURHALIZA"),
        ("  Muh.   Ali  ", "MUH. ALI"),
        ("O\u2019Neil", "O'NEIL"),
        ("Anak-Agung Gde", "ANAK-AGUNG GDE"),
    ],
)
def test_name_normalisation(typed: str, expected: str) -> None:
    assert normalise_ktp_name(typed) == expected


@pytest.mark.parametrize("typed", ["", "   ", "Budi 2", "Budi@", "...", "x" * 121])
def test_name_refused(typed: str) -> None:
    with pytest.raises(KtpNameError) as info:
        normalise_ktp_name(typed)
    assert info.value.message.en


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_name_arbitrary_text(text: str) -> None:
    try:
        out = normalise_ktp_name(text)
    except KtpNameError:
        return
    assert out == out.upper().strip() and "  " not in out


@pytest.mark.parametrize(
    ("birth", "eligible"),
    [
        (dt.date(2008, 11, 23), True),  # exactly 18 today
        (dt.date(2008, 11, 24), False),  # 18 tomorrow
        (dt.date(1990, 1, 1), True),
        (dt.date(2027, 1, 1), False),  # future
    ],
)
def test_age(birth: dt.date, eligible: bool) -> None:
    refusal = eligibility.check_age(birth, TODAY)
    assert (refusal is None) == eligible
    if refusal is not None:
        assert refusal.why.id and refusal.what_to_do.en


def test_leap_day_birthday() -> None:
    born = dt.date(2008, 2, 29)
    assert eligibility.eighteenth_birthday(born) == dt.date(2026, 3, 1)
    assert eligibility.check_age(born, dt.date(2026, 2, 28)) is not None
    assert eligibility.check_age(born, dt.date(2026, 3, 1)) is None
    refusal = eligibility.check_age(born, dt.date(2026, 2, 28))
    assert refusal is not None and "01-03-2026" in refusal.why.id


def test_jakarta_date_not_utc() -> None:
    # 2026-11-22 18:00 UTC is already 23 November in Jakarta (UTC+7).
    def clock() -> dt.datetime:
        return dt.datetime(2026, 11, 22, 18, 0, tzinfo=dt.UTC)

    assert today(clock) == dt.date(2026, 11, 23)
    assert age_on(dt.date(2008, 11, 23), today(clock)) == 18


def test_declaration_refusals() -> None:
    answers = {s.id: True for s in STATEMENTS}
    assert eligibility.check_declaration(answers) == []
    answers["not_in_formal_education"] = False
    (refusal,) = eligibility.check_declaration(answers)
    assert refusal.field == "declaration.not_in_formal_education"
    assert "sekolah" in refusal.why.id and "school" in refusal.why.en
    assert eligibility.check_declaration({}) == []  # unanswered is missing, not refused
    assert {s.id for s in STATEMENTS} >= {"not_in_formal_education", "not_civil_servant", "data_is_true"}


def filled() -> Applicant:
    a = Applicant(
        language="id",
        phone="+6281234567890",
        verification_method="sms",
        nik="3276014101900001",
        full_name="SITI AMINAH",
        birth_place="DEPOK",
        birth_date=dt.date(1990, 1, 1),
        gender="P",
        street="JL. MAWAR NO. 1",
        rt="001",
        rw="002",
        province_code="32",
        regency_code="32.76",
        district_code="32.76.01",
        village_code="32.76.01.1006",
        education=Education.SMA,
        work_status=WorkStatus.LAID_OFF,
        mother_maiden_name="FATIMAH",
        declaration={s.id: True for s in STATEMENTS},
    )
    a.set_photo("ktp", JPEG)
    a.set_photo("selfie", JPEG + b"s")
    return a


def test_to_payload_and_wipe() -> None:
    a = filled()
    sid = uuid.uuid4()
    payload = a.to_payload(sid, "dev-1", dt.datetime(2026, 11, 23, 3, tzinfo=dt.UTC))
    assert payload.ktp.nik == "3276014101900001" and payload.photos.ktp.size == len(JPEG)
    assert payload.account.otp_verified is False and payload.flags == []
    assert "3276014101900001" not in repr(a) and "SITI" not in repr(a)
    photo = a.ktp_photo
    assert photo is not None
    a.wipe()
    assert photo == bytearray(len(photo))  # overwritten in place
    assert a.nik is None and a.ktp_photo is None and a.declaration == {} and a.confirmed_flags == set()
    with pytest.raises(PayloadInvalid):
        a.to_payload(sid, "dev-1", dt.datetime(2026, 11, 23, tzinfo=dt.UTC))


def test_payload_rejects_unflagged_nik_disagreement() -> None:
    a = filled()
    a.gender = "L"
    with pytest.raises(PayloadInvalid) as info:
        a.to_payload(uuid.uuid4(), "dev-1", dt.datetime(2026, 11, 23, tzinfo=dt.UTC))
    assert [p.field for p in info.value.problems] == ["ktp.gender"]
    a.confirmed_flags.add("nik_gender_mismatch")
    assert a.to_payload(uuid.uuid4(), "dev-1", dt.datetime(2026, 11, 23, tzinfo=dt.UTC)).flags == [
        "nik_gender_mismatch"
    ]
