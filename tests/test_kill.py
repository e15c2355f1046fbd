"""Kill -9 at random moments (enqueue, mid-upload, between the server's reply and the local commit):
every enqueued registration ends up on the server exactly once, and the outbox agrees."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.kill import run_kills
from kiosk.envelope import raw_public
from tests.support.live_api import LiveApi


@pytest.mark.slow
@pytest.mark.timeout(180)
def test_twenty_kills_lose_and_duplicate_nothing(live_api: LiveApi, tmp_path: Path) -> None:
    device = live_api.enrol_device("kill-test")
    result = run_kills(
        url=live_api.url,
        token=device.token,
        device_id=device.device_id,
        device_key=device.private_key.private_bytes_raw(),
        envelope_key=raw_public(device.envelope_key),
        server_db=live_api.data_dir / "central.sqlite3",
        workdir=tmp_path,
        kills=20,
        seed=20,
    )
    assert result["kills"] == 20, result
    assert all(n > 0 for n in result["kills_by_moment"].values()), result
    assert result["final_worker_rc"] == 0, result
    assert result["acknowledged_missing_from_outbox"] == 0, result
    assert result["lost"] == 0 and result["duplicates"] == 0, result
    assert result["delivered"] == result["enqueued"] >= 20 * 3, result
    assert result["outbox_not_delivered"] == 0, result
