"""A large touch button.

Why: applicants may never have used a computer and terminals are touch screens; WCAG 2.5.5 asks for
44 px targets and we use at least 64 px height (never below :data:`MIN_TOUCH_PX`). The look lives in
the QSS theme (``BigButton[role="primary"]`` etc.), so the widget only sets sizes and the role.
"""

from __future__ import annotations

from typing import Literal

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QLayout, QPushButton, QSizePolicy, QWidget

MIN_TOUCH_PX = 48
BUTTON_HEIGHT_PX = 64
FOCUS_RING_EXTRA_PX = 6

Role = Literal["primary", "secondary", "danger", "choice"]


class BigButton(QPushButton):
    """A push button at least 64 px tall and 160 px wide, styled by its ``role`` property."""

    def __init__(self, text: str = "", parent: QWidget | None = None, role: Role = "primary") -> None:
        super().__init__(text, parent)
        self.setMinimumSize(160, BUTTON_HEIGHT_PX)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAutoDefault(False)
        self.set_role(role)

    def sizeHint(self) -> QSize:
        """Room for the focus ring: the 5 px ring replaces a 3 px border and must not cut the text."""
        hint = super().sizeHint()
        hint.setWidth(hint.width() + FOCUS_RING_EXTRA_PX)
        return hint

    def set_role(self, role: Role) -> None:
        """Change the style role (QSS ``[role=...]``) and repolish so it shows at once."""
        self.setProperty("role", role)
        self.style().unpolish(self)
        self.style().polish(self)


def fit_dialog_to_text(dialog: QWidget, buttons: list[QPushButton]) -> None:
    """Size ``dialog`` to its text before it shows: buttons never narrower than their words.

    Why: Qt caps a window's automatic size at 2/3 of the screen and lets "Preferred" buttons shrink,
    which cut "Ya, hapus data" to "a, hapus dat"; the buttons' own width is their minimum here, and
    the dialog takes the size its layout asks for in the current language.
    """
    for button in buttons:
        button.ensurePolished()
        button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
    layout = dialog.layout()
    if layout is not None:
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        layout.activate()
    hint = dialog.sizeHint().expandedTo(dialog.minimumSizeHint())
    dialog.resize(hint.boundedTo(dialog.maximumSize()).expandedTo(dialog.minimumSize()))
