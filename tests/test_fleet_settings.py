"""Settings from the centre against the live reference API (issue 19).

Shows: the admin publishes kiosk settings (only the allowed keys, valid values); a kiosk fetches the
signed document, verifies it under the pinned key and caches it; a document signed by another server or
a cache edited on disk is not applied; the effective settings are local < central < console override,
each key with its source (shown in the console); a runtime opened afterwards uses them.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from kiosk.api_client import ApiClient
from kiosk.fleet_settings import (
    CENTRAL_KEYS,
    SettingsStore,
    check_central,
    load_layered,
    overrides_path,
    save_overrides,
    sources_in_words,
)
from kiosk.paths import KioskPaths
from tests.support.live_api import LiveApi


def _paths(tmp_path: Path) -> KioskPaths:
    return KioskPaths(tmp_path / "config", tmp_path / "data", tmp_path / "log", tmp_path / "cache").ensure()


def _publish(api: LiveApi, settings: dict[str, object]) -> int:
    resp = api.admin("PUT", "/v1/admin/kiosk-settings", json={"settings": settings})
    assert resp.status_code == 200, resp.text
    return int(resp.json()["version"])


def test_only_allowed_keys_and_valid_values_are_published(live_api: LiveApi) -> None:
    for bad in ({"api.url": "https://evil.example"}, {"kiosk.idle_timeout_s": 1}, {"demo": True}):
        resp = live_api.admin("PUT", "/v1/admin/kiosk-settings", json={"settings": bad})
        assert resp.status_code == 422 and resp.json()["error"] == "settings_invalid", bad
    assert "api.url" not in CENTRAL_KEYS and "api.pin_sha256" not in CENTRAL_KEYS
    assert _publish(live_api, {"kiosk.idle_timeout_s": 150}) == 1
    assert _publish(live_api, {"kiosk.idle_timeout_s": 160}) == 2
    with pytest.raises(ValueError, match=r"logging\.level"):
        check_central({"logging.level": "DEBUG"})


def test_fetched_verified_cached_and_layered_with_sources(live_api: LiveApi, tmp_path: Path) -> None:
    paths = _paths(tmp_path)
    (paths.config_dir / "config.toml").write_text(
        '[kiosk]\nidle_timeout_s = 100\noffice = "Disnaker Lokal"\n[printer]\nname = "Lokal"\n',
        encoding="utf-8",
    )
    device = live_api.enrol_device()
    store = SettingsStore(paths.cache_dir)
    with ApiClient(live_api.url, token=device.token, timeout=5) as client:
        assert store.refresh(client, device.signing_key) is None  # nothing published yet
        version = _publish(
            live_api,
            {"kiosk.idle_timeout_s": 200, "printer.name": "Pusat", "camera.applicant_file_import": True},
        )
        got = store.refresh(client, device.signing_key)
    assert got is not None and got.version == version and got.settings["kiosk.idle_timeout_s"] == 200
    # a supervisor's console override beats the centre
    before = load_layered(paths, paths.config_dir / "config.toml", env={}, server_key=device.signing_key)
    save_overrides(paths, {"printer.name": "Konsol", "kiosk.idle_timeout_s": 200}, before.config)
    assert "idle_timeout_s" not in overrides_path(paths).read_text()  # unchanged: not frozen
    layered = load_layered(paths, paths.config_dir / "config.toml", env={}, server_key=device.signing_key)
    config = layered.config
    assert config.kiosk.idle_timeout_s == 200  # central beats the local file
    assert config.kiosk.office == "Disnaker Lokal"  # local, the centre did not set it
    assert config.printer.name == "Konsol" and config.camera.applicant_file_import is True
    sources = layered.sources
    assert sources["kiosk.idle_timeout_s"] == "central" and sources["kiosk.office"] == "local"
    assert sources["printer.name"] == "console" and sources["kiosk.language"] == "default"
    words = sources_in_words(layered)
    assert f"pusat v{version}" in words.id and "kiosk.idle_timeout_s" in words.id
    assert "set by a supervisor: printer.name" in words.en


def test_other_servers_document_and_edited_cache_are_not_applied(live_api_factory, tmp_path: Path) -> None:
    ours, other = live_api_factory(), live_api_factory()
    paths = _paths(tmp_path)
    device = ours.enrol_device()
    stranger = other.enrol_device()
    _publish(other, {"kiosk.idle_timeout_s": 300})
    store = SettingsStore(paths.cache_dir)
    with ApiClient(other.url, token=stranger.token, timeout=5) as client:
        assert store.refresh(client, device.signing_key) is None  # signed by the other server's key
    assert not store.cache_file.exists()
    _publish(ours, {"kiosk.idle_timeout_s": 250})
    with ApiClient(ours.url, token=device.token, timeout=5) as client:
        assert store.refresh(client, device.signing_key) is not None
    record = json.loads(store.cache_file.read_text())
    doc = json.loads(base64.b64decode(record["document"]))
    doc["settings"]["kiosk.idle_timeout_s"] = 3000  # edited on disk
    record["document"] = base64.b64encode(json.dumps(doc).encode()).decode()
    store.cache_file.write_text(json.dumps(record))
    assert store.cached(device.signing_key) is None
    assert store.cached(Ed25519PrivateKey.generate().public_key()) is None
    layered = load_layered(paths, paths.config_dir / "config.toml", env={}, server_key=device.signing_key)
    assert layered.config.kiosk.idle_timeout_s != 3000 and layered.central_version is None
    assert "belum ada dari pusat" in sources_in_words(layered).id


def test_a_runtime_opened_later_uses_the_centres_settings(live_api: LiveApi, tmp_path: Path) -> None:
    from kiosk.runtime import KioskRuntime

    paths = _paths(tmp_path)
    device = live_api.enrol_device()
    (paths.data_dir / "device.json").write_text(  # the pinned key as enrolment writes it (public data)
        json.dumps({"server_signing_key": device.server_keys["signing"]["public_key"]}), encoding="utf-8"
    )
    _publish(live_api, {"kiosk.office": "Disnaker Kab. Sleman", "kiosk.time_zone": "WIT"})
    with ApiClient(live_api.url, token=device.token, timeout=5) as client:
        SettingsStore(paths.cache_dir).refresh(client, device.signing_key)
    layered = load_layered(paths, paths.config_dir / "config.toml", env={})
    assert layered.config.kiosk.office == "Disnaker Kab. Sleman" and layered.config.kiosk.time_zone == "WIT"
    (paths.data_dir / "device.json").unlink()  # not a real enrolment record; the runtime reads it
    rt = KioskRuntime.open(layered.config, paths=paths, device=None, start_sync=False)
    try:
        assert rt.config.kiosk.time_zone == "WIT"
    finally:
        rt.close()


def test_console_dashboard_shows_where_the_settings_come_from(qtbot, live_api: LiveApi) -> None:
    from tests.test_console_ui import PIN_SUP, _close, _enrol, _login, _open_kiosk, _refresh

    _enrol(live_api)
    live_api.create_operator("sari", PIN_SUP, "supervisor")
    k = _open_kiosk(qtbot)
    try:
        _login(qtbot, k, "sari", PIN_SUP)
        dash = k.console.screen.dashboard
        assert "belum ada dari pusat" in dash.value_text("settings")
        version = _publish(live_api, {"kiosk.idle_timeout_s": 240})
        assert k.runtime.api is not None and k.runtime.device is not None
        SettingsStore(k.runtime.paths.cache_dir).refresh(k.runtime.api, k.runtime.device.server_signing_key)
        _refresh(qtbot, k)
        assert f"pusat v{version}: kiosk.idle_timeout_s" in dash.value_text("settings")
    finally:
        _close(k)
