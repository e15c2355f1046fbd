"""The start-up unlock screen: staff type the device passphrase where no sealed key storage exists.

Why (issue 18): on a machine without an OS keyring or a TPM the device key and API token are kept
encrypted under a passphrase only staff know, instead of a key file next to its own secret. The GUI
asks for it here at every start, before any applicant can begin; the text is handed to the shell
(``ui.app.KioskShell``), which unlocks the key on a worker thread and then forgets it — it is never
written anywhere, never put in the environment, and the field is cleared after every attempt.
There is no cancel: without the key the kiosk cannot seal a registration, so the welcome screen
underneath stays unusable until staff unlock it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget

from ui.widgets.big_button import BigButton
from ui.widgets.keyboard import TextKeyboard

PASSPHRASE_MAX = 256


class UnlockDialog(QDialog):
    """Passphrase field with the on-screen keyboard; emits :attr:`submitted` (passphrase)."""

    submitted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deviceUnlock")
        self.setModal(True)
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        self.setStyleSheet("QLabel#consoleTitle { font-size: 28px; font-weight: bold; color: #0B2E6B; }")
        self.title_label = QLabel(self)
        self.title_label.setObjectName("consoleTitle")
        self.title_label.setWordWrap(True)
        self.hint_label = QLabel(self)
        self.hint_label.setWordWrap(True)
        self.passphrase = QLineEdit(self)
        self.passphrase.setObjectName("devicePassphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setMaxLength(PASSPHRASE_MAX)
        self.passphrase.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)
        self.passphrase.setInputMethodHints(
            Qt.InputMethodHint.ImhHiddenText
            | Qt.InputMethodHint.ImhSensitiveData
            | Qt.InputMethodHint.ImhNoPredictiveText
        )
        self.passphrase.returnPressed.connect(self._submit)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("fieldError")
        self.error_label.setWordWrap(True)
        self.keyboard = TextKeyboard(self)
        self.keyboard.set_target(self.passphrase)
        self.keyboard.ok_pressed.connect(self._submit)
        self.unlock_button = BigButton("", self, role="primary")
        self.unlock_button.setObjectName("deviceUnlockButton")
        self.unlock_button.clicked.connect(self._submit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.setSpacing(10)
        layout.addWidget(self.title_label)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.passphrase)
        layout.addWidget(self.error_label)
        layout.addWidget(self.unlock_button)
        layout.addWidget(self.keyboard, 1)
        self.retranslate()

    def _submit(self) -> None:
        text = self.passphrase.text()
        self.passphrase.clear()
        if not text:
            self.show_error(self.tr("Ketik frasa sandi perangkat."))
            return
        self.set_busy(True)
        self.submitted.emit(text)

    def start(self) -> None:
        """Show empty and focused, over most of the window."""
        self.passphrase.clear()
        self.error_label.clear()
        self.set_busy(False)
        parent = self.parentWidget()
        if parent is not None:
            self.resize(min(parent.width() - 40, 980), min(parent.height() - 40, 560))
        self.open()
        self.passphrase.setFocus()

    def set_busy(self, busy: bool) -> None:
        self.unlock_button.setEnabled(not busy)
        self.passphrase.setEnabled(not busy)
        if busy:
            self.error_label.setText(self.tr("Membuka kunci…"))

    def show_error(self, text: str) -> None:
        self.set_busy(False)
        self.passphrase.clear()
        self.error_label.setText(text)
        self.passphrase.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Buka kunci perangkat"))
        self.title_label.setText(self.tr("Kunci perangkat terkunci"))
        self.hint_label.setText(
            self.tr("Tidak ada penyimpanan kunci yang aman di sini. Petugas: ketik frasa sandi perangkat.")
            + " "
            + self.tr("Frasa sandi tidak disimpan.")
        )
        self.unlock_button.setText(self.tr("Buka kunci"))

    # No way around it: Esc and window-close do nothing (see the module docstring).
    def reject(self) -> None:
        if self.property("allow_close"):
            super().reject()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            event.ignore()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.property("allow_close"):
            super().closeEvent(event)
        else:
            event.ignore()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
