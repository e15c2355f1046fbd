"""The outbox under field damage (issue 22, findings 4, 6, 7, 8; issue 18, item 16).

Real SQLite files, real subprocesses killed with SIGKILL, a real small tmpfs filled to the last byte:
an export racing the sync engine, a full disk while deliveries come back, a WAL cut after a kill -9,
flipped bytes in a closed file, a damaged index, a killed export's temp files, and USB imports of
items that are too big or not for this outbox.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from offline_queue.errors import OutboxFull
from offline_queue.exchange import MAGIC, read_export
from offline_queue.outbox import DELIVERED, PENDING, QUARANTINED, Outbox
from tests.support.export_items import field_export
from tests.support.tmpfs import mounted_tmpfs

REPO = Path(__file__).resolve().parents[1]


def blob(n: int, size: int = 1000) -> bytes:
    return hashlib.sha256(str(n).encode()).digest() * (size // 32 + 1)


# -- finding 4: an export during sync does not quarantine a delivered registration ----------------


def test_export_racing_a_delivery_quarantines_nothing(tmp_path: Path) -> None:
    path = tmp_path / "o.sqlite3"
    with Outbox(path) as exporter, Outbox(path) as engine_side:
        for i in range(5):
            exporter.enqueue(f"id-{i}", blob(i))
        walk = exporter.iter_waiting()
        first = next(walk)
        assert first[0].id == "id-0"
        # The sync engine (another connection, as in the kiosk) delivers id-3 mid-export.
        leased = [engine_side.lease_next(60) for _ in range(4)]
        assert [x.id for x in leased if x] == ["id-0", "id-1", "id-2", "id-3"]
        engine_side.mark_delivered("id-3", {"ok": True})
        rest = list(walk)
        exported = ["id-0", *[info.id for info, _ in rest]]
        assert all(hashlib.sha256(b).hexdigest() == info.sha256 for info, b in rest)
        assert "id-4" in exported
    with Outbox(path) as ob:
        states = {i.id: i.state for i in ob.items()}
        assert states["id-3"] == DELIVERED
        assert QUARANTINED not in states.values()


def test_export_during_a_running_sync_keeps_every_state(tmp_path: Path) -> None:
    """Many exports while another thread delivers: never a quarantined item, never a torn file."""
    import threading

    path = tmp_path / "o.sqlite3"
    with Outbox(path) as ob:
        for i in range(150):
            ob.enqueue(f"id-{i:03d}", blob(i, 2000))
    stop = threading.Event()

    def deliver() -> None:
        with Outbox(path) as engine_side:
            while not stop.is_set():
                item = engine_side.lease_next(60)
                if item is None:
                    return
                engine_side.mark_delivered(item.id, {"ok": True})

    sender = threading.Thread(target=deliver)
    with Outbox(path) as exporter:
        sender.start()
        for n in range(12):
            target = tmp_path / f"stick-{n}.oqx"
            exporter.export_to(target)
            assert all(e.id.startswith("id-") for e in read_export(target))
        stop.set()
        sender.join(30)
        assert exporter.stats().counts[QUARANTINED] == 0


# -- finding 8: a killed export leaves no hidden temp files on the stick ---------------------------


def test_killed_exports_leave_no_temp_files(tmp_path: Path) -> None:
    path = tmp_path / "o.sqlite3"
    with Outbox(path) as ob:
        for i in range(60):
            ob.enqueue(f"id-{i}", os.urandom(1 << 20))
    stick = tmp_path / "stick"
    stick.mkdir()
    (stick / ".keep-me").write_bytes(b"not ours")
    (stick / ".Trash-1000").mkdir()
    script = textwrap.dedent(
        f"""
        import sys
        from offline_queue.outbox import Outbox
        Outbox({str(path)!r}).export_to(sys.argv[1])
        """
    )
    for n in range(3):
        proc = subprocess.Popen([sys.executable, "-c", script, str(stick / f"queue-{n}.oqx")], cwd=REPO)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            tmp = [p for p in stick.iterdir() if p.name.startswith(f".queue-{n}.oqx")]
            if tmp and tmp[0].stat().st_size > (4 << 20):
                break
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    left = [p for p in stick.iterdir() if p.name.startswith(".queue-")]
    assert left, "the kills should have left temp files (test precondition)"
    with Outbox(path) as ob:
        assert ob.export_to(stick / "final.oqx") == 60
    names = sorted(p.name for p in stick.iterdir())
    assert names == [".Trash-1000", ".keep-me", "final.oqx"], names


# -- finding 6: a full disk does not deadlock delivery ----------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    with mounted_tmpfs(tmp_path / "disk", "8m") as mnt:
        yield mnt


def _fill(folder: Path) -> None:
    """Take every free byte of the file system with a filler file (as another program would)."""
    with open(folder / "filler", "ab", buffering=0) as f:
        chunk = b"\0" * 65536
        while True:
            try:
                f.write(chunk)
                f.flush()
            except OSError:
                break
        for size in (4096, 512, 1):
            while True:
                try:
                    f.write(b"\0" * size)
                    f.flush()
                except OSError:
                    break


def test_full_disk_still_records_deliveries_and_reopens(small_disk: Path) -> None:
    path = small_disk / "outbox.sqlite3"
    (small_disk / "filler").touch()  # another program's file, grown below to take the last bytes
    stored: list[str] = []
    with Outbox(path) as ob:
        with pytest.raises(OutboxFull) as info:
            for i in range(200):
                ob.enqueue(f"id-{i}", os.urandom(100_000))
                stored.append(f"id-{i}")
        assert "MB" in str(info.value) and "MB" in info.value.id_text  # how much space is needed
    _fill(small_disk)
    assert shutil.disk_usage(small_disk).free < 4096
    recorded = 0
    with Outbox(path) as ob:  # a restart on the full disk opens
        for _ in stored:
            item = ob.lease_next(60)
            assert item is not None
            ob.mark_delivered(item.id, {"ok": True})
            recorded += 1
        assert ob.stats().counts[DELIVERED] == len(stored)
    assert recorded == len(stored) > 5
    with Outbox(path) as ob:
        assert {i.state for i in ob.items()} == {DELIVERED}
        ob.enqueue("after", b"x" * 50_000)  # the freed pages take new registrations again


def test_sync_engine_on_a_full_disk_records_every_delivery(small_disk: Path) -> None:
    """The engine itself, network back and disk still full: every upload is recorded, no engine errors."""
    from offline_queue.events import EngineError
    from offline_queue.sync import SyncEngine
    from tests.support.scripted_transport import ScriptedTransport

    path = small_disk / "outbox.sqlite3"
    (small_disk / "filler").touch()
    with Outbox(path) as ob:
        with pytest.raises(OutboxFull):
            for i in range(200):
                ob.enqueue(f"id-{i}", os.urandom(100_000))
        stored = ob.stats().waiting
    _fill(small_disk)
    errors: list[object] = []
    transport = ScriptedTransport()
    with Outbox(path) as ob:
        engine = SyncEngine(
            ob, transport, on_event=lambda e: errors.append(e) if isinstance(e, EngineError) else None
        )
        report = engine.drain()
        assert report.delivered == stored > 5 and report.waiting == 0
        assert len(transport.calls) == stored  # each sent once: recorded, never resent
    assert errors == []


def test_checkpoints_start_early_on_a_nearly_full_disk(small_disk: Path, tmp_path: Path) -> None:
    """Under 64 MB free the WAL never holds more than ~2.5 MB (it reached 4+ MB before, 2.8 MB stuck)."""
    path = small_disk / "o.sqlite3"
    largest = 0
    with Outbox(path, reserve_bytes=0) as ob:
        assert ob._conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] <= 512
        for i in range(40):
            ob.enqueue(f"id-{i}", os.urandom(100_000))
            largest = max(largest, Path(f"{path}-wal").stat().st_size)
        limit = ob._conn.execute("PRAGMA journal_size_limit").fetchone()[0]
        assert 0 < limit <= (2 << 20)
    assert largest <= 3 << 20, largest
    with Outbox(tmp_path / "roomy.sqlite3") as roomy:  # plenty of space: relaxed, as fast as before
        assert roomy._conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 8000


# -- finding 7: damaged files ------------------------------------------------------------------------


def _crash_copy(src: Path, dst: Path) -> None:
    """What a kill -9 leaves: the database, its WAL and the ledger as they are on disk right now."""
    dst.mkdir()
    for p in src.parent.iterdir():
        if p.name.startswith(src.name) and not p.name.endswith("-shm"):
            shutil.copy2(p, dst / p.name)


@pytest.mark.parametrize("damage", ["truncate_wal", "flip_wal_byte"])
def test_lost_acknowledged_registrations_are_reported_with_their_ids(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "live" / "o.sqlite3"
    ids = [f"id-{i:02d}" for i in range(40)]
    with Outbox(path) as ob:
        for i, item_id in enumerate(ids):
            ob.enqueue(item_id, blob(i, 1000))
        _crash_copy(path, tmp_path / "crash")
    copy = tmp_path / "crash" / "o.sqlite3"
    wal = Path(f"{copy}-wal")
    data = bytearray(wal.read_bytes())
    assert len(data) > 40_000, "the WAL must still hold the registrations (test precondition)"
    if damage == "truncate_wal":
        data = data[: len(data) // 2]
    else:
        data[len(data) // 2] ^= 0x01
    wal.write_bytes(bytes(data))
    with Outbox(copy) as ob:
        present = {i.id for i in ob.items()}
        lost = set(ids) - present
        assert lost, "the damage should lose something (test precondition)"
        assert ob.recovery is not None
        assert sorted(ob.recovery.lost_ids) == sorted(lost)
        en, id_text = ob.recovery.words()
        assert sorted(lost)[0] in en and sorted(lost)[0] in id_text
    with Outbox(copy) as ob:  # reported once, then kept for status until acknowledged
        assert ob.recovery is None
        kept = ob.last_recovery()
        assert kept is not None and sorted(kept.lost_ids) == sorted(lost)


def test_a_damaged_file_is_salvaged_into_the_new_outbox(tmp_path: Path) -> None:
    path = tmp_path / "o.sqlite3"
    with Outbox(path) as ob:
        for i in range(160):
            ob.enqueue(f"id-{i:03d}", blob(i, 3000))
        for _ in range(10):
            item = ob.lease_next(60)
            assert item is not None
            ob.mark_delivered(item.id, {"ok": True})
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    # Two pages in the middle of the blobs, found by SQLite's own page map (a fixed offset hit an
    # items page instead once a column was added to the items table, issue 21).
    blob_pages = [
        int(p)
        for (p,) in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = 'blobs' AND pagetype = 'leaf' ORDER BY pageno"
        )
    ]
    conn.close()
    middle = blob_pages[len(blob_pages) // 2 : len(blob_pages) // 2 + 2]
    data = bytearray(path.read_bytes())
    page = 4096
    for number in middle:
        for off in range((number - 1) * page, number * page):
            data[off] ^= 0x5A
    path.write_bytes(bytes(data))
    with Outbox(path) as ob:
        rec = ob.recovery
        assert rec is not None and rec.moved_to is not None and rec.moved_to.exists()
        assert rec.salvaged >= 140
        items = ob.items()
        waiting = [i for i in items if i.state == PENDING]
        assert all(hashlib.sha256(ob.blob(i.id) or b"").hexdigest() == i.sha256 for i in waiting)
        assert sum(1 for i in items if i.state == DELIVERED) <= 10
        assert rec.salvaged + rec.quarantined + len(rec.lost_ids) >= 160
        quarantined = [i for i in items if i.state == QUARANTINED]
        assert quarantined and {i.reason_code for i in quarantined} == {"blob_damaged"}  # staff words by code
        en, id_text = rec.words()
        assert str(rec.moved_to) in en and str(rec.moved_to) in id_text
        assert "OutboxCorrupted" not in en


def _damage_id_index(path: Path, item_id: str) -> None:
    """Change one key inside the ``items.id`` index only (the table row keeps the right id)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (root,) = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE type='index' AND tbl_name='items' AND sql IS NULL"
    ).fetchone()
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    start = (root - 1) * page_size
    page = bytes(data[start : start + page_size])
    at = page.find(item_id.encode())
    assert at >= 0
    wrong = item_id[:-1] + chr(ord(item_id[-1]) + 1 if item_id[-1] != "9" else ord("0"))
    data[start + at : start + at + len(item_id)] = wrong.encode()
    path.write_bytes(bytes(data))


def test_a_damaged_index_is_found_and_rebuilt_so_outcomes_are_recorded(tmp_path: Path) -> None:
    path = tmp_path / "o.sqlite3"
    with Outbox(path) as ob:
        for i in range(20):
            ob.enqueue(f"item-{i:02d}", blob(i))
    _damage_id_index(path, "item-07")
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA quick_check").fetchall() == [("ok",)]  # precondition: quick_check misses it
    assert raw.execute("SELECT seq FROM items WHERE id = 'item-07'").fetchone() is None
    raw.close()
    with Outbox(path) as ob:
        assert ob.recovery is not None and ob.recovery.repaired_index
        for _ in range(20):
            item = ob.lease_next(60)
            assert item is not None
            ob.mark_delivered(item.id, {"ok": True})
        assert ob.lease_next(60) is None
        assert ob.stats().counts[DELIVERED] == 20


def test_outcomes_are_recorded_by_seq_of_the_lease(tmp_path: Path) -> None:
    """The index is damaged while the kiosk runs: the leased row is still recorded (no resend loop)."""
    path = tmp_path / "o.sqlite3"
    with Outbox(path) as ob:
        for i in range(20):
            ob.enqueue(f"item-{i:02d}", blob(i))
    with Outbox(path) as ob:
        leased = [ob.lease_next(60) for _ in range(8)]
        assert leased[-1] is not None and leased[-1].id == "item-07"
        ob._conn.execute("PRAGMA shrink_memory")  # forget cached pages: the next read sees the damage
        _damage_id_index(path, "item-07")
        raw = sqlite3.connect(path)
        assert raw.execute("SELECT seq FROM items WHERE id = 'item-07'").fetchone() is None
        raw.close()
        ob.mark_delivered("item-07", {"ok": True})
        row = ob._conn.execute("SELECT state FROM items WHERE seq = 8").fetchone()
        assert row[0] == DELIVERED


# -- issue 18 item 16: USB import validates and streams --------------------------------------------


def test_import_rejects_oversized_and_foreign_items(tmp_path: Path) -> None:
    good = b"ENV1" + os.urandom(1000)
    stick = field_export(
        tmp_path,
        [("good", good), ("not-an-envelope", b"hello world"), ("too-big", b"ENV1" + os.urandom(3 << 20))],
    )

    def validate(item_id: str, head: bytes) -> str | None:
        return None if head.startswith(b"ENV1") else "not an envelope for this server"

    with Outbox(tmp_path / "office.sqlite3") as office:
        report = office.import_from(stick, max_item_bytes=2 << 20, validate=validate)
        assert report.imported == ["good"]
        rejected = dict(report.rejected)
        assert set(rejected) == {"not-an-envelope", "too-big"}
        assert "not an envelope" in rejected["not-an-envelope"]
        assert "MB" in rejected["too-big"]
        assert [i.id for i in office.items()] == ["good"] and office.blob("good") == good


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads VmHWM from /proc (Linux)")
def test_import_of_a_huge_item_keeps_memory_bounded(tmp_path: Path) -> None:
    huge = 48 << 20
    stick = tmp_path / "stick.oqx"
    script = textwrap.dedent(
        """
        import os, sys, hashlib, resource
        from pathlib import Path
        from offline_queue import exchange
        from offline_queue.outbox import ItemInfo, Outbox
        src = Path(sys.argv[1])
        mode = sys.argv[2]
        if mode == "make":
            def items():
                for n, size in ((1, 1000), (2, HUGE)):
                    data = os.urandom(size)
                    info = ItemInfo(id=f"item-{n}", state="pending", sha256=hashlib.sha256(data).hexdigest(),
                        size=size, meta={}, created_at=0.0, updated_at=0.0, attempts=0, next_attempt_at=0.0,
                        last_error=None, reason=None, receipt=None, delivered_at=None, lease_owner=None,
                        lease_expires=None)
                    yield info, data
            exchange.write_export(src, items())
        else:
            def hwm():  # this process's own peak (ru_maxrss would include the parent's, kept across exec)
                for line in open("/proc/self/status"):
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
            before = hwm()
            with Outbox(Path(sys.argv[3])) as ob:
                report = ob.import_from(src, max_item_bytes=8 << 20)
            after = hwm()
            print(len(report.imported), len(report.rejected), (after - before) // 1024)
        """
    ).replace("HUGE", str(huge))
    subprocess.run([sys.executable, "-c", script, str(stick), "make"], cwd=REPO, check=True)
    assert stick.stat().st_size > huge
    out = subprocess.run(
        [sys.executable, "-c", script, str(stick), "import", str(tmp_path / "office.sqlite3")],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    imported, rejected, growth_mb = (int(x) for x in out)
    assert (imported, rejected) == (1, 1)
    assert growth_mb < 24, f"peak memory grew by {growth_mb} MB importing a {huge >> 20} MB item"


def test_stale_temp_file_pattern_is_only_ours(tmp_path: Path) -> None:
    """A hidden file that merely looks similar but is not an export is left alone."""
    (tmp_path / ".notes.oqx.tmp-1").write_bytes(b"my own notes")
    (tmp_path / ".q.oqx.tmp-999999999").write_bytes(MAGIC + b"partial")
    with Outbox(tmp_path / "o.sqlite3") as ob:
        ob.enqueue("a", b"x")
        ob.export_to(tmp_path / "q.oqx")
    assert (tmp_path / ".notes.oqx.tmp-1").exists()
    assert not (tmp_path / ".q.oqx.tmp-999999999").exists()
