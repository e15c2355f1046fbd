"""The export file: the waiting items of an outbox in one file, for carrying on a USB stick.

Why a file of its own kind rather than a copy of the database: a copy would carry tombstones and
half-finished leases, could not be merged into another outbox, and a torn copy might open without
complaint. This format is append-only to write, checked end to end on read, and merges by id.

Format, version 1 (all integers big-endian)::

    offset  size  content
    0       8     magic b"OQXPORT1"
    8       8     n = length of the manifest in bytes (unsigned)
    16      n     manifest, UTF-8 JSON:
                    {"format": "offline-queue-export", "version": 1, "created_at": <unix seconds>,
                     "items": [{"id": str, "sha256": hex, "size": int, "meta": {...},
                                "created_at": <unix seconds>}, ...]}
    16+n    Σsize the blobs, concatenated in manifest order
    end-37  5     b"OQEND"
    end-32  32    sha256 (raw) of every byte before "OQEND"

Reading checks, in order: the magic, the whole-file sha256 (which catches truncation and any flipped
byte), the manifest, that the blob sizes add up to the file, and each blob's own sha256. The blobs are
the sealed (encrypted) envelopes exactly as enqueued, so the file holds no plaintext; ``meta`` holds only
what the caller put in the outbox's metadata.

Writing goes to a temporary file in the target folder, fsynced, then renamed over the target, so a
stick pulled out half-way leaves either the old file or no file, never a torn one under the final name.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import struct
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final

from offline_queue._sqlite import translate_os
from offline_queue.durable_dir import replacing
from offline_queue.errors import ExportFileInvalid, OutboxError
from offline_queue.outbox import ItemInfo, JSONScalar, _check_id

MAGIC: Final = b"OQXPORT1"
TRAILER_TAG: Final = b"OQEND"
FORMAT_NAME: Final = "offline-queue-export"
VERSION: Final = 1
_TRAILER_LEN: Final = len(TRAILER_TAG) + 32
_HEADER_LEN: Final = len(MAGIC) + 8
_CHUNK: Final = 1 << 20
MAX_MANIFEST_BYTES: Final = 64 << 20


@dataclass(frozen=True, slots=True)
class ExportEntry:
    """One item read back from an export file, blob already verified."""

    id: str
    sha256: str
    blob: bytes
    meta: dict[str, JSONScalar]
    created_at: float


def _invalid(path: Path, why_en: str, why_id: str) -> ExportFileInvalid:
    return ExportFileInvalid(
        f"{path} is not a usable queue export file: {why_en}. Nothing was imported.",
        f"{path} bukan berkas ekspor antrean yang dapat dipakai: {why_id}. Tidak ada yang diimpor.",
    )


_TEMP_NAME = re.compile(r"^\.(?P<target>.+)\.tmp-(?P<pid>\d+)$")
"""Temporary export files: ``.<target name>.tmp-<pid>`` (hidden, next to the target)."""
STALE_TEMP_AGE_S: Final = 6 * 3600.0
"""A temp file whose writer cannot be checked (Windows, another machine) is stale after this long."""


def _temp_owner_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True  # another thread of this process may be writing it
    if os.name != "posix":
        return False  # decided by age below
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def remove_stale_temp_files(folder: Path) -> int:
    """Delete temp files left in ``folder`` by exports that were killed or unplugged; returns bytes freed.

    Why: each killed export left a hidden file of its full size on the stick (4 files, 118.8 MB after 8
    kills, issue 22), which staff cannot see and which fills the stick. Only files named like ours and
    holding our format (or nothing yet) are removed, and only when their writer is gone: a process
    that no longer runs on this machine, or a file older than :data:`STALE_TEMP_AGE_S` where that
    cannot be checked.
    """
    freed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    now = time.time()
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if match is None:
            continue
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            info = entry.stat(follow_symlinks=False)
            with open(entry.path, "rb") as f:
                head = f.read(len(MAGIC))
            if head and not MAGIC.startswith(head) and head != MAGIC:
                continue  # not one of ours, whatever its name
            alive = _temp_owner_alive(int(match.group("pid")))
            if alive and (os.name == "posix" or now - info.st_mtime < STALE_TEMP_AGE_S):
                continue
            if not alive and os.name != "posix" and now - info.st_mtime < STALE_TEMP_AGE_S:
                continue
            os.unlink(entry.path)
            freed += info.st_size
        except OSError:
            continue
    return freed


def write_export(path: Path, items: Iterable[tuple[ItemInfo, bytes]]) -> int:
    """Write ``items`` to ``path`` atomically; returns how many were written (holds them in memory)."""
    entries = list(items)
    return write_export_stream(path, [(info, len(blob)) for info, blob in entries], (b for _i, b in entries))


def write_export_stream(path: Path, items: Sequence[tuple[ItemInfo, int]], blobs: Iterable[bytes]) -> int:
    """Write the export atomically from (record, size) pairs and the blobs in the same order.

    The manifest needs every size first; the blobs are then streamed one at a time, so memory stays at
    one blob. Stale temp files of killed exports are removed from the folder first.
    """
    remove_stale_temp_files(path.parent)
    manifest = {
        "format": FORMAT_NAME,
        "version": VERSION,
        "created_at": time.time(),
        "items": [
            {
                "id": info.id,
                "sha256": info.sha256,
                "size": size,
                "meta": info.meta,
                "created_at": info.created_at,
            }
            for info, size in items
        ],
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, sort_keys=True).encode()
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with replacing(path, tmp) as f:
            digest = hashlib.sha256()

            def put(data: bytes) -> None:
                digest.update(data)
                f.write(data)

            put(MAGIC)
            put(struct.pack(">Q", len(manifest_bytes)))
            put(manifest_bytes)
            written = 0
            for (_info, size), blob in zip(items, blobs, strict=False):
                if len(blob) != size:
                    raise OutboxError(
                        "An item changed while it was being exported; export again.",
                        "Sebuah item berubah saat diekspor; ekspor lagi.",
                    )
                put(blob)
                written += 1
            if written != len(items):
                raise OutboxError(
                    "An item disappeared while it was being exported; export again.",
                    "Sebuah item hilang saat diekspor; ekspor lagi.",
                )
            f.write(TRAILER_TAG + digest.digest())
    except OSError as exc:
        raise translate_os(exc, path) from exc
    return len(items)


def _read_exact(f: IO[bytes], n: int, path: Path) -> bytes:
    data = f.read(n)
    if len(data) != n:
        raise _invalid(path, "it ends too early (truncated)", "berkas terpotong")
    return data


def _parse_manifest(raw: bytes, path: Path) -> list[dict[str, Any]]:
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:  # RecursionError: absurd nesting
        raise _invalid(path, "its manifest is not valid JSON", "manifesnya bukan JSON yang sah") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise _invalid(path, "its manifest is of another kind", "manifesnya berjenis lain")
    if manifest.get("version") != VERSION:
        raise _invalid(
            path,
            f"it is format version {manifest.get('version')!r}; this program reads version {VERSION}",
            f"versi formatnya {manifest.get('version')!r}; program ini membaca versi {VERSION}",
        )
    items = manifest.get("items")
    if not isinstance(items, list):
        raise _invalid(path, "its manifest has no item list", "manifesnya tidak berisi daftar item")
    for item in items:
        ok = (
            isinstance(item, dict)
            and isinstance(item.get("id"), str)
            and _usable_id(item["id"])
            and isinstance(item.get("sha256"), str)
            and isinstance(item.get("size"), int)
            and item["size"] >= 0
            and isinstance(item.get("meta", {}), dict)
            and isinstance(item.get("created_at", 0), int | float)
            and _storable(item)
        )
        if not ok:
            raise _invalid(path, "an item in its manifest is malformed", "ada item di manifes yang rusak")
    return items


def _usable_id(item_id: str) -> bool:
    """Whether :meth:`Outbox.enqueue` would accept ``item_id`` (an import must not store what it refuses).

    Why: an empty id or one with ``/`` or control characters cannot be uploaded under its own URL and
    would wait forever; such a file was made by something else or edited, so it is refused whole.
    """
    try:
        _check_id(item_id)
    except OutboxError:
        return False
    return True


def _storable(item: dict[str, Any]) -> bool:
    """Whether SQLite can store the item as read: a finite time, text without lone surrogates.

    Why: JSON admits ``1e999``-sized integers and ``"\\ud800"`` escapes that parse fine but fail later
    as ``OverflowError`` / ``UnicodeEncodeError`` inside the import transaction.
    """
    try:
        json.dumps([item["id"], item.get("meta", {})], ensure_ascii=False).encode("utf-8")
        return math.isfinite(float(item.get("created_at", 0)))
    except (UnicodeEncodeError, OverflowError, ValueError, TypeError, RecursionError):
        return False


class ExportReader:
    """An export file checked end to end on construction, then read one item at a time.

    Why two steps: the whole-file checksum and the manifest are verified before any caller takes a
    lock or stores anything, and the blobs are then read one by one (an item over the caller's limit is
    skipped unread), so a 400 MB item on a stick no longer takes a gigabyte of memory.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            size = path.stat().st_size
            with open(path, "rb") as f:
                self.items, self._blobs_at = self._check(f, size)
        except OSError as exc:
            raise translate_os(exc, path) from exc

    def _check(self, f: IO[bytes], size: int) -> tuple[list[dict[str, Any]], int]:
        path = self.path
        if size < _HEADER_LEN + _TRAILER_LEN:
            raise _invalid(path, "it is too short (truncated or empty)", "berkas terlalu pendek")
        if f.read(len(MAGIC)) != MAGIC:
            raise _invalid(path, "it does not start with the export marker", "penanda ekspor tidak ada")
        f.seek(0)
        digest = hashlib.sha256()
        remaining = size - _TRAILER_LEN
        while remaining:
            chunk = f.read(min(_CHUNK, remaining))
            if not chunk:
                raise _invalid(path, "it ends too early (truncated)", "berkas terpotong")
            digest.update(chunk)
            remaining -= len(chunk)
        trailer = _read_exact(f, _TRAILER_LEN, path)
        if trailer[: len(TRAILER_TAG)] != TRAILER_TAG or trailer[len(TRAILER_TAG) :] != digest.digest():
            raise _invalid(
                path,
                "its checksum does not match (the file is truncated or damaged)",
                "checksum tidak cocok (berkas terpotong atau rusak)",
            )
        f.seek(len(MAGIC))
        (manifest_len,) = struct.unpack(">Q", _read_exact(f, 8, path))
        if manifest_len > min(MAX_MANIFEST_BYTES, size):
            raise _invalid(path, "its manifest length is impossible", "panjang manifesnya mustahil")
        items = _parse_manifest(_read_exact(f, manifest_len, path), path)
        if _HEADER_LEN + manifest_len + sum(i["size"] for i in items) + _TRAILER_LEN != size:
            raise _invalid(path, "its item sizes do not add up to the file size", "ukuran item tidak cocok")
        return items, _HEADER_LEN + manifest_len

    def entries(self, max_item_bytes: int | None = None) -> Iterator[tuple[dict[str, Any], bytes | None]]:
        """Yield (manifest item, verified blob) in file order; the blob is ``None`` when over the limit."""
        path = self.path
        try:
            f = open(path, "rb")  # closed in the finally below, across yields
        except OSError as exc:
            raise translate_os(exc, path) from exc
        try:
            f.seek(self._blobs_at)
            for item in self.items:
                if max_item_bytes is not None and item["size"] > max_item_bytes:
                    f.seek(item["size"], os.SEEK_CUR)
                    yield item, None
                    continue
                blob = _read_exact(f, item["size"], path)
                if hashlib.sha256(blob).hexdigest() != item["sha256"]:
                    raise _invalid(
                        path,
                        f"item {item['id']} does not match its checksum",
                        f"item {item['id']} tidak cocok dengan checksum-nya",
                    )
                yield item, blob
                del blob
        except OSError as exc:
            raise translate_os(exc, path) from exc
        finally:
            f.close()


def read_export(path: Path) -> Iterator[ExportEntry]:
    """Yield the verified entries of an export file; raise :class:`ExportFileInvalid` on any damage.

    The whole-file checksum is verified before the first entry is yielded, so a caller inserting inside
    one transaction never sees a torn file; blob checksums are verified as each entry is read.
    """
    reader = ExportReader(path)
    for item, blob in reader.entries():
        assert blob is not None
        yield ExportEntry(
            id=item["id"],
            sha256=item["sha256"],
            blob=blob,
            meta=item.get("meta", {}),
            created_at=float(item.get("created_at", 0.0)),
        )
