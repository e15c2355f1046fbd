"""Common plumbing of the on-screen keypad and keyboard: the target field and key buttons.

Why our own widgets instead of Qt Virtual Keyboard: see docs/decisions.md ("On-screen keyboard").
Keys never take focus (``Qt.NoFocus``), so the field being typed into keeps its cursor and focus
ring; typing goes through ``QLineEdit.insert``/``backspace`` so the field's validator and
``maxLength`` apply exactly as for a physical keyboard.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QSizePolicy, QWidget


class KeyButton(QPushButton):
    """One key: never focused, expands to its share of the row, at least ``min_px`` square."""

    def __init__(self, text: str, min_px: int, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumSize(min_px, min_px)
        # Ignored horizontally: equal columns, whatever the label's width (min size still holds).
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
        self.setObjectName("keyButton")


class OnScreenInput(QWidget):
    """Base of the keypad and keyboard: holds the target ``QLineEdit`` and types into it."""

    ok_pressed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._target: QLineEdit | None = None
        self._follow_focus = False

    def target(self) -> QLineEdit | None:
        return self._target

    def set_target(self, line_edit: QLineEdit | None) -> None:
        """Type into ``line_edit`` from now on (None: keys do nothing)."""
        self._target = line_edit

    def follow_focus(self, enabled: bool = True) -> None:
        """Retarget automatically to whichever line edit in this window gets focus."""
        app = QApplication.instance()
        if not isinstance(app, QApplication) or enabled == self._follow_focus:
            return
        self._follow_focus = enabled
        if enabled:
            app.focusChanged.connect(self._on_focus_changed)
        else:
            app.focusChanged.disconnect(self._on_focus_changed)

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if isinstance(new, QLineEdit) and new.window() is self.window():
            self._target = new

    def type_text(self, text: str) -> None:
        """Insert ``text`` at the cursor of the target (validator and max length apply)."""
        if self._target is not None and self._target.isEnabled() and not self._target.isReadOnly():
            self._target.insert(text)

    def backspace(self) -> None:
        if self._target is not None and self._target.isEnabled() and not self._target.isReadOnly():
            self._target.backspace()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Re-set translated key labels; subclasses override."""
