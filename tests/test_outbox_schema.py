"""Outbox schema versions (issue 19): read, migrate forward in one transaction, refuse a newer schema.

``tests/fixtures/outbox-v1.sqlite`` is an outbox in today's format (schema 1, three waiting items with
dummy blobs, no personal data), committed so every later schema is tested against a real old file.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from pathlib import Path

import pytest

from offline_queue import outbox as outbox_module
from offline_queue.errors import OutboxError
from offline_queue.outbox import Outbox, OutboxSchemaNewer

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "outbox-v1.sqlite"
IDS = [f"00000000-0000-4000-8000-00000000000{i}" for i in range(1, 4)]


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "outbox.sqlite"
    shutil.copyfile(FIXTURE, target)
    return target


def _version(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _columns(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {row[1] for row in conn.execute("PRAGMA table_info(items)")}


def test_a_copy_of_todays_format_opens_with_its_items(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    box = Outbox(path)
    try:
        assert sorted(i.id for i in box.items()) == IDS
        assert box.stats().waiting == 3
    finally:
        box.close()
    # Schema 2 (issue 21) added the reason code; today's file is migrated forward on open.
    assert _version(path) == outbox_module.SCHEMA_VERSION == 2
    assert "reason_code" in _columns(path)


def test_a_newer_schema_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version=7")
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(OutboxSchemaNewer) as refused:
        Outbox(path)
    assert "newer version" in refused.value.en_text and "lebih baru" in refused.value.id_text
    assert "skema 7" in refused.value.id_text
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert _version(path) == 7


def test_forward_migration_runs_in_one_transaction(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A future schema 3 (a new column) applied to a schema-1 file: both steps, data kept, version 3."""
    path = _copy(tmp_path)
    monkeypatch.setattr(outbox_module, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(
        outbox_module,
        "MIGRATIONS",
        {**outbox_module.MIGRATIONS, 2: ("ALTER TABLE items ADD COLUMN nik_key TEXT",)},
    )
    box = Outbox(path)
    try:
        assert sorted(i.id for i in box.items()) == IDS
    finally:
        box.close()
    assert _version(path) == 3 and {"nik_key", "reason_code"} <= _columns(path)


def test_a_failing_migration_leaves_the_old_version_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _copy(tmp_path)
    monkeypatch.setattr(outbox_module, "SCHEMA_VERSION", 3)
    monkeypatch.setattr(
        outbox_module,
        "MIGRATIONS",
        {
            **outbox_module.MIGRATIONS,
            2: ("ALTER TABLE items ADD COLUMN half_done TEXT", "UPDATE no_such_table SET x = 1"),
        },
    )
    with pytest.raises(OutboxError):
        Outbox(path)
    assert _version(path) == 1 and not {"half_done", "reason_code"} & _columns(path)
    monkeypatch.undo()
    box = Outbox(path)  # today's app still opens it, every item there
    try:
        assert sorted(i.id for i in box.items()) == IDS
    finally:
        box.close()
