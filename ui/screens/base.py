"""The base class of every screen.

Why: the applicant may switch language on any screen, and the switch must re-translate what is shown
without losing what was typed (issue 6). Qt sends ``QEvent.LanguageChange`` to every widget when a
translator is installed; each screen answers by re-setting its texts in :meth:`Screen.retranslate`
(Frescobaldi's ``translateUI`` habit). Widgets are created once in ``__init__``; ``retranslate`` only
sets texts, never creates widgets or touches field contents. Screens keep their widgets as attributes
(``self.start_button``…) so pytest-qt can drive them.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QWidget


class Screen(QWidget):
    """A full-window page of the kiosk, shown inside the main window's stack.

    Class attributes: ``screen_name`` (stable key used by the main window and screenshots) and
    ``step`` (its number in the step indicator, or None for screens outside the numbered steps, such
    as the welcome screen).
    """

    screen_name: str = ""
    step: int | None = None

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)  # QSS background on a subclass
        if self.screen_name:
            self.setObjectName(self.screen_name)

    def retranslate(self) -> None:
        """Set every visible text from ``tr()``; called once at the end of ``__init__`` and on switch."""
        raise NotImplementedError

    def initial_focus(self) -> QWidget | None:
        """The widget that gets keyboard focus when the screen is shown (None: leave focus alone)."""
        return None

    def spoken_text(self) -> str:
        """What "Bacakan" reads aloud: by default the screen's title and instructions."""
        return ""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
