"""Cek Status for staff: type the reference from the receipt; see the status in words.

Typed, or scanned from the receipt's QR code with the webcam (:class:`ui.console.qr_scanner.QrScanner`);
the reference has a check symbol, so a typo is caught before any request.
The answer comes from :func:`kiosk.status_lookup.look_up` (this kiosk's outbox first, then the
central API) and never includes personal data.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from kiosk.i18n import Message
from kiosk.status_lookup import StatusAnswer
from ui.console.page import ConsolePage, heading, note
from ui.console.qr_scanner import QrScanner
from ui.widgets.big_button import BigButton
from ui.widgets.keyboard import TextKeyboard


class StatusPage(ConsolePage):
    page_name = "status"
    check_requested = Signal(str)
    scan_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = heading(self)
        self.field_label = QLabel(self)
        self.reference = QLineEdit(self)
        self.reference.setObjectName("consoleReference")
        self.reference.setMaxLength(40)
        self.reference.returnPressed.connect(self._check)
        self.check_button = BigButton("", self, role="primary")
        self.check_button.setObjectName("consoleCheckButton")
        self.check_button.clicked.connect(self._check)
        self.scan_button = BigButton("", self, role="secondary")
        self.scan_button.setObjectName("consoleScanButton")
        self.scan_button.clicked.connect(self.scan_requested)
        self.scanner = QrScanner(self)
        self.scanner.hide()
        self.keyboard_button = BigButton("", self, role="secondary")
        self.keyboard_button.setCheckable(True)
        self.keyboard = TextKeyboard(self)
        self.keyboard.set_target(self.reference)
        self.keyboard.ok_pressed.connect(self._check)
        self.keyboard.setVisible(False)
        self.keyboard_button.toggled.connect(self.keyboard.setVisible)
        self.result = QLabel(self)
        self.result.setObjectName("consoleStatusResult")
        self.result.setWordWrap(True)
        self.source = note(self)
        row = QHBoxLayout()
        row.addWidget(self.reference, 1)
        row.addWidget(self.check_button)
        row.addWidget(self.scan_button)
        row.addWidget(self.keyboard_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.field_label)
        layout.addLayout(row)
        layout.addWidget(self.result)
        layout.addWidget(self.source)
        layout.addWidget(self.scanner, 1)
        layout.addStretch(1)
        layout.addWidget(self.keyboard)
        self._answer: StatusAnswer | None = None
        self._problem: Message | None = None
        self._busy = False
        self.retranslate()

    def _check(self) -> None:
        text = self.reference.text().strip()
        if text and not self._busy:
            self.check_requested.emit(text)

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.check_button.setEnabled(not busy)
        if busy:
            self._answer = None
            self._problem = None
            self.result.setText(self.tr("Sedang memeriksa…"))
            self.source.clear()

    def show_answer(self, answer: StatusAnswer) -> None:
        self.set_busy(False)
        self._answer, self._problem = answer, None
        self._render()

    def show_problem(self, message: Message) -> None:
        self.set_busy(False)
        self._answer, self._problem = None, message
        self._render()

    def result_text(self) -> str:
        return self.result.text()

    def _render(self) -> None:
        if self._problem is not None:
            self.result.setText("⚠ " + self.words(self._problem))
            self.source.clear()
            return
        answer = self._answer
        if answer is None:
            return
        text = f"{answer.reference}: {self.words(answer.words)}"
        if answer.reason is not None:
            text += "\n" + self.tr("Alasan: %1").replace("%1", self.words(answer.reason))
        self.result.setText(text)
        sources = {
            "server": self.tr("Jawaban dari server pusat."),
            "kiosk": self.tr("Dari antrean kiosk ini (belum ada jawaban server)."),
            "none": "",
        }
        self.source.setText(sources.get(answer.source, ""))

    def retranslate(self) -> None:
        self.title.setText(self.tr("Cek status pendaftaran"))
        self.field_label.setText(self.tr("Nomor referensi dari tanda terima (contoh PK-7Q4M-9XRT-D2KF-3)"))
        self.check_button.setText(self.tr("Cek"))
        self.keyboard_button.setText(self.tr("⌨ Papan ketik"))
        self.scan_button.setText(
            self.tr("Berhenti memindai") if self.scanner.is_scanning() else self.tr("Pindai QR")
        )
        self._render()
