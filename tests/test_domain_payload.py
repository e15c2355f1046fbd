"""validate_payload never raises anything but PayloadInvalid, and its rules speak both languages."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk.payload import PayloadInvalid, validate_payload
from tests.support.payloads import make_payload

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_arbitrary_json(value: Any) -> None:
    try:
        validate_payload(value)
    except PayloadInvalid as exc:
        assert exc.problems and all(p.message.id and p.message.en for p in exc.problems)


PATHS = [
    ("ktp", "nik"),
    ("ktp", "gender"),
    ("ktp", "birth_date"),
    ("ktp", "full_name"),
    ("ktp", "address", "village_code"),
    ("account", "phone"),
    ("account", "verification_method"),
    ("profile", "education"),
    ("flags",),
    ("declaration",),
    ("test",),
]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PATHS), json_values)
def test_mutated_valid_payload(path: tuple[str, ...], value: Any) -> None:
    payload = make_payload()
    node = payload
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    try:
        validate_payload(payload)
    except PayloadInvalid as exc:
        assert all(p.message.en for p in exc.problems)


def test_rule_messages_name_the_field() -> None:
    bad = make_payload(validate=False, ktp={"address": {"village_code": "31.72.01.1001"}})
    try:
        validate_payload(bad)
    except PayloadInvalid as exc:
        assert [p.field for p in exc.problems] == ["ktp.address.village_code"]
        assert exc.problems[0].message.id.startswith("Kode wilayah")
    else:
        raise AssertionError("nested codes must be checked")
    bad = make_payload(validate=False, ktp={"nik": "3171014101900000"})
    try:
        validate_payload(bad)
    except PayloadInvalid as exc:
        assert [p.field for p in exc.problems] == ["ktp.nik"]
    else:
        raise AssertionError("serial 0000 must be refused")
