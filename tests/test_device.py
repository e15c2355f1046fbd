"""Device identity: enrolment against the real reference API, secret storage, load, wipe."""

from __future__ import annotations

import datetime as dt
import json
import stat
from collections.abc import Iterator
from typing import Any

import keyring
import keyring.backend
import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from jaraco.classes.properties import classproperty

from kiosk import device
from kiosk.device import (
    DeviceCorrupt,
    DeviceError,
    DeviceIdentity,
    DeviceLocked,
    _backend_is_real,
    usable_keyring,
)
from kiosk.envelope import b64e, open_envelope, raw_public, seal
from kiosk.paths import KioskPaths, kiosk_paths
from tests.support.live_api import LiveApi


class _DictKeyring(keyring.backend.KeyringBackend):
    """A keyring backend kept in memory, standing for an OS keyring (none exists on CI machines).

    It goes through keyring's real backend API (``set_keyring``/``get_password``), which is exactly
    the surface ``kiosk.device`` uses; what it cannot show is an OS keyring's own behaviour.
    """

    enabled = False

    @classproperty
    def priority(cls) -> float:
        # keyring registers every subclass as a candidate default: stay non-viable unless a test
        # installs this backend explicitly, so no other test ever picks it up by discovery.
        if not cls.enabled:
            raise RuntimeError("test backend not enabled")
        return 5.0

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


class PlaintextKeyring(_DictKeyring):
    """Named like keyrings.alt's plaintext file backend: must be refused."""


@pytest.fixture
def os_keyring() -> Iterator[_DictKeyring]:
    previous = keyring.get_keyring()
    _DictKeyring.enabled = True
    backend = _DictKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
    _DictKeyring.enabled = False


@pytest.fixture(autouse=True)
def no_os_keyring() -> Iterator[None]:
    """Every test starts without an OS keyring (the CI situation), whatever this machine has."""
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.fixture
def paths() -> KioskPaths:
    return kiosk_paths().ensure()


class _RequestsEnrolClient:
    """The enrolment call as the kiosk makes it: real HTTP to the reference API."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def enrol(self, code: str, device_public_key: Ed25519PublicKey) -> dict[str, Any]:
        response = requests.post(
            self.base_url + "/v1/devices/enrol",
            json={"code": code, "public_key": b64e(raw_public(device_public_key)), "label": "test"},
            timeout=10,
        )
        response.raise_for_status()
        return dict(response.json())


def _client(api: LiveApi) -> Any:
    try:
        from kiosk.api_client import ApiClient
    except ImportError:
        return _RequestsEnrolClient(api.url)
    return ApiClient(api.url)


def _identity(storage: Any = "encrypted-file") -> DeviceIdentity:
    return DeviceIdentity(
        device_id="dev-test",
        api_url="http://127.0.0.1:1",
        token="token-secret-value",
        token_expires_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC),
        signing_key=Ed25519PrivateKey.generate(),
        server_envelope_key=X25519PrivateKey.generate().public_key(),
        server_signing_key=Ed25519PrivateKey.generate().public_key(),
        enrolled_at=dt.datetime.now(dt.UTC),
        storage=storage,
    )


def test_enrol_against_reference_api_and_seal(live_api: LiveApi, paths: KioskPaths) -> None:
    code = live_api.create_enrolment_code()
    identity = device.enrol(_client(live_api), code, paths=paths)
    assert identity.device_id.startswith("dev-")
    assert identity.storage == "encrypted-file"  # no OS keyring on this machine
    loaded = device.load(paths=paths)
    assert loaded is not None
    assert loaded.device_id == identity.device_id and loaded.token == identity.token
    assert raw_public(loaded.public_key) == raw_public(identity.public_key)
    # the pinned server keys are the server's: an envelope sealed with them is accepted by the server
    sid, blob = live_api.seal_submission(
        type(
            "D",
            (),
            {
                "device_id": loaded.device_id,
                "private_key": loaded.signing_key,
                "envelope_key": loaded.server_envelope_key,
            },
        )()  # type: ignore[arg-type]
    )
    response = requests.put(
        f"{live_api.url}/v1/submissions/{sid}",
        data=blob,
        headers={"Authorization": f"Bearer {loaded.token}", "Content-Type": "application/octet-stream"},
        timeout=10,
    )
    assert response.status_code == 201, response.text
    # the code is single-use
    with pytest.raises(Exception):  # noqa: B017 - whichever error the client raises for a 403
        device.enrol(_client(live_api), code, paths=paths)
    assert device.load(paths=paths) is not None  # a failed re-enrolment keeps the old identity


def test_no_plaintext_secret_on_disk(paths: KioskPaths) -> None:
    identity = device.save(_identity(), paths=paths)
    private_raw = identity.signing_key.private_bytes_raw()
    for file in list(paths.data_dir.rglob("*")) + list(paths.config_dir.rglob("*")):
        if file.is_file():
            data = file.read_bytes()
            assert b"token-secret-value" not in data, file
            assert private_raw not in data and b64e(private_raw).encode() not in data, file
            assert stat.S_IMODE(file.stat().st_mode) == 0o600, file


def test_round_trip_file_storage(paths: KioskPaths) -> None:
    original = _identity()
    device.save(original, paths=paths)
    loaded = device.load(paths=paths)
    assert loaded is not None and loaded.storage == "encrypted-file"
    assert loaded.token == original.token
    assert loaded.token_expires_at == original.token_expires_at
    assert raw_public(loaded.server_envelope_key) == raw_public(original.server_envelope_key)
    assert "token-secret-value" not in repr(loaded)
    sid = "0190f3e2-7b1c-7cc0-9a5e-1234abcd5678"
    blob = seal(
        {"a": 1},
        {},
        submission_id=sid,
        device_id="dev-test",
        device_key=loaded.signing_key,
        server_key=loaded.server_envelope_key,
    )
    assert blob


def test_passphrase_protects_file(paths: KioskPaths, monkeypatch: pytest.MonkeyPatch) -> None:
    device.save(_identity(), passphrase="rahasia-supervisor", paths=paths)
    with pytest.raises(DeviceLocked):
        device.load(paths=paths)
    with pytest.raises(DeviceLocked):
        device.load(passphrase="salah", paths=paths)
    assert device.load(passphrase="rahasia-supervisor", paths=paths) is not None
    # issue 18: typed by staff and kept in memory, never taken from the environment
    monkeypatch.setenv("PRAKERJA_KIOSK_KEY_PASSPHRASE", "rahasia-supervisor")
    with pytest.raises(DeviceLocked):
        device.load(paths=paths)
    assert device.protection(paths) == "passphrase" and device.needs_passphrase(paths)


def test_key_file_bound_to_machine_secret(paths: KioskPaths) -> None:
    device.save(_identity(), paths=paths)
    (paths.config_dir / device.MACHINE_SECRET_FILE).write_bytes(b"\x00" * 32)
    with pytest.raises(DeviceCorrupt):
        device.load(paths=paths)
    (paths.config_dir / device.MACHINE_SECRET_FILE).unlink()
    with pytest.raises(DeviceCorrupt):
        device.load(paths=paths)


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: (p.data_dir / device.IDENTITY_FILE).write_text("{not json"),
        lambda p: (p.data_dir / device.IDENTITY_FILE).write_text(json.dumps({"format": 99})),
        lambda p: (p.data_dir / device.SECRETS_FILE).write_text('{"header": {}, "ciphertext": "AAAA"}'),
        lambda p: (p.data_dir / device.SECRETS_FILE).unlink(),
        lambda p: _flip_ciphertext(p),
        lambda p: _set_cost(p, n=2**20, r=32),  # 4 GiB of scrypt memory: refused before deriving
        lambda p: _set_cost(p, n=2**18, r=8),  # 256 MiB: over the cap too
    ],
)
def test_damaged_identity_is_a_documented_error(paths: KioskPaths, damage: Any) -> None:
    device.save(_identity(), paths=paths)
    damage(paths)
    with pytest.raises(DeviceCorrupt) as info:
        device.load(paths=paths)
    assert "enrol" in info.value.message.en.lower()


def _set_cost(p: KioskPaths, *, n: int, r: int) -> None:
    path = p.data_dir / device.SECRETS_FILE
    blob = json.loads(path.read_text())
    blob["header"].update(n=n, r=r)
    path.write_text(json.dumps(blob))


def _flip_ciphertext(p: KioskPaths) -> None:
    path = p.data_dir / device.SECRETS_FILE
    blob = json.loads(path.read_text())
    text = blob["ciphertext"]
    blob["ciphertext"] = ("B" if text[0] != "B" else "C") + text[1:]
    path.write_text(json.dumps(blob))


def test_keyring_storage_when_real_backend(os_keyring: _DictKeyring, paths: KioskPaths) -> None:
    stored = device.save(_identity(), paths=paths)
    assert stored.storage == "keyring"
    assert not (paths.data_dir / device.SECRETS_FILE).exists()
    assert (device.KEYRING_SERVICE, "dev-test") in os_keyring.store
    loaded = device.load(paths=paths)
    assert loaded is not None and loaded.token == "token-secret-value" and loaded.storage == "keyring"
    assert device.wipe(paths)
    assert os_keyring.store == {}
    assert device.load(paths=paths) is None


def test_keyring_switched_off(
    os_keyring: _DictKeyring, paths: KioskPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(device.ENV_KEYRING, "off")
    assert usable_keyring() is None
    assert device.save(_identity(), paths=paths).storage == "encrypted-file"


def test_weak_backends_refused() -> None:
    from keyring.backends import fail, null

    assert not _backend_is_real(fail.Keyring())
    assert not _backend_is_real(null.Keyring())
    _DictKeyring.enabled = True
    try:
        assert _backend_is_real(_DictKeyring())
        assert not _backend_is_real(PlaintextKeyring())
    finally:
        _DictKeyring.enabled = False


def test_wipe_removes_everything(paths: KioskPaths) -> None:
    device.save(_identity(), paths=paths)
    assert device.is_enrolled(paths)
    assert device.wipe(paths) is True
    assert device.load(paths=paths) is None
    assert not any(paths.data_dir.iterdir())
    assert not (paths.config_dir / device.MACHINE_SECRET_FILE).exists()
    assert device.wipe(paths) is False


def test_malformed_enrolment_answer(paths: KioskPaths) -> None:
    class Garbage:
        base_url = "http://127.0.0.1:1"

        def enrol(self, code: str, device_public_key: Ed25519PublicKey) -> dict[str, Any]:
            return {"device_id": "dev-x", "token": "t", "server_keys": {"envelope": {"public_key": "short"}}}

    with pytest.raises(DeviceError) as info:
        device.enrol(Garbage(), "CODE-CODE-CODE", paths=paths)
    assert "enrolment answer" in info.value.message.en
    assert device.load(paths=paths) is None


def test_open_envelope_with_pinned_keys_roundtrip() -> None:
    """The identity's keys work with the envelope module end to end (server side simulated by keys)."""
    server = X25519PrivateKey.generate()
    ident = _identity()
    sid = "0190f3e2-7b1c-7cc0-9a5e-1234abcd5679"
    blob = seal(
        {"x": 1},
        {},
        submission_id=sid,
        device_id=ident.device_id,
        device_key=ident.signing_key,
        server_key=server.public_key(),
    )
    opened = open_envelope(
        blob,
        expected_submission_id=sid,
        server_key=server,
        device_public_key_lookup=lambda _d: ident.public_key,
    )
    assert opened.payload_json() == {"x": 1}


# ---------------------------------------------------------------- issue 18: no key next to its secret
@pytest.fixture
def strict(monkeypatch: pytest.MonkeyPatch) -> None:
    """A real deployment: the test suite's key-file allowance switched off."""
    monkeypatch.delenv(device.ENV_ALLOW_KEY_FILE, raising=False)


def test_without_sealed_storage_enrolment_requires_a_staff_passphrase(
    strict: None, live_api: LiveApi, paths: KioskPaths
) -> None:
    """Before: with no keyring the secrets went to a file keyed only by machine.secret in the same
    home, and the decrypted token got 200 from the API. Now enrolment refuses without a passphrase
    (before the one-time code is spent) and the file needs the passphrase, not the machine secret."""
    code = live_api.create_enrolment_code()
    with pytest.raises(device.PassphraseRequired) as info:
        device.enrol(_client(live_api), code, paths=paths)
    assert "passphrase" in info.value.message.en and "frasa sandi" in info.value.message.id
    assert not device.is_enrolled(paths)
    with pytest.raises(device.PassphraseRequired):
        device.enrol(_client(live_api), code, passphrase="short", paths=paths)
    identity = device.enrol(_client(live_api), code, passphrase="kunci-kantor-dinas-7", paths=paths)
    assert device.protection(paths) == "passphrase"
    # the thief's view: both files of the home, no passphrase
    with pytest.raises(DeviceLocked):
        device.load(paths=paths)
    machine = (paths.config_dir / device.MACHINE_SECRET_FILE).read_bytes()
    with pytest.raises(DeviceLocked):
        device._open_secrets(paths, identity.device_id, machine.hex())
    loaded = device.load(passphrase="kunci-kantor-dinas-7", paths=paths)
    assert loaded is not None and loaded.token == identity.token


def test_save_without_passphrase_or_sealed_storage_is_refused(strict: None, paths: KioskPaths) -> None:
    with pytest.raises(device.PassphraseRequired):
        device.save(_identity(), paths=paths)
    assert not device.is_enrolled(paths) and not (paths.data_dir / device.SECRETS_FILE).exists()


def test_demo_keeps_a_demo_only_key_file(strict: None, paths: KioskPaths) -> None:
    stored = device.save(_identity(), paths=paths, demo=True)
    assert stored.demo and device.protection(paths) == "demo-key-file"
    loaded = device.load(paths=paths)
    assert loaded is not None and loaded.demo


def test_self_test_fails_on_a_key_file_next_to_its_secret(paths: KioskPaths) -> None:
    from kiosk.selftest import check_device_key, check_keyring, exit_code

    device.save(_identity(), paths=paths)  # the old fallback (allowed here by the test suite)
    assert device.protection(paths) == "key-file"
    result = check_device_key(paths)
    assert not result.ok and result.required and "next to its own secret" in result.detail
    assert exit_code([result]) == 1
    allowed = check_keyring()  # PRAKERJA_KIOSK_ALLOW_KEY_FILE=1: this machine would fall back
    assert not allowed.ok and allowed.required and "key file next to its own secret" in allowed.detail


def test_self_test_reports_passphrase_and_demo_storage(
    strict: None, paths: KioskPaths, os_keyring: _DictKeyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk.demo import demo_paths
    from kiosk.selftest import check_device_key, check_keyring

    assert check_keyring().ok  # a real keyring: sealed storage exists
    monkeypatch.setenv(device.ENV_KEYRING, "off")  # now a machine without one
    device.save(_identity(), passphrase="kunci-kantor-dinas-7", paths=paths)
    device.save(_identity(), paths=demo_paths(paths).ensure(), demo=True)
    result = check_device_key(paths)
    assert result.ok and "staff passphrase" in result.detail and "demo-only key file" in result.detail


def test_systemd_creds_storage_round_trip(
    strict: None, paths: KioskPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The TPM path through the real systemd-creds tool; sealed to the host key where there is no TPM."""
    import shutil
    import subprocess

    if shutil.which("systemd-creds") is None:
        pytest.skip("systemd-creds is not installed")
    monkeypatch.setenv(device.ENV_SYSTEMD_CREDS, "on")
    monkeypatch.setattr(device, "SYSTEMD_CREDS_KEY", "host")
    probe = subprocess.run(
        ["systemd-creds", "encrypt", "--with-key=host", "-", "-"],
        input=b"x",
        capture_output=True,
        check=False,
    )
    if probe.returncode != 0:
        pytest.skip("systemd-creds cannot encrypt here: " + probe.stderr.decode(errors="replace")[:200])
    stored = device.save(_identity(), paths=paths)
    assert stored.storage == "systemd-creds" and device.protection(paths) == "systemd-creds"
    assert not (paths.data_dir / device.SECRETS_FILE).exists()
    assert b"token-secret-value" not in (paths.data_dir / device.CREDS_FILE).read_bytes()
    loaded = device.load(paths=paths)
    assert loaded is not None and loaded.token == "token-secret-value"
    assert device.wipe(paths) and not (paths.data_dir / device.CREDS_FILE).exists()


def test_a_renewed_token_is_sealed_again_without_the_passphrase(strict: None, paths: KioskPaths) -> None:
    """Token renewal (kiosk.token_renewal) saves the identity again: the unlocked identity carries the
    derived file key (never the passphrase), so nobody is asked twice and no environment is read."""
    import dataclasses

    device.save(_identity(), passphrase="kunci-kantor-dinas-7", paths=paths)
    unlocked = device.load(passphrase="kunci-kantor-dinas-7", paths=paths)
    assert unlocked is not None and unlocked.sealing is not None
    assert "kek" not in repr(unlocked) and "kunci" not in repr(unlocked.sealing)
    renewed = dataclasses.replace(unlocked, token="renewed-token-value")
    saved = device.save(renewed, paths=paths)  # no passphrase given
    assert saved.storage == "encrypted-file" and device.protection(paths) == "passphrase"
    with pytest.raises(DeviceLocked):
        device.load(paths=paths)
    again = device.load(passphrase="kunci-kantor-dinas-7", paths=paths)
    assert again is not None and again.token == "renewed-token-value"
    assert b"renewed-token-value" not in (paths.data_dir / device.SECRETS_FILE).read_bytes()
