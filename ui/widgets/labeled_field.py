"""A labelled text field with an inline error message.

Why: validation messages come from the core next to the field they concern, and nothing the person
typed is ever cleared. The error is shown three ways — border colour, a warning sign and the
words — so it does not depend on colour alone.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from ui.widgets.big_button import BUTTON_HEIGHT_PX
from ui.widgets.error_text import show_error


class LabeledField(QWidget):
    """Label above a line edit, error message below it (hidden while there is none)."""

    #: A wizard screen lists this field's problem in its error summary at the top (and hides the line
    #: under the field, which keeps its red border): one place to read, room for the question.
    in_summary = True

    def __init__(self, label: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(label, self)
        self.label.setObjectName("fieldLabel")
        self.line_edit = QLineEdit(self)
        self.line_edit.setMinimumHeight(BUTTON_HEIGHT_PX)
        self.label.setBuddy(self.line_edit)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("fieldError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.label)
        layout.addWidget(self.line_edit)
        layout.addWidget(self.error_label)
        self._error: str | None = None

    def set_label(self, text: str) -> None:
        """Set the label text (called again on a language switch)."""
        self.label.setText(text)
        self.line_edit.setAccessibleName(text)

    def text(self) -> str:
        return self.line_edit.text()

    def error(self) -> str | None:
        """The error message currently shown, or None."""
        return self._error

    def set_error(self, message: str | None) -> None:
        """Show ``message`` under the field and mark it invalid; None clears the mark. Text is kept."""
        self._error = message or None
        show_error(self.error_label, self._error)
        self.line_edit.setProperty("invalid", self._error is not None)
        self.line_edit.setAccessibleDescription(self._error or "")
        style = self.line_edit.style()
        style.unpolish(self.line_edit)
        style.polish(self.line_edit)
