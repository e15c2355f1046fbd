"""Operator login: online against the real reference API, then offline from the cached verifier."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
from pathlib import Path

import pytest

from kiosk.api_client import ApiClient
from kiosk.envelope import b64d
from kiosk.operator_auth import (
    OFFLINE_SCRYPT_N,
    LockedOut,
    LoginFailed,
    OfflineLoginUnavailable,
    OperatorAuth,
)
from tests.support.live_api import LiveApi

KEY = secrets.token_bytes(32)  # stands for the key derived from the sealed device key


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


def _client(live_api: LiveApi) -> ApiClient:
    device = live_api.enrol_device()
    return ApiClient(live_api.url, token=device.token)


def test_online_login_then_offline_until_expiry(live_api: LiveApi, tmp_path) -> None:
    live_api.create_operator("siti", "482915", role="supervisor")
    clock = Clock()
    store = tmp_path / "operators.json"
    online = OperatorAuth(store, api=_client(live_api), offline_days=7, clock=clock, store_key=KEY)
    login = online.login("Siti", "482915")
    assert login.online and login.is_supervisor and login.session_token
    assert "482915" not in store.read_text()
    assert (store.stat().st_mode & 0o777) == 0o600

    live_api.stop()
    offline = OperatorAuth(
        store, api=ApiClient(live_api.url, timeout=1.0), offline_days=7, clock=clock, store_key=KEY
    )
    clock.now += dt.timedelta(days=6, hours=23)
    again = offline.login("siti", "482915")
    assert not again.online and again.role == "supervisor"
    with pytest.raises(LoginFailed):
        offline.login("siti", "000000")
    clock.now += dt.timedelta(hours=2)  # 7 days and 1 hour after the online login
    with pytest.raises(OfflineLoginUnavailable) as info:
        offline.login("siti", "482915")
    assert "kedaluwarsa" in info.value.message.id


def test_offline_without_prior_online_login_is_refused(tmp_path) -> None:
    auth = OperatorAuth(tmp_path / "ops.json", api=None, clock=Clock(), store_key=KEY)
    with pytest.raises(OfflineLoginUnavailable):
        auth.login("budi", "123456")


def test_lockout_after_repeated_failures_survives_restart(live_api: LiveApi, tmp_path) -> None:
    live_api.create_operator("budi", "135790")
    clock = Clock()
    store = tmp_path / "ops.json"
    OperatorAuth(store, api=_client(live_api), clock=clock, store_key=KEY).login("budi", "135790")
    live_api.stop()
    auth = OperatorAuth(store, api=None, max_failures=3, lockout_minutes=15, clock=clock, store_key=KEY)
    for _ in range(3):
        with pytest.raises(LoginFailed):
            auth.login("budi", "999999")
    restarted = OperatorAuth(store, api=None, max_failures=3, lockout_minutes=15, clock=clock, store_key=KEY)
    with pytest.raises(LockedOut):
        restarted.login("budi", "135790")  # even the right PIN waits
    clock.now += dt.timedelta(minutes=16)
    assert restarted.login("budi", "135790").username == "budi"


def test_wrong_pin_online_is_refused(live_api: LiveApi, tmp_path) -> None:
    live_api.create_operator("ani", "246810")
    auth = OperatorAuth(tmp_path / "ops.json", api=_client(live_api), clock=Clock())
    with pytest.raises(LoginFailed) as info:
        auth.login("ani", "111111")
    assert info.value.message.en == "Wrong username or PIN."


def test_a_damaged_store_never_locks_staff_out_for_good(live_api: LiveApi, tmp_path) -> None:
    """A lockout "until 9999" or a store nested beyond reason: the online login still works."""
    import json

    live_api.create_operator("dewi", "112233")
    clock = Clock()
    store = tmp_path / "ops.json"
    client = _client(live_api)
    OperatorAuth(store, api=client, clock=clock, store_key=KEY).login("dewi", "112233")
    data = json.loads(store.read_text())
    data["operators"]["dewi"]["locked_until"] = "9999-12-31T23:59:59+00:00"
    store.write_text(json.dumps(data))
    assert OperatorAuth(store, api=client, clock=clock, store_key=KEY).login("dewi", "112233").online
    store.write_text("[" * 100_000)
    assert OperatorAuth(store, api=client, clock=clock, store_key=KEY).login("dewi", "112233").online
    assert store.with_suffix(".corrupt").exists()  # kept aside for the technician


# ------------------------------------------------------------------------- issue 18: offline PIN cache
def _cached(live_api: LiveApi, tmp_path: Path, *operators: tuple[str, str, str]) -> Path:
    for username, pin, role in operators:
        live_api.create_operator(username, pin, role=role)
    store = tmp_path / "ops.json"
    auth = OperatorAuth(store, api=_client(live_api), clock=Clock(), store_key=KEY)
    for username, pin, _role in operators:
        auth.login(username, pin)
    return store


def test_a_forged_supervisor_entry_refuses_every_offline_login(live_api: LiveApi, tmp_path: Path) -> None:
    """Before: a hand-written entry gave ``role='supervisor'`` offline. Now the store is authenticated
    with a key from sealed storage: any edit refuses all offline logins, with a clear message."""
    store = _cached(live_api, tmp_path, ("budi", "135790", "operator"), ("siti", "482915", "operator"))
    live_api.stop()
    data = json.loads(store.read_text())
    data["operators"]["budi"]["role"] = "supervisor"
    store.write_text(json.dumps(data))
    offline = OperatorAuth(store, api=None, clock=Clock(), store_key=KEY)
    for username, pin in (("budi", "135790"), ("siti", "482915")):
        with pytest.raises(OfflineLoginUnavailable) as info:
            offline.login(username, pin)
        assert "diubah" in info.value.message.id and "changed" in info.value.message.en
    # the same file under another device's key (copied from another kiosk) is refused the same way
    data["operators"]["budi"]["role"] = "operator"
    store.write_text(json.dumps(data))
    other = OperatorAuth(store, api=None, clock=Clock(), store_key=secrets.token_bytes(32))
    with pytest.raises(OfflineLoginUnavailable, match="changed"):
        other.login("budi", "135790")


def test_the_cached_verifier_cannot_be_guessed_without_the_sealed_key(
    live_api: LiveApi, tmp_path: Path
) -> None:
    """Before: scrypt n=2^14 of the PIN alone, so ``0042`` fell in 43 guesses. Now the verifier is
    keyed (HMAC with the sealed store key) and costs n=2^17: the file alone confirms no guess."""
    store = _cached(live_api, tmp_path, ("ani", "246810", "operator"))
    entry = json.loads(store.read_text())["operators"]["ani"]
    assert entry["n"] == OFFLINE_SCRYPT_N >= 2**17
    salt = b64d(entry["salt"])
    plain = hashlib.scrypt(
        b"246810", salt=salt, n=entry["n"], r=entry["r"], p=entry["p"], maxmem=2**28, dklen=32
    )
    assert plain.hex() != entry["verifier"]  # even the right PIN does not match without the key
    assert "246810" not in store.read_text()


def test_short_pins_get_no_offline_login(live_api: LiveApi, tmp_path: Path) -> None:
    store = _cached(live_api, tmp_path, ("eko", "0042", "operator"))
    assert "verifier" not in json.loads(store.read_text())["operators"]["eko"]
    live_api.stop()
    with pytest.raises(OfflineLoginUnavailable) as info:
        OperatorAuth(store, api=None, clock=Clock(), store_key=KEY).login("eko", "0042")
    assert "6" in info.value.message.en and "too short" in info.value.message.en


def test_without_a_sealed_key_nothing_is_cached(live_api: LiveApi, tmp_path: Path) -> None:
    live_api.create_operator("rina", "975310")
    store = tmp_path / "ops.json"
    assert OperatorAuth(store, api=_client(live_api), clock=Clock()).login("rina", "975310").online
    assert not store.exists()
    with pytest.raises(OfflineLoginUnavailable, match="enrolled"):
        OperatorAuth(store, api=None, clock=Clock()).login("rina", "975310")


def test_an_online_login_after_tampering_writes_a_fresh_store(live_api: LiveApi, tmp_path: Path) -> None:
    store = _cached(live_api, tmp_path, ("dewi", "112233", "operator"))
    store.write_text(store.read_text().replace('"failures": 0', '"failures": 1'))
    client = _client(live_api)
    assert OperatorAuth(store, api=client, clock=Clock(), store_key=KEY).login("dewi", "112233").online
    live_api.stop()
    again = OperatorAuth(store, api=None, clock=Clock(), store_key=KEY).login("dewi", "112233")
    assert not again.online
