"""Relaying another kiosk's envelopes (USB field work) and "Cek Status" by reference number."""

from __future__ import annotations

import uuid

import pytest

from kiosk import reference
from kiosk.api_client import ApiClient, ApiNotFound, ApiRefused
from tests.support.live_api import LiveApi


def test_envelope_signed_by_one_kiosk_is_accepted_from_another_once(live_api: LiveApi) -> None:
    field_laptop = live_api.enrol_device("field-laptop")
    office_kiosk = live_api.enrol_device("office-kiosk")
    sid, blob = live_api.seal_submission(field_laptop)
    first = live_api.put_submission(office_kiosk, sid, blob)
    assert first.status_code == 201, first.text
    # the laptop later gets signal and resends the same envelope: already delivered
    again = live_api.put_submission(field_laptop, sid, blob)
    assert again.status_code == 200 and again.json()["duplicate"] is True


def test_relayed_envelope_of_a_revoked_device_is_refused(live_api: LiveApi) -> None:
    stolen = live_api.enrol_device("stolen")
    office = live_api.enrol_device("office")
    sid, blob = live_api.seal_submission(stolen)
    live_api.revoke_device(stolen.device_id)
    response = live_api.put_submission(office, sid, blob)
    assert response.status_code == 403


def test_status_by_reference_from_any_enrolled_device(live_api: LiveApi) -> None:
    kiosk_a = live_api.enrol_device("a")
    kiosk_b = live_api.enrol_device("b")
    sid, blob = live_api.seal_submission(kiosk_a)
    assert live_api.put_submission(kiosk_a, sid, blob).status_code == 201
    live_api.set_submission_status(sid, "passed")
    ref = reference.format(uuid.UUID(sid))
    with ApiClient(live_api.url, token=kiosk_b.token) as client:
        status = client.submission_status_by_reference(ref.lower().replace("-", " "))
        assert status.submission_id == sid and status.status == "passed"
        assert client.submission_status(sid).status == "passed"
        with pytest.raises(ApiNotFound):
            client.submission_status_by_reference(reference.format(uuid.uuid4()))
        with pytest.raises(ApiRefused) as info:
            client.submission_status_by_reference("PK-0000-0000-0000-Z")
        assert info.value.status == 422
