"""The one path end to end: a filled flow is sealed, queued durably and delivered to the real API."""

from __future__ import annotations

import time

from kiosk import device as device_store
from kiosk import reference
from kiosk.api_client import ApiClient
from kiosk.config import KioskConfig
from kiosk.flow import Flow, Step
from kiosk.runtime import KioskRuntime
from kiosk.submission import prepare
from offline_queue.events import ItemDelivered
from tests.support.applicants import fill_flow
from tests.support.live_api import LiveApi


def _wait_for(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("condition not reached in time")


def test_filled_flow_is_sealed_queued_and_delivered_once(live_api: LiveApi) -> None:
    with ApiClient(live_api.url) as client:
        device_store.enrol(client, live_api.create_enrolment_code())
    runtime = KioskRuntime.open(KioskConfig())
    delivered: list[str] = []
    runtime.add_sync_listener(lambda e: delivered.append(e.item_id) if isinstance(e, ItemDelivered) else None)
    try:
        flow = Flow(online=False)
        fill_flow(flow)
        assert flow.step == Step.REVIEW and not flow.missing()
        sealed = runtime.seal_and_enqueue(flow)
        assert reference.parse(sealed.reference).key == reference.key_for(
            __import__("uuid").UUID(sealed.submission_id)
        )
        _wait_for(lambda: sealed.submission_id in delivered)
        assert runtime.api is not None
        status = runtime.api.submission_status(sealed.submission_id)
        assert status.submission_id == sealed.submission_id
        stats = runtime.queue_stats()
        assert stats.waiting == 0
        # what the outbox kept is a tombstone, not the envelope
        assert runtime.outbox.blob(sealed.submission_id) is None
    finally:
        runtime.close()


def test_sealed_envelope_on_disk_holds_no_plaintext(live_api: LiveApi) -> None:
    with ApiClient(live_api.url) as client:
        identity = device_store.enrol(client, live_api.create_enrolment_code())
    runtime = KioskRuntime.open(KioskConfig(), start_sync=False)
    try:
        flow = Flow(online=False)
        fill_flow(flow, index=3)
        prepared = prepare(flow, identity.device_id)
        assert b"BUDI UJICOBA DXX" in prepared.payload_json
        sealed = runtime.seal_and_enqueue(flow)
        blob = runtime.outbox.blob(sealed.submission_id)
        assert blob is not None
        for needle in (b"BUDI UJICOBA", b"3273010", b"IBUUJI DXX", b"pelamar.uji3"):
            assert needle not in blob
        raw = runtime.paths.outbox_file.read_bytes()
        assert b"BUDI UJICOBA" not in raw
    finally:
        runtime.close()
