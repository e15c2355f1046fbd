"""Events the sync engine reports, as plain dataclasses.

Why plain data: the engine runs on its own thread and knows nothing of Qt; the UI hops each event onto
the GUI thread through one signal (Electrum's ``qt_event_listener`` pattern) and the CLI just prints
them. Events carry ids and reasons only, never payload content.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class SyncStarted:
    """The engine's thread is running."""


@dataclass(frozen=True, slots=True)
class ItemDelivered:
    """The server accepted an item; ``receipt`` is its reply."""

    item_id: str
    receipt: dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class ItemFailed:
    """An upload did not succeed. ``will_retry`` is false when a person must look (needs attention)."""

    item_id: str
    reason: str
    will_retry: bool
    next_attempt_at: float | None = None


@dataclass(frozen=True, slots=True)
class AuthRequired:
    """The server refused the device's credentials: uploads stop until they are renewed."""

    reason: str


@dataclass(frozen=True, slots=True)
class Idle:
    """Nothing is due now. ``waiting`` items remain (retrying later), the next at ``next_attempt_at``."""

    waiting: int
    next_attempt_at: float | None


@dataclass(frozen=True, slots=True)
class Online:
    """The server answered (again)."""


@dataclass(frozen=True, slots=True)
class Offline:
    """The server cannot be reached; the engine probes again at ``next_probe_at``."""

    reason: str
    next_probe_at: float


@dataclass(frozen=True, slots=True)
class EngineError:
    """The outbox itself failed (disk full, damaged file); the engine keeps running and tries again."""

    message: str


@dataclass(frozen=True, slots=True)
class SyncStopped:
    """The engine's thread has stopped."""


SyncEvent = (
    SyncStarted
    | ItemDelivered
    | ItemFailed
    | AuthRequired
    | Idle
    | Online
    | Offline
    | EngineError
    | SyncStopped
)
