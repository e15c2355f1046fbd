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

import contextlib
import hashlib
import json
import math
import os
import struct
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Final

from offline_queue._sqlite import translate_os
from offline_queue.durable_dir import fsync_dir
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


def write_export(path: Path, items: Iterable[tuple[ItemInfo, bytes]]) -> int:
    """Write ``items`` to ``path`` atomically; returns how many were written."""
    entries = list(items)
    manifest = {
        "format": FORMAT_NAME,
        "version": VERSION,
        "created_at": time.time(),
        "items": [
            {
                "id": info.id,
                "sha256": info.sha256,
                "size": len(blob),
                "meta": info.meta,
                "created_at": info.created_at,
            }
            for info, blob in entries
        ],
    }
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, sort_keys=True).encode()
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as f:
            digest = hashlib.sha256()

            def put(data: bytes) -> None:
                digest.update(data)
                f.write(data)

            put(MAGIC)
            put(struct.pack(">Q", len(manifest_bytes)))
            put(manifest_bytes)
            for _info, blob in entries:
                put(blob)
            f.write(TRAILER_TAG + digest.digest())
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
        fsync_dir(path.parent)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise translate_os(exc, path) from exc
    return len(entries)


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


def read_export(path: Path) -> Iterator[ExportEntry]:
    """Yield the verified entries of an export file; raise :class:`ExportFileInvalid` on any damage.

    The whole-file checksum is verified before the first entry is yielded, so a caller inserting inside
    one transaction never sees a torn file; blob checksums are verified as each entry is read.
    """
    try:
        size = path.stat().st_size
        f = open(path, "rb")  # closed in the finally below, across yields
    except OSError as exc:
        raise translate_os(exc, path) from exc
    try:
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
        for item in items:
            blob = _read_exact(f, item["size"], path)
            if hashlib.sha256(blob).hexdigest() != item["sha256"]:
                raise _invalid(
                    path,
                    f"item {item['id']} does not match its checksum",
                    f"item {item['id']} tidak cocok dengan checksum-nya",
                )
            yield ExportEntry(
                id=item["id"],
                sha256=item["sha256"],
                blob=blob,
                meta=item.get("meta", {}),
                created_at=float(item.get("created_at", 0.0)),
            )
    except OSError as exc:
        raise translate_os(exc, path) from exc
    except OutboxError:
        raise
    finally:
        f.close()
