"""Fuzz the settings file reader: any file or environment gives a config or a documented ConfigError.

Inputs: arbitrary bytes; the real commented default file with bytes flipped, lines dropped or
duplicated; well-formed TOML that sets real keys (from the schema) to arbitrary values; and arbitrary
``PRAKERJA_*`` environment overrides on top of a valid file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.config import ConfigError, KioskConfig, env_var_name, iter_keys, load_config, render_default_toml
from tests.support.fuzzing import FUZZ as SHARED_FUZZ

FUZZ = settings(SHARED_FUZZ, max_examples=200)
DEFAULT = render_default_toml()
KEYS = [k.path for k in iter_keys()]


def _load(tmp_path: Path, data: bytes, env: dict[str, str] | None = None) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(data)
    try:
        config = load_config(path, env=env or {})
    except ConfigError as exc:
        assert exc.message.id and exc.message.en
        return
    assert isinstance(config, KioskConfig)


scalars = (
    st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
)
toml_values = st.recursive(scalars, lambda c: st.lists(c, max_size=3), max_leaves=6)


def _toml_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return {"inf": "inf", "-inf": "-inf", "nan": "nan"}.get(repr(value), repr(value))
    if isinstance(value, list):
        return "[" + ", ".join(_toml_literal(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value)  # a JSON string is a TOML basic string (escapes \uXXXX included)
    return str(value)


def _document(assignments: list[tuple[str, Any]]) -> str:
    sections: dict[str, list[str]] = {}
    for path, value in assignments:
        section, _, key = path.rpartition(".")
        sections.setdefault(section, []).append(f"{key} = {_toml_literal(value)}")
    out = list(sections.pop("", []))
    for section, lines in sections.items():
        out += [f"[{section}]", *lines]
    return "\n".join(out) + "\n"


@FUZZ
@given(st.binary(max_size=600))
def test_arbitrary_bytes(tmp_path: Path, data: bytes) -> None:
    _load(tmp_path, data)


@FUZZ
@given(
    flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=4),
    drop=st.lists(st.integers(0, 10**4), max_size=3),
    dup=st.lists(st.integers(0, 10**4), max_size=2),
)
def test_damaged_default_file(
    tmp_path: Path, flips: list[tuple[int, int]], drop: list[int], dup: list[int]
) -> None:
    lines = DEFAULT.splitlines(keepends=True)
    for i in dup:
        lines.insert(i % len(lines), lines[i % len(lines)])
    for i in drop:
        if lines:
            del lines[i % len(lines)]
    data = bytearray("".join(lines).encode())
    for pos, byte in flips:
        if data:
            data[pos % len(data)] = byte
    _load(tmp_path, bytes(data))


@FUZZ
@given(st.lists(st.tuples(st.sampled_from(KEYS), toml_values), max_size=5, unique_by=lambda kv: kv[0]))
def test_real_keys_with_arbitrary_values(tmp_path: Path, assignments: list[tuple[str, Any]]) -> None:
    _load(tmp_path, _document(assignments).encode())


@FUZZ
@given(st.dictionaries(st.sampled_from([env_var_name(k) for k in KEYS]), st.text(max_size=30), max_size=4))
def test_arbitrary_environment_overrides(tmp_path: Path, env: dict[str, str]) -> None:
    _load(tmp_path, DEFAULT.encode(), {k: v.replace("\x00", "") for k, v in env.items()})
