"""Reference numbers: format, normalising parse, and the check symbol."""

from __future__ import annotations

import re
import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk import reference
from kiosk.reference import ALPHABET, ReferenceNumberError

PATTERN = re.compile(
    r"^PK-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z*~$=U]$"
)


def test_format_is_stable_and_parses_back() -> None:
    sid = uuid.UUID("0191d6b2-6f1e-7c3a-9a4b-1234567890ab")
    text = reference.format(sid)
    assert PATTERN.match(text)
    assert text == reference.format(sid)
    assert reference.parse(text).key == reference.key_for(sid)
    assert str(reference.parse(text)) == text


def test_typing_variants() -> None:
    text = reference.format(uuid.uuid4())
    body = text[3:]
    variants = [text.lower(), body, body.replace("-", " "), " " + body.replace("-", "") + " "]
    if "1" in body:
        variants.append(body.replace("1", "l"))  # L typed for 1
    if "0" in body:
        variants.append(body.replace("0", "o"))
    for v in variants:
        assert str(reference.parse(v)) == text


@pytest.mark.parametrize(
    "text", ["", "PK-", "PK-1234-5678-9ABC", "PK-1234-5678-9ABC-DE", "PK-12U4-5678-9ABC-D", "x" * 200]
)
def test_malformed(text: str) -> None:
    with pytest.raises(ReferenceNumberError):
        reference.parse(text)


@settings(max_examples=300, deadline=None)
@given(st.uuids(), st.integers(0, 11), st.integers(1, 31))
def test_any_single_substitution_is_caught(sid: uuid.UUID, pos: int, delta: int) -> None:
    key = reference.key_for(sid)
    wrong = key[:pos] + ALPHABET[(ALPHABET.index(key[pos]) + delta) % 32] + key[pos + 1 :]
    check = str(reference.parse(reference.format(sid)))[-1]
    with pytest.raises(ReferenceNumberError):
        reference.parse(wrong + check)


@settings(max_examples=300, deadline=None)
@given(st.uuids(), st.integers(0, 10))
def test_adjacent_swap_is_caught(sid: uuid.UUID, pos: int) -> None:
    key = reference.key_for(sid)
    if key[pos] == key[pos + 1]:
        return
    swapped = key[:pos] + key[pos + 1] + key[pos] + key[pos + 2 :]
    check = reference.format(sid)[-1]
    with pytest.raises(ReferenceNumberError):
        reference.parse(swapped + check)


@settings(max_examples=250, deadline=None)
@given(st.one_of(st.text(max_size=30), st.from_regex(r"(PK-)?[0-9A-Za-z\-]{12,18}", fullmatch=True)))
def test_arbitrary_text_only_reference_error(text: str) -> None:
    try:
        ref = reference.parse(text)
    except ReferenceNumberError as exc:
        assert exc.message.en
        return
    assert len(ref.key) == 12


def test_distinct_keys_for_many_ids() -> None:
    keys = {reference.key_for(uuid.uuid4()) for _ in range(20_000)}
    assert len(keys) == 20_000
