"""NIK parsing: table tests for the edge cases and properties over generated NIKs and arbitrary text."""

from __future__ import annotations

import datetime as dt
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk import nik, regions
from kiosk.i18n import Message

TODAY = dt.date(2026, 11, 23)


@cache
def district_codes() -> list[str]:
    codes = []
    for province in regions.provinces():
        for regency in regions.children(province.code):
            codes += [d.code for d in regions.children(regency.code)]
    return codes


def make(region: str, day: int, month: int, year: int, serial: int, female: bool = False) -> str:
    return (
        f"{region.replace('.', '')}{day + (40 if female else 0):02d}{month:02d}{year % 100:02d}{serial:04d}"
    )


@pytest.mark.parametrize(
    ("text", "birth", "gender"),
    [
        ("3276010101900001", dt.date(1990, 1, 1), "L"),
        ("3276014101900001", dt.date(1990, 1, 1), "P"),  # day 41 = 1st, woman
        ("3276017112900001", dt.date(1990, 12, 31), "P"),  # day 71 = 31st, woman
        ("3276 0101 0190 0001", dt.date(1990, 1, 1), "L"),  # spaces typed between groups
        ("32.76.01.010190.0001", dt.date(1990, 1, 1), "L"),
        ("3276-0101-0190-0001", dt.date(1990, 1, 1), "L"),
        ("3276012902000001", dt.date(2000, 2, 29), "L"),  # 2000 is a leap year
        ("3276016902960001", dt.date(1996, 2, 29), "P"),  # woman born 29 Feb 1996
        ("3276012311090001", dt.date(2009, 11, 23), "L"),  # 17 today: 2000s still chosen
        ("3276012311080001", dt.date(2008, 11, 23), "L"),  # 18 today
        ("3276012311260001", dt.date(1926, 11, 23), "L"),  # exactly 100 today
        ("9101010101900001", dt.date(1990, 1, 1), "L"),  # historical Papua: Merauke before 2022
        ("9210010101900001", dt.date(1990, 1, 1), "L"),  # Maybrat, Papua Barat code before 2022
        ("6473010101900001", dt.date(1990, 1, 1), "L"),  # Kota Tarakan before Kalimantan Utara (2012)
        ("9301010101900001", dt.date(1990, 1, 1), "L"),  # Merauke today
        ("9102410101900001", dt.date(1990, 1, 1), "L"),  # 91.02.41 Napua: renumbered to 95.01.13
        ("9113360101900001", dt.date(1990, 1, 1), "L"),  # 91.13.36 Holuon: no namesake today
    ],
)
def test_valid(text: str, birth: dt.date, gender: str) -> None:
    parsed = nik.parse(text, today=TODAY)
    assert parsed.birth_date == birth
    assert parsed.gender == gender
    assert len(parsed.digits) == 16


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("", "length"),
        ("327601010190001", "length"),
        ("32760101019000011", "length"),
        ("32760101019O0001", "characters"),  # letter O
        ("3276010101900001\x00", "characters"),
        ("３２７６０１０１０１９０００１", "characters"),  # full-width digits
        ("3276012902010001", "date"),  # 29 Feb 2001: not a leap year
        ("3276012902900001", "date"),  # 29 Feb 1990
        ("3276013201900001", "date"),  # day 32
        ("3276014001900001", "date"),  # day 40 (neither man nor woman)
        ("3276017201900001", "date"),  # day 72
        ("3276010001900001", "date"),  # day 00
        ("3276010113900001", "date"),  # month 13
        ("3276017102900001", "date"),  # woman, 31 Feb
        ("3276010101900000", "serial"),
        ("9901010101900001", "region"),
        ("3276990101900001", "region"),
        ("9101990101900001", "region"),  # old Papua prefix but no such kecamatan
        ("9103990101900001", "region"),
        ("9102020101900001", "region"),  # 91.02.02: in no table, was accepted by the suffix copy
        ("9201160101900001", "region"),  # 92.01.16: likewise
        ("6405170101900001", "region"),  # 65.03.17 was created after Kalimantan Utara: no 64.05 NIK
    ],
)
def test_invalid(text: str, kind: str) -> None:
    with pytest.raises(nik.NikError) as info:
        nik.parse(text, today=TODAY)
    assert info.value.kind == kind
    assert isinstance(info.value.message, Message)
    assert str(info.value) == info.value.message.id
    assert info.value.message.en and info.value.message.id != info.value.message.en


def test_century_boundary() -> None:
    # Born 23-11-1926: 100 today -> accepted; 24-11-1926: 99; 22-11-1925: 101 -> refused.
    assert nik.parse("3276012311260001", today=TODAY).birth_date == dt.date(1926, 11, 23)
    assert nik.parse("3276012411260001", today=TODAY).birth_date == dt.date(1926, 11, 24)  # 99
    # 22-11-1925 would be 101: the NIK is read as 2025 (a child), and being under 18 is said once, by
    # kiosk.eligibility on the birth date (issue 16: one minimum age, one message).
    assert nik.parse("3276012211250001", today=TODAY).birth_date == dt.date(2025, 11, 22)
    # 17th birthday today -> 2009; one day later it is still 16 (1909 too old) -> still 2009, no NIK error.
    assert nik.parse("3276012311090001", today=TODAY).birth_date.year == 2009
    assert nik.parse("3276012411090001", today=TODAY).birth_date == dt.date(2009, 11, 24)
    assert nik.parse("3276012411100001", today=TODAY).birth_date == dt.date(2010, 11, 24)
    assert nik.parse("3276012311270001", today=TODAY).birth_date == dt.date(1927, 11, 23)  # 2027: future
    # The same NIK a year later resolves to 2009 again.
    assert nik.parse("3276012411090001", today=dt.date(2027, 1, 1)).birth_date == dt.date(2009, 11, 24)


def test_year_00_century() -> None:
    assert nik.parse("3276010101000001", today=TODAY).birth_date == dt.date(2000, 1, 1)
    # 29 Feb 00: only 2000 is valid (1900 was not a leap year).
    assert nik.parse("3276012902000001", today=TODAY).birth_date == dt.date(2000, 2, 29)


def test_repr_hides_personal_data() -> None:
    parsed = nik.parse("3276014101900123", today=TODAY)
    assert "0123" not in repr(parsed) and "1990" not in repr(parsed) and "410190" not in str(parsed)


def test_cross_checks() -> None:
    parsed = nik.parse("3276014101900001", today=TODAY)
    assert nik.check_birth_date(parsed, dt.date(1990, 1, 1)) is None
    w = nik.check_birth_date(parsed, dt.date(1990, 1, 2))
    assert (
        w is not None
        and w.field == "birth_date"
        and w.message.id.startswith("Tanggal lahir tidak cocok dengan NIK")
    )
    assert nik.check_gender(parsed, "P") is None
    g = nik.check_gender(parsed, "L")
    assert g is not None and g.flag == "nik_gender_mismatch" and "Jenis kelamin" in g.message.id
    assert nik.check_region(parsed, "32", "32.76") is None
    r1 = nik.check_region(parsed, "31", "31.71")
    assert r1 is not None and r1.flag == "nik_province_mismatch"
    r2 = nik.check_region(parsed, "32", "32.73")
    assert r2 is not None and r2.flag == "nik_regency_mismatch"
    # A pre-2022 Merauke NIK agrees with a Merauke address under today's code.
    old = nik.parse("9101010101900001", today=TODAY)
    assert nik.check_region(old, "93", "93.01") is None
    # Renumbered and name-only historical kecamatan map to today's regency too.
    kurulu = nik.parse("9102030101900001", today=TODAY)
    assert nik.check_region(kurulu, "95", "95.01") is None
    holuon = nik.parse("9113360101900001", today=TODAY)
    assert nik.check_region(holuon, "95", "95.03") is None
    moved_away = nik.check_region(holuon, "95", "95.01")
    assert moved_away is not None and moved_away.flag == "nik_regency_mismatch"


@settings(max_examples=300, deadline=None)
@given(
    st.data(),
    st.dates(min_value=dt.date(1927, 1, 1), max_value=dt.date(2008, 11, 23)),
    st.integers(1, 9999),
    st.booleans(),
)
def test_generated_niks_round_trip(data: st.DataObject, birth: dt.date, serial: int, female: bool) -> None:
    region = data.draw(st.sampled_from(district_codes()))
    text = make(region, birth.day, birth.month, birth.year, serial, female)
    parsed = nik.parse(text, today=TODAY)
    assert parsed.region_code == region
    assert parsed.birth_date == birth
    assert parsed.gender == ("P" if female else "L")
    assert parsed.serial == f"{serial:04d}"
    assert parsed.digits == text


@settings(max_examples=250, deadline=None)
@given(st.one_of(st.text(max_size=40), st.from_regex(r"[0-9 .\-]{10,22}", fullmatch=True)))
def test_arbitrary_text_only_nik_error(text: str) -> None:
    try:
        nik.parse(text, today=TODAY)
    except nik.NikError as exc:
        assert exc.message.id and exc.message.en
