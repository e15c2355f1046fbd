"""A message in Bahasa Indonesia and English, and the one base for errors shown to people.

Why in ``offline_queue``: the outbox raises errors staff read (a full disk, a damaged file) and must
not import the kiosk (import-linter contract), while the kiosk, its API client and the UI need one way
to get those words out of *any* documented error. Both types are plain data with no programme
knowledge; ``kiosk.i18n`` re-exports them as ``kiosk.i18n.Message`` and ``kiosk.i18n.UserFacingError``
(issue 21, finding 6: the UI used to guess with ``getattr(error, "message", …)`` and a second branch
for the outbox's ``id_text``/``en_text``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Language = Literal["id", "en"]
LANGUAGES: tuple[Language, ...] = ("id", "en")


@dataclass(frozen=True, slots=True)
class Message:
    """One message in both languages; ``str()`` gives the Indonesian text (the kiosk's default)."""

    id: str
    en: str

    def text(self, language: Language = "id") -> str:
        """The message in ``language``."""
        return self.en if language == "en" else self.id

    def __str__(self) -> str:
        return self.id

    def as_dict(self) -> dict[str, str]:
        """JSON form used in API error bodies: ``{"id": ..., "en": ...}``."""
        return {"id": self.id, "en": self.en}


class UserFacingError(Exception):
    """An error whose :attr:`message` is written for the person in front of the screen.

    ``str(error)`` stays the English (or more technical) text for logs; code that shows an error asks
    ``isinstance(error, UserFacingError)`` and reads ``error.message`` — nothing else.
    """

    message: Message

    def __init__(self, message: Message, log_text: str | None = None) -> None:
        super().__init__(message.en if log_text is None else log_text)
        self.message = message


def message_of(error: BaseException, fallback: Message) -> Message:
    """The words to show for ``error``: its own when it is a :class:`UserFacingError`, else ``fallback``."""
    return error.message if isinstance(error, UserFacingError) else fallback
