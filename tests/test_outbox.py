"""The outbox on real SQLite files: states, leases, stats, operator actions, damage and full disks."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from offline_queue.errors import (
    DuplicateItem,
    InvalidState,
    OutboxError,
    OutboxFull,
    OutboxReadOnly,
    UnknownItem,
)
from offline_queue.outbox import (
    ATTENTION,
    DELIVERED,
    PENDING,
    QUARANTINED,
    RETRY,
    SENDING,
    Outbox,
)
from tests.support.tmpfs import mounted_tmpfs


class Clock:
    """A settable clock shared by outbox and test (deterministic times)."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def box(tmp_path: Path, clock: Clock) -> Outbox:
    ob = Outbox(tmp_path / "outbox.sqlite3", clock=clock)
    yield ob
    ob.close()


def blob(n: int, size: int = 1000) -> bytes:
    return hashlib.sha256(str(n).encode()).digest() * (size // 32 + 1)


def test_settings_are_wal_and_full_sync(box: Outbox) -> None:
    conn = sqlite3.connect(box.path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        conn.close()
    assert box._conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_enqueue_survives_reopen_and_is_idempotent(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "o.sqlite3"
    with Outbox(path, clock=clock) as ob:
        assert ob.enqueue("a", blob(1), {"kind": "registration", "n": 1}) is True
        assert ob.enqueue("a", blob(1)) is False
        with pytest.raises(DuplicateItem):
            ob.enqueue("a", blob(2))
    with Outbox(path, clock=clock) as ob:
        (info,) = ob.items()
        assert (info.id, info.state, info.meta) == ("a", PENDING, {"kind": "registration", "n": 1})
        assert ob.blob("a") == blob(1)
        assert info.sha256 == hashlib.sha256(blob(1)).hexdigest()


def test_bad_ids_and_meta_are_refused(box: Outbox) -> None:
    for bad in ("", "a/b", "x\n", "z" * 201):
        with pytest.raises(OutboxError):
            box.enqueue(bad, b"x")
    with pytest.raises(OutboxError):
        box.enqueue("ok", b"x", {"nested": {"no": 1}})  # type: ignore[dict-item]
    assert box.items() == []


def test_oldest_first_lease_and_tombstone(box: Outbox, clock: Clock) -> None:
    for i in range(3):
        box.enqueue(f"id{i}", blob(i))
        clock.now += 1
    first = box.lease_next(60)
    assert first is not None and first.id == "id0" and first.blob == blob(0)
    second = box.lease_next(60)
    assert second is not None and second.id == "id1"
    assert box.get("id0").state == SENDING  # type: ignore[union-attr]
    box.mark_delivered("id0", {"submission_id": "id0", "status": "received"})
    tomb = box.get("id0")
    assert tomb is not None and tomb.state == DELIVERED
    assert tomb.receipt == {"submission_id": "id0", "status": "received"}
    assert tomb.sha256 == hashlib.sha256(blob(0)).hexdigest() and tomb.delivered_at == clock.now
    assert box.blob("id0") is None
    assert box._conn.execute("SELECT COUNT(*) FROM blobs").fetchone()[0] == 2
    box.mark_delivered("id0", None)  # a second success report changes nothing
    with pytest.raises(UnknownItem):
        box.mark_delivered("nope", None)


def test_retry_waits_for_its_time_and_counts_attempts(box: Outbox, clock: Clock) -> None:
    box.enqueue("a", blob(1))
    box.enqueue("b", blob(2))
    item = box.lease_next(60)
    assert item is not None and item.id == "a"
    assert box.mark_retry("a", "HTTP 500", clock.now + 30) == 1
    nxt = box.lease_next(60)
    assert nxt is not None and nxt.id == "b"
    assert box.lease_next(60) is None
    clock.now += 31
    again = box.lease_next(60)
    assert again is not None and again.id == "a" and again.attempts == 1
    info = box.get("a")
    assert info is not None and info.last_error == "HTTP 500"


def test_attention_and_operator_retry(box: Outbox) -> None:
    box.enqueue("a", blob(1))
    box.lease_next(60)
    box.mark_attention("a", "Data tidak valid / invalid [payload_invalid]", {"error": "payload_invalid"})
    info = box.get("a")
    assert info is not None and info.state == ATTENTION and info.reason.startswith("Data tidak valid")
    assert box.lease_next(60) is None
    box.retry("a")
    assert box.get("a").state == PENDING  # type: ignore[union-attr]
    assert box.lease_next(60) is not None
    with pytest.raises(InvalidState):
        box.retry("a")  # it is being sent
    with pytest.raises(UnknownItem):
        box.retry("missing")


def test_damaged_blob_is_quarantined_not_dropped(box: Outbox) -> None:
    box.enqueue("bad", blob(1))
    box.enqueue("good", blob(2))
    raw = sqlite3.connect(box.path)
    raw.execute("UPDATE blobs SET data = ? WHERE seq = 1", (b"flipped" + blob(1)[7:],))
    raw.commit()
    raw.close()
    item = box.lease_next(60)
    assert item is not None and item.id == "good"
    bad = box.get("bad")
    assert bad is not None and bad.state == QUARANTINED and "checksum" in (bad.reason or "")
    stats = box.stats()
    assert stats.counts[QUARANTINED] == 1 and "checksum" in (stats.last_error or "")
    box.retry("bad")  # an operator may try again; still damaged, so quarantined again
    box.lease_next(60)
    assert box.get("bad").state == QUARANTINED  # type: ignore[union-attr]


def test_leases_of_dead_or_expired_senders_are_reclaimed(tmp_path: Path, clock: Clock) -> None:
    path = tmp_path / "o.sqlite3"
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_pid = int(child.stdout)
    import socket

    host = socket.gethostname()
    with Outbox(path, clock=clock) as ob:
        for name in ("dead", "expired", "alive"):
            ob.enqueue(name, blob(len(name)))
        ob.lease_next(3600, owner=f"{host}|{dead_pid}|x")
        ob.lease_next(10, owner="other-host|1|y")
        ob.lease_next(3600, owner=f"{host}|{os.getpid()}|z")
    clock.now += 20
    with Outbox(path, clock=clock) as ob:
        states = {i.id: i.state for i in ob.items()}
        assert states == {"dead": PENDING, "expired": PENDING, "alive": SENDING}
        assert ob.reclaim_leases() == 0
        ob.lease_next(60)
        assert ob.reclaim_leases(include_own=True) == 1


def test_release_does_not_count_an_attempt(box: Outbox) -> None:
    box.enqueue("a", blob(1))
    box.lease_next(60)
    box.release("a")
    info = box.get("a")
    assert info is not None and info.state == PENDING and info.attempts == 0


def test_stats_for_the_dashboard(box: Outbox, clock: Clock) -> None:
    start = clock.now
    box.enqueue("a", blob(1, 500))
    clock.now += 10
    box.enqueue("b", blob(2, 700))
    box.enqueue("c", blob(3, 300))
    box.lease_next(60)
    box.mark_delivered("a", {"ok": True})
    box.lease_next(60)
    box.mark_retry("b", "HTTP 503", clock.now + 100)
    clock.now += 5
    s = box.stats()
    assert s.counts[DELIVERED] == 1 and s.counts[RETRY] == 1 and s.counts[PENDING] == 1
    assert s.waiting == 2 and s.delivered_today == 1
    assert s.bytes_waiting == len(blob(2, 700)) + len(blob(3, 300))
    assert s.oldest_waiting_age_s == pytest.approx(clock.now - (start + 10))
    assert s.last_success_at == start + 10 and s.last_error == "HTTP 503"
    assert s.next_attempt_at == clock.now  # "c" is due now


def test_purge_tombstones(box: Outbox, clock: Clock) -> None:
    box.enqueue("old", blob(1))
    box.lease_next(60)
    box.mark_delivered("old", None)
    clock.now += 40 * 86400
    box.enqueue("new", blob(2))
    box.lease_next(60)
    box.mark_delivered("new", None)
    assert box.purge_tombstones(dt.timedelta(days=30)) == 1
    assert [i.id for i in box.items()] == ["new"]


def test_listener_is_told_after_enqueue(box: Outbox) -> None:
    calls: list[int] = []
    box.add_listener(lambda: calls.append(1))
    box.enqueue("a", blob(1))
    assert calls == [1]


def test_size_limit_full_is_a_clear_error_and_loses_nothing(tmp_path: Path) -> None:
    with Outbox(tmp_path / "o.sqlite3", max_bytes=256 * 1024) as ob:
        stored = []
        with pytest.raises(OutboxFull) as info:
            for i in range(100):
                ob.enqueue(f"id{i}", os.urandom(20_000))
                stored.append(f"id{i}")
        assert "full" in str(info.value) and "penuh" in info.value.id_text
        assert 3 < len(stored) < 100
        assert [i.id for i in ob.items()] == stored
        assert all(ob.blob(s) is not None for s in stored)
        ob.lease_next(60)
        ob.mark_delivered(stored[0], None)  # still usable for what does fit


def test_garbage_file_is_moved_aside_and_caller_told(tmp_path: Path) -> None:
    path = tmp_path / "o.sqlite3"
    path.write_bytes(os.urandom(8192))
    garbage = path.read_bytes()
    with Outbox(path) as ob:  # a fresh outbox at once; the damage is reported, not raised
        rec = ob.recovery
        assert rec is not None
        moved = rec.moved_to
        assert moved is not None and moved.read_bytes() == garbage
        en, id_text = rec.words()
        assert "damaged" in en and str(moved) in en and "rusak" in id_text and str(moved) in id_text
        assert ob.items() == []
    with Outbox(path) as ob:
        assert ob.recovery is None and ob.last_recovery() == rec
        ob.acknowledge_recovery()
        assert ob.last_recovery() is None


def test_damaged_pages_are_detected(tmp_path: Path) -> None:
    path = tmp_path / "o.sqlite3"
    with Outbox(path) as ob:
        for i in range(20):
            ob.enqueue(f"id{i}", os.urandom(5000))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(path.read_bytes())
    page = 4096
    for off in range(page, min(len(data), 4 * page)):
        data[off] = 0xA5
    path.write_bytes(bytes(data))
    with Outbox(path) as ob:
        assert ob.recovery is not None
        assert ob.recovery.moved_to is not None and ob.recovery.moved_to.exists()


def test_a_new_file_that_cannot_be_made_is_outbox_corrupted(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "o.sqlite3"
    path.write_bytes(os.urandom(8192))
    os.chmod(folder, 0o500)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("running as a user who can write a read-only folder (root)")
        with pytest.raises(OutboxError):
            Outbox(path)
    finally:
        os.chmod(folder, 0o700)


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    with mounted_tmpfs(tmp_path / "tiny", "600k") as mnt:
        yield mnt


def test_real_disk_full(tiny_disk: Path) -> None:
    with Outbox(tiny_disk / "o.sqlite3") as ob:
        stored = []
        with pytest.raises(OutboxFull):
            for i in range(100):
                ob.enqueue(f"id{i}", os.urandom(50_000))
                stored.append(f"id{i}")
        assert [i.id for i in ob.items()] == stored
    with Outbox(tiny_disk / "o.sqlite3") as ob:
        assert [i.id for i in ob.items()] == stored
        assert all(hashlib.sha256(ob.blob(i.id) or b"").hexdigest() == i.sha256 for i in ob.items())


def test_real_read_only_disk(tiny_disk: Path) -> None:
    with Outbox(tiny_disk / "o.sqlite3") as ob:
        ob.enqueue("kept", blob(1))
    res = subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], capture_output=True)
    if res.returncode != 0:
        pytest.skip("cannot remount read-only here")
    with pytest.raises(OutboxError) as info:
        ob = Outbox(tiny_disk / "o.sqlite3")
        ob.enqueue("new", blob(2))
    assert isinstance(info.value, OutboxReadOnly) and "read-only" in str(info.value)
    subprocess.run(["mount", "-o", "remount,rw", str(tiny_disk)], check=True)
    with Outbox(tiny_disk / "o.sqlite3") as ob:
        assert [i.id for i in ob.items()] == ["kept"]


def test_read_only_connection_is_a_clear_error(box: Outbox) -> None:
    box.enqueue("kept", blob(1))
    box._conn.execute("PRAGMA query_only = ON")

    with pytest.raises(OutboxReadOnly):
        box.enqueue("new", blob(2))
    box._conn.execute("PRAGMA query_only = OFF")
    assert [i.id for i in box.items()] == ["kept"]
