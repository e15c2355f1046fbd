"""Operator login: username and PIN, typed with the on-screen keyboard and keypad (or a real one).

Why a dialog over the kiosk: the console must not be reachable without a PIN, and the applicant's
screen underneath stays untouched (an operator may open the console mid-session to help). The PIN
field never shows digits and is cleared after every attempt; the check itself (online, or offline
against the cached verifier, with lockout) is ``kiosk.operator_auth.OperatorAuth`` run by the
controller off the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ui.widgets.big_button import BigButton
from ui.widgets.keyboard import TextKeyboard
from ui.widgets.keypad import NumericKeypad

PIN_MAX = 12


class LoginDialog(QDialog):
    """Username + PIN; emits :attr:`submitted` (username, pin). The controller answers."""

    submitted = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("consoleLogin")
        self.setModal(True)
        self.setStyleSheet("QLabel#consoleTitle { font-size: 28px; font-weight: bold; color: #0B2E6B; }")
        self.title_label = QLabel(self)
        self.title_label.setObjectName("consoleTitle")
        self.username_label = QLabel(self)
        self.username = QLineEdit(self)
        self.username.setObjectName("consoleUsername")
        self.username.setMaxLength(64)
        self.username.setInputMethodHints(Qt.InputMethodHint.ImhNoAutoUppercase)
        self.pin_label = QLabel(self)
        self.pin = QLineEdit(self)
        self.pin.setObjectName("consolePin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(PIN_MAX)
        self.pin.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,12}"), self.pin))
        self.error_label = QLabel(self)
        self.error_label.setObjectName("fieldError")
        self.error_label.setWordWrap(True)

        self.keyboard = TextKeyboard(self)
        self.keypad = NumericKeypad(self)
        self.keyboard.set_target(self.username)
        self.keypad.set_target(self.pin)
        self.keyboard.ok_pressed.connect(lambda: self.pin.setFocus())
        self.keypad.ok_pressed.connect(self._submit)
        self.keys = QStackedWidget(self)
        self.keys.addWidget(self.keyboard)
        self.keys.addWidget(self.keypad)

        self.login_button = BigButton("", self, role="primary")
        self.login_button.setObjectName("consoleLoginButton")
        self.login_button.clicked.connect(self._submit)
        self.cancel_button = BigButton("", self, role="secondary")
        self.cancel_button.clicked.connect(self.reject)
        self.pin.returnPressed.connect(self._submit)
        self.username.returnPressed.connect(lambda: self.pin.setFocus())

        fields = QVBoxLayout()
        fields.setSpacing(8)
        fields.addWidget(self.title_label)
        fields.addWidget(self.username_label)
        fields.addWidget(self.username)
        fields.addWidget(self.pin_label)
        fields.addWidget(self.pin)
        fields.addWidget(self.error_label)
        fields.addStretch(1)
        # Stacked, so the field column stays narrow and the keyboard keeps room for its wide keys.
        fields.addWidget(self.login_button)
        fields.addWidget(self.cancel_button)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(24)
        layout.addLayout(fields, 1)
        layout.addWidget(self.keys, 3)  # room for the keyboard's two-column keys ("⌫ Hapus")
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus)
        self.retranslate()

    def _on_focus(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is self.pin:
            self.keys.setCurrentWidget(self.keypad)
        elif new is self.username:
            self.keys.setCurrentWidget(self.keyboard)

    def _submit(self) -> None:
        username = self.username.text().strip()
        pin = self.pin.text()
        if not username or not pin:
            self.show_error(self.tr("Isi nama pengguna dan PIN."))
            return
        self.set_busy(True)
        self.submitted.emit(username, pin)

    def start(self) -> None:
        """Show empty, focused on the username."""
        self.username.clear()
        self.pin.clear()
        self.error_label.clear()
        self.set_busy(False)
        parent = self.parentWidget()
        if parent is not None:  # fill most of a 1024 × 600 screen, never more than the window
            self.resize(min(parent.width() - 40, 980), min(parent.height() - 40, 560))
        self.open()
        self.username.setFocus()
        self.keys.setCurrentWidget(self.keyboard)

    def set_busy(self, busy: bool) -> None:
        self.login_button.setEnabled(not busy)
        self.username.setEnabled(not busy)
        self.pin.setEnabled(not busy)
        if busy:
            self.error_label.setText(self.tr("Memeriksa…"))

    def show_error(self, text: str) -> None:
        """A refusal: the PIN is cleared, the username kept."""
        self.set_busy(False)
        self.pin.clear()
        self.error_label.setText(text)
        self.pin.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Masuk petugas"))
        self.title_label.setText(self.tr("Masuk petugas"))
        self.username_label.setText(self.tr("Nama pengguna"))
        self.pin_label.setText(self.tr("PIN"))
        self.login_button.setText(self.tr("Masuk"))
        self.cancel_button.setText(self.tr("Batal"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
