"""Queue files (USB export) for the import tests and benchmarks: made by a real outbox, or by hand.

Why a helper: ``exchange.write_export`` takes ``(ItemInfo, blob)`` pairs, and ``ItemInfo`` has sixteen
fields; the import tests and the import-memory benchmark both need "a pending item holding these bytes"
(often with an id or size the outbox itself would never produce), so the field list lives here once.
The import tests also need "the stick a field laptop exports", made by a real ``Outbox``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from offline_queue.outbox import PENDING, ItemInfo, Outbox


def pending_item(item_id: str, blob: bytes, *, at: float = 0.0) -> ItemInfo:
    """A never-attempted pending item whose sha256 and size match ``blob``, created/updated at ``at``."""
    return ItemInfo(
        id=item_id,
        state=PENDING,
        sha256=hashlib.sha256(blob).hexdigest(),
        size=len(blob),
        meta={},
        created_at=at,
        updated_at=at,
        attempts=0,
        next_attempt_at=0.0,
        last_error=None,
        reason=None,
        receipt=None,
        delivered_at=None,
        lease_owner=None,
        lease_expires=None,
    )


def field_export(tmp_path: Path, items: list[tuple[str, bytes]]) -> Path:
    """``tmp_path/stick.oqx``: a field outbox (``tmp_path/field.sqlite3``) holding ``items``, exported."""
    with Outbox(tmp_path / "field.sqlite3") as field:
        for item_id, blob in items:
            field.enqueue(item_id, blob)
        target = tmp_path / "stick.oqx"
        field.export_to(target)
    return target
