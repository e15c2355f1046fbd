"""Errors raised by the outbox, each with a plain-words message in Bahasa Indonesia and English.

Why two languages here: the operator console shows these messages as they are, and this package must
not import the kiosk. Every error is an ``offline_queue.bilingual.UserFacingError`` (re-exported as
``kiosk.i18n.UserFacingError``): ``error.message`` is the bilingual text, like every other error shown
to people. ``str(error)`` is the English text, for logs.
"""

from __future__ import annotations

from pathlib import Path

from offline_queue.bilingual import Message, UserFacingError


class OutboxError(UserFacingError):
    """Base class of every error the outbox raises on purpose; ``message`` has both languages."""

    def __init__(self, en_text: str, id_text: str | None = None) -> None:
        self.en_text = en_text
        self.id_text = id_text if id_text is not None else en_text
        super().__init__(Message(self.id_text, en_text), en_text)


class OutboxFull(OutboxError):
    """The disk (or the configured size limit) is full; nothing already stored was lost.

    ``needed_bytes`` is about how much more free space the failed write needs, when known.
    """

    def __init__(self, en_text: str, id_text: str | None = None, needed_bytes: int | None = None) -> None:
        super().__init__(en_text, id_text)
        self.needed_bytes = needed_bytes


class OutboxReadOnly(OutboxError):
    """The outbox file or its folder cannot be written (read-only disk, permissions)."""


class OutboxUnavailable(OutboxError):
    """The outbox file cannot be opened at all (missing folder, locked for too long, I/O error)."""


class OutboxCorrupted(OutboxError):
    """The database file is damaged. ``moved_to`` is where it was kept for inspection, if moved."""

    def __init__(self, en_text: str, id_text: str | None = None, moved_to: Path | None = None) -> None:
        super().__init__(en_text, id_text)
        self.moved_to = moved_to


class DuplicateItem(OutboxError):
    """An item with this id is already stored with different content."""


class UnknownItem(OutboxError):
    """No item with this id is stored."""


class InvalidState(OutboxError):
    """The requested operation does not apply to the item's current state."""


class ExportFileInvalid(OutboxError):
    """An export file is truncated, damaged or not an export file at all."""
