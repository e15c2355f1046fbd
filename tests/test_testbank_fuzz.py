"""Fuzz the bank parser and the signature readers: any input gives a bank or the documented error."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk import testbank as tb
from tests.support.fuzzing import mutate

DEMO_DOC = json.loads((tb.RESOURCES_DIR / tb.DEMO_BANK_NAME).read_bytes())

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=10), children, max_size=5)
    ),
    max_leaves=30,
)


def _parse(raw: bytes) -> None:
    try:
        bank = tb.parse_bank(raw)
    except tb.BankInvalid as exc:
        assert exc.message.id and exc.message.en
        return
    assert isinstance(bank, tb.Bank)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(raw: bytes) -> None:
    _parse(raw)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_arbitrary_json(value: Any) -> None:
    _parse(json.dumps(value).encode())


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=0, max_value=50), max_size=6), json_values)
def test_demo_bank_with_one_node_replaced(path: list[int], value: Any) -> None:
    _parse(json.dumps(mutate(DEMO_DOC, path, value)).encode())


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300) | json_values.map(lambda v: json.dumps(v).encode()))
def test_signature_file_reader(data: bytes) -> None:
    try:
        sig = tb.read_signature_file(data)
    except tb.BankSignatureInvalid:
        return
    assert len(sig) == 64


@settings(max_examples=150, deadline=None)
@given(json_values)
def test_signed_document_reader(value: Any) -> None:
    try:
        raw, sig = tb.signed_document_parts(value)
    except tb.BankSignatureInvalid:
        return
    assert isinstance(raw, bytes) and len(sig) == 64


def test_deeply_nested_json_is_the_documented_error() -> None:
    _parse(b"[" * 100_000 + b"]" * 100_000)
    _parse(b'{"sections":' * 5000 + b"1" + b"}" * 5000)
