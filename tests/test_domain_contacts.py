"""Mobile numbers and e-mail addresses."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.contacts import ContactError, format_mobile_national, normalise_email, normalise_mobile


@pytest.mark.parametrize(
    "text",
    [
        "081234567890",
        "0812-3456-7890",
        "0812 3456 7890",
        "6281234567890",
        "+62 812-3456-7890",
        "+62 (812) 3456.7890",
    ],
)
def test_mobile_forms(text: str) -> None:
    assert normalise_mobile(text) == "+6281234567890"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "021 5551234",  # Jakarta landline
        "+1 650 253 0000",  # not Indonesian
        "+65 9123 4567",
        "0812",
        "08123456789012345",
        "0812abc4567",
        "+62 812 3456 7890 ext 1",
        "x" * 100,
    ],
)
def test_mobile_refused(text: str) -> None:
    with pytest.raises(ContactError) as info:
        normalise_mobile(text)
    assert info.value.message.id and info.value.message.en


def test_national_format() -> None:
    assert format_mobile_national("+6281234567890").startswith("0812")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nama@contoh.com", "nama@contoh.com"),
        ("  Nama.Pemohon@Contoh.CO.ID ", "Nama.Pemohon@contoh.co.id"),
    ],
)
def test_email_forms(text: str, expected: str) -> None:
    assert normalise_email(text) == expected


@pytest.mark.parametrize(
    "text", ["", "nama", "nama@", "@contoh.com", "nama@contoh", "a b@contoh.com", "x@localhost"]
)
def test_email_refused(text: str) -> None:
    with pytest.raises(ContactError):
        normalise_email(text)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=50), st.from_regex(r"\+?[0-9 ()\-.]{4,20}", fullmatch=True)))
def test_phone_arbitrary_text(text: str) -> None:
    try:
        result = normalise_mobile(text)
    except ContactError:
        return
    assert result.startswith("+628") and result[1:].isdigit()


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=80), st.emails().map(str)))
def test_email_arbitrary_text(text: str) -> None:
    try:
        result = normalise_email(text)
    except ContactError:
        return
    assert "@" in result and len(result) <= 254
