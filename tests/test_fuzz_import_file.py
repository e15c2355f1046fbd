"""Fuzz the outbox import file (USB stick): any file gives an import report or a documented OutboxError.

Three kinds of damage: arbitrary bytes; bit flips and truncations of a real export file; and — past the
whole-file checksum, which stops the first two early — well-framed files whose manifest is arbitrary
JSON or a real manifest with one node replaced, re-checksummed so the manifest parser itself is reached.
"""

from __future__ import annotations

import hashlib
import json
import os
import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from offline_queue.errors import OutboxError
from offline_queue.exchange import MAGIC, TRAILER_TAG
from offline_queue.outbox import Outbox
from tests.support.fuzzing import FUZZ, mutate

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.just(10**400)
    | st.floats()
    | st.text(max_size=12)
    | st.just("\ud800"),  # a lone surrogate survives json.loads but not UTF-8 encoding
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=20,
)


@pytest.fixture(scope="module")
def real_export(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("export")
    ob = Outbox(folder / "field.sqlite3")
    try:
        for i in range(3):
            ob.enqueue(f"item-{i}", os.urandom(200 + i), {"kind": "registration", "n": i})
        ob.export_to(folder / "queue.oqx")
    finally:
        ob.close()
    return (folder / "queue.oqx").read_bytes()


@pytest.fixture
def target(tmp_path: Path) -> Iterator[tuple[Outbox, Path]]:
    ob = Outbox(tmp_path / "office.sqlite3")
    yield ob, tmp_path / "stick.oqx"
    ob.close()


def _import(target: tuple[Outbox, Path], data: bytes) -> None:
    ob, path = target
    path.write_bytes(data)
    before = {i.id for i in ob.items()}
    try:
        report = ob.import_from(path)
    except OutboxError as exc:
        assert str(exc)
        assert {i.id for i in ob.items()} == before, "a refused file must import nothing"
        return
    assert isinstance(report.imported, list)


def _framed(manifest: bytes, blobs: bytes) -> bytes:
    body = MAGIC + struct.pack(">Q", len(manifest)) + manifest + blobs
    return body + TRAILER_TAG + hashlib.sha256(body).digest()


def _split(data: bytes) -> tuple[Any, bytes]:
    (n,) = struct.unpack(">Q", data[8:16])
    return json.loads(data[16 : 16 + n]), data[16 + n : -(len(TRAILER_TAG) + 32)]


@FUZZ
@given(st.binary(max_size=400) | st.binary(max_size=200).map(lambda b: MAGIC + b))
def test_arbitrary_bytes(target: tuple[Outbox, Path], data: bytes) -> None:
    _import(target, data)


@FUZZ
@given(
    flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 7)), max_size=4), cut=st.integers(0, 10**6)
)
def test_bit_flips_and_truncations_of_a_real_export(
    target: tuple[Outbox, Path], real_export: bytes, flips: list[tuple[int, int]], cut: int
) -> None:
    data = bytearray(real_export)
    for pos, bit in flips:
        data[pos % len(data)] ^= 1 << bit
    _import(target, bytes(data[: len(data) - cut % (len(data) + 1)] if cut % 3 == 0 else data))


@FUZZ
@given(manifest=json_values, blobs=st.binary(max_size=64))
def test_checksummed_file_with_arbitrary_manifest(
    target: tuple[Outbox, Path], manifest: Any, blobs: bytes
) -> None:
    _import(target, _framed(json.dumps(manifest).encode(), blobs))


@FUZZ
@given(path=st.lists(st.integers(0, 20), max_size=5), value=json_values)
def test_checksummed_real_manifest_with_one_node_replaced(
    target: tuple[Outbox, Path], real_export: bytes, path: list[int], value: Any
) -> None:
    manifest, blobs = _split(real_export)
    _import(target, _framed(json.dumps(mutate(manifest, path, value)).encode(), blobs))


def test_deeply_nested_manifest_is_refused(target: tuple[Outbox, Path]) -> None:
    _import(target, _framed(b"[" * 100_000, b""))


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("created_at", 10**400),
        ("created_at", float("inf")),
        ("created_at", float("nan")),
        ("id", "\ud800"),
        ("id", ""),
        ("id", "x" * 100_000),
        ("meta", {"nested": {"deep": [1, 2]}}),
        ("meta", {"\ud800": "\udfff"}),
        ("size", 10**30),
    ],
)
def test_edge_values_in_the_first_item(
    target: tuple[Outbox, Path], real_export: bytes, key: str, value: Any
) -> None:
    manifest, blobs = _split(real_export)
    manifest["items"][0][key] = value
    _import(target, _framed(json.dumps(manifest).encode(), blobs))
