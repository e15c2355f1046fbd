"""Token renewal, revocation and heartbeats against the live reference API (issue 19).

Shows: a kiosk whose token nears its expiry (fake clock) renews it over the device-signed channel and
keeps delivering with the new token while the old one is refused; a kiosk whose token already expired
on the server is refused, renews after the 401 and delivers the same queue; a revoked device stops with
the console's clear message and takes no new registration; replayed, stale or forged signed requests
are refused; heartbeats (after a sync round, and hourly when idle) are stored by the server and carry
no applicant data.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.config import KioskConfig
from kiosk.console_model import dashboard_rows
from kiosk.device import DeviceError
from kiosk.flow import Flow
from kiosk.runtime import KioskRuntime
from kiosk.signed_request import sign_request
from kiosk.token_renewal import REVOKED, TokenRenewer
from offline_queue.events import Idle
from tests.support.applicants import applicant_values, fill_flow
from tests.support.live_api import LiveApi


def _runtime(api: LiveApi, *, server_expiry: dt.datetime | None = None) -> KioskRuntime:
    """An enrolled kiosk (no background threads); ``server_expiry`` overrides the token's expiry."""
    enrolled = api.enrol_device("Kantor Dinas Sleman")
    expires = server_expiry or dt.datetime.now(dt.UTC) + dt.timedelta(days=365)
    api.sql("UPDATE devices SET token_expires_at = :e WHERE id = :d", e=expires, d=enrolled.device_id)
    identity = enrolled.identity(api.url, token_expires_at=expires)
    return KioskRuntime.open(KioskConfig(), device=identity, start_sync=False)


def _seal(rt: KioskRuntime, index: int) -> str:
    flow = Flow(online=False)
    fill_flow(flow, index=index)
    return rt.seal_and_enqueue(flow).submission_id


def _status_with(api: LiveApi, token: str) -> int:
    return requests.get(
        f"{api.url}/v1/wave/current", headers={"Authorization": f"Bearer {token}"}, timeout=5
    ).status_code


def test_renews_before_expiry_with_a_fake_clock_and_keeps_delivering(live_api: LiveApi) -> None:
    # The server issues tokens on the real clock (30 days); the kiosk's clock is the fake one below.
    expiry = dt.datetime.now(dt.UTC) + dt.timedelta(days=12)
    rt = _runtime(live_api, server_expiry=expiry)
    try:
        assert rt.fleet is not None and rt.engine is not None and rt.device is not None
        renewer = rt.fleet.renewer
        now = [dt.datetime.now(dt.UTC)]
        renewer.clock = lambda: now[0]
        old_token = rt.device.token
        assert renewer.check() == "not_due"  # 12 days left, renewal starts 10 days before
        now[0] = expiry - dt.timedelta(days=9)
        assert renewer.check() == "renewed"
        assert rt.device.token != old_token and rt.device.token_expires_at is not None
        assert rt.device.token_expires_at > expiry + dt.timedelta(days=17)  # a fresh 30-day token
        assert _status_with(live_api, old_token) == 401 and _status_with(live_api, rt.device.token) != 401
        now[0] = expiry + dt.timedelta(days=3)  # past the *old* expiry: the new token is not due
        assert renewer.check() == "not_due"
        _seal(rt, 0)
        report = rt.engine.drain(wait=True, timeout=20)
        assert report.delivered == 1 and not report.auth_required
    finally:
        rt.close()


def test_token_expired_on_the_server_is_renewed_after_the_refusal_and_the_queue_delivered(
    live_api: LiveApi,
) -> None:
    rt = _runtime(live_api, server_expiry=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))
    try:
        assert rt.fleet is not None and rt.engine is not None
        ids = [_seal(rt, i) for i in range(2)]
        first = rt.engine.drain(wait=True, timeout=10)
        assert first.auth_required and first.delivered == 0  # the server refuses the expired token
        rt.fleet.tick()  # AuthRequired reached the agent as a sync event: signed renewal now
        assert rt.fleet.renewer.last_outcome == "renewed" and not rt.engine.auth_required
        second = rt.engine.drain(wait=True, timeout=20)
        assert second.delivered == 2 and second.waiting == 0
        delivered = {i.id for i in rt.outbox.items() if i.state == "delivered"}
        assert set(ids) <= delivered
        assert rt.outbox.stats().auth_error is None
    finally:
        rt.close()


def test_revoked_device_stops_with_a_clear_console_message(live_api: LiveApi) -> None:
    rt = _runtime(live_api)
    try:
        assert rt.fleet is not None and rt.device is not None
        _seal(rt, 0)
        live_api.revoke_device(rt.device.device_id)
        assert rt.fleet.renewer.check(refused=True) == "revoked"
        stats = rt.outbox.stats()
        assert stats.auth_error is not None and "device_revoked" in stats.auth_error
        rows = {r.key: r for r in dashboard_rows(stats, online=True, device_id=rt.device.device_id)}
        connection = rows["connection"]
        assert connection.warn and "dicabut" in connection.value.id and "revoked" in connection.value.en
        with pytest.raises(DeviceError) as refused:
            _seal(rt, 1)
        assert refused.value.message == REVOKED
        assert stats.waiting == 1  # nothing deleted: Dinas IT decides
    finally:
        rt.close()


def test_replayed_stale_or_forged_renewals_are_refused(live_api: LiveApi) -> None:
    device = live_api.enrol_device()
    url = f"{live_api.url}/v1/devices/token"
    doc = sign_request("token-renew", device.device_id, device.private_key)
    first = requests.post(url, json=doc, timeout=5)
    assert first.status_code == 200 and first.json()["token"]
    again = requests.post(url, json=doc, timeout=5)
    assert (again.status_code, again.json()["error"]) == (401, "signed_request_replayed")
    stale = sign_request(
        "token-renew",
        device.device_id,
        device.private_key,
        sent_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=3),
    )
    assert requests.post(url, json=stale, timeout=5).json()["error"] == "signed_request_stale"
    forged = sign_request("token-renew", device.device_id, Ed25519PrivateKey.generate())
    assert requests.post(url, json=forged, timeout=5).status_code == 401
    tampered = dict(sign_request("token-renew", device.device_id, device.private_key))
    tampered["device_id"] = live_api.enrol_device("other").device_id
    assert requests.post(url, json=tampered, timeout=5).status_code == 401
    assert requests.post(url, json={"format": "x"}, timeout=5).status_code == 422


def test_heartbeat_after_a_sync_round_and_hourly_when_idle_stored_without_applicant_data(
    live_api: LiveApi,
) -> None:
    rt = _runtime(live_api)
    clock = [1000.0]
    try:
        assert rt.fleet is not None and rt.engine is not None and rt.device is not None
        agent = rt.fleet
        agent._mono = lambda: clock[0]
        _seal(rt, 0)
        _seal(rt, 1)
        rt.engine.drain(wait=True, timeout=20)
        rt.hardware.camera = "ok"
        agent.on_sync_event(Idle(0, None))  # what the engine's thread emits after a round
        agent.tick()
        assert agent.heartbeats_sent == 1
        rows = live_api.sql(
            "SELECT report_json, office FROM fleet_device_health WHERE device_id = :d", d=rt.device.device_id
        )
        assert len(rows) == 1
        report = json.loads(rows[0][0])
        assert report["waiting"] == 0 and report["attention"] == 0 and report["camera"] == "ok"
        assert report["last_delivery_at"] is not None and report["app_version"]
        assert report["disk_free_bytes"] > 0 and report["bank_id"] is None  # no bank fetched (no thread)
        assert report["audit_head"] is None or isinstance(report["audit_head"], str)
        text = rows[0][0].upper()
        for index in range(2):
            values = applicant_values(index)
            for step_values in values.values():
                for value in step_values.values():
                    if isinstance(value, str) and len(value) >= 6:
                        assert value.upper() not in text, "applicant data in a heartbeat"
        clock[0] += 30  # idle, not an hour yet: nothing new
        agent.tick()
        assert agent.heartbeats_sent == 1
        clock[0] += 3600  # an hour idle: one more
        agent.tick()
        assert agent.heartbeats_sent == 2
        history = live_api.sql(
            "SELECT COUNT(*) FROM fleet_heartbeats WHERE device_id = :d", d=rt.device.device_id
        )
        assert history[0][0] == 2
    finally:
        rt.close()


def test_heartbeat_refuses_unknown_fields(live_api: LiveApi) -> None:
    device = live_api.enrol_device()
    body = {"app_version": "1", "waiting": 0, "attention": 0, "quarantined": 0, "nik": "3404011501900001"}
    doc = sign_request("heartbeat", device.device_id, device.private_key, body)
    answer = requests.post(f"{live_api.url}/v1/devices/heartbeat", json=doc, timeout=5)
    assert (answer.status_code, answer.json()["error"]) == (422, "heartbeat_invalid")


def test_renewer_keeps_the_token_in_memory_when_the_store_refuses(live_api: LiveApi, tmp_path) -> None:
    """A store that cannot be written (passphrase needed) must not lose the renewed token."""
    rt = _runtime(live_api)
    try:
        assert rt.device is not None and rt.api is not None
        blocked = dataclasses.replace(rt.paths, data_dir=tmp_path / "file-not-dir")
        (tmp_path / "file-not-dir").write_text("x")
        renewer = TokenRenewer(rt.device, rt.api, blocked)
        assert renewer.check(refused=True) == "renewed"
        assert renewer.identity.token != rt.device.token
    finally:
        rt.close()


def test_version_notice_below_minimum_refuses_new_registrations_but_delivers_the_queue(
    live_api_factory,
) -> None:
    from kiosk.version_notice import REGISTRATION_BLOCKED, parse_version

    assert parse_version("0.10.2rc1") > parse_version("0.9") and parse_version("1.0.0") == parse_version("1")
    api = live_api_factory(kiosk_min_version="9.0", kiosk_latest_version="9.1")
    rt = _runtime(api)
    try:
        assert rt.fleet is not None and rt.engine is not None and rt.device is not None
        queued = _seal(rt, 0)  # taken before the policy reached the kiosk
        assert rt.registration_block() is None
        rt.fleet.tick()  # the first heartbeat's reply carries the policy
        notice = rt.fleet.version_notice
        assert notice is not None and notice.below_minimum and notice.outdated
        assert rt.registration_block() == REGISTRATION_BLOCKED
        with pytest.raises(DeviceError):
            _seal(rt, 1)
        report = rt.engine.drain(wait=True, timeout=20)  # the queue is still delivered
        assert report.delivered == 1 and queued in {i.id for i in rt.outbox.items() if i.state == "delivered"}
        rows = {
            r.key: r for r in dashboard_rows(rt.outbox.stats(), online=True, device_id="d", version=notice)
        }
        assert rows["app_version"].warn and "MINIMUM VERSION 9.0" in rows["app_version"].value.en
    finally:
        rt.close()
    fine = live_api_factory(kiosk_latest_version="0.0.1")
    rt = _runtime(fine)
    try:
        assert rt.fleet is not None
        rt.fleet.tick()
        assert rt.fleet.version_notice is not None and not rt.fleet.version_notice.outdated
        assert rt.registration_block() is None
    finally:
        rt.close()
