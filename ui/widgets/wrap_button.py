"""A big touch button whose text wraps onto several lines instead of being cut off.

Why: a ``QPushButton`` draws its text on one line and clips what does not fit ("@gmail.cor", "Kota
Administrasi Jakarta Pusa"). Answers in the test, region names and declaration answers can be long,
and at 1024 px a half-width button holds about 30 characters. This button paints nothing itself: a
word-wrapping label inside it holds the text, and the button asks for the height the label needs at
its width (height-for-width), so the layout gives it a second or third line rather than cutting.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from ui.widgets.big_button import BUTTON_HEIGHT_PX, BigButton, Role

PADDING_PX = 12


class WrapButton(BigButton):
    """A :class:`BigButton` with word-wrapped text; :meth:`text` / :meth:`setText` use the label."""

    def __init__(self, text: str = "", parent: QWidget | None = None, role: Role = "choice") -> None:
        super().__init__("", parent, role)
        self.label = QLabel(text, self)
        self.label.setObjectName("wrapButtonText")
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.label.setProperty("role", role)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(PADDING_PX, 6, PADDING_PX, 6)
        layout.addWidget(self.label)
        self.setMinimumWidth(120)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.toggled.connect(self._restyle)
        self._restyle()

    def text(self) -> str:
        return self.label.text()

    def setText(self, text: str) -> None:
        self.label.setText(text)
        self.setAccessibleName(text)
        self.updateGeometry()

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        inner = max(1, width - 2 * PADDING_PX - 8)
        return max(BUTTON_HEIGHT_PX, self.label.heightForWidth(inner) + 20)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        hint.setHeight(self.heightForWidth(max(hint.width(), self.width())))
        return hint

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        hint.setHeight(self.heightForWidth(max(self.width(), 120)))
        return hint

    def _restyle(self, _checked: bool = False) -> None:
        """The label follows the button's checked state (QSS cannot select on a parent's state)."""
        self.label.setProperty("checked", self.isChecked())
        self.label.style().unpolish(self.label)
        self.label.style().polish(self.label)
