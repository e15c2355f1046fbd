"""On-screen text keyboard for names, places and addresses, in capitals as on the KTP.

Why capitals only: the KTP prints names and addresses in upper case and the applicant copies from it;
one case means fewer keys and no shift state to explain. Digits are included for addresses (house
numbers, RT/RW), plus the punctuation found in Indonesian names and addresses (' . , - /).
"""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QWidget

from ui.widgets.onscreen import KeyButton, OnScreenInput

KEYBOARD_KEY_PX = 52

ROWS: tuple[str, ...] = (
    "1234567890",
    "QWERTYUIOP",
    "ASDFGHJKL'",
    "ZXCVBNM,.-",
)


class TextKeyboard(OnScreenInput):
    """QWERTY capitals, digits, ``' , . - /``, space, backspace and OK."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("textKeyboard")
        grid = QGridLayout(self)
        grid.setSpacing(6)
        grid.setContentsMargins(0, 0, 0, 0)
        self.key_buttons: dict[str, KeyButton] = {}
        for row, keys in enumerate(ROWS):
            for column, char in enumerate(keys):
                self._add_key(grid, char, row, column, 1)
        last = len(ROWS)
        self._add_key(grid, "/", last, 0, 1)
        self.space_button = KeyButton("", KEYBOARD_KEY_PX, self)
        self.space_button.clicked.connect(lambda: self.type_text(" "))
        grid.addWidget(self.space_button, last, 1, 1, 5)
        self.backspace_button = KeyButton("", KEYBOARD_KEY_PX, self)
        self.backspace_button.setAutoRepeat(True)
        self.backspace_button.setProperty("special", True)
        self.backspace_button.clicked.connect(self.backspace)
        grid.addWidget(self.backspace_button, last, 6, 1, 2)
        self.ok_button = KeyButton("", KEYBOARD_KEY_PX, self)
        self.ok_button.setProperty("role", "primary")
        self.ok_button.clicked.connect(self.ok_pressed)
        grid.addWidget(self.ok_button, last, 8, 1, 2)
        # The e-mail row takes the place of "/ Spasi ⌫ OK" (an address has no spaces): "@", "_",
        # ".com", "@gmail.com", a short backspace and OK — all within the keyboard's own width.
        self.email_keys: dict[str, KeyButton] = {}
        for text, column, span in (("@", 0, 1), ("_", 1, 1), (".com", 2, 2), ("@gmail.com", 4, 3)):
            key = KeyButton(text, KEYBOARD_KEY_PX, self)
            key.setProperty("special", len(text) > 1)
            key.clicked.connect(lambda _checked=False, t=text: self.type_text(t))
            grid.addWidget(key, last, column, 1, span)
            self.email_keys[text] = key
        self.email_backspace = KeyButton("⌫", KEYBOARD_KEY_PX, self)
        self.email_backspace.setAutoRepeat(True)
        self.email_backspace.clicked.connect(self.backspace)
        grid.addWidget(self.email_backspace, last, 7, 1, 1)
        self.email_ok = KeyButton("", KEYBOARD_KEY_PX, self)
        self.email_ok.setProperty("role", "primary")
        self.email_ok.clicked.connect(self.ok_pressed)
        grid.addWidget(self.email_ok, last, 8, 1, 2)
        self._email_mode = False
        self.set_email_mode(False)
        for column in range(10):
            grid.setColumnStretch(column, 1)
        self.retranslate()

    def set_email_mode(self, on: bool) -> None:
        """Show the e-mail row ("@", "_", ".com", "@gmail.com") instead of "/ Spasi"."""
        self._email_mode = on
        for key in (self.key_buttons["/"], self.space_button, self.backspace_button, self.ok_button):
            key.setVisible(not on)
        for key in (*self.email_keys.values(), self.email_backspace, self.email_ok):
            key.setVisible(on)

    def email_mode(self) -> bool:
        return self._email_mode

    def _add_key(self, grid: QGridLayout, char: str, row: int, column: int, span: int) -> None:
        button = KeyButton(char, KEYBOARD_KEY_PX, self)
        button.clicked.connect(lambda _checked=False, c=char: self.type_text(c))
        grid.addWidget(button, row, column, 1, span)
        self.key_buttons[char] = button

    def retranslate(self) -> None:
        self.space_button.setText(self.tr("Spasi"))
        self.backspace_button.setText(self.tr("⌫ Hapus"))
        self.backspace_button.setAccessibleName(self.tr("Hapus satu huruf"))
        self.ok_button.setText(self.tr("OK"))
        self.email_ok.setText(self.tr("OK"))
        self.email_backspace.setAccessibleName(self.tr("Hapus satu huruf"))
