"""Switching the UI language at runtime with Qt translators.

Why this shape: source strings in the code are Bahasa Indonesia, the kiosk's primary language (see
docs/decisions.md, "Translation source language"); ``prakerja_en.qm`` translates them to English and
``prakerja_id.qm`` (identity, kept so wording can be corrected without touching code) is loaded for
Indonesian when present. Installing or removing a translator makes Qt send ``LanguageChange`` to every
widget, and each screen re-sets its texts (``Screen.retranslate``) — typed input stays untouched.

``.qm`` files are build outputs (``scripts/build_translations.py``, run by ``scripts/setup.sh``). When
one is missing the kiosk still starts: Indonesian falls back to the source strings, English too (with a
warning in the log), so a broken build never leaves a kiosk unusable.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLocale, QObject, QTranslator, Signal

from ui.resources import resource_path

log = logging.getLogger(__name__)

LANGUAGES: tuple[str, ...] = ("id", "en")
DEFAULT_LANGUAGE = "id"
_LOCALES = {
    "id": QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia),
    "en": QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom),
}


def qm_path(language: str, directory: Path | None = None) -> Path:
    """Where the compiled catalogue for ``language`` lives."""
    base = directory if directory is not None else resource_path("translations")
    return base / f"prakerja_{language}.qm"


class LanguageManager(QObject):
    """Owns the one installed translator; emits :attr:`language_changed` after a switch."""

    language_changed = Signal(str)

    def __init__(self, app: QCoreApplication, directory: Path | None = None) -> None:
        super().__init__(app)
        self._app = app
        self._directory = directory
        self._translator: QTranslator | None = None
        self._language = DEFAULT_LANGUAGE

    def language(self) -> str:
        return self._language

    def set_language(self, language: str) -> bool:
        """Switch to ``language`` ("id" or "en"); returns False (and keeps the current one) if unknown.

        A missing or unreadable ``.qm`` is not an error: the source strings are shown and a warning
        is logged.
        """
        if language not in LANGUAGES:
            log.warning("unknown UI language %r; keeping %s", language, self._language)
            return False
        if self._translator is not None:
            self._app.removeTranslator(self._translator)
            self._translator = None
        path = qm_path(language, self._directory)
        translator = QTranslator(self)
        if path.is_file() and translator.load(str(path)):
            self._app.installTranslator(translator)
            self._translator = translator
        else:
            translator.deleteLater()
            log.warning("translation file %s missing or unreadable; showing the source texts", path)
        # Qt posts LanguageChange to the top-level windows; deliver it now so that when this returns
        # every screen shows the new language (deterministic for callers and tests).
        QCoreApplication.sendPostedEvents(None, QEvent.Type.LanguageChange)
        QLocale.setDefault(_LOCALES[language])
        self._language = language
        self.language_changed.emit(language)
        return True
