"""Question-bank delivery against the live reference API (issue 19).

Shows: the runtime fetches the centre's signed bank at start and on its schedule; a download signed by
another key is refused and the last good bank stays; the console line gives id, version and age, and
warns when the bank is older than the configured age (fake clock); a production kiosk never falls back
to the shipped demo bank — the wizard skips the test ("sent by SMS/e-mail") and the payload is flagged.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import threading
import time
import uuid
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.api_client import ApiClient
from kiosk.bank_sync import NO_BANK, TEST_BY_MESSAGE_FLAG, BankStatus, BankSync, NoBankForTest, choose_bank
from kiosk.config import KioskConfig
from kiosk.flow import Flow, Step
from kiosk.testbank import BankStore
from tests.support.applicants import applicant_values
from tests.support.live_api import LiveApi
from tests.support.wizard_driver import enrolled_runtime


def _closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def _sync(api: LiveApi, tmp_path: Path, **kw: object) -> tuple[BankSync, ApiClient]:
    device = api.enrol_device()
    client = ApiClient(api.url, token=device.token, timeout=5)
    sync = BankSync(BankStore(tmp_path / "cache"), client, device.signing_key, **kw)  # type: ignore[arg-type]
    return sync, client


def test_fetch_verifies_and_caches_the_centres_bank(live_api: LiveApi, tmp_path: Path) -> None:
    sync, client = _sync(live_api, tmp_path)
    with client:
        with pytest.raises(NoBankForTest):  # production, nothing fetched yet: no demo fallback
            sync.choice()
        status = sync.refresh_now()
    assert status.last_outcome == "updated" and status.source == "cache"
    assert (status.bank_id, status.version) == ("demo-tmkd", 1)
    assert status.age_s is not None and status.age_s < 60 and not status.stale
    assert "demo-tmkd v1" in status.console_text("id") and "umur" in status.console_text("id")
    assert sync.choice().bank.source == "cache"


def test_download_signed_by_another_key_is_refused_and_the_last_good_bank_stays(
    live_api_factory, tmp_path: Path
) -> None:
    first, other = live_api_factory(), live_api_factory()
    sync, client = _sync(first, tmp_path)
    with client:
        sync.refresh_now()
    before = sync.store.cache_file.read_bytes()
    stranger = other.enrol_device()
    sync.api = ApiClient(other.url, token=stranger.token, timeout=5)  # answers, but under another key
    with sync.api:
        status = sync.refresh_now()
    assert status.last_outcome == "refused" and status.problem is not None
    assert status.source == "cache" and sync.store.cache_file.read_bytes() == before


def test_offline_keeps_the_cached_bank_without_a_message(live_api: LiveApi, tmp_path: Path) -> None:
    sync, client = _sync(live_api, tmp_path)
    with client:
        sync.refresh_now()
    sync.api = ApiClient(_closed_port_url(), token="x", timeout=2)
    with sync.api:
        status = sync.refresh_now()
    assert status.last_outcome == "offline" and status.problem is None and status.bank_id == "demo-tmkd"


def test_old_bank_warns_staff_with_a_fake_clock(live_api: LiveApi, tmp_path: Path) -> None:
    now = [time.time()]
    sync, client = _sync(live_api, tmp_path, max_age_s=14 * 86400, clock=lambda: now[0])
    with client:
        sync.refresh_now()
    assert not sync.status().stale
    now[0] += 15 * 86400  # two weeks and a day without reaching the centre
    status = sync.status()
    assert status.stale and status.age_s is not None and status.age_s > 14 * 86400
    assert "PERINGATAN" in status.console_text("id") and "WARNING" in status.console_text("en")
    assert "age 15 days" in status.console_text("en") and "umur 15 hari" in status.console_text("id")


def test_schedule_fetches_again(live_api: LiveApi, tmp_path: Path) -> None:
    sync, client = _sync(live_api, tmp_path, refresh_s=0.2)
    seen: list[BankStatus] = []
    two = threading.Event()

    def listener(status: BankStatus) -> None:
        seen.append(status)
        if len(seen) >= 2:
            two.set()

    sync.add_listener(listener)
    with client:
        sync.start(wait_s=5)
        assert seen, "the first fetch happens at start"
        assert two.wait(10), "the scheduled second fetch did not happen"
        sync.stop()
    assert all(s.last_outcome == "updated" for s in seen)


def test_demo_device_may_use_the_shipped_bank_production_may_not(tmp_path: Path) -> None:
    store = BankStore(tmp_path / "cache")
    assert choose_bank(store, None, demo=True).bank.source == "shipped"
    with pytest.raises(NoBankForTest) as caught:
        choose_bank(store, None, demo=False)
    assert caught.value.message == NO_BANK
    client = ApiClient(_closed_port_url(), token="x", timeout=2)
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    sync = BankSync(store, client, Ed25519PrivateKey.generate().public_key())
    with client:
        status = sync.refresh_now()
    assert status.bank_id is None and status.stale and "SMS/e-mail" in status.console_text("id")


def test_runtime_fetches_the_bank_at_start(live_api: LiveApi) -> None:
    runtime = enrolled_runtime(live_api, KioskConfig())
    try:
        assert runtime.bank_sync is not None
        status = runtime.bank_sync.status()
        assert status.source == "cache" and status.bank_id == "demo-tmkd"
        assert runtime.bank_sync.store.cache_file.is_relative_to(runtime.paths.cache_dir)
    finally:
        runtime.close()


def test_flow_without_bank_is_flagged_test_by_message() -> None:
    flow = Flow(
        clock=lambda: dt.datetime(2026, 11, 30, 9, tzinfo=dt.UTC), test_required=False, test_by_message=True
    )
    values = applicant_values(0)
    values.pop(Step.TEST, None)
    assert flow.next() == []
    while flow.step != Step.REVIEW:
        if flow.step in values:
            assert flow.submit(flow.step, dict(values[flow.step])) == []
        assert flow.next() == [], flow.step
    payload = flow.build_payload(uuid.uuid4(), "dev-1")
    assert payload.test is None and TEST_BY_MESSAGE_FLAG in payload.flags


def test_wizard_on_a_production_kiosk_without_bank_skips_the_test(qtbot: QtBot, live_api: LiveApi) -> None:
    from ui.app import GuiOptions, KioskShell, create_application
    from ui.controller import WizardController, make_test_panel

    runtime = enrolled_runtime(live_api, KioskConfig())
    try:
        assert runtime.bank_sync is not None
        runtime.bank_sync.stop()
        runtime.bank_sync.store.cache_file.unlink()  # as if the kiosk never reached the centre
        shell = KioskShell(create_application(), GuiOptions(windowed=True), speech_engines=[])
        qtbot.addWidget(shell.window)
        ctl = WizardController(
            shell.window,
            shell.welcome,
            shell.languages,
            runtime,
            test_widget_factory=lambda: make_test_panel(runtime),
        )
        assert ctl.test.embedded is None
        assert "SMS/e-mail" in ctl.test.note.text()
        assert ctl.flow._test_by_message
    finally:
        runtime.close()


def test_console_dashboard_shows_bank_id_version_age_and_warns_when_stale(
    qtbot: QtBot, live_api: LiveApi
) -> None:
    from tests.test_console_ui import PIN_OP, _close, _enrol, _login, _open_kiosk, _refresh

    _enrol(live_api)
    live_api.create_operator("budi", PIN_OP, "operator")
    k = _open_kiosk(qtbot)
    try:
        assert k.runtime.bank_sync is not None
        k.runtime.bank_sync.refresh_now()
        _login(qtbot, k, "budi", PIN_OP)
        dash = k.console.screen.dashboard
        text = dash.value_text("bank")
        assert text.startswith("demo-tmkd v1") and "umur" in text and "⚠" not in text
        old = time.time() - 20 * 86400
        os.utime(k.runtime.bank_sync.store.cache_file, (old, old))
        _refresh(qtbot, k)
        text = dash.value_text("bank")
        assert text.startswith("⚠") and "umur 20 hari" in text and "PERINGATAN" in text
    finally:
        _close(k)
