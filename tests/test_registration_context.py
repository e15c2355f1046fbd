"""Who assisted, the wave, the same NIK twice and the office's time zone (issue 19), end to end.

Against the live reference API: the payload the server stores names the assisting operator and the
kiosk's office and the wave open at sealing (none when no wave is open); each sealed registration
writes an audit entry with the reference and operator and no personal data; a NIK sealed before on
this kiosk is warned about with the office's time ("… pada 30-11-2026 15:05 WITA"), recorded only as a
keyed hash in the outbox, and a confirmed warning becomes the payload flag ``nik_already_registered``.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

from kiosk.config import KioskConfig, KioskSettings
from kiosk.flow import FieldWarning, Flow, Step
from kiosk.office_time import format_local, office_zone
from kiosk.registration_context import DUPLICATE_FLAG, NIK_KEY_META, NikRegistry
from kiosk.runtime import KioskRuntime
from tests.support.applicants import applicant_values, fill_flow
from tests.support.live_api import LiveApi


def _runtime(api: LiveApi, zone: str = "WITA") -> KioskRuntime:
    identity = api.enrol_device("Disnaker Kota Makassar").identity(api.url)
    config = KioskConfig(kiosk=KioskSettings(office="Disnaker Kota Makassar", time_zone=zone))  # type: ignore[arg-type]
    return KioskRuntime.open(config, device=identity, start_sync=False)


def _stored_payload(api: LiveApi, submission_id: str) -> dict[str, object]:
    rows = api.sql("SELECT payload_json FROM submissions WHERE id = :i", i=submission_id)
    return dict(json.loads(rows[0][0]))


def test_payload_names_operator_office_and_open_wave_and_the_audit_log_the_reference(
    live_api: LiveApi,
) -> None:
    now = dt.datetime.now(dt.UTC)
    live_api.admin(
        "POST",
        "/v1/admin/waves",
        json={
            "number": 71,
            "name": "Gelombang 71",
            "opens_at": (now - dt.timedelta(days=1)).isoformat(),
            "closes_at": (now + dt.timedelta(days=6)).isoformat(),
        },
    ).raise_for_status()
    rt = _runtime(live_api)
    try:
        assert rt.waves is not None and rt.engine is not None
        rt.waves.refresh()
        rt.desk_operator = "budi"
        flow = Flow(online=False)
        fill_flow(flow, index=0)
        sealed = rt.seal_and_enqueue(flow)
        assert sealed.wave == "71 — Gelombang 71" and not sealed.joins_next_wave
        assert rt.engine.drain(wait=True, timeout=20).delivered == 1
        payload = _stored_payload(live_api, sealed.submission_id)
        assert payload["assisted"] == {"operator": "budi", "office": "Disnaker Kota Makassar"}
        assert payload["wave"] == {
            "wave_id": payload["wave"]["wave_id"],
            "number": 71,
            "name": "Gelombang 71",
        }  # type: ignore[index]
        entries = [json.loads(line) for line in rt.paths.audit_file.read_text().splitlines()]
        sealed_entries = [e for e in entries if e["action"] == "registration.sealed"]
        assert len(sealed_entries) == 1 and sealed_entries[0]["operator"] == "budi"
        assert sealed.reference.startswith(sealed_entries[0]["reference"])
        text = rt.paths.audit_file.read_text().upper()
        nik = applicant_values(0)[Step.IDENTITY]["nik"]
        assert nik not in text and "BUDI UJICOBA" not in text
        # without an operator at the desk and with no wave open: nobody named, the next wave
        rt.desk_operator = None
        rt.waves.wave = None
        flow = Flow(online=False)
        fill_flow(flow, index=1)
        second = rt.seal_and_enqueue(flow)
        assert second.wave is None and second.joins_next_wave  # the receipt says: the next wave
        rt.engine.drain(wait=True, timeout=20)
        payload = _stored_payload(live_api, second.submission_id)
        assert payload["assisted"] == {"operator": None, "office": "Disnaker Kota Makassar"}
        assert payload["wave"] is None
    finally:
        rt.close()


def test_same_nik_twice_is_warned_with_the_office_time_and_kept_only_as_a_keyed_hash(
    live_api: LiveApi,
) -> None:
    rt = _runtime(live_api, zone="WITA")
    try:
        assert rt.nik_registry is not None
        first = Flow(online=False)
        fill_flow(first, index=3)
        sealed = rt.seal_and_enqueue(first)
        nik = applicant_values(3)[Step.IDENTITY]["nik"]
        meta = next(i.meta for i in rt.outbox.items() if i.id == sealed.submission_id)
        assert len(str(meta[NIK_KEY_META])) == 32 and nik not in json.dumps(meta)
        again = Flow(online=False, duplicate_lookup=rt.nik_registry.previous)
        values = applicant_values(3)
        assert again.next() == []
        while again.step != Step.IDENTITY:
            if again.step in values:
                assert again.submit(again.step, dict(values[again.step])) == []
            assert again.next() == []
        problems = again.submit(Step.IDENTITY, dict(values[Step.IDENTITY]))
        warnings = [p for p in problems if isinstance(p, FieldWarning) and p.flag == DUPLICATE_FLAG]
        assert len(warnings) == 1
        expected = format_local(sealed.created_at, "WITA")
        assert f"sudah didaftarkan di kiosk ini pada {expected}" in warnings[0].message.id
        assert expected.endswith("WITA") and "already registered on this kiosk" in warnings[0].message.en
        again.confirm(DUPLICATE_FLAG)
        assert again.next() == []
        fill_flow(again, index=3)
        assert DUPLICATE_FLAG in again.build_payload(uuid.uuid4(), "d").flags
        other = Flow(online=False, duplicate_lookup=rt.nik_registry.previous)
        fill_flow(other, index=4)  # another NIK: no warning
        assert DUPLICATE_FLAG not in other.build_payload(uuid.uuid4(), "d").flags
        reopened = NikRegistry(rt.require_device(), rt.outbox, "WIT")  # after a restart, from the outbox
        when = reopened.previous(nik)
        assert when is not None and when.tzname() == "WIT"
    finally:
        rt.close()


def test_office_zones() -> None:
    moment = dt.datetime(2026, 11, 30, 8, 5, tzinfo=dt.UTC)
    assert format_local(moment, "WIB") == "30-11-2026 15:05 WIB"
    assert format_local(moment, "WITA") == "30-11-2026 16:05 WITA"
    assert format_local(moment, "WIT") == "30-11-2026 17:05 WIT"
    assert office_zone("unknown").tzname(None) == "WIB"


def test_console_times_use_the_office_zone_with_date_and_time() -> None:
    import dataclasses

    from kiosk.console_model import clock_in_words, dashboard_rows
    from offline_queue.outbox import OutboxStats

    now = 1_800_000_000.0  # 15-01-2027 08:00 UTC
    assert clock_in_words(now, now, "WITA").id == "15-01-2027 16:00 WITA"
    fields = {f.name: None for f in dataclasses.fields(OutboxStats)}
    fields.update(counts={}, waiting=1, delivered_today=0, bytes_waiting=10, last_success_at=now - 3600)
    fields.update(next_attempt_at=now + 600)
    stats = OutboxStats(**fields)
    rows = {r.key: r for r in dashboard_rows(stats, online=True, device_id="d", now=now, zone="WIT")}
    assert rows["last_sync"].value.id.endswith("(15-01-2027 16:00 WIT)")
    assert rows["next_attempt"].value.en.endswith("(15-01-2027 17:10 WIT)")


def test_receipt_carries_the_wave_note() -> None:
    from ui.receipt import ReceiptData, receipt_lines

    data = ReceiptData(
        "PK-AAAA-BBBB-CCCC-D", "SI** AM****", "****0001", "30-11-2026 16:05 WITA", False, "Gelombang: 71"
    )
    texts = [text for _style, text in receipt_lines(data)]
    assert "Gelombang: 71" in texts and "Waktu: 30-11-2026 16:05 WITA" in texts
    plain = ReceiptData("PK-AAAA-BBBB-CCCC-D", "SI** AM****", "****0001", "x", False)
    assert not any("Gelombang" in t for _s, t in receipt_lines(plain))
