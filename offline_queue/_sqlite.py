"""Opening the outbox database and turning SQLite failures into plain-words outbox errors.

Why a module of its own: the mapping from SQLite result codes (disk full, read-only, corrupt, busy) to
the errors the operator sees is the one place where storage failures become messages, and both the
outbox and the export/import code need it.
"""

from __future__ import annotations

import os
import shutil
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


MB: float = 1024 * 1024
DEFAULT_WANT_BYTES = 1 << 20
"""Free space asked for when a write of unknown size fails on a full disk (a few pages, a checkpoint)."""


def free_bytes(path: Path) -> int | None:
    """Free bytes on the file system holding ``path`` (its folder when absent); ``None`` if unknown."""
    target = path if path.exists() else path.parent
    try:
        return int(shutil.disk_usage(target).free)
    except OSError:
        return None


def _mb(n: float) -> str:
    return f"{max(0.1, n / MB):.1f}"


def full_error(path: Path, want_bytes: int = DEFAULT_WANT_BYTES) -> OutboxFull:
    """ "The disk is full", with how much more free space the failed write needs (about, in MB).

    Why the figure: staff on a full kiosk must know whether deleting one old download is enough or
    whether the machine needs Dinas IT; "free some space" alone left them guessing.
    """
    free = free_bytes(path) or 0
    need = max(int(want_bytes) - free, 64 * 1024)
    return OutboxFull(
        f"The disk holding the outbox ({path}) is full: about {_mb(need)} MB more free space is needed "
        f"({_mb(free)} MB free). Nothing already saved was lost; free some space, then save again.",
        f"Disk tempat antrean kiriman ({path}) penuh: perlu sekitar {_mb(need).replace('.', ',')} MB "
        f"ruang kosong lagi (tersisa {_mb(free).replace('.', ',')} MB). Data yang sudah tersimpan tidak "
        "hilang; kosongkan sebagian ruang, lalu simpan lagi.",
        needed_bytes=need,
    )


def limit_error(path: Path, limit_bytes: int, want_bytes: int) -> OutboxFull:
    """The outbox reached the size limit it was opened with (not the disk)."""
    return OutboxFull(
        f"The outbox ({path}) is full: it has reached its size limit of {_mb(limit_bytes)} MB; about "
        f"{_mb(want_bytes)} MB more would be needed. Nothing already saved was lost; send the queue "
        "(or export it) before saving more, or raise the limit in the settings.",
        f"Antrean kiriman ({path}) penuh: sudah mencapai batas ukurannya, {_mb(limit_bytes).replace('.', ',')} MB; "
        f"perlu sekitar {_mb(want_bytes).replace('.', ',')} MB lagi. Data yang sudah tersimpan tidak hilang; "
        "kirim (atau ekspor) antrean sebelum menyimpan lagi, atau naikkan batasnya di pengaturan.",
        needed_bytes=int(want_bytes),
    )


def _disk_nearly_full(path: Path) -> bool:
    free = free_bytes(path)
    return free is not None and free < DEFAULT_WANT_BYTES


def translate(exc: sqlite3.Error, path: Path) -> OutboxError:
    """The outbox error that explains ``exc`` to a person (the SQLite text stays in ``__cause__``).

    "No space left" reaches SQLite as ``SQLITE_FULL`` on most writes, but as an I/O error
    (``SQLITE_IOERR_WRITE``, ``_SHMSIZE``, ``_FSYNC``) on others; an I/O error on a disk with less than
    a megabyte free is reported as the full disk it is.
    """
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(exc).lower()
    if primary == _FULL or "disk is full" in text or (primary == _IOERR and _disk_nearly_full(path)):
        return full_error(path)
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

    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        free = free_bytes(path) or 0
        return OutboxFull(
            f"The disk holding {path} is full ({_mb(free)} MB free). Free some space and try again.",
            f"Disk tempat {path} penuh (tersisa {_mb(free).replace('.', ',')} MB). Kosongkan sebagian "
            "ruang lalu coba lagi.",
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


WAL_AUTOCHECKPOINT_PAGES = 512
"""SQLite's own checkpoint on the writer's path (2 MB of 4 KB pages) while the disk is nearly full (the
outbox relaxes it when there is room). Why small then: on a full disk every byte still in the WAL needs
as much again in the database file before the WAL can be reused (issue 22: 2.8 MB stuck)."""
JOURNAL_SIZE_LIMIT_BYTES = 2 << 20
"""After a checkpoint the WAL file is cut back to this size, so one burst does not keep its space."""


def connect(path: Path, max_bytes: int | None) -> sqlite3.Connection:
    """Open ``path`` with the outbox's durability settings (WAL, synchronous=FULL, busy timeout).

    ``isolation_level=None`` leaves transaction control to the caller, who writes with
    ``BEGIN IMMEDIATE`` so a writer takes the lock up front instead of failing half-way. The integrity
    check is the caller's (:func:`integrity_problems`), so it can repair an index instead of giving up.
    """
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    try:
        mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()
        if mode is None or str(mode[0]).lower() != "wal":
            raise sqlite3.OperationalError("attempt to write a readonly database (WAL mode refused)")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT_PAGES}")
        conn.execute(f"PRAGMA journal_size_limit={JOURNAL_SIZE_LIMIT_BYTES}")
        if max_bytes is not None:
            page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
            conn.execute(f"PRAGMA max_page_count={max(1, int(max_bytes) // page_size)}")
    except BaseException:
        conn.close()
        raise
    return conn


def integrity_problems(conn: sqlite3.Connection, limit: int = 50) -> list[str]:
    """What ``PRAGMA integrity_check`` finds (empty when the file is sound).

    Why the full check and not ``quick_check``: only the full one compares every index with its table;
    a damaged ``items.id`` index passed ``quick_check`` and made one item be re-sent on every lease
    (its outcome could not be recorded under its id).
    """
    rows = conn.execute(f"PRAGMA integrity_check({int(limit)})").fetchall()
    problems = [str(r[0]) for r in rows]
    return [] if problems == ["ok"] else problems


def only_index_problems(problems: list[str]) -> bool:
    """Whether every problem is an index disagreeing with its table (``REINDEX`` repairs those)."""
    return bool(problems) and all(
        "index" in p.lower() and "page" not in p.lower() and "tree" not in p.lower() for p in problems
    )
