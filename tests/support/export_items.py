"""Queue-file entries built by hand, for tests and benchmarks that write an export directly.

Why a helper: ``exchange.write_export`` takes ``(ItemInfo, blob)`` pairs, and ``ItemInfo`` has sixteen
fields; the import tests and the import-memory benchmark both need "a pending item holding these bytes"
(often with an id or size the outbox itself would never produce), so the field list lives here once.
"""

from __future__ import annotations

import hashlib

from offline_queue.outbox import PENDING, ItemInfo


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
