"""Opening the outbox database and turning SQLite failures into plain-words outbox errors.

Why a module of its own: the mapping from SQLite result codes (disk full, read-only, corrupt, busy) to
the errors the operator sees is the one place where storage failures become messages, and both the
outbox and the export/import code need it.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from offline_queue.errors import (
    OutboxCorrupted,
    OutboxError,
    OutboxFull,
    OutboxReadOnly,
    OutboxUnavailable,
)

BUSY_TIMEOUT_S = 10.0

_FULL = getattr(sqlite3, "SQLITE_FULL", 13)
_READONLY = getattr(sqlite3, "SQLITE_READONLY", 8)
_CORRUPT = getattr(sqlite3, "SQLITE_CORRUPT", 11)
_NOTADB = getattr(sqlite3, "SQLITE_NOTADB", 26)
_CANTOPEN = getattr(sqlite3, "SQLITE_CANTOPEN", 14)
_PERM = getattr(sqlite3, "SQLITE_PERM", 3)
_IOERR = getattr(sqlite3, "SQLITE_IOERR", 10)
_BUSY = getattr(sqlite3, "SQLITE_BUSY", 5)
_LOCKED = getattr(sqlite3, "SQLITE_LOCKED", 6)


def _not_writable(path: Path) -> bool:
    """Whether the file (or, if absent, its folder) cannot be written: read-only mount or permissions."""
    target = path if path.exists() else path.parent
    try:
        if os.statvfs(target).f_flag & os.ST_RDONLY:
            return True
    except (OSError, AttributeError):
        pass
    return target.exists() and not os.access(target, os.W_OK)


def translate(exc: sqlite3.Error, path: Path) -> OutboxError:
    """The outbox error that explains ``exc`` to a person (the SQLite text stays in ``__cause__``)."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(exc).lower()
    if primary == _FULL or "disk is full" in text:
        return OutboxFull(
            f"The disk holding the outbox ({path}) is full. Nothing already saved was lost; "
            "free some space, then save again.",
            f"Disk tempat antrean kiriman ({path}) penuh. Data yang sudah tersimpan tidak hilang; "
            "kosongkan sebagian ruang, lalu simpan lagi.",
        )
    if primary == _READONLY or "readonly" in text or "read-only" in text or _not_writable(path):
        return OutboxReadOnly(
            f"The outbox ({path}) cannot be written: the disk or folder is read-only. "
            "Nothing already saved was lost.",
            f"Antrean kiriman ({path}) tidak dapat ditulisi: disk atau foldernya hanya-baca. "
            "Data yang sudah tersimpan tidak hilang.",
        )
    if primary in (_CORRUPT, _NOTADB) or "malformed" in text or "not a database" in text:
        return OutboxCorrupted(
            f"The outbox file ({path}) is damaged.",
            f"Berkas antrean kiriman ({path}) rusak.",
        )
    if primary in (_BUSY, _LOCKED):
        return OutboxUnavailable(
            f"The outbox ({path}) is busy in another program; try again in a moment.",
            f"Antrean kiriman ({path}) sedang dipakai program lain; coba lagi sebentar lagi.",
        )
    if primary in (_CANTOPEN, _PERM, _IOERR):
        return OutboxUnavailable(
            f"The outbox file ({path}) cannot be opened or read (missing folder, permissions or a disk "
            "error).",
            f"Berkas antrean kiriman ({path}) tidak dapat dibuka atau dibaca (folder tidak ada, izin, "
            "atau kerusakan disk).",
        )
    return OutboxUnavailable(
        f"The outbox ({path}) failed: {exc}.",
        f"Antrean kiriman ({path}) gagal: {exc}.",
    )


def translate_os(exc: OSError, path: Path) -> OutboxError:
    """The outbox error for a file-system failure outside SQLite (creating folders, export files)."""
    import errno

    if exc.errno == errno.ENOSPC:
        return OutboxFull(
            f"The disk holding {path} is full. Free some space and try again.",
            f"Disk tempat {path} penuh. Kosongkan sebagian ruang lalu coba lagi.",
        )
    if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return OutboxReadOnly(
            f"{path} cannot be written: the disk or folder is read-only or not permitted.",
            f"{path} tidak dapat ditulisi: disk atau foldernya hanya-baca atau tidak diizinkan.",
        )
    return OutboxUnavailable(
        f"{path} cannot be used: {exc.strerror or exc}.",
        f"{path} tidak dapat dipakai: {exc.strerror or exc}.",
    )


def move_aside(path: Path) -> Path:
    """Rename a damaged database (and its -wal/-shm companions) so it is kept for inspection.

    Returns the new path of the main file. Why keep it: a damaged file may still hold recoverable
    registrations; deleting it would lose them silently.
    """
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    for suffix in ("-wal", "-shm", ""):
        source = Path(f"{path}{suffix}")
        if source.exists():
            os.replace(source, Path(f"{target}{suffix}"))
    return target


def connect(path: Path, max_bytes: int | None) -> sqlite3.Connection:
    """Open ``path`` with the outbox's durability settings (WAL, synchronous=FULL, busy timeout).

    ``isolation_level=None`` leaves transaction control to the caller, who writes with
    ``BEGIN IMMEDIATE`` so a writer takes the lock up front instead of failing half-way.
    """
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    try:
        mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()
        if mode is None or str(mode[0]).lower() != "wal":
            raise sqlite3.OperationalError("attempt to write a readonly database (WAL mode refused)")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        if max_bytes is not None:
            page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
            conn.execute(f"PRAGMA max_page_count={max(1, int(max_bytes) // page_size)}")
        check = conn.execute("PRAGMA quick_check").fetchall()
        if [tuple(r) for r in check] != [("ok",)]:
            raise sqlite3.DatabaseError("database disk image is malformed (quick_check failed)")
    except BaseException:
        conn.close()
        raise
    return conn
