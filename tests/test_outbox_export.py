"""Carrying a queue on a USB stick: export to one file, import elsewhere, refuse damaged files."""

from __future__ import annotations

import json
import os
import struct
from pathlib import Path

import pytest

from offline_queue.errors import ExportFileInvalid
from offline_queue.exchange import MAGIC, read_export
from offline_queue.outbox import DELIVERED, PENDING, Outbox


@pytest.fixture
def source(tmp_path: Path) -> Outbox:
    ob = Outbox(tmp_path / "field.sqlite3")
    for i in range(4):
        ob.enqueue(f"id-{i}", os.urandom(3000 + i), {"kind": "registration"})
    ob.lease_next(60)
    ob.mark_delivered("id-0", {"ok": True})  # delivered items are not exported
    yield ob
    ob.close()


def test_round_trip_skips_known_ids(source: Outbox, tmp_path: Path) -> None:
    stick = tmp_path / "stick" / "queue.oqx"
    stick.parent.mkdir()
    assert source.export_to(stick) == 3
    with Outbox(tmp_path / "office.sqlite3") as office:
        office.enqueue("id-2", source.blob("id-2") or b"")
        office.enqueue("id-3", b"other content under the same id")
        report = office.import_from(stick)
        assert report.imported == ["id-1"]
        assert report.skipped_known == ["id-2"]
        assert report.conflicts == ["id-3"]
        assert office.blob("id-1") == source.blob("id-1")
        info = office.get("id-1")
        assert info is not None and info.state == PENDING and info.meta == {"kind": "registration"}
        again = office.import_from(stick)
        assert again.imported == [] and sorted(again.skipped_known) == ["id-1", "id-2"]
    assert source.get("id-0").state == DELIVERED  # type: ignore[union-attr]


def test_file_holds_only_the_blobs_and_a_manifest(source: Outbox, tmp_path: Path) -> None:
    path = tmp_path / "q.oqx"
    source.export_to(path)
    data = path.read_bytes()
    assert data.startswith(MAGIC)
    (n,) = struct.unpack(">Q", data[8:16])
    manifest = json.loads(data[16 : 16 + n])
    assert manifest["format"] == "offline-queue-export" and manifest["version"] == 1
    assert [i["id"] for i in manifest["items"]] == ["id-1", "id-2", "id-3"]
    assert [e.id for e in read_export(path)] == ["id-1", "id-2", "id-3"]


@pytest.mark.parametrize(
    "damage",
    ["truncate", "flip_blob", "flip_manifest", "empty", "junk", "drop_trailer"],
)
def test_damaged_files_are_refused_and_nothing_imported(source: Outbox, tmp_path: Path, damage: str) -> None:
    path = tmp_path / "q.oqx"
    source.export_to(path)
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "flip_blob":
        data[-100] ^= 0x01
    elif damage == "flip_manifest":
        data[20] ^= 0x20
    elif damage == "empty":
        data = bytearray()
    elif damage == "junk":
        data = bytearray(os.urandom(5000))
    elif damage == "drop_trailer":
        data = data[:-37]
    path.write_bytes(bytes(data))
    with Outbox(tmp_path / "office.sqlite3") as office:
        with pytest.raises(ExportFileInvalid) as info:
            office.import_from(path)
        assert "Nothing was imported" in str(info.value) and "Tidak ada yang diimpor" in info.value.id_text
        assert office.items() == []


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    from offline_queue.errors import OutboxError

    with Outbox(tmp_path / "o.sqlite3") as office, pytest.raises(OutboxError):
        office.import_from(tmp_path / "nope.oqx")


def test_export_is_atomic_over_an_existing_file(source: Outbox, tmp_path: Path) -> None:
    path = tmp_path / "q.oqx"
    path.write_bytes(b"previous")
    source.export_to(path)
    assert len(list(read_export(path))) == 3
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".q.oqx")] == []
