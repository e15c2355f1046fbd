"""Cek Status at a kiosk that did not register the applicant: found on the server by reference."""

from __future__ import annotations

import uuid

from kiosk import device as device_store
from kiosk import reference
from kiosk.api_client import ApiClient
from kiosk.config import KioskConfig
from kiosk.runtime import KioskRuntime
from tests.support.live_api import LiveApi
from ui.controller import _look_up_status


def test_reference_from_another_kiosk_is_found_on_the_server(live_api: LiveApi) -> None:
    other = live_api.enrol_device("other-office")
    sid, blob = live_api.seal_submission(other)
    assert live_api.put_submission(other, sid, blob).status_code == 201
    live_api.set_submission_status(sid, "accepted")
    with ApiClient(live_api.url) as client:
        device_store.enrol(client, live_api.create_enrolment_code())
    runtime = KioskRuntime.open(KioskConfig(), start_sync=False)
    try:
        found = _look_up_status(runtime, reference.format(uuid.UUID(sid)))
        assert found is not None and not isinstance(found, str)
        assert found.submission_id == sid and found.status == "accepted"
        assert _look_up_status(runtime, reference.format(uuid.uuid4())) is None
    finally:
        runtime.close()
