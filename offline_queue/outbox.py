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
import logging
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
from typing import Any, Final, TypeVar

from offline_queue import _sqlite, recovery
from offline_queue.errors import (
    DuplicateItem,
    InvalidState,
    OutboxCorrupted,
    OutboxError,
    OutboxFull,
    OutboxUnavailable,
    UnknownItem,
)
from offline_queue.reasons import ReasonCode
from offline_queue.recovery import Recovery

JSONScalar = str | int | float | bool | None
_T = TypeVar("_T")
log = logging.getLogger(__name__)

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
TIGHT_FREE_BYTES: Final = 64 << 20
"""Below this much free disk the outbox checkpoints early (see :data:`TIGHT_CHECKPOINT_EVERY_BYTES`)."""
TIGHT_CHECKPOINT_EVERY_BYTES: Final = 512 * 1024
TIGHT_AUTOCHECKPOINT_PAGES: Final = _sqlite.WAL_AUTOCHECKPOINT_PAGES
"""Why two settings: whatever waits in the WAL needs as much again in the database file before the
WAL can be reused, so on a full disk 2.8 MB stuck in the WAL deadlocked delivery (issue 22). Checkpointing
every 512 KB costs enqueue latency (about a fifth more time per registration in ``bench.queue``), so the
outbox does it only while the disk has less than 64 MB free, checked as bytes are committed."""
SCHEMA_VERSION: Final = 2
#: ``MIGRATIONS[v]``: the SQL statements that take a version-``v`` outbox to ``v + 1`` (``_migrate_schema``).
#: Add one entry with each ``SCHEMA_VERSION`` bump; tests open the committed version-1 file
#: (``tests/fixtures/outbox-v1.sqlite``) with every later version.
MIGRATIONS: dict[int, tuple[str, ...]] = {
    # 2: why an item waits or was refused, as a code (``offline_queue.reasons``; issue 21) next to the
    # English sentence, so the console chooses its words by code instead of matching sentences.
    # Items already waiting or refused get the code their engine sentence stands for, so an outbox
    # carried over from schema 1 keeps showing staff words in their language.
    1: (
        "ALTER TABLE items ADD COLUMN reason_code TEXT",
        *(
            f"UPDATE items SET reason_code = '{code}' WHERE reason_code IS NULL "  # noqa: S608 (constants)
            f"AND instr(COALESCE(reason, last_error, ''), '{needle}') > 0"
            for needle, code in (
                ("does not match its checksum", "blob_damaged"),
                ("not binary data", "blob_damaged"),
                ("payload is missing", "blob_missing"),
                ("was interrupted", "interrupted"),
                ("login page", "reply_not_server"),
                ("the network needs a login", "redirected"),
                ("cannot be reached", "unreachable"),
                ("did not answer in time", "no_answer"),
                ("Server busy", "server_busy"),
                ("Server error", "server_error"),
                ("The connection broke during the upload", "connection_broke"),
                ("The connection broke during the server", "reply_broke"),
                ("(TLS)", "tls_failed"),
                ("(no receipt)", "no_receipt"),
                ("receipt does not match", "receipt_mismatch"),
                ("Sending failed", "sending_failed"),
            )
        ),
    ),
}


class OutboxSchemaNewer(OutboxUnavailable):
    """The outbox file has a newer schema than this app knows; it was not touched."""


DEFAULT_MAX_IMPORT_ITEM_BYTES: Final = 64 << 20
"""An import refuses items bigger than this unless the caller gives its own (smaller) limit."""

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
    reason TEXT,
    reason_code TEXT
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
    "reason, receipt, delivered_at, lease_owner, lease_expires, reason_code FROM items"
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
    reason_code: str | None = None
    """Why, as an ``offline_queue.reasons.ReasonCode`` value (``None`` before schema 2 or when unknown)."""


@dataclass(frozen=True, slots=True)
class LeasedItem:
    """An item handed to a sender, with its verified blob. ``seq`` is its row (outcomes are recorded by it)."""

    id: str
    blob: bytes
    sha256: str
    attempts: int
    meta: dict[str, JSONScalar]
    owner: str
    seq: int = 0


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
    auth_error: str | None = None
    """Why the server refused this sender's credentials (uploads stopped), until a delivery succeeds."""
    auth_error_at: float | None = None


@dataclass(frozen=True, slots=True)
class ImportReport:
    """The result of importing an export file."""

    imported: list[str] = field(default_factory=list)
    skipped_known: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    rejected: list[tuple[str, str]] = field(default_factory=list)
    """(id, reason) of items refused: too big, or not accepted by the caller's validator."""


ImportValidator = Callable[[str, bytes], str | None]
"""``validate(item_id, blob)`` returns why an imported item is refused, or ``None`` to accept it."""


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

    Opening checks the whole file (``PRAGMA integrity_check``). A damaged index is rebuilt; a damaged
    file is moved aside (kept for inspection) and its readable rows are salvaged into a new outbox; ids
    acknowledged earlier but now missing are found through the ledger. What was found is in
    :attr:`recovery` (this open) and :meth:`last_recovery` (kept until :meth:`acknowledge_recovery`).
    Only when even a new file cannot be made does opening raise :class:`OutboxCorrupted`.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        clock: Callable[[], float] = time.time,
        max_bytes: int | None = None,
        owner: str | None = None,
        reserve_bytes: int = recovery.RESERVE_BYTES,
    ) -> None:
        self.path = Path(path)
        self.owner = owner or make_owner()
        self.clock = clock
        self.max_bytes = max_bytes
        self.reserve_bytes = max(0, int(reserve_bytes))
        self.recovery: Recovery | None = None
        self._lock = threading.RLock()
        self._listeners: list[Callable[[], None]] = []
        self._written = 0
        self._checkpoint_wanted = threading.Event()
        self._closing = False
        self._checkpointer: threading.Thread | None = None
        self._leased_seq: dict[str, int] = {}
        self._reserve_retry_at = 0.0
        self._tight = True  # until the first disk check: the connection starts with early checkpoints
        self._since_disk_check = 0
        self._ledger = recovery.LedgerSyncer(self.path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _sqlite.translate_os(exc, self.path.parent) from exc
        # Read the ledger before the database: an id acknowledged by a concurrent writer after this
        # point is then in the database when it is read, never reported lost by mistake.
        ledger = recovery.ledger_read(self.path)
        found = self._open_database()
        self._check_disk()
        self._compare_ledger(ledger, found)
        recovery.ensure_reserve(self.path, self.reserve_bytes)
        self._with_reserve(self.reclaim_leases)

    def _open_database(self) -> Recovery | None:
        """Connect, check and (re)create the schema; on a full disk give the reserve back and retry once."""
        try:
            try:
                return self._connect_checked()
            except OutboxFull:
                if not recovery.release_reserve(self.path):
                    raise
                return self._connect_checked()
        except OutboxCorrupted as err:
            return self._salvage_damaged(err)

    def _connect_checked(self) -> Recovery | None:
        repaired: Recovery | None = None
        try:
            self._conn = _sqlite.connect(self.path, self.max_bytes)
            problems = _sqlite.integrity_problems(self._conn)
            if problems and _sqlite.only_index_problems(problems):
                # A damaged index is redundant data: rebuild it from the table rows, nothing is lost.
                self._conn.execute("REINDEX")
                repaired = Recovery(at=self._now(), repaired_index=True, problems=tuple(problems))
                problems = _sqlite.integrity_problems(self._conn)
            if problems:
                raise sqlite3.DatabaseError("database disk image is malformed (integrity_check failed)")
            self._migrate_schema(int(self._conn.execute("PRAGMA user_version").fetchone()[0]))
        except sqlite3.Error as exc:
            err = _sqlite.translate(exc, self.path)
            self._close_quietly()
            raise err from exc
        except OutboxError:
            self._close_quietly()
            raise
        return repaired

    def _migrate_schema(self, found: int) -> None:
        """Bring the file to :data:`SCHEMA_VERSION` (issue 19): create it (0), migrate it forward, or refuse.

        Why: the version was written but never read, so a newer app's outbox opened by an older one
        would have been silently re-stamped as old. Forward steps are :data:`MIGRATIONS` ``[v]`` (SQL
        taking version ``v`` to ``v + 1``), all applied in *one* transaction together with the new
        ``user_version``, so a failure (full disk, power cut) leaves the file at its old version, whole.
        A file from a newer schema is refused with :class:`OutboxSchemaNewer` and left untouched.
        """
        if found == SCHEMA_VERSION:
            return
        if found > SCHEMA_VERSION:
            raise OutboxSchemaNewer(
                f"The outbox was written by a newer version of the app (schema {found}, this app knows "
                f"{SCHEMA_VERSION}); nothing was changed. Install that version or a newer one.",
                f"Antrean ini ditulis oleh versi aplikasi yang lebih baru (skema {found}, aplikasi ini "
                f"mengenal {SCHEMA_VERSION}); tidak ada yang diubah. Pasang versi itu atau yang lebih baru.",
            )
        if found == 0:
            self._create_schema()
            return
        with self._write() as c:
            for version in range(found, SCHEMA_VERSION):
                for statement in MIGRATIONS[version]:
                    c.execute(statement)
            c.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def _create_schema(self) -> None:
        with self._write() as c:
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    c.execute(statement)
            c.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def _close_quietly(self) -> None:
        conn = getattr(self, "_conn", None)
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.close()

    def _salvage_damaged(self, err: OutboxCorrupted) -> Recovery:
        """Move the damaged file aside, start a new one and copy the readable rows into it."""
        self._close_quietly()
        try:
            moved = _sqlite.move_aside(self.path)
        except OSError:
            raise OutboxCorrupted(
                f"The outbox file ({self.path}) is damaged and could not be moved aside. "
                "Copy it somewhere safe and ask for support.",
                f"Berkas antrean kiriman ({self.path}) rusak dan tidak dapat dipindahkan. "
                "Salin berkas itu ke tempat aman dan hubungi dukungan teknis.",
            ) from err
        try:
            self._connect_checked()
        except OutboxError as again:
            raise OutboxCorrupted(
                f"The outbox file was damaged and kept for inspection as {moved}, but a new outbox "
                f"cannot be made: {again.en_text}",
                f"Berkas antrean kiriman rusak dan disimpan untuk diperiksa sebagai {moved}, tetapi antrean "
                f"baru tidak dapat dibuat: {again.id_text}",
                moved_to=moved,
            ) from again
        counts = (0, 0, 0)
        try:
            with self._write() as c:
                counts = recovery.salvage(moved, c, self._now())
        except Exception:  # salvage is a bonus: the new outbox works without it
            log.exception("salvaging the damaged outbox file failed")
        salvaged, quarantined, unreadable = counts
        return Recovery(
            at=self._now(), moved_to=moved, salvaged=salvaged, quarantined=quarantined, unreadable=unreadable
        )

    def _compare_ledger(self, ledger: list[str] | None, found: Recovery | None) -> None:
        """Report acknowledged ids that are no longer in the database; keep the record for later starts."""
        with self._read() as c:
            present = [str(r[0]) for r in c.execute("SELECT id FROM items ORDER BY seq")]
        known = set(present)
        lost = tuple(i for i in ledger if i not in known) if ledger is not None else ()
        if ledger is None or lost:
            recovery.ledger_rewrite(self.path, present)
        if found is None and not lost:
            return
        base = found or Recovery(at=self._now())
        self.recovery = Recovery(
            at=base.at,
            moved_to=base.moved_to,
            salvaged=base.salvaged,
            quarantined=base.quarantined,
            unreadable=base.unreadable,
            lost_ids=lost,
            repaired_index=base.repaired_index,
            problems=base.problems,
        )
        log.error("outbox recovery: %s", self.recovery.words()[0])
        with contextlib.suppress(OutboxError):
            with self._write() as c:
                c.execute(
                    "INSERT OR REPLACE INTO kv (key, value) VALUES ('recovery', ?)",
                    (self.recovery.to_json(),),
                )

    def last_recovery(self) -> Recovery | None:
        """The last recovery recorded (this or an earlier start), until staff acknowledge it."""
        with self._read() as c:
            row = c.execute("SELECT value FROM kv WHERE key = 'recovery'").fetchone()
        return Recovery.from_json(row[0]) if row else None

    def acknowledge_recovery(self) -> None:
        """Staff have seen the recovery report: stop showing it."""
        with self._write() as c:
            c.execute("DELETE FROM kv WHERE key = 'recovery'")

    def _with_reserve(self, action: Callable[[], _T]) -> _T:
        """Run a write that records delivery progress; on a full disk release the reserve and retry once.

        Why only these writes: recording what the server already accepted frees space (the blob is
        dropped) and stops resends; new registrations must not eat the reserve, they get
        :class:`OutboxFull` with the space they need instead.
        """
        try:
            return action()
        except OutboxFull:
            if not recovery.release_reserve(self.path):
                raise
            self._reserve_retry_at = self._now() + 60.0
            return action()

    def _restore_reserve(self) -> None:
        if self.reserve_bytes and self._now() >= self._reserve_retry_at:
            if not recovery.reserve_path(self.path).exists():
                self._reserve_retry_at = self._now() + 60.0
                recovery.ensure_reserve(self.path, self.reserve_bytes)

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
        megabytes and sets its latency. Off the path, enqueue pays only its own commit's fsync. The
        threshold shrinks while the disk is nearly full (:meth:`_check_disk`).
        """
        self._written += nbytes
        self._since_disk_check += nbytes
        if self._since_disk_check >= TIGHT_CHECKPOINT_EVERY_BYTES:
            self._check_disk()
        if self._written < (TIGHT_CHECKPOINT_EVERY_BYTES if self._tight else CHECKPOINT_EVERY_BYTES):
            return
        self._written = 0
        if self._checkpointer is None:
            self._checkpointer = threading.Thread(
                target=self._checkpoint_loop, name="offline-queue-checkpoint", daemon=True
            )
            self._checkpointer.start()
        self._checkpoint_wanted.set()

    def _check_disk(self) -> None:
        """Switch between relaxed and early checkpoints by the free space on the outbox's disk."""
        self._since_disk_check = 0
        free = _sqlite.free_bytes(self.path)
        tight = free is not None and free < TIGHT_FREE_BYTES
        if tight == self._tight:
            return
        self._tight = tight
        pages = TIGHT_AUTOCHECKPOINT_PAGES if tight else AUTOCHECKPOINT_PAGES
        with contextlib.suppress(sqlite3.Error), self._lock:
            self._conn.execute(f"PRAGMA wal_autocheckpoint={pages}")
        if tight:
            log.warning("less than %d MB free: the outbox checkpoints early", TIGHT_FREE_BYTES >> 20)

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
        """Stop the checkpointer and the ledger's syncer and close the database connection."""
        self._ledger.close()
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
        try:
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
        except OutboxFull as err:
            raise self._full(len(data)) from err
        self._ledger.append([item_id])
        self._wrote(len(data))
        self._notify()
        return True

    def _full(self, nbytes: int) -> OutboxFull:
        """The "full" error for a write of ``nbytes``: the size limit when that is what was hit, else the disk.

        A blob is written twice before it settles (WAL, then the checkpoint into the database file), so
        about twice its size plus a megabyte must be free.
        """
        want = 2 * int(nbytes) + _sqlite.DEFAULT_WANT_BYTES
        if self.max_bytes is not None:
            with contextlib.suppress(sqlite3.Error):
                with self._lock:
                    pages = int(self._conn.execute("PRAGMA page_count").fetchone()[0])
                    size = int(self._conn.execute("PRAGMA page_size").fetchone()[0])
                if (pages + 2) * size + nbytes > self.max_bytes:
                    return _sqlite.limit_error(self.path, self.max_bytes, nbytes)
        return _sqlite.full_error(self.path, want)

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
        item = self._with_reserve(lambda: self._lease(who, now, lease_seconds, ignore_schedule, exclude))
        if item is not None:
            self._leased_seq[item.id] = item.seq
        return item

    def _lease(
        self, who: str, now: float, lease_seconds: float, ignore_schedule: bool, exclude: frozenset[str]
    ) -> LeasedItem | None:
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
                    problem, code = "The stored payload is missing.", ReasonCode.BLOB_MISSING
                elif not isinstance(blob_row[0], bytes):
                    problem = "The stored payload is not binary data; it was damaged."
                    code = ReasonCode.BLOB_DAMAGED
                elif hashlib.sha256(blob_row[0]).hexdigest() != digest:
                    problem = "The stored payload does not match its checksum (sha256); it was damaged."
                    code = ReasonCode.BLOB_DAMAGED
                if problem is not None:
                    c.execute(
                        "UPDATE items SET state = ?, reason = ?, reason_code = ?, last_error = ?, "
                        "updated_at = ? WHERE seq = ?",
                        (QUARANTINED, problem, code, problem, now, seq),
                    )
                    self._set_kv(c, "last_error", problem, now)
                    continue
                c.execute(
                    "UPDATE items SET state = ?, lease_owner = ?, lease_expires = ?, updated_at = ? "
                    "WHERE seq = ?",
                    (SENDING, who, now + lease_seconds, now, seq),
                )
                return LeasedItem(
                    seq=int(seq),
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

        def record() -> None:
            with self._write() as c:
                seq, state, _attempts = self._row_for_update(c, item_id)
                if state == DELIVERED:
                    return
                c.execute(
                    "UPDATE items SET state = ?, receipt = ?, delivered_at = ?, updated_at = ?, "
                    "attempts = attempts + 1, lease_owner = NULL, lease_expires = NULL, last_error = NULL, "
                    "reason = NULL, reason_code = NULL, last_outcome = 'delivered' WHERE seq = ?",
                    (DELIVERED, receipt_text, now, now, seq),
                )
                c.execute("DELETE FROM blobs WHERE seq = ?", (seq,))
                c.execute(
                    "INSERT OR REPLACE INTO kv (key, value) VALUES ('last_success_at', ?)", (json.dumps(now),)
                )
                c.execute("DELETE FROM kv WHERE key = 'auth_error'")

        self._with_reserve(record)
        self._leased_seq.pop(item_id, None)
        self._restore_reserve()

    def mark_retry(
        self,
        item_id: str,
        error: str,
        next_attempt_at: float,
        *,
        outcome: str = "retry",
        count_attempt: bool = True,
        code: str | None = None,
    ) -> int:
        """Put a leased item back to wait until ``next_attempt_at``; returns its attempt count.

        ``code`` is the reason's :class:`~offline_queue.reasons.ReasonCode` value, when known."""
        now = self._now()

        def record() -> int:
            with self._write() as c:
                row = self._row_for_update(c, item_id)
                seq, state, attempts = row
                if state == DELIVERED:
                    return int(attempts)
                attempts = int(attempts) + (1 if count_attempt else 0)
                c.execute(
                    "UPDATE items SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ?, "
                    "reason_code = ?, last_outcome = ?, lease_owner = NULL, lease_expires = NULL, "
                    "updated_at = ? WHERE seq = ?",
                    (RETRY, attempts, next_attempt_at, error, code, outcome, now, seq),
                )
                self._set_kv(c, "last_error", error, now)
                return attempts

        result = self._with_reserve(record)
        self._leased_seq.pop(item_id, None)
        return result

    def mark_attention(
        self,
        item_id: str,
        reason: str,
        receipt: Mapping[str, Any] | None = None,
        *,
        code: str | None = None,
    ) -> None:
        """Record a permanent refusal with the server's reason (and its ``code``, when known); an
        operator decides what next."""
        now = self._now()
        receipt_text = json.dumps(dict(receipt), sort_keys=True, default=str) if receipt else None

        def record() -> None:
            with self._write() as c:
                seq, state, _attempts = self._row_for_update(c, item_id)
                if state == DELIVERED:
                    return
                c.execute(
                    "UPDATE items SET state = ?, reason = ?, reason_code = ?, last_error = ?, receipt = ?, "
                    "attempts = attempts + 1, last_outcome = 'attention', lease_owner = NULL, "
                    "lease_expires = NULL, updated_at = ? WHERE seq = ?",
                    (ATTENTION, reason, code, reason, receipt_text, now, seq),
                )
                self._set_kv(c, "last_error", reason, now)

        self._with_reserve(record)
        self._leased_seq.pop(item_id, None)

    def release(self, item_id: str) -> None:
        """Give a lease back without counting an attempt (stop requested, re-authentication needed)."""
        now = self._now()

        def record() -> None:
            with self._write() as c:
                seq = self._row_for_update(c, item_id)[0]
                c.execute(
                    "UPDATE items SET state = CASE WHEN attempts > 0 THEN ? ELSE ? END, lease_owner = NULL, "
                    "lease_expires = NULL, updated_at = ? WHERE seq = ? AND state = ?",
                    (RETRY, PENDING, now, seq, SENDING),
                )

        with contextlib.suppress(UnknownItem):
            self._with_reserve(record)
        self._leased_seq.pop(item_id, None)

    def reclaim_leases(self, *, include_own: bool = False) -> int:
        """Return to the queue every item leased by a sender that died or whose lease expired.

        Called when the outbox is opened. ``include_own`` also reclaims this outbox's own leases (after
        the engine stopped with uploads cut short).
        """
        return self._with_reserve(lambda: self._reclaim(include_own))

    def _reclaim(self, include_own: bool) -> int:
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
                    "next_attempt_at = ?, reason_code = CASE WHEN last_error IS NULL THEN ? ELSE reason_code "
                    "END, last_error = COALESCE(last_error, ?), lease_owner = NULL, "
                    "lease_expires = NULL, updated_at = ? WHERE seq = ?",
                    (
                        RETRY,
                        PENDING,
                        now,
                        ReasonCode.INTERRUPTED,
                        "An upload was interrupted; it will be sent again.",
                        now,
                        seq,
                    ),
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

        def record() -> int:
            with self._write() as c:
                cur = c.execute(
                    "UPDATE items SET next_attempt_at = ? WHERE state = ? AND last_outcome = ? "
                    "AND next_attempt_at > ?",
                    (now, RETRY, outcome, now),
                )
                return int(cur.rowcount)

        return self._with_reserve(record)

    def clamp_schedule(self, latest: float) -> int:
        """Bring every waiting item scheduled after ``latest`` back to ``latest``; returns how many.

        Why: next-attempt times are wall-clock times; after the clock is stepped back (NTP fixing a
        clock hours ahead) they lie hours in the future although no backoff is that long. The sync
        engine calls this at start-up and on a clock step with ``now + backoff cap`` (issue 22).
        """
        with self._write() as c:
            cur = c.execute(
                "UPDATE items SET next_attempt_at = ? WHERE state IN (?, ?) AND next_attempt_at > ?",
                (latest, PENDING, RETRY, latest),
            )
            return int(cur.rowcount)

    def purge_tombstones(self, older_than: dt.timedelta) -> int:
        """Delete delivered tombstones older than ``older_than``; returns how many."""
        cutoff = self._now() - older_than.total_seconds()
        with self._write() as c:
            cur = c.execute("DELETE FROM items WHERE state = ? AND delivered_at < ?", (DELIVERED, cutoff))
            purged = int(cur.rowcount)
        if purged:  # the ledger forgets them too, or the next start would report them lost
            with self._read() as c:
                present = [str(r[0]) for r in c.execute("SELECT id FROM items ORDER BY seq")]
            recovery.ledger_rewrite(self.path, present)
        return purged

    def set_hold_until(self, when: float | None) -> None:
        """Persist "send nothing before ``when``" (a server's Retry-After), surviving restarts."""

        def record() -> None:
            with self._write() as c:
                if when is None:
                    c.execute("DELETE FROM kv WHERE key = 'hold_until'")
                else:
                    c.execute(
                        "INSERT OR REPLACE INTO kv (key, value) VALUES ('hold_until', ?)", (json.dumps(when),)
                    )

        self._with_reserve(record)

    def set_auth_error(self, reason: str | None) -> None:
        """Persist why the server refused this sender's credentials (``None`` clears it).

        Why persisted: a revoked or expired device stops every upload; staff must see why on the
        dashboard and in ``status`` even after a restart, not an "online" kiosk with no error.
        A successful delivery clears it.
        """
        now = self._now()
        with self._write() as c:
            if reason is None:
                c.execute("DELETE FROM kv WHERE key = 'auth_error'")
            else:
                self._set_kv(c, "auth_error", reason, now)
                self._set_kv(c, "last_error", reason, now)

    def get_value(self, key: str) -> str | None:
        """A caller's own small setting kept with the queue (e.g. which sender identity filled it)."""
        with self._read() as c:
            row = c.execute("SELECT value FROM kv WHERE key = ?", ("user:" + key,)).fetchone()
        return str(row[0]) if row else None

    def set_value(self, key: str, value: str | None) -> None:
        """Store (or with ``None`` remove) a caller's own small setting; see :meth:`get_value`."""
        with self._write() as c:
            if value is None:
                c.execute("DELETE FROM kv WHERE key = ?", ("user:" + key,))
            else:
                c.execute("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)", ("user:" + key, value))

    def retry_where_reason(self, needle: str) -> list[str]:
        """Operator-level retry of every item needing attention whose reason contains ``needle``.

        Used after the sender's credentials changed (a re-enrolled kiosk): refusals tied to the old
        identity may be accepted now. Returns the ids made due.
        """
        now = self._now()
        with self._write() as c:
            rows = c.execute(
                "SELECT seq, id FROM items WHERE state = ? AND instr(COALESCE(reason, ''), ?) > 0",
                (ATTENTION, needle),
            ).fetchall()
            for seq, _item_id in rows:
                c.execute(
                    "UPDATE items SET state = ?, next_attempt_at = 0, updated_at = ? WHERE seq = ?",
                    (PENDING, now, seq),
                )
        if rows:
            self._notify()
        return [str(r[1]) for r in rows]

    def hold_until(self) -> float | None:
        """The persisted Retry-After hold, if any."""
        with self._read() as c:
            row = c.execute("SELECT value FROM kv WHERE key = 'hold_until'").fetchone()
        value = _load_json(row[0]) if row else None
        return float(value) if isinstance(value, int | float) else None

    @staticmethod
    def _set_kv(c: sqlite3.Connection, key: str, error: str, now: float) -> None:
        c.execute("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)", (key, json.dumps([error, now])))

    def _row_for_update(self, c: sqlite3.Connection, item_id: str) -> tuple[int, str, int]:
        """(seq, state, attempts) of ``item_id``: by the row its lease came from when there is one.

        Why by ``seq``: a lookup by id goes through the ``items.id`` index; when that index is damaged
        the row is not found, the outcome is never recorded and the item is resent on every lease. The
        row itself (found by its rowid) still holds the right id, which is checked.
        """
        seq = self._leased_seq.get(item_id)
        if seq is not None:
            row = c.execute("SELECT seq, state, attempts, id FROM items WHERE seq = ?", (seq,)).fetchone()
            if row is not None and row[3] == item_id:
                return int(row[0]), str(row[1]), int(row[2])
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
            reason_code=row[15],
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
        auth = _load_json(kv.get("auth_error"))
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
            auth_error=str(auth[0]) if isinstance(auth, list) and auth else None,
            auth_error_at=float(auth[1]) if isinstance(auth, list) and len(auth) > 1 else None,
        )

    # -- export / import ------------------------------------------------------------------------

    @contextlib.contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read transaction on a connection of its own, for long reads (exports).

        Why its own connection: one snapshot makes the list and every blob agree (an item delivered
        meanwhile is still seen waiting, with its blob), and the sync engine, which shares this
        object's connection and lock, is not held up while a USB stick is written.
        """
        try:
            conn = sqlite3.connect(self.path, timeout=_sqlite.BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise _sqlite.translate(exc, self.path) from exc
        try:
            conn.execute("BEGIN")
            yield conn
        except sqlite3.Error as exc:
            raise _sqlite.translate(exc, self.path) from exc
        finally:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("COMMIT")
            conn.close()

    def _verified_waiting(self, conn: sqlite3.Connection) -> Iterator[tuple[int, ItemInfo, bytes]]:
        """(seq, record, blob) of every item waiting in ``conn``'s snapshot whose blob checks out.

        A waiting item whose blob is missing or damaged *in the same snapshot* is truly damaged and is
        quarantined (if it is still waiting by then); a delivered item is never touched.
        """
        rows = conn.execute(
            _SELECT_ITEMS.replace(" FROM items", ", seq FROM items")
            + " WHERE state IN (?, ?, ?) ORDER BY seq",
            WAITING_STATES,
        ).fetchall()
        for row in rows:
            seq, info = int(row[-1]), self._info(row[:-1])
            found = conn.execute("SELECT data FROM blobs WHERE seq = ?", (seq,)).fetchone()
            data = found[0] if found and isinstance(found[0], bytes) else None
            if data is None or hashlib.sha256(data).hexdigest() != info.sha256:
                self._quarantine_seq(
                    seq,
                    "The stored payload does not match its checksum (sha256).",
                    ReasonCode.BLOB_MISSING if data is None else ReasonCode.BLOB_DAMAGED,
                )
                continue
            yield seq, info, bytes(data)

    def iter_waiting(self) -> Iterator[tuple[ItemInfo, bytes]]:
        """Yield (record, verified blob) for every item still to deliver, oldest first, from one snapshot.

        Items whose blob fails its checksum are quarantined instead of yielded.
        """
        with self._snapshot() as conn:
            for _seq, info, data in self._verified_waiting(conn):
                yield info, data

    def _quarantine_seq(self, seq: int, reason: str, code: str | None = None) -> None:
        """Quarantine row ``seq`` only if it is still waiting and its blob is still missing or damaged."""
        now = self._now()
        with self._write() as c:
            row = c.execute("SELECT state, sha256 FROM items WHERE seq = ?", (seq,)).fetchone()
            if row is None or row[0] not in WAITING_STATES:
                return
            found = c.execute("SELECT data FROM blobs WHERE seq = ?", (seq,)).fetchone()
            if found and isinstance(found[0], bytes) and hashlib.sha256(found[0]).hexdigest() == row[1]:
                return
            c.execute(
                "UPDATE items SET state = ?, reason = ?, reason_code = ?, last_error = ?, updated_at = ? "
                "WHERE seq = ?",
                (QUARANTINED, reason, code, reason, now, seq),
            )

    def export_to(self, path: Path | str) -> int:
        """Write every waiting item to one export file (see :mod:`offline_queue.exchange`).

        Two passes over one snapshot: the first checks every blob (keeping none in memory), the second
        streams the good ones into the file, so memory stays at one blob however long the queue.
        """
        from offline_queue import exchange

        with self._snapshot() as conn:
            good = [(seq, info, len(data)) for seq, info, data in self._verified_waiting(conn)]

            def blobs() -> Iterator[bytes]:
                for seq, _info, _size in good:
                    row = conn.execute("SELECT data FROM blobs WHERE seq = ?", (seq,)).fetchone()
                    yield bytes(row[0])

            return exchange.write_export_stream(
                Path(path), [(info, size) for _seq, info, size in good], blobs()
            )

    def import_from(
        self,
        path: Path | str,
        *,
        max_item_bytes: int = DEFAULT_MAX_IMPORT_ITEM_BYTES,
        validate: ImportValidator | None = None,
    ) -> ImportReport:
        """Add the items of an export file, skipping ids already known; all or nothing for a damaged file.

        Items bigger than ``max_item_bytes`` are skipped unread and reported in ``rejected``, as are
        items ``validate`` refuses (the caller knows what a valid item is; this package does not).
        The whole file is checked before the write lock is taken, then read one item at a time, so
        memory stays near ``max_item_bytes`` whatever the file holds.
        """
        from offline_queue import exchange

        report = ImportReport()
        now = self._now()
        stored_bytes = 0
        reader = exchange.ExportReader(Path(path))
        with self._write() as c:
            for item, data in reader.entries(max_item_bytes):
                item_id = str(item["id"])
                if data is None:
                    size_mb = f"{item['size'] / _sqlite.MB:.1f}"
                    limit_mb = f"{max_item_bytes / _sqlite.MB:.1f}"
                    report.rejected.append(
                        (
                            item_id,
                            f"Item ini terlalu besar ({size_mb.replace('.', ',')} MB; paling besar "
                            f"{limit_mb.replace('.', ',')} MB). / The item is too large ({size_mb} MB; "
                            f"at most {limit_mb} MB).",
                        )
                    )
                    continue
                row = c.execute("SELECT sha256 FROM items WHERE id = ?", (item_id,)).fetchone()
                if row is not None:
                    (report.skipped_known if row[0] == item["sha256"] else report.conflicts).append(item_id)
                    continue
                problem = validate(item_id, data) if validate is not None else None
                if problem:
                    report.rejected.append((item_id, problem))
                    continue
                cur = c.execute(
                    "INSERT INTO items (id, state, sha256, size, meta, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        item_id,
                        PENDING,
                        item["sha256"],
                        len(data),
                        _meta_json(item.get("meta", {})),
                        float(item.get("created_at", 0.0)),
                        now,
                    ),
                )
                c.execute("INSERT INTO blobs (seq, data) VALUES (?, ?)", (cur.lastrowid, data))
                report.imported.append(item_id)
                stored_bytes += len(data)
        if report.imported:
            self._ledger.append(report.imported)
            self._wrote(stored_bytes)
            self._notify()
        return report
