"""One kiosk process per data dir; the headless ``sync`` coordinates with a running kiosk (issue 19).

Real processes: a second holder is refused with the first one's pid and role; a holder killed with
SIGKILL (a crash, a power cut) leaves no stale lock; ``prakerja-kiosk sync`` next to a running kiosk
leaves the queue to it (exit 0, nothing sent, nothing raced), and without one it delivers — renewing
a token the server already expired over the signed channel first.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk import device
from kiosk.instance_lock import AlreadyRunning, InstanceLock, read_owner
from offline_queue.outbox import Outbox
from tests.support.live_api import LiveApi
from tests.test_cli import _enqueue_sealed, _paths, kiosk

REPO = Path(__file__).resolve().parents[1]
HOLDER = (
    "import sys, time\n"
    "from pathlib import Path\n"
    "from kiosk.instance_lock import InstanceLock\n"
    "lock = InstanceLock(Path(sys.argv[1]), sys.argv[2]).acquire()\n"
    "print('ready', flush=True)\n"
    "time.sleep(60)\n"
)


def _holder(data_dir: Path, role: str = "gui") -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data_dir), role], cwd=REPO, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def test_second_holder_is_refused_and_a_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    proc = _holder(tmp_path)
    try:
        with pytest.raises(AlreadyRunning) as refused:
            InstanceLock(tmp_path, "gui").acquire()
        assert refused.value.owner == {"pid": proc.pid, "role": "gui"}
        assert (
            f"proses {proc.pid}" in refused.value.message.id and "close the other" in refused.value.message.en
        )
        assert read_owner(tmp_path)["pid"] == proc.pid
    finally:
        proc.send_signal(signal.SIGKILL)  # posix-only: the crash case
        proc.wait(10)
    with InstanceLock(tmp_path, "gui") as lock:  # the kernel released it with the process
        assert lock.held and read_owner(tmp_path) == {"pid": os.getpid(), "role": "gui"}
    assert not lock.held


def test_cli_sync_leaves_the_queue_to_a_running_kiosk_and_delivers_alone(
    tmp_path: Path, live_api: LiveApi
) -> None:
    home = tmp_path / "kiosk"
    enrolled = kiosk(home, "enrol", live_api.create_enrolment_code(), "--api", live_api.url)
    assert enrolled.returncode == 0, enrolled.stderr
    _enqueue_sealed(home, live_api, 2)
    proc = _holder(_paths(home).data_dir, "gui")
    try:
        skipped = kiosk(home, "sync")
        assert skipped.returncode == 0, skipped.stderr
        assert f"process {proc.pid}" in skipped.stdout and "sync skipped" in skipped.stdout
    finally:
        proc.terminate()
        proc.wait(10)
    box = Outbox(_paths(home).outbox_file)
    try:
        assert box.stats().waiting == 2  # nothing was sent next to the running kiosk
    finally:
        box.close()
    # Alone, with a token the server already expired: the sync renews it (signed) and delivers.
    identity = device.load(paths=_paths(home))
    assert identity is not None
    live_api.sql(
        "UPDATE devices SET token_expires_at = :e WHERE id = :d",
        e=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1),
        d=identity.device_id,
    )
    synced = kiosk(home, "sync")
    assert synced.returncode == 0, synced.stderr + synced.stdout
    assert "delivered: 2" in synced.stdout
    renewed = device.load(paths=_paths(home))
    assert renewed is not None and renewed.token != identity.token  # stored for the next run
