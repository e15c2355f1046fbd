"""Demo mode: the reference API as a child process on 127.0.0.1, the demo device enrolled by itself."""

from __future__ import annotations

import sqlite3

import pytest
import requests

from kiosk import device
from kiosk.demo import DEMO_LAYOUT, DEMO_LAYOUT_FILE, DemoEnvironment, demo_paths, start_demo
from kiosk.paths import kiosk_paths


@pytest.mark.slow
def test_demo_starts_enrols_and_stops() -> None:
    env = start_demo()
    try:
        assert isinstance(env, DemoEnvironment)
        assert env.api_url.startswith("http://127.0.0.1:")
        assert env.running
        assert requests.get(env.api_url + "/v1/health", timeout=5).json()["status"] == "ok"
        # the demo device lives in the demo dirs, never in the real ones
        assert env.paths == demo_paths()
        assert device.load(paths=env.paths) is not None
        assert device.load() is None
        assert env.identity.api_url == env.api_url
        # the demo's admin API is usable (trainers read OTP codes, set statuses)
        assert env.admin("GET", "/v1/admin/otp-outbox").status_code == 200
        # the enrolled device token is accepted by the API
        status = requests.get(
            f"{env.api_url}/v1/submissions/0190f3e2-7b1c-7cc0-9a5e-1234abcd5678",
            headers={"Authorization": f"Bearer {env.identity.token}"},
            timeout=5,
        )
        assert status.status_code == 404
    finally:
        env.stop()
    assert not env.running
    try:
        requests.get(env.api_url + "/v1/health", timeout=2)
        raise AssertionError("the demo API still answers after stop()")
    except requests.ConnectionError:
        pass
    assert (kiosk_paths().demo_dir / "central-api" / "admin-token").exists()


@pytest.mark.slow
def test_demo_in_process_for_frozen_bundles() -> None:
    with start_demo(in_process=True) as env:
        assert requests.get(env.api_url + "/v1/health", timeout=5).status_code == 200
        assert env.identity.device_id.startswith("dev-")
    assert not env.running


@pytest.mark.slow
def test_demo_port_in_use_is_a_one_line_error() -> None:
    import socket

    from kiosk.demo import DemoError

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        with pytest.raises(DemoError) as info:
            start_demo(port=port)
    assert str(port) in info.value.message.en
    assert "\n" not in info.value.message.en


@pytest.mark.slow
def test_a_demo_folder_from_an_older_release_is_set_aside_and_the_demo_starts() -> None:
    """A training kiosk updated in an office keeps its old demo folder: the new reference API refuses
    that database (submissions keyed per signer since this release), so the demo could not start until
    someone deleted the folder by hand. Now the older folder is set aside and the demo starts."""
    base = kiosk_paths()
    server_dir = base.demo_dir / "central-api"
    server_dir.mkdir(parents=True)
    old = sqlite3.connect(server_dir / "central.sqlite3")
    old.execute("CREATE TABLE submissions (id TEXT PRIMARY KEY, device_id TEXT, sha256 TEXT)")
    old.commit()
    old.close()
    (base.demo_dir / "kiosk").mkdir()
    (base.demo_dir / "kiosk" / "training-note.txt").write_text("from the old release")
    env = start_demo()
    try:
        assert env.running and device.load(paths=env.paths) is not None
    finally:
        env.stop()
    kept = list(base.demo_dir.parent.glob(f"{base.demo_dir.name}.old-*"))
    assert len(kept) == 1 and (kept[0] / "kiosk" / "training-note.txt").is_file()
    assert (base.demo_dir / DEMO_LAYOUT_FILE).read_text().strip() == str(DEMO_LAYOUT)
    # the next start keeps the (current) folder as it is
    env = start_demo()
    env.stop()
    assert list(base.demo_dir.parent.glob(f"{base.demo_dir.name}.old-*")) == kept
