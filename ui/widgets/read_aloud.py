"""The "Bacakan" (read aloud) button.

Why: some applicants read with difficulty. Where the machine has a working text-to-speech engine with
a voice for the chosen language, the button reads the current screen's text aloud; where it has none,
the button is hidden rather than shown broken. Qt's ``mock`` engine (a test plug-in that makes no
sound) never counts as an engine.

Why the engines are looked for after the first frame: loading ``QtTextToSpeech`` pulls in Qt's
multimedia libraries, and opening an engine may connect to speech-dispatcher; neither belongs before
the welcome screen is on screen (``bench.startup``). Without an explicit engine list the button starts
hidden and :meth:`ReadAloudButton.discover_engines` runs from the event loop.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QLocale, QTimer
from PySide6.QtWidgets import QWidget

from ui.widgets.big_button import BigButton

if TYPE_CHECKING:
    from PySide6.QtTextToSpeech import QTextToSpeech

log = logging.getLogger(__name__)

NON_SPEAKING_ENGINES = frozenset({"mock"})
DISCOVERY_DELAY_MS = 250  # after the welcome screen's first frames

_LANGUAGE_OF = {"id": QLocale.Language.Indonesian, "en": QLocale.Language.English}


def speech_engines() -> list[str]:
    """Names of installed text-to-speech plug-ins that can make sound."""
    from PySide6.QtTextToSpeech import QTextToSpeech

    return [name for name in QTextToSpeech.availableEngines() if name not in NON_SPEAKING_ENGINES]


def indonesian_engines() -> list[str]:
    """The engines of :func:`speech_engines` that work and offer a Bahasa Indonesia voice.

    One definition for the self-test's "indonesian voice" line and the read-aloud tests, so both ask
    the same question the button asks in :meth:`ReadAloudButton.set_language`.
    """
    from PySide6.QtTextToSpeech import QTextToSpeech

    found = []
    for name in speech_engines():
        engine = QTextToSpeech(name)
        try:
            if engine.state() != QTextToSpeech.State.Error and any(
                loc.language() == QLocale.Language.Indonesian for loc in engine.availableLocales()
            ):
                found.append(name)
        finally:
            engine.deleteLater()
    return found


class ReadAloudButton(BigButton):
    """Reads ``text_provider()`` aloud in the current language; hidden when that is impossible.

    ``engines``: the engine names to try, in order (default: :func:`speech_engines`). Tests pass
    ``["mock"]`` to exercise the visible path on machines without speech.
    """

    def __init__(self, parent: QWidget | None = None, engines: list[str] | None = None) -> None:
        super().__init__("", parent, role="secondary")
        self.setObjectName("readAloudButton")
        self._language = "id"
        self._text_provider: object = None
        self._speakers: list[QTextToSpeech] = []
        self._speaker: QTextToSpeech | None = None
        self.clicked.connect(self._toggle)
        self.set_language("id")
        if engines is not None:
            self.discover_engines(engines)
        else:  # after the first frame: see the module docstring
            QTimer.singleShot(DISCOVERY_DELAY_MS, self.discover_engines)

    def discover_engines(self, engines: list[str] | None = None) -> None:
        """Open the usable engines (default: :func:`speech_engines`); show the button if one can speak."""
        from PySide6.QtTextToSpeech import QTextToSpeech

        for speaker in self._speakers:
            speaker.deleteLater()
        self._speakers = []
        for name in speech_engines() if engines is None else engines:
            speaker = QTextToSpeech(name, self)
            if speaker.state() == QTextToSpeech.State.Error:
                log.info("text-to-speech engine %s is not usable: %s", name, speaker.errorString())
                speaker.deleteLater()
                continue
            speaker.stateChanged.connect(self._on_state_changed)
            self._speakers.append(speaker)
        self.set_language(self._language)

    def set_text_provider(self, provider: object) -> None:
        """``provider()`` returns the text to read (called at click time, so it is always current)."""
        self._text_provider = provider

    def available(self) -> bool:
        """True when a usable engine has a voice for the current language."""
        return self._speaker is not None

    def set_language(self, language: str) -> None:
        """Pick the engine and locale for ``language`` ("id"/"en"); hide when none can speak it."""
        self._language = language
        wanted = _LANGUAGE_OF.get(language, QLocale.Language.Indonesian)
        self._speaker = None
        for speaker in self._speakers:
            for locale in speaker.availableLocales():
                if locale.language() == wanted:
                    speaker.setLocale(locale)
                    self._speaker = speaker
                    break
            if self._speaker is not None:
                break
        self.setVisible(self._speaker is not None)
        self.retranslate()

    def speak(self, text: str) -> None:
        if self._speaker is not None and text.strip():
            self._speaker.say(text)

    def _toggle(self) -> None:
        if self._speaker is None:
            return
        if self._speaker.state() == self._speaker.State.Speaking:
            self._speaker.stop()
            return
        provider = self._text_provider
        if callable(provider):
            self.speak(str(provider()))

    def _on_state_changed(self, _state: object) -> None:
        self.retranslate()

    def retranslate(self) -> None:
        speaking = self._speaker is not None and self._speaker.state() == self._speaker.State.Speaking
        self.setText(self.tr("■ Berhenti") if speaking else self.tr("▶ Bacakan"))
        self.setAccessibleName(self.tr("Bacakan isi layar ini"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
