"""A damaged queue at start-up is reported in words with the kept file's path (issue 22, finding 7).

Before: the status strip showed just "OutboxCorrupted" on the first start and nothing on the next, and
``status`` said 0 waiting as if nothing had happened.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.paths import kiosk_paths
from offline_queue.outbox import Outbox
from ui.app import GuiOptions, KioskShell, create_application

REPO = Path(__file__).resolve().parents[1]


def _damage_outbox() -> Path:
    path = kiosk_paths().ensure().outbox_file
    with Outbox(path) as ob:
        for i in range(30):
            ob.enqueue(f"id-{i:02d}", os.urandom(3000))
    data = bytearray(path.read_bytes())
    for off in range(8 * 4096, 10 * 4096):
        data[off] ^= 0x5A
    path.write_bytes(bytes(data))
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def test_status_strip_says_what_happened_on_this_and_the_next_start(qtbot: QtBot) -> None:
    _damage_outbox()
    for _start in range(2):
        kiosk = KioskShell(create_application(), GuiOptions(windowed=True), speech_engines=[])
        qtbot.addWidget(kiosk.window)
        try:
            kiosk.open_services()
            note = kiosk.window.status_strip.note_label.text()
            assert "OutboxCorrupted" not in note
            assert "rusak" in note and ".corrupt-" in note and "dipulihkan" in note, note
        finally:
            kiosk.shutdown()


def test_cli_status_reports_the_recovery(isolated_home: Path) -> None:
    _damage_outbox()
    result = subprocess.run(
        [sys.executable, "-m", "kiosk.cli", "status"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PRAKERJA_KIOSK_HOME": str(isolated_home)},
    )
    assert result.returncode == 0, result.stderr
    assert "outbox recovery:" in result.stdout and ".corrupt-" in result.stdout
    assert "registrations were recovered" in result.stdout


def test_after_a_week_the_strip_is_quiet_but_status_still_reports(isolated_home: Path) -> None:
    import json
    import sqlite3
    import time

    from kiosk.config import KioskConfig
    from kiosk.runtime import NOTICE_DAYS, KioskRuntime

    path = _damage_outbox()
    with Outbox(path) as ob:
        assert ob.recovery is not None
    conn = sqlite3.connect(path)
    (value,) = conn.execute("SELECT value FROM kv WHERE key = 'recovery'").fetchone()
    record = json.loads(value)
    record["at"] = time.time() - (NOTICE_DAYS + 1) * 86400
    conn.execute("UPDATE kv SET value = ? WHERE key = 'recovery'", (json.dumps(record),))
    conn.commit()
    conn.close()
    runtime = KioskRuntime.open(KioskConfig(), start_sync=False)
    try:
        assert runtime.startup_notice() is None
        assert runtime.outbox.last_recovery() is not None  # still there for `status`
    finally:
        runtime.close()
