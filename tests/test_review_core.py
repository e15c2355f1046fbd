"""Regression tests for defects found by the review of the Qt-free core (one test per defect).

Each test failed before its fix: personal data in the OTP outbox, a JSON 200 that is not the API's
receipt counted as delivered, an export file with unusable ids imported, damaged operator/audit files
crashing with undocumented exceptions, and an engine restarted right after a stop staying dead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from central_api.otp import mask_destination
from kiosk.api_client import ApiClient
from kiosk.audit import AuditLog, verify
from kiosk.envelope import b64e
from kiosk.http_transport import HttpTransport
from kiosk.operator_auth import LoginFailed, OfflineLoginUnavailable, OperatorAuth
from offline_queue import exchange
from offline_queue.errors import ExportFileInvalid
from offline_queue.outbox import DELIVERED, Outbox
from offline_queue.sync import SyncEngine
from offline_queue.transport import Delivery, Outcome
from tests.support.export_items import pending_item
from tests.support.live_api import LiveApi
from tests.support.local_http import QuietHandler, serve

# -- 1. personal data: the reference OTP outbox ------------------------------------------------------


@pytest.mark.parametrize("destination", ["081234567", "12345", "+62812345", "0812345678", "628123456789"])
def test_otp_mask_never_shows_a_short_contact_whole(destination: str) -> None:
    masked = mask_destination(destination)
    assert masked.count("*") >= 3, masked
    assert destination not in masked
    assert destination[:-2] not in masked  # never more than the last couple of characters


def test_otp_outbox_file_holds_no_short_number_in_clear(live_api: LiveApi) -> None:
    device = live_api.enrol_device()
    resp = requests.post(
        f"{live_api.url}/v1/otp/request",
        json={"channel": "sms", "destination": "081234567"},
        headers=device.headers,
        timeout=5,
    )
    assert resp.status_code < 500
    assert "1234567" not in resp.text
    outbox_file = Path(live_api.data_dir) / "otp-outbox.jsonl"
    if outbox_file.exists():
        assert "1234567" not in outbox_file.read_text()


# -- 2. sync contract: a 200 JSON that is not the API's receipt ------------------------------------


@pytest.fixture
def json_200_server() -> Iterator[str]:
    """A proxy/portal-like server: every PUT gets ``200 application/json {"status": "ok"}``."""

    class Handler(QuietHandler):
        def do_PUT(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            reply = b'{"status": "ok"}'
            self.reply(200, reply)

    with serve(Handler) as url:
        yield url


def test_json_200_without_a_receipt_is_not_a_delivery(json_200_server: str, tmp_path: Path) -> None:
    transport = HttpTransport(json_200_server, "tok", connect_timeout=2, min_read_timeout=5)
    try:
        delivery = transport.send("6f1c2a8e-0000-4000-8000-000000000001", b"sealed")
        assert delivery.outcome is not Outcome.DELIVERED
        with Outbox(tmp_path / "o.sqlite3") as outbox:
            outbox.enqueue("6f1c2a8e-0000-4000-8000-000000000002", b"sealed-too")
            SyncEngine(outbox, transport).drain()
            info = outbox.get("6f1c2a8e-0000-4000-8000-000000000002")
            assert info is not None and info.state != DELIVERED
            assert outbox.blob(info.id) == b"sealed-too"
    finally:
        transport.close()


def test_the_real_api_receipt_still_counts_as_delivered(live_api: LiveApi) -> None:
    device = live_api.enrol_device()
    sid, blob = live_api.seal_submission(device)
    transport = HttpTransport(live_api.url, device.token)
    try:
        assert transport.send(sid, blob).outcome is Outcome.DELIVERED
        assert transport.send(sid, blob).outcome is Outcome.DELIVERED  # identical resend: 200
    finally:
        transport.close()


# -- 2. export/import: ids the outbox itself would refuse ------------------------------------------


@pytest.mark.parametrize("bad_id", ["", "a/b", "line\nbreak", "x" * 201])
def test_import_refuses_ids_that_enqueue_would_refuse(tmp_path: Path, bad_id: str) -> None:
    path = tmp_path / "export.oqx"
    entries = [("good-1", b"one"), (bad_id, b"two")]
    exchange.write_export(path, [(pending_item(i, b, at=1_700_000_000.0), b) for i, b in entries])
    with Outbox(tmp_path / "o.sqlite3") as outbox:
        with pytest.raises(ExportFileInvalid):
            outbox.import_from(path)
        assert outbox.items() == []  # all or nothing


# -- 4. bad data from disk: operator store and audit log -------------------------------------------


def _now() -> dt.datetime:
    return dt.datetime(2026, 11, 23, 2, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "entry",
    [
        {"verifier": "00"},  # fields missing
        {
            "verifier": "00",
            "online_at": "not a date",
            "salt": "AAAA",
            "n": 1024,
            "r": 8,
            "p": 1,
            "length": 32,
        },
        {
            "verifier": "00",
            "online_at": "2026-11-22T00:00:00",
            "salt": "AAAA",
            "n": 1024,
            "r": 8,
            "p": 1,
            "length": 32,
        },
        {
            "verifier": "00",
            "online_at": "2026-11-22T00:00:00+00:00",
            "salt": "AAAA",
            "n": 1000,
            "r": 8,
            "p": 1,
            "length": 32,
        },
        {
            "verifier": "00",
            "online_at": "2026-11-22T00:00:00+00:00",
            "salt": 5,
            "n": "x",
            "r": 8,
            "p": 1,
            "length": 32,
        },
        {"locked_until": "2026-11-22T00:00:00", "verifier": "00"},
        {
            "verifier": "é",
            "online_at": "2026-11-22T00:00:00+00:00",
            "salt": "AAAA",
            "n": 1024,
            "r": 8,
            "p": 1,
            "length": 32,
        },
    ],
)
def test_offline_login_with_a_damaged_store_is_a_documented_refusal(tmp_path: Path, entry: dict) -> None:
    store = tmp_path / "operators.json"
    store.write_text(json.dumps({"version": 1, "operators": {"siti": entry}}))
    auth = OperatorAuth(store, api=None, clock=_now)
    with pytest.raises((OfflineLoginUnavailable, LoginFailed)):
        auth.login("siti", "482915")


def test_a_damaged_failure_counter_refuses_offline_login_in_words(tmp_path: Path) -> None:
    """A hand-edited store (here a failure counter that is not a number) used to be repaired and used;
    since the store is authenticated with the sealed device key (issue 18 item 8), any edit refuses
    every offline login with a message in both languages — and still never crashes."""
    salt = b"0123456789abcdef"
    verifier = hashlib.scrypt(b"482915", salt=salt, n=1024, r=8, p=1, dklen=32).hex()
    entry = {
        "verifier": verifier,
        "online_at": "2026-11-22T00:00:00+00:00",
        "salt": b64e(salt),
        "n": 1024,
        "r": 8,
        "p": 1,
        "length": 32,
        "failures": "many",
        "role": "operator",
    }
    store = tmp_path / "operators.json"
    store.write_text(json.dumps({"version": 1, "operators": {"siti": entry}}))
    auth = OperatorAuth(store, api=None, clock=_now, store_key=b"k" * 32)
    for pin in ("000000", "482915"):
        with pytest.raises(OfflineLoginUnavailable) as info:
            auth.login("siti", pin)
        assert "diubah" in info.value.message.id and "changed" in info.value.message.en


@pytest.fixture
def login_server() -> Iterator[str]:
    """Answers operator login like the API, but with offline parameters this kiosk cannot use."""

    class Handler(QuietHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            reply = json.dumps(
                {
                    "session_token": "s",
                    "expires_at": "2026-11-23T09:00:00+00:00",
                    "operator": {"username": "siti", "display_name": "Siti", "role": "operator"},
                    "offline_verifier": {
                        "algorithm": "scrypt",
                        "salt": "AAAA",
                        "n": 1000,
                        "r": 8,
                        "p": 1,
                        "length": 32,
                    },
                }
            ).encode()
            self.reply(200, reply)

    with serve(Handler) as url:
        yield url


def test_online_login_with_unusable_offline_parameters_still_logs_in(
    login_server: str, tmp_path: Path
) -> None:
    store = tmp_path / "operators.json"
    with ApiClient(login_server, token="t", timeout=5) as api:
        login = OperatorAuth(store, api=api, clock=_now).login("siti", "482915")
    assert login.online and login.username == "siti"
    with pytest.raises(OfflineLoginUnavailable):  # nothing usable was cached for offline use
        OperatorAuth(store, api=None, clock=_now).login("siti", "482915")


def test_audit_verify_reports_an_absurdly_nested_line(tmp_path: Path) -> None:
    path = tmp_path / "audit.log"
    log = AuditLog(path)
    log.append("op-1", "queue.export")
    with path.open("a") as fh:
        fh.write("[" * 100_000 + "\n")
    report = verify(path)
    assert not report.ok and any(p.kind == "garbled" for p in report.problems)


# -- 5. engine stop/start race --------------------------------------------------------------------


class _GatedTransport:
    """Stores blobs like the server; the first send waits until the test opens the gate."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.first = True
        self.sent: list[str] = []

    def send(self, item_id: str, blob: bytes) -> Delivery:
        if self.first:
            self.first = False
            self.gate.wait(10)
        self.sent.append(item_id)
        return Delivery(Outcome.DELIVERED, receipt={"submission_id": item_id})


def test_start_right_after_a_stop_that_timed_out_keeps_the_engine_running(tmp_path: Path) -> None:
    transport = _GatedTransport()
    with Outbox(tmp_path / "o.sqlite3") as outbox:
        engine = SyncEngine(outbox, transport)
        engine.start()
        outbox.enqueue("first", b"1")
        deadline = time.monotonic() + 5
        while outbox.get("first").state != "sending" and time.monotonic() < deadline:  # type: ignore[union-attr]
            time.sleep(0.01)
        assert engine.stop(timeout=0.1) is False  # an upload is still on the wire
        engine.start()  # the operator (or a settings change) starts it again at once
        transport.gate.set()
        outbox.enqueue("second", b"2")
        deadline = time.monotonic() + 5
        while outbox.get("second").state != DELIVERED and time.monotonic() < deadline:  # type: ignore[union-attr]
            time.sleep(0.02)
        try:
            assert outbox.get("second").state == DELIVERED  # type: ignore[union-attr]
            assert outbox.get("first").state == DELIVERED  # type: ignore[union-attr]
        finally:
            assert engine.stop(timeout=2.0)


# -- 1. names have no shape: the flow must register them for the log filter -------------------------


def test_names_typed_into_the_flow_never_reach_the_log(tmp_path: Path) -> None:
    import logging

    from kiosk.flow import Flow, Step
    from kiosk.logging_setup import pii_registry, setup_logging, shutdown_logging

    pii_registry.clear()
    flow = Flow(clock=lambda: dt.datetime(2026, 11, 23, 3, 0, tzinfo=dt.UTC))
    flow.submit(
        Step.PERSONAL,
        {"full_name": "Siti Nurhaliza Binti Ahmad", "gender": "P", "mother_maiden_name": "Aminah Sulastri"},
    )
    flow.submit(Step.IDENTITY, {"birth_place": "Tulungagung"})
    flow.submit(Step.ADDRESS, {"street": "Jalan Kenanga Gang Melati"})
    path = setup_logging(tmp_path / "log")
    try:
        logging.getLogger("kiosk.review").warning(
            "a careless line: %s, mother %s, born in %s, lives at %s",
            "SITI NURHALIZA BINTI AHMAD",
            "Aminah  Sulastri",
            "tulungagung",
            "Jalan Kenanga Gang Melati",
        )
    finally:
        shutdown_logging()
    text = path.read_text().lower()
    for value in ("nurhaliza", "sulastri", "tulungagung", "kenanga"):
        assert value not in text
    flow.wipe()
    assert len(pii_registry) == 0  # the next applicant's log is not masked with this one's values


# -- 4. bad data from the network: a Retry-After of digits Python reads but cannot convert -----------


@pytest.mark.parametrize("value", ["²", "١٢", "5²", "９"])
def test_retry_after_with_non_ascii_digits_is_unreadable_not_a_crash(value: str) -> None:
    from kiosk.api_client import parse_retry_after as client_parse
    from offline_queue.transport import classify_http, parse_retry_after

    assert parse_retry_after(value) is None
    assert client_parse(value) is None
    delivery = classify_http(429, {"Retry-After": value}, None)
    assert delivery.outcome is Outcome.RETRY and delivery.retry_after is None


# -- 2. a lease whose sender hung or died must not wait for the next restart ------------------------


def test_an_expired_lease_of_another_sender_is_reclaimed_while_the_engine_runs(tmp_path: Path) -> None:
    from tests.support.scripted_transport import ScriptedTransport

    now = [1_700_000_000.0]
    path = tmp_path / "o.sqlite3"
    with Outbox(path, clock=lambda: now[0]) as kiosk_outbox:  # the kiosk, open for weeks
        kiosk_outbox.enqueue("x", b"sealed")
        with Outbox(path, clock=lambda: now[0]) as cli_outbox:  # `prakerja-kiosk sync` from a task
            assert cli_outbox.lease_next(60) is not None  # ...which then hangs and is killed
        now[0] += 61
        transport = ScriptedTransport(clock=lambda: now[0])
        SyncEngine(kiosk_outbox, transport, clock=lambda: now[0]).drain()
        assert kiosk_outbox.get("x").state == DELIVERED  # type: ignore[union-attr]


# -- 1. the reference server's database holds decrypted registrations -------------------------------


def test_server_database_is_private_even_in_a_shared_data_dir(tmp_path: Path) -> None:
    import os

    from central_api.runtime import build_runtime
    from central_api.settings import Settings

    data_dir = tmp_path / "srv"
    data_dir.mkdir(mode=0o755)
    os.chmod(data_dir, 0o755)  # an office made the folder by hand, readable by every local account
    rt = build_runtime(Settings(data_dir=data_dir))
    try:
        with rt.session() as s:  # a write, so the WAL file exists too
            s.execute(__import__("sqlalchemy").text("CREATE TABLE IF NOT EXISTS probe (x INTEGER)"))
        for name in ("central.sqlite3", "central.sqlite3-wal"):
            mode = (data_dir / name).stat().st_mode & 0o777
            assert mode & 0o077 == 0, (name, oct(mode))
    finally:
        rt.engine.dispose()


# -- 2. a damaged row is quarantined with a reason, never a crash of the engine ---------------------


def test_a_blob_stored_as_text_is_quarantined_not_a_crash(tmp_path: Path) -> None:
    import sqlite3

    from offline_queue.outbox import QUARANTINED
    from tests.support.scripted_transport import ScriptedTransport

    path = tmp_path / "o.sqlite3"
    with Outbox(path) as outbox:
        outbox.enqueue("damaged", b"sealed")
        outbox.enqueue("fine", b"sealed-2")
    conn = sqlite3.connect(path)
    conn.execute(
        "UPDATE blobs SET data = 'not bytes' WHERE seq = (SELECT seq FROM items WHERE id = 'damaged')"
    )
    conn.commit()
    conn.close()
    with Outbox(path) as outbox:
        assert outbox.export_to(tmp_path / "usb.oqx") == 1  # the damaged one is quarantined, not exported
    with Outbox(path) as outbox:
        outbox.retry("damaged")  # an operator tries it again: still damaged, still no crash
        report = SyncEngine(outbox, ScriptedTransport()).drain()
        damaged = outbox.get("damaged")
        assert damaged is not None and damaged.state == QUARANTINED and damaged.reason
        assert outbox.get("fine").state == DELIVERED and report.delivered == 1  # type: ignore[union-attr]


# -- 2. a relayed envelope the server refuses must not stop the relaying kiosk's own queue ----------


def test_relayed_envelope_of_a_revoked_device_needs_attention_and_the_rest_goes(
    live_api: LiveApi, tmp_path: Path
) -> None:
    from offline_queue.outbox import ATTENTION

    stolen = live_api.enrol_device("stolen-laptop")
    office = live_api.enrol_device("office-kiosk")
    relayed_id, relayed_blob = live_api.seal_submission(stolen)  # carried on a USB stick
    own_id, own_blob = live_api.seal_submission(office)
    live_api.revoke_device(stolen.device_id)
    transport = HttpTransport(live_api.url, office.token)
    try:
        with Outbox(tmp_path / "office.sqlite3") as outbox:
            outbox.enqueue(relayed_id, relayed_blob)
            outbox.enqueue(own_id, own_blob)
            report = SyncEngine(outbox, transport).drain()
            assert not report.auth_required  # the office kiosk's own credentials are fine
            assert outbox.get(own_id).state == DELIVERED  # type: ignore[union-attr]
            relayed = outbox.get(relayed_id)
            assert relayed is not None and relayed.state == ATTENTION and relayed.reason
    finally:
        transport.close()
