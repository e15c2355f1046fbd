"""Operator login: online against the real reference API, then offline from the cached verifier."""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk.api_client import ApiClient
from kiosk.operator_auth import LockedOut, LoginFailed, OfflineLoginUnavailable, OperatorAuth
from tests.support.live_api import LiveApi


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
    online = OperatorAuth(store, api=_client(live_api), offline_days=7, clock=clock)
    login = online.login("Siti", "482915")
    assert login.online and login.is_supervisor and login.session_token
    assert "482915" not in store.read_text()
    assert (store.stat().st_mode & 0o777) == 0o600

    live_api.stop()
    offline = OperatorAuth(store, api=ApiClient(live_api.url, timeout=1.0), offline_days=7, clock=clock)
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
    auth = OperatorAuth(tmp_path / "ops.json", api=None, clock=Clock())
    with pytest.raises(OfflineLoginUnavailable):
        auth.login("budi", "123456")


def test_lockout_after_repeated_failures_survives_restart(live_api: LiveApi, tmp_path) -> None:
    live_api.create_operator("budi", "135790")
    clock = Clock()
    store = tmp_path / "ops.json"
    OperatorAuth(store, api=_client(live_api), clock=clock).login("budi", "135790")
    live_api.stop()
    auth = OperatorAuth(store, api=None, max_failures=3, lockout_minutes=15, clock=clock)
    for _ in range(3):
        with pytest.raises(LoginFailed):
            auth.login("budi", "999999")
    restarted = OperatorAuth(store, api=None, max_failures=3, lockout_minutes=15, clock=clock)
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
    OperatorAuth(store, api=client, clock=clock).login("dewi", "112233")
    data = json.loads(store.read_text())
    data["operators"]["dewi"]["locked_until"] = "9999-12-31T23:59:59+00:00"
    store.write_text(json.dumps(data))
    assert OperatorAuth(store, api=client, clock=clock).login("dewi", "112233").online
    store.write_text("[" * 100_000)
    assert OperatorAuth(store, api=client, clock=clock).login("dewi", "112233").online
    assert store.with_suffix(".corrupt").exists()  # kept aside for the technician
