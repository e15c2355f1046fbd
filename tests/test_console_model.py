"""The console's Qt-free core: dashboard words, reasons, retention, settings, status look-up, wipe."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import numpy as np
import pytest
import qrcode

from kiosk import device as device_store
from kiosk import reference
from kiosk.api_client import ApiClient
from kiosk.config import ConfigError, KioskConfig, load_config, update_config_file
from kiosk.console_model import (
    DASHBOARD_KEYS,
    WipeError,
    age_in_words,
    attention_rows,
    bytes_in_words,
    dashboard_rows,
    export_file_name,
    operators_file,
    purge_delivered,
    reason_in_words,
    unsent_count,
    usb_export_dir,
    wipe_device,
)
from kiosk.operator_auth import OperatorAuth
from kiosk.paths import kiosk_paths
from kiosk.reference import ReferenceNumberError
from kiosk.runtime import KioskRuntime
from kiosk.status_lookup import look_up, reference_from_qr
from offline_queue.outbox import Outbox
from tests.support.live_api import LiveApi


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def _ref(item_id: str) -> str:
    return reference.format(uuid.UUID(item_id))


def _enqueue(outbox: Outbox, n: int = 1, size: int = 100) -> list[str]:
    ids = []
    for _ in range(n):
        sid = str(uuid.uuid4())
        outbox.enqueue(sid, b"x" * size, {"reference": _ref(sid)})
        ids.append(sid)
    return ids


def test_words_for_ages_and_sizes() -> None:
    assert age_in_words(None).id == "—"
    assert age_in_words(30).en == "less than a minute"
    assert (age_in_words(120).id, age_in_words(120).en) == ("2 menit", "2 minutes")
    assert age_in_words(3600).en == "1 hour"
    assert age_in_words(3 * 86400 + 5).id == "3 hari"
    assert bytes_in_words(512).en == "512 B"
    mb = bytes_in_words(int(1.25 * 1024 * 1024))
    assert (mb.id, mb.en) == ("1,2 MB", "1.2 MB") or (mb.id, mb.en) == ("1,3 MB", "1.3 MB")


def test_server_reason_is_split_into_both_languages_and_personal_data_is_masked() -> None:
    m = reason_in_words("Foto buram / Photo blurred [photo_invalid]")
    assert (m.id, m.en) == ("Foto buram [photo_invalid]", "Photo blurred [photo_invalid]")
    leaked = reason_in_words("NIK 3273010108900001 sudah terdaftar / NIK 3273010108900001 already registered")
    assert "3273010108900001" not in leaked.id + leaked.en
    known = reason_in_words(
        "The stored payload does not match its checksum (sha256); it was damaged.", code="blob_damaged"
    )
    assert "checksum" in known.en and "rusak" in known.id
    assert "budi@contoh.id" not in reason_in_words("mail budi@contoh.id").en


def test_dashboard_rows_match_the_outbox(tmp_path: Path) -> None:
    clock = Clock()
    outbox = Outbox(tmp_path / "o.sqlite3", clock=clock)
    try:
        waiting = _enqueue(outbox, 3, size=1000)
        leased = outbox.lease_next(60)
        assert leased is not None
        outbox.mark_attention(leased.id, "Ditolak / Refused [x]")
        delivered = _enqueue(outbox, 1)[0]
        outbox.lease_next(60)  # oldest waiting is waiting[1]
        outbox.mark_delivered(waiting[1], {"ok": True})
        clock.now += 600
        stats = outbox.stats()
        rows = {r.key: r for r in dashboard_rows(stats, online=False, device_id="dev-1", now=clock.now)}
        assert list(rows) == list(DASHBOARD_KEYS)
        assert rows["waiting"].value.id == str(stats.waiting) == "2"
        assert rows["attention"].value.id == "1" and rows["attention"].warn
        assert rows["delivered_today"].value.id == "1"
        assert rows["oldest_waiting"].value.en == "10 minutes"
        assert rows["connection"].value.id.startswith("○") and rows["connection"].warn
        assert rows["device"].value.id == "dev-1"
        assert rows["last_sync"].value.en.startswith("10 minutes ago")
        assert unsent_count(stats) == 3
        attention = attention_rows(outbox, now=clock.now)
        assert [(a.reference, a.reason.en) for a in attention] == [(_ref(leased.id), "Refused [x]")]
        assert delivered in {i.id for i in outbox.items()}
    finally:
        outbox.close()


def test_retention_purges_only_old_tombstones(tmp_path: Path) -> None:
    clock = Clock()
    outbox = Outbox(tmp_path / "o.sqlite3", clock=clock)
    try:
        old, new, waiting = _enqueue(outbox, 3)
        outbox.mark_delivered(old)
        clock.now += 20 * 86400
        outbox.mark_delivered(new)
        clock.now += 15 * 86400
        assert purge_delivered(outbox, 30) == 1
        assert {i.id for i in outbox.items()} == {new, waiting}
    finally:
        outbox.close()


def test_usb_dir_and_export_name(tmp_path: Path) -> None:
    assert usb_export_dir([tmp_path / "missing"]) is None
    stick = tmp_path / "media" / "budi" / "USB16"
    stick.mkdir(parents=True)
    assert usb_export_dir([tmp_path / "nothing", tmp_path / "media"]) == stick
    name = export_file_name("dev/1 x", now=0)
    assert name.startswith("prakerja-dev1x-19700101-") and name.endswith(".oqx")


def test_settings_are_validated_by_the_config_module_and_written_whole(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    config = update_config_file(path, {"api.url": "https://api.contoh.go.id/", "kiosk.idle_timeout_s": 120})
    assert config.api.url == "https://api.contoh.go.id"
    assert load_config(path, env={}).kiosk.idle_timeout_s == 120
    before = path.read_bytes()
    with pytest.raises(ConfigError) as bad:
        update_config_file(path, {"kiosk.language": "id", "kiosk.idle_timeout_s": 5})
    assert "kiosk.idle_timeout_s" in bad.value.message.en
    with pytest.raises(ConfigError):
        update_config_file(path, {"api.url": "not a url"})
    assert path.read_bytes() == before  # nothing saved half-way


def _enrolled_runtime(live_api: LiveApi) -> KioskRuntime:
    with ApiClient(live_api.url) as client:
        device_store.enrol(client, live_api.create_enrolment_code())
    return KioskRuntime.open(KioskConfig(), start_sync=False)


def test_status_lookup_local_first_then_server(live_api: LiveApi) -> None:
    runtime = _enrolled_runtime(live_api)
    try:
        identity = runtime.require_device()
        from tests.support.live_api import EnrolledDevice

        dev = EnrolledDevice(
            identity.device_id,
            identity.token,
            identity.signing_key,
            identity.server_envelope_key,
            identity.server_signing_key,
            {},
        )
        sid, blob = live_api.seal_submission(dev)
        runtime.outbox.enqueue(sid, blob, {"reference": _ref(sid)})
        local = look_up(_ref(sid).lower(), runtime.outbox, runtime.api)
        assert (local.source, local.state) == ("kiosk", "pending")
        assert runtime.engine is not None
        assert runtime.engine.drain().delivered == 1
        live_api.set_submission_status(sid, "rejected", reason_code="ktp_photo_unclear")
        answer = look_up(_ref(sid), runtime.outbox, runtime.api)
        assert (answer.source, answer.state) == ("server", "rejected")
        assert answer.reason is not None and answer.reason.en.startswith("The KTP photo is blurred")
        # another kiosk's registration: asked by reference number
        other = live_api.enrol_device("other")
        sid2, blob2 = live_api.seal_submission(other)
        assert live_api.put_submission(other, sid2, blob2).status_code == 201
        assert look_up(_ref(sid2), runtime.outbox, runtime.api).state == "received"
        missing = look_up(reference.format(uuid.uuid4()), runtime.outbox, runtime.api)
        assert (missing.source, missing.state) == ("none", "not_found")
        assert look_up(_ref(sid2), runtime.outbox, None).state == "not_found"
        with pytest.raises(ReferenceNumberError):
            look_up("PK-0000", runtime.outbox, runtime.api)
    finally:
        runtime.close()


def test_wipe_refuses_more_unsent_than_confirmed_then_removes_everything(live_api: LiveApi) -> None:
    runtime = _enrolled_runtime(live_api)
    paths = kiosk_paths()
    live_api.create_operator("sari", "246810", "supervisor")
    assert runtime.device is not None
    store_key = device_store.derived_key(runtime.device, "operator-store")  # as the console does
    auth = OperatorAuth(operators_file(paths), api=runtime.api, store_key=store_key)
    auth.login("sari", "246810")
    assert operators_file(paths).exists()
    _enqueue(runtime.outbox, 2)
    (paths.cache_dir / "testbank").mkdir(parents=True)
    (paths.cache_dir / "testbank" / "bank.json").write_text("{}")
    (paths.data_dir / "receipts").mkdir()
    (paths.data_dir / "receipts" / "PK-X.pdf").write_bytes(b"%PDF")
    try:
        with pytest.raises(WipeError):
            wipe_device(
                paths, outbox=runtime.outbox, confirmed_unsent=1, auth=auth, stop_services=runtime.close
            )
        assert device_store.load(paths=paths) is not None
        report = wipe_device(
            paths, outbox=runtime.outbox, confirmed_unsent=2, auth=auth, stop_services=runtime.close
        )
    finally:
        runtime.close()  # idempotent: the wipe already closed it
    assert report.discarded_unsent == 2 and report.device_removed
    assert device_store.load(paths=paths) is None
    assert not paths.outbox_file.exists()
    assert not operators_file(paths).exists()
    assert list(paths.cache_dir.iterdir()) == []
    assert list((paths.data_dir / "receipts").iterdir()) == []
    leftovers = {p.name for p in paths.data_dir.iterdir()}
    assert not leftovers & {"device.json", "device-secrets.enc", "outbox.sqlite3"}
    assert not [n for n in leftovers if n.startswith("outbox.sqlite3")], leftovers  # ledger, reserve too
    with Outbox(paths.outbox_file) as fresh:  # the next start: an empty queue, and no false "lost" report
        assert fresh.recovery is None and fresh.items() == []


def _qr_frame(text: str, box: int = 6) -> np.ndarray:
    code = qrcode.QRCode(border=4)
    code.add_data(text)
    code.make(fit=True)
    matrix = np.array(code.get_matrix(), dtype=np.uint8)
    grey = np.kron(1 - matrix, np.ones((box, box), dtype=np.uint8)) * 255
    frame = np.full((grey.shape[0] + 100, grey.shape[1] + 160, 3), 200, dtype=np.uint8)
    frame[50 : 50 + grey.shape[0], 80 : 80 + grey.shape[1]] = grey[..., None]
    return frame


def test_reference_is_read_from_a_receipt_qr_code_and_nothing_else() -> None:
    ref = reference.format(uuid.uuid4())
    assert reference_from_qr(_qr_frame(ref)) == ref
    assert reference_from_qr(_qr_frame(ref.lower().replace("-", " "))) == ref
    # A code OpenCV's classic QR detector cannot read (seen in CI): the second detector must.
    assert reference_from_qr(_qr_frame("pk qqqe kr0n xn3e m")) == "PK-QQQE-KR0N-XN3E-M"
    assert reference_from_qr(_qr_frame("https://contoh.id/not-a-reference")) is None
    rng = np.random.default_rng(1)
    assert reference_from_qr(rng.integers(0, 255, (480, 640, 3), dtype=np.uint8)) is None
    assert reference_from_qr(np.zeros((5, 5), dtype=np.uint8)) is None
    assert reference_from_qr(np.zeros((100, 100), dtype=np.float32)) is None  # type: ignore[arg-type]
