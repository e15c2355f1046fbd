"""Revoked devices (issue 22, finding 5): retired vs compromised on the API; the kiosk shows, keeps and
recovers from a refusal of its credentials.

Before: every envelope of a revoked device was refused, so after re-enrolment the queue went to
"attention" forever; on the kiosk nothing recorded ``AuthRequired``: the dashboard said online, with no
error and "next attempt: now".
"""

from __future__ import annotations

from typing import Any

from kiosk import device as device_store
from kiosk.api_client import ApiClient
from kiosk.config import KioskConfig
from kiosk.console_model import dashboard_rows
from kiosk.runtime import KioskRuntime
from offline_queue.outbox import ATTENTION, DELIVERED
from tests.support.live_api import EnrolledDevice, LiveApi


def _as_device(identity: Any) -> EnrolledDevice:
    return EnrolledDevice(
        identity.device_id,
        identity.token,
        identity.signing_key,
        identity.server_envelope_key,
        identity.server_signing_key,
        {},
    )


def _enrol(live_api: LiveApi) -> None:
    with ApiClient(live_api.url) as client:
        device_store.enrol(client, live_api.create_enrolment_code())


def _reviews(live_api: LiveApi) -> int:
    return int(live_api.sql("SELECT COUNT(*) FROM submission_reviews")[0][0])


# -- the reference API --------------------------------------------------------------------------


def test_retired_device_envelopes_sealed_before_are_accepted_and_flagged(live_api: LiveApi) -> None:
    old = live_api.enrol_device("old-install")
    new = live_api.enrol_device("re-enrolled")
    sid, blob = live_api.seal_submission(old)
    live_api.revoke_device(old.device_id, kind="retired")
    assert live_api.put_submission(old, sid, blob).status_code == 403  # its own token is refused
    resp = live_api.put_submission(new, sid, blob)  # relayed by the re-enrolled kiosk
    assert resp.status_code == 201, resp.text
    assert _reviews(live_api) == 1
    again = live_api.put_submission(new, sid, blob)
    assert again.status_code == 200 and _reviews(live_api) == 1


def test_retired_device_envelopes_sealed_after_are_refused(live_api: LiveApi) -> None:
    import datetime as dt

    old = live_api.enrol_device("old-install")
    new = live_api.enrol_device("re-enrolled")
    live_api.revoke_device(old.device_id, kind="retired")
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)
    sid, blob = live_api.seal_submission(old, created_at=later)
    resp = live_api.put_submission(new, sid, blob)
    assert resp.status_code == 403 and resp.json()["error"] == "envelope_device_mismatch"
    assert "sealed after its device was retired" in resp.json()["message"]["en"]


def test_compromised_device_envelopes_are_refused_with_words_that_help(live_api: LiveApi) -> None:
    stolen = live_api.enrol_device("stolen")
    office = live_api.enrol_device("office")
    sid, blob = live_api.seal_submission(stolen)
    live_api.revoke_device(stolen.device_id, kind="compromised")
    resp = live_api.put_submission(office, sid, blob)
    assert resp.status_code == 403 and resp.json()["error"] == "envelope_device_mismatch"
    message = resp.json()["message"]
    assert "compromised" in message["en"] and "tidak aman" in message["id"]
    assert "enrol the device again" not in message["en"]
    assert _reviews(live_api) == 0


# -- the kiosk -----------------------------------------------------------------------------------


def test_kiosk_shows_and_keeps_the_refusal_then_resumes_after_re_enrolment(live_api: LiveApi) -> None:
    _enrol(live_api)
    runtime = KioskRuntime.open(KioskConfig(), start_sync=False)
    try:
        old = _as_device(runtime.require_device())
        ids = []
        for _ in range(4):
            sid, blob = live_api.seal_submission(old)
            runtime.outbox.enqueue(sid, blob)
            ids.append(sid)
        live_api.revoke_device(old.device_id, kind="retired")
        assert runtime.engine is not None
        report = runtime.engine.drain()
        assert report.auth_required and report.delivered == 0
        stats = runtime.queue_stats()
        assert stats.auth_error is not None and "[device_revoked]" in stats.auth_error
        assert stats.last_error == stats.auth_error
        rows = {r.key: r for r in dashboard_rows(stats, online=runtime.online, device_id=old.device_id)}
        assert rows["connection"].warn
        assert "uploads stopped" in rows["connection"].value.en
        assert "pengiriman dihentikan" in rows["connection"].value.id
        assert "enrolled again" in rows["next_attempt"].value.en
        runtime.sync_now(staff=True)  # "Kirim sekarang": one more try with the current credentials
        assert not runtime.engine.auth_required
        again = runtime.engine.drain()
        assert again.auth_required and runtime.queue_stats().auth_error == stats.auth_error
    finally:
        runtime.close()

    restarted = KioskRuntime.open(KioskConfig(), start_sync=False)  # a restart still says why
    try:
        assert restarted.queue_stats().auth_error is not None
    finally:
        restarted.close()

    _enrol(live_api)  # Dinas IT enrols the kiosk again: a new device id and key
    renewed = KioskRuntime.open(KioskConfig(), start_sync=False)
    try:
        assert renewed.require_device().device_id != old.device_id
        assert renewed.queue_stats().auth_error is None
        assert renewed.engine is not None
        report = renewed.engine.drain()
        assert report.delivered == 4 and not report.auth_required
        assert {renewed.outbox.get(i).state for i in ids} == {DELIVERED}  # type: ignore[union-attr]
        assert _reviews(live_api) == 4
    finally:
        renewed.close()


def test_items_refused_for_their_signer_are_retried_after_re_enrolment(live_api: LiveApi) -> None:
    _enrol(live_api)
    field = live_api.enrol_device("field-laptop")
    runtime = KioskRuntime.open(KioskConfig(), start_sync=False)
    try:
        relayed = []
        for _ in range(3):  # carried on a USB stick from a field laptop later revoked
            sid, blob = live_api.seal_submission(field)
            runtime.outbox.enqueue(sid, blob)
            relayed.append(sid)
        live_api.revoke_device(field.device_id, kind="compromised")
        assert runtime.engine is not None
        runtime.engine.drain()
        stuck = [runtime.outbox.get(i) for i in relayed]
        assert {s.state for s in stuck if s} == {ATTENTION}
        assert all(s and "compromised" in (s.reason or "") for s in stuck)
        live_api.revoke_device(field.device_id, kind="retired")  # Dinas IT: it was only replaced
    finally:
        runtime.close()
    _enrol(live_api)
    renewed = KioskRuntime.open(KioskConfig(), start_sync=False)
    try:
        assert renewed.engine is not None
        assert renewed.engine.drain().delivered == 3
    finally:
        renewed.close()
