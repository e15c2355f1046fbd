"""Base of the console's pages: Qt texts via ``tr()``, core :class:`~kiosk.i18n.Message` texts by language.

Why both: the page's own labels are translated by Qt (``retranslate``), while numbers-in-words and
reasons come from the Qt-free core as Indonesian/English pairs; a language switch re-renders both.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.i18n import Message


class ConsolePage(QWidget):
    """One page of the console; subclasses implement :meth:`retranslate`."""

    page_name = ""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"consolePage_{self.page_name}")
        self.language = "id"

    def words(self, message: Message) -> str:
        """A core message in the console's current language."""
        return message.en if self.language == "en" else message.id

    def set_language(self, language: str) -> None:
        self.language = language
        self.retranslate()

    def retranslate(self) -> None:
        raise NotImplementedError

    def show_outcome(self, text: str) -> None:
        """Show the result of an action the controller ran for this page (a plain sentence)."""
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def heading(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("consoleHeading")
    return label


def note(parent: QWidget) -> QLabel:
    label = QLabel(parent)
    label.setObjectName("consoleNote")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label
