"""Bilingual messages produced by the Qt-free core.

Why: validation and eligibility messages are decided in the core, which must not import Qt. They are
returned as data carrying both Bahasa Indonesia and English text; the UI picks the one for the language
the applicant chose. The UI's own labels go through Qt's translation system instead.
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
