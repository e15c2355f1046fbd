"""A durable outbox of opaque blobs: what is enqueued survives a crash, a power cut and a kill -9.

Why SQLite with these settings: WAL mode lets the sync engine read while the kiosk writes;
``synchronous=FULL`` makes every commit reach the disk before ``enqueue`` returns; ``BEGIN IMMEDIATE``
takes the write lock up front so a transaction never fails half-way on a lock. One file holds the items
and their blobs, so an item and its payload are committed (or not) together.

States::

    pending ──lease──► sending ──server said yes──► delivered (tombstone: id, sha256, receipt, times)
       ▲                  │──transient failure───► retry (attempts, next attempt, last error) ──► sending
       │                  │──permanent refusal───► attention (the server's reason)
       └──operator retry──┴──blob damaged────────► quarantined (reason; never dropped silently)

A lease names its owner (host, process id, random token) and an expiry. A lease whose owner process
is gone, or whose expiry has passed, is reclaimed when an outbox is opened, so an upload interrupted by
a crash is sent again; the server's idempotent PUT turns the resend into "already stored".

The outbox knows nothing about what the blobs contain: they arrive sealed, and are stored, verified
(sha256) and handed back byte for byte.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import socket
import sqlite3
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from offline_queue import _sqlite
from offline_queue.errors import (
    DuplicateItem,
    InvalidState,
    OutboxCorrupted,
    OutboxError,
    UnknownItem,
)

JSONScalar = str | int | float | bool | None

PENDING: Final = "pending"
SENDING: Final = "sending"
DELIVERED: Final = "delivered"
RETRY: Final = "retry"
ATTENTION: Final = "attention"
QUARANTINED: Final = "quarantined"
STATES: Final = (PENDING, SENDING, RETRY, ATTENTION, QUARANTINED, DELIVERED)
WAITING_STATES: Final = (PENDING, SENDING, RETRY)

MAX_ID_LENGTH: Final = 200
CHECKPOINT_EVERY_BYTES: Final = 4 << 20
"""After this many bytes were committed, a background thread copies the WAL into the database file."""
AUTOCHECKPOINT_PAGES: Final = 8000
"""SQLite's own checkpoint, on the writer's path, only as a safety net (~32 MB of 4 KB pages)."""
SCHEMA_VERSION: Final = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS items (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    meta TEXT NOT NULL DEFAULT '{}',
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at REAL NOT NULL DEFAULT 0,
    last_error TEXT,
    last_outcome TEXT,
    lease_owner TEXT,
    lease_expires REAL,
    receipt TEXT,
    delivered_at REAL,
    reason TEXT
);
CREATE INDEX IF NOT EXISTS items_by_state ON items(state, seq);
CREATE TABLE IF NOT EXISTS blobs (
    seq INTEGER PRIMARY KEY REFERENCES items(seq) ON DELETE CASCADE,
    data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""

_SELECT_ITEMS = (
    "SELECT id, state, sha256, size, meta, created_at, updated_at, attempts, next_attempt_at, last_error, "
    "reason, receipt, delivered_at, lease_owner, lease_expires FROM items"
)


@dataclass(frozen=True, slots=True)
class ItemInfo:
    """Everything known about one item except its blob."""

    id: str
    state: str
    sha256: str
    size: int
    meta: dict[str, JSONScalar]
    created_at: float
    updated_at: float
    attempts: int
    next_attempt_at: float
    last_error: str | None
    reason: str | None
    receipt: dict[str, Any] | None
    delivered_at: float | None
    lease_owner: str | None
    lease_expires: float | None


@dataclass(frozen=True, slots=True)
class LeasedItem:
    """An item handed to a sender, with its verified blob."""

    id: str
    blob: bytes
    sha256: str
    attempts: int
    meta: dict[str, JSONScalar]
    owner: str


@dataclass(frozen=True, slots=True)
class OutboxStats:
    """What the operator dashboard shows. Times are Unix seconds; ages are seconds."""

    counts: dict[str, int]
    waiting: int
    delivered_today: int
    oldest_waiting_age_s: float | None
    bytes_waiting: int
    last_success_at: float | None
    last_error: str | None
    last_error_at: float | None
    next_attempt_at: float | None
    hold_until: float | None


@dataclass(frozen=True, slots=True)
class ImportReport:
    """The result of importing an export file."""

    imported: list[str] = field(default_factory=list)
    skipped_known: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def _process_alive(pid: int) -> bool | None:
    """Whether ``pid`` runs on this machine; ``None`` when it cannot be told (Windows)."""
    if sys.platform == "win32":
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return None
    return True


def make_owner() -> str:
    """A lease owner name: host, process id and a random token (two outboxes in one process differ)."""
    return f"{socket.gethostname()}|{os.getpid()}|{uuid.uuid4().hex[:12]}"


def _owner_dead(owner: str | None) -> bool:
    if not owner:
        return True
    parts = owner.split("|")
    if len(parts) != 3 or parts[0] != socket.gethostname():
        return False
    try:
        pid = int(parts[1])
    except ValueError:
        return True
    return _process_alive(pid) is False


def _check_id(item_id: str) -> None:
    if not isinstance(item_id, str) or not item_id or len(item_id) > MAX_ID_LENGTH:
        raise OutboxError(
            f"An item id must be a non-empty string of at most {MAX_ID_LENGTH} characters.",
            f"Id item harus berupa teks tidak kosong paling banyak {MAX_ID_LENGTH} karakter.",
        )
    if not item_id.isprintable() or "/" in item_id:
        raise OutboxError(
            "An item id may not contain control characters or '/'.",
            "Id item tidak boleh berisi karakter kontrol atau '/'.",
        )


def _meta_json(meta: Mapping[str, JSONScalar] | None) -> str:
    data = dict(meta or {})
    for key, value in data.items():
        if not isinstance(key, str) or not (value is None or isinstance(value, str | int | float | bool)):
            raise OutboxError(
                "Item metadata must map text keys to plain values (text, numbers, true/false, null).",
                "Metadata item harus berupa pasangan kunci teks dan nilai sederhana.",
            )
    return json.dumps(data, sort_keys=True, ensure_ascii=False)


def _load_json(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


class Outbox:
    """The durable outbox in one SQLite file. Thread-safe; several processes may share the file.

    Opening a damaged file moves it aside (kept for inspection) and raises :class:`OutboxCorrupted`
    with ``moved_to``; opening the same path again then starts a fresh, empty outbox.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        clock: Callable[[], float] = time.time,
        max_bytes: int | None = None,
        owner: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.owner = owner or make_owner()
        self.clock = clock
        self._lock = threading.RLock()
        self._listeners: list[Callable[[], None]] = []
        self._written = 0
        self._checkpoint_wanted = threading.Event()
        self._closing = False
        self._checkpointer: threading.Thread | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _sqlite.translate_os(exc, self.path.parent) from exc
        try:
            self._conn = _sqlite.connect(self.path, max_bytes)
            self._conn.execute(f"PRAGMA wal_autocheckpoint={AUTOCHECKPOINT_PAGES}")
            with self._write() as c:
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        c.execute(statement)
                c.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.Error as exc:
            raise self._on_open_error(_sqlite.translate(exc, self.path)) from exc
        except OutboxCorrupted as err:
            raise self._on_open_error(err) from err
        self.reclaim_leases()

    def _on_open_error(self, err: OutboxError) -> OutboxError:
        if not isinstance(err, OutboxCorrupted):
            return err
        with contextlib.suppress(Exception):
            self._conn.close()
        try:
            moved = _sqlite.move_aside(self.path)
        except OSError:
            return OutboxCorrupted(
                f"The outbox file ({self.path}) is damaged and could not be moved aside. "
                "Copy it somewhere safe and ask for support.",
                f"Berkas antrean kiriman ({self.path}) rusak dan tidak dapat dipindahkan. "
                "Salin berkas itu ke tempat aman dan hubungi dukungan teknis.",
            )
        return OutboxCorrupted(
            f"The outbox file was damaged. It was kept for inspection as {moved}; "
            "a new, empty outbox will be used from now on.",
            f"Berkas antrean kiriman rusak. Berkas itu disimpan untuk diperiksa sebagai {moved}; "
            "antrean baru yang kosong akan dipakai mulai sekarang.",
            moved_to=moved,
        )

    # -- plumbing -------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One ``BEGIN IMMEDIATE`` transaction; rolled back (and the error translated) on failure."""
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    # SQLite may already have rolled back by itself (e.g. SQLITE_FULL).
                    if conn.in_transaction:
                        with contextlib.suppress(sqlite3.Error):
                            conn.execute("ROLLBACK")
                    raise
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        conn.execute("ROLLBACK")
                raise _sqlite.translate(exc, self.path) from exc

    @contextlib.contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for reads (a deferred transaction in WAL mode)."""
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN")
                try:
                    yield conn
                finally:
                    conn.execute("COMMIT")
            except sqlite3.Error as exc:
                raise _sqlite.translate(exc, self.path) from exc

    def _now(self) -> float:
        return float(self.clock())

    def add_listener(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` (no arguments, from the writer's thread) after new work is stored."""
        self._listeners.append(callback)

    def remove_listener(self, callback: Callable[[], None]) -> None:
        """Stop calling ``callback``."""
        with contextlib.suppress(ValueError):
            self._listeners.remove(callback)

    def _notify(self) -> None:
        for callback in list(self._listeners):
            callback()

    def _wrote(self, nbytes: int) -> None:
        """Count committed bytes; past the threshold, ask the checkpointer to run.

        Why a background checkpoint: copying the WAL into the database file (and fsyncing it) is the
        slowest thing SQLite does; on the writer's path it lands on one unlucky ``enqueue`` every few
        megabytes and sets its latency. Off the path, enqueue pays only its own commit's fsync.
        """
        self._written += nbytes
        if self._written < CHECKPOINT_EVERY_BYTES:
            return
        self._written = 0
        if self._checkpointer is None:
            self._checkpointer = threading.Thread(
                target=self._checkpoint_loop, name="offline-queue-checkpoint", daemon=True
            )
            self._checkpointer.start()
        self._checkpoint_wanted.set()

    def _checkpoint_loop(self) -> None:
        try:
            conn = sqlite3.connect(self.path, timeout=_sqlite.BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error:
            return
        try:
            conn.execute("PRAGMA synchronous=FULL")
            while True:
                self._checkpoint_wanted.wait()
                self._checkpoint_wanted.clear()
                if self._closing:
                    return
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        finally:
            conn.close()

    def close(self) -> None:
        """Stop the checkpointer and close the database connection."""
        self._closing = True
        self._checkpoint_wanted.set()
        if self._checkpointer is not None:
            self._checkpointer.join(5)
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing --------------------------------------------------------------------------------

    def enqueue(self, item_id: str, blob: bytes, meta: Mapping[str, JSONScalar] | None = None) -> bool:
        """Store ``blob`` under ``item_id``; durable (fsynced) when this returns.

        Returns ``True`` when stored now, ``False`` when the identical blob was already stored under
        this id (so a caller retrying after a crash is safe). Raises :class:`DuplicateItem` when the id
        is taken by different content.
        """
        _check_id(item_id)
        if not isinstance(blob, bytes | bytearray | memoryview):
            raise OutboxError("An item's blob must be bytes.", "Isi item harus berupa bytes.")
        data = bytes(blob)
        digest = hashlib.sha256(data).hexdigest()
        meta_text = _meta_json(meta)
        now = self._now()
        with self._write() as c:
            row = c.execute("SELECT sha256 FROM items WHERE id = ?", (item_id,)).fetchone()
            if row is not None:
                if row[0] == digest:
                    return False
                raise DuplicateItem(
                    f"Item {item_id} is already stored with different content.",
                    f"Item {item_id} sudah tersimpan dengan isi yang berbeda.",
                )
            cur = c.execute(
                "INSERT INTO items (id, state, sha256, size, meta, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (item_id, PENDING, digest, len(data), meta_text, now, now),
            )
            c.execute("INSERT INTO blobs (seq, data) VALUES (?, ?)", (cur.lastrowid, data))
        self._wrote(len(data))
        self._notify()
        return True

    def lease_next(
        self,
        lease_seconds: float,
        *,
        owner: str | None = None,
        ignore_schedule: bool = False,
        exclude: frozenset[str] = frozenset(),
    ) -> LeasedItem | None:
        """Lease the oldest item due now (pending, or retry whose time has come) and return it.

        A blob whose sha256 no longer matches (or that is missing) is quarantined with a reason and the
        next item is tried. ``ignore_schedule`` picks the oldest waiting item even if its retry time has
        not come (used to probe whether the network is back).
        """
        who = owner or self.owner
        now = self._now()
        with self._write() as c:
            while True:
                rows = c.execute(
                    "SELECT seq, id, sha256, attempts, meta FROM items WHERE state IN (?, ?) "
                    "AND next_attempt_at <= ? ORDER BY seq LIMIT ?",
                    (PENDING, RETRY, float("inf") if ignore_schedule else now, len(exclude) + 1),
                ).fetchall()
                rows = [r for r in rows if r[1] not in exclude]
                if not rows:
                    return None
                seq, item_id, digest, attempts, meta = rows[0]
                blob_row = c.execute("SELECT data FROM blobs WHERE seq = ?", (seq,)).fetchone()
                problem = None
                if blob_row is None or blob_row[0] is None:
                    problem = "The stored payload is missing."
                elif not isinstance(blob_row[0], bytes):
                    problem = "The stored payload is not binary data; it was damaged."
                elif hashlib.sha256(blob_row[0]).hexdigest() != digest:
                    problem = "The stored payload does not match its checksum (sha256); it was damaged."
                if problem is not None:
                    c.execute(
                        "UPDATE items SET state = ?, reason = ?, last_error = ?, updated_at = ? WHERE seq = ?",
                        (QUARANTINED, problem, problem, now, seq),
                    )
                    self._set_kv(c, "last_error", problem, now)
                    continue
                c.execute(
                    "UPDATE items SET state = ?, lease_owner = ?, lease_expires = ?, updated_at = ? "
                    "WHERE seq = ?",
                    (SENDING, who, now + lease_seconds, now, seq),
                )
                return LeasedItem(
                    id=item_id,
                    blob=bytes(blob_row[0]),
                    sha256=digest,
                    attempts=int(attempts),
                    meta=_load_json(meta) or {},
                    owner=who,
                )

    def mark_delivered(self, item_id: str, receipt: Mapping[str, Any] | None = None) -> None:
        """Record the server's acceptance: keep a tombstone (id, sha256, receipt, times), drop the blob."""
        now = self._now()
        receipt_text = json.dumps(dict(receipt), sort_keys=True, default=str) if receipt else None
        with self._write() as c:
            row = c.execute("SELECT seq, state FROM items WHERE id = ?", (item_id,)).fetchone()
            if row is None:
                raise UnknownItem(f"No item {item_id} in the outbox.", f"Tidak ada item {item_id}.")
            seq, state = row
            if state == DELIVERED:
                return
            c.execute(
                "UPDATE items SET state = ?, receipt = ?, delivered_at = ?, updated_at = ?, "
                "attempts = attempts + 1, lease_owner = NULL, lease_expires = NULL, last_error = NULL, "
                "reason = NULL, last_outcome = 'delivered' WHERE seq = ?",
                (DELIVERED, receipt_text, now, now, seq),
            )
            c.execute("DELETE FROM blobs WHERE seq = ?", (seq,))
            c.execute(
                "INSERT OR REPLACE INTO kv (key, value) VALUES ('last_success_at', ?)", (json.dumps(now),)
            )

    def mark_retry(
        self,
        item_id: str,
        error: str,
        next_attempt_at: float,
        *,
        outcome: str = "retry",
        count_attempt: bool = True,
    ) -> int:
        """Put a leased item back to wait until ``next_attempt_at``; returns its attempt count."""
        now = self._now()
        with self._write() as c:
            row = self._row_for_update(c, item_id)
            seq, state, attempts = row
            if state == DELIVERED:
                return int(attempts)
            attempts = int(attempts) + (1 if count_attempt else 0)
            c.execute(
                "UPDATE items SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ?, "
                "last_outcome = ?, lease_owner = NULL, lease_expires = NULL, updated_at = ? WHERE seq = ?",
                (RETRY, attempts, next_attempt_at, error, outcome, now, seq),
            )
            self._set_kv(c, "last_error", error, now)
            return attempts

    def mark_attention(self, item_id: str, reason: str, receipt: Mapping[str, Any] | None = None) -> None:
        """Record a permanent refusal with the server's reason; an operator decides what next."""
        now = self._now()
        receipt_text = json.dumps(dict(receipt), sort_keys=True, default=str) if receipt else None
        with self._write() as c:
            seq, state, _attempts = self._row_for_update(c, item_id)
            if state == DELIVERED:
                return
            c.execute(
                "UPDATE items SET state = ?, reason = ?, last_error = ?, receipt = ?, attempts = attempts + 1, "
                "last_outcome = 'attention', lease_owner = NULL, lease_expires = NULL, updated_at = ? "
                "WHERE seq = ?",
                (ATTENTION, reason, reason, receipt_text, now, seq),
            )
            self._set_kv(c, "last_error", reason, now)

    def release(self, item_id: str) -> None:
        """Give a lease back without counting an attempt (stop requested, re-authentication needed)."""
        now = self._now()
        with self._write() as c:
            c.execute(
                "UPDATE items SET state = CASE WHEN attempts > 0 THEN ? ELSE ? END, lease_owner = NULL, "
                "lease_expires = NULL, updated_at = ? WHERE id = ? AND state = ?",
                (RETRY, PENDING, now, item_id, SENDING),
            )

    def reclaim_leases(self, *, include_own: bool = False) -> int:
        """Return to the queue every item leased by a sender that died or whose lease expired.

        Called when the outbox is opened. ``include_own`` also reclaims this outbox's own leases (after
        the engine stopped with uploads cut short).
        """
        now = self._now()
        with self._write() as c:
            rows = c.execute(
                "SELECT seq, lease_owner, lease_expires FROM items WHERE state = ?", (SENDING,)
            ).fetchall()
            stale = [
                seq
                for seq, owner, expires in rows
                if (expires is None or expires <= now)
                or _owner_dead(owner)
                or (include_own and owner == self.owner)
            ]
            for seq in stale:
                c.execute(
                    "UPDATE items SET state = CASE WHEN attempts > 0 THEN ? ELSE ? END, "
                    "next_attempt_at = ?, last_error = COALESCE(last_error, ?), lease_owner = NULL, "
                    "lease_expires = NULL, updated_at = ? WHERE seq = ?",
                    (RETRY, PENDING, now, "An upload was interrupted; it will be sent again.", now, seq),
                )
            return len(stale)

    def retry(self, item_id: str) -> None:
        """Operator action: send an item needing attention, quarantined or waiting again, now."""
        now = self._now()
        with self._write() as c:
            seq, state, _attempts = self._row_for_update(c, item_id)
            if state not in (ATTENTION, QUARANTINED, RETRY, PENDING):
                raise InvalidState(
                    f"Item {item_id} is {state}; only items waiting, needing attention or quarantined "
                    "can be retried.",
                    f"Item {item_id} berstatus {state}; hanya item yang menunggu, perlu perhatian atau "
                    "dikarantina yang dapat dikirim ulang.",
                )
            c.execute(
                "UPDATE items SET state = ?, next_attempt_at = 0, updated_at = ? WHERE seq = ?",
                (PENDING, now, seq),
            )
        self._notify()

    def make_due(self, outcome: str) -> int:
        """Make every retry-waiting item whose last failure was ``outcome`` due now (network is back)."""
        now = self._now()
        with self._write() as c:
            cur = c.execute(
                "UPDATE items SET next_attempt_at = ? WHERE state = ? AND last_outcome = ? "
                "AND next_attempt_at > ?",
                (now, RETRY, outcome, now),
            )
            return int(cur.rowcount)

    def purge_tombstones(self, older_than: dt.timedelta) -> int:
        """Delete delivered tombstones older than ``older_than``; returns how many."""
        cutoff = self._now() - older_than.total_seconds()
        with self._write() as c:
            cur = c.execute("DELETE FROM items WHERE state = ? AND delivered_at < ?", (DELIVERED, cutoff))
            return int(cur.rowcount)

    def set_hold_until(self, when: float | None) -> None:
        """Persist "send nothing before ``when``" (a server's Retry-After), surviving restarts."""
        with self._write() as c:
            if when is None:
                c.execute("DELETE FROM kv WHERE key = 'hold_until'")
            else:
                c.execute(
                    "INSERT OR REPLACE INTO kv (key, value) VALUES ('hold_until', ?)", (json.dumps(when),)
                )

    def hold_until(self) -> float | None:
        """The persisted Retry-After hold, if any."""
        with self._read() as c:
            row = c.execute("SELECT value FROM kv WHERE key = 'hold_until'").fetchone()
        value = _load_json(row[0]) if row else None
        return float(value) if isinstance(value, int | float) else None

    @staticmethod
    def _set_kv(c: sqlite3.Connection, key: str, error: str, now: float) -> None:
        c.execute("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)", (key, json.dumps([error, now])))

    @staticmethod
    def _row_for_update(c: sqlite3.Connection, item_id: str) -> tuple[int, str, int]:
        row = c.execute("SELECT seq, state, attempts FROM items WHERE id = ?", (item_id,)).fetchone()
        if row is None:
            raise UnknownItem(f"No item {item_id} in the outbox.", f"Tidak ada item {item_id}.")
        return int(row[0]), str(row[1]), int(row[2])

    # -- reading --------------------------------------------------------------------------------

    @staticmethod
    def _info(row: tuple[Any, ...]) -> ItemInfo:
        return ItemInfo(
            id=row[0],
            state=row[1],
            sha256=row[2],
            size=int(row[3]),
            meta=_load_json(row[4]) or {},
            created_at=float(row[5]),
            updated_at=float(row[6]),
            attempts=int(row[7]),
            next_attempt_at=float(row[8]),
            last_error=row[9],
            reason=row[10],
            receipt=_load_json(row[11]),
            delivered_at=row[12],
            lease_owner=row[13],
            lease_expires=row[14],
        )

    def get(self, item_id: str) -> ItemInfo | None:
        """One item's record, or ``None``."""
        with self._read() as c:
            row = c.execute(_SELECT_ITEMS + " WHERE id = ?", (item_id,)).fetchone()
        return self._info(row) if row else None

    def items(self, state: str | None = None) -> list[ItemInfo]:
        """Items in ``state`` (all when ``None``), oldest first."""
        with self._read() as c:
            if state is None:
                rows = c.execute(_SELECT_ITEMS + " ORDER BY seq").fetchall()
            else:
                rows = c.execute(
                    _SELECT_ITEMS + " WHERE state = ? ORDER BY seq",
                    (state,),
                ).fetchall()
        return [self._info(r) for r in rows]

    def blob(self, item_id: str) -> bytes | None:
        """The stored blob of a not-yet-delivered item (``None`` once delivered, or when damaged)."""
        with self._read() as c:
            row = c.execute(
                "SELECT b.data FROM items i JOIN blobs b ON b.seq = i.seq WHERE i.id = ?", (item_id,)
            ).fetchone()
        return bytes(row[0]) if row and isinstance(row[0], bytes) else None

    def next_due_at(self) -> float | None:
        """When the earliest waiting item becomes due (``None`` when nothing waits)."""
        with self._read() as c:
            row = c.execute(
                "SELECT MIN(next_attempt_at) FROM items WHERE state IN (?, ?)", (PENDING, RETRY)
            ).fetchone()
        return float(row[0]) if row and row[0] is not None else None

    def stats(self) -> OutboxStats:
        """Counts and times for the operator dashboard."""
        now = self._now()
        midnight = dt.datetime.fromtimestamp(now).replace(hour=0, minute=0, second=0, microsecond=0)
        with self._read() as c:
            counts = dict.fromkeys(STATES, 0)
            for state, count in c.execute("SELECT state, COUNT(*) FROM items GROUP BY state"):
                counts[str(state)] = int(count)
            oldest, size = c.execute(
                "SELECT MIN(created_at), COALESCE(SUM(size), 0) FROM items WHERE state IN (?, ?, ?)",
                WAITING_STATES,
            ).fetchone()
            today = c.execute(
                "SELECT COUNT(*) FROM items WHERE state = ? AND delivered_at >= ?",
                (DELIVERED, midnight.timestamp()),
            ).fetchone()[0]
            next_at = c.execute(
                "SELECT MIN(next_attempt_at) FROM items WHERE state IN (?, ?)", (PENDING, RETRY)
            ).fetchone()[0]
            kv = dict(c.execute("SELECT key, value FROM kv").fetchall())
        last_error = _load_json(kv.get("last_error"))
        success = _load_json(kv.get("last_success_at"))
        hold = _load_json(kv.get("hold_until"))
        return OutboxStats(
            counts=counts,
            waiting=sum(counts[s] for s in WAITING_STATES),
            delivered_today=int(today),
            oldest_waiting_age_s=max(0.0, now - float(oldest)) if oldest is not None else None,
            bytes_waiting=int(size),
            last_success_at=float(success) if isinstance(success, int | float) else None,
            last_error=str(last_error[0]) if isinstance(last_error, list) and last_error else None,
            last_error_at=float(last_error[1])
            if isinstance(last_error, list) and len(last_error) > 1
            else None,
            next_attempt_at=max(float(next_at), now) if next_at is not None else None,
            hold_until=float(hold) if isinstance(hold, int | float) and hold > now else None,
        )

    # -- export / import ------------------------------------------------------------------------

    def iter_waiting(self) -> Iterator[tuple[ItemInfo, bytes]]:
        """Yield (record, verified blob) for every item still to deliver, oldest first.

        Items whose blob fails its checksum are quarantined instead of yielded.
        """
        for info in [i for i in self.items() if i.state in WAITING_STATES]:
            blob = self.blob(info.id)
            if blob is None or hashlib.sha256(blob).hexdigest() != info.sha256:
                self._quarantine(info.id, "The stored payload does not match its checksum (sha256).")
                continue
            yield info, blob

    def _quarantine(self, item_id: str, reason: str) -> None:
        now = self._now()
        with self._write() as c:
            c.execute(
                "UPDATE items SET state = ?, reason = ?, last_error = ?, updated_at = ? WHERE id = ?",
                (QUARANTINED, reason, reason, now, item_id),
            )

    def export_to(self, path: Path | str) -> int:
        """Write every waiting item to one export file (see :mod:`offline_queue.exchange`)."""
        from offline_queue import exchange

        return exchange.write_export(Path(path), self.iter_waiting())

    def import_from(self, path: Path | str) -> ImportReport:
        """Add the items of an export file, skipping ids already known; all or nothing."""
        from offline_queue import exchange

        report = ImportReport()
        now = self._now()
        with self._write() as c:
            for entry in exchange.read_export(Path(path)):
                row = c.execute("SELECT sha256 FROM items WHERE id = ?", (entry.id,)).fetchone()
                if row is not None:
                    (report.skipped_known if row[0] == entry.sha256 else report.conflicts).append(entry.id)
                    continue
                cur = c.execute(
                    "INSERT INTO items (id, state, sha256, size, meta, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        entry.id,
                        PENDING,
                        entry.sha256,
                        len(entry.blob),
                        _meta_json(entry.meta),
                        entry.created_at,
                        now,
                    ),
                )
                c.execute("INSERT INTO blobs (seq, data) VALUES (?, ?)", (cur.lastrowid, entry.blob))
                report.imported.append(entry.id)
        if report.imported:
            self._notify()
        return report
