"""On-screen numeric keypad for NIK, dates, phone numbers and OTP codes.

Why: many applicants have only used a phone; a big 3×4 pad like a phone's is the most familiar way to
enter digits on a touch terminal. Keys are at least 64 px (issue 6 asks for ≥ 48 px targets).
"""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QWidget

from ui.widgets.onscreen import KeyButton, OnScreenInput

KEYPAD_KEY_PX = 64


class NumericKeypad(OnScreenInput):
    """Digits 1-9, 0, "Hapus" (backspace) and "OK"; types into :meth:`set_target`'s field."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("numericKeypad")
        grid = QGridLayout(self)
        grid.setSpacing(8)
        grid.setContentsMargins(0, 0, 0, 0)
        self.digit_buttons: dict[str, KeyButton] = {}
        for index, digit in enumerate("123456789"):
            self._add_digit(grid, digit, index // 3, index % 3)
        self.backspace_button = KeyButton("", KEYPAD_KEY_PX, self)
        self.backspace_button.setAutoRepeat(True)
        self.backspace_button.setProperty("special", True)
        self.backspace_button.clicked.connect(self.backspace)
        grid.addWidget(self.backspace_button, 3, 0)
        self._add_digit(grid, "0", 3, 1)
        self.ok_button = KeyButton("", KEYPAD_KEY_PX, self)
        self.ok_button.setProperty("role", "primary")
        self.ok_button.clicked.connect(self.ok_pressed)
        grid.addWidget(self.ok_button, 3, 2)
        for column in range(3):
            grid.setColumnStretch(column, 1)
        self.retranslate()

    def _add_digit(self, grid: QGridLayout, digit: str, row: int, column: int) -> None:
        button = KeyButton(digit, KEYPAD_KEY_PX, self)
        button.clicked.connect(lambda _checked=False, d=digit: self.type_text(d))
        grid.addWidget(button, row, column)
        self.digit_buttons[digit] = button

    def retranslate(self) -> None:
        self.backspace_button.setText(self.tr("⌫ Hapus"))
        self.backspace_button.setAccessibleName(self.tr("Hapus satu angka"))
        self.ok_button.setText(self.tr("OK"))
