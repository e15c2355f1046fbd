"""Fuzz the stored device identity: any damage to ``device.json`` or the key file is a DeviceError.

The files are written by the real ``kiosk.device.save`` (encrypted-file storage), then damaged: random
bytes, or the real document with one JSON node replaced. ``kiosk.device.load`` must return an identity
(when the damage is harmless) or raise ``DeviceError`` (``DeviceCorrupt``/``DeviceLocked``) — never
anything else.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from hypothesis import given
from hypothesis import strategies as st

from kiosk import device
from kiosk.device import DeviceError, DeviceIdentity
from kiosk.paths import KioskPaths, kiosk_paths
from tests.support.fuzzing import FUZZ, mutate

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(["", "AAAA"]),
    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=3),
    max_leaves=12,
)


@pytest.fixture
def saved(isolated_home: Path) -> tuple[KioskPaths, bytes, bytes]:
    paths = kiosk_paths().ensure()
    device.save(
        DeviceIdentity(
            device_id="dev-fuzz",
            api_url="http://127.0.0.1:1",
            token="token-secret-value",
            token_expires_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
            signing_key=Ed25519PrivateKey.generate(),
            server_envelope_key=X25519PrivateKey.generate().public_key(),
            server_signing_key=Ed25519PrivateKey.generate().public_key(),
            enrolled_at=dt.datetime.now(dt.UTC),
            storage="encrypted-file",
        ),
        paths=paths,
    )
    record = (paths.data_dir / device.IDENTITY_FILE).read_bytes()
    secrets = (paths.data_dir / device.SECRETS_FILE).read_bytes()
    return paths, record, secrets


def _load(paths: KioskPaths, record: bytes, secrets: bytes) -> None:
    (paths.data_dir / device.IDENTITY_FILE).write_bytes(record)
    (paths.data_dir / device.SECRETS_FILE).write_bytes(secrets)
    try:
        identity = device.load(paths=paths, passphrase=None)
    except DeviceError as exc:
        assert exc.message.id and exc.message.en
        return
    assert identity is None or identity.device_id


@FUZZ
@given(data=st.binary(max_size=300), which=st.booleans())
def test_random_bytes_in_either_file(
    saved: tuple[KioskPaths, bytes, bytes], data: bytes, which: bool
) -> None:
    paths, record, secrets = saved
    _load(paths, data if which else record, secrets if which else data)


@FUZZ
@given(path=st.lists(st.integers(0, 20), max_size=3), value=json_values, which=st.booleans())
def test_one_node_replaced_in_either_file(
    saved: tuple[KioskPaths, bytes, bytes], path: list[int], value: Any, which: bool
) -> None:
    paths, record, secrets = saved
    doc = json.loads(record if which else secrets)
    damaged = json.dumps(mutate(doc, path, value)).encode()
    _load(paths, damaged if which else record, secrets if which else damaged)


@pytest.mark.parametrize(
    ("key", "value"),
    [("nonce", ""), ("nonce", "AAAA"), ("salt", ""), ("n", 1000), ("n", 3 * 2**10), ("passphrase", 0)],
)
def test_edge_values_in_the_key_file_header(
    saved: tuple[KioskPaths, bytes, bytes], key: str, value: Any
) -> None:
    paths, record, secrets = saved
    doc = json.loads(secrets)
    doc["header"][key] = value
    _load(paths, record, json.dumps(doc).encode())


def test_deeply_nested_json(saved: tuple[KioskPaths, bytes, bytes]) -> None:
    paths, record, secrets = saved
    _load(paths, b"[" * 100_000, secrets)
    _load(paths, record, b"[" * 100_000)
