"""Cek Status: type a reference number, see the registration's status in words.

Why no personal data here: anyone can stand at the kiosk and type a number; the screen shows only
the status and, for rejections, the server's reason — never a name, NIK or contact. The reference is
checked offline first (its check symbol catches typos) and is looked up in this kiosk's outbox, which
maps it to the submission id the central API knows.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.flow import Step
from kiosk.i18n import Message
from ui.console.qr_scanner import QrScanner
from ui.screens.wizard import WizardScreen
from ui.widgets.big_button import BigButton


class StatusScreen(WizardScreen):
    screen_name = "status"
    step = None
    flow_step = Step.WELCOME

    check_requested = Signal(str)
    #: "Pindai kode QR" pressed: start (or stop) reading the receipt's QR code with the webcam.
    scan_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, input_panel=True)
        self.reference = self.add_field("reference", numeric=False, max_length=40)
        # The 16-character reference need not be retyped on a QWERTY keyboard: the receipt's QR code
        # held up to the webcam fills it in (the console's scanner widget, ui/console/qr_scanner.py).
        self.scan_button = BigButton("", self.form, role="secondary")
        self.scan_button.setObjectName("scanButton")
        self.scan_button.clicked.connect(self.scan_requested)
        self.form_layout.addWidget(self.scan_button)
        self.scanner = QrScanner(self.form)
        self.scanner.hide()
        self.form_layout.addWidget(self.scanner, 1)
        self.result_label = QLabel(self.form)
        self.result_label.setObjectName("statusResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.PlainText)  # the reason comes from the server
        self._outcome: tuple[str | None, Message | None] | None = None
        self.form_layout.addWidget(self.result_label)
        self._busy = False
        self.next_requested.connect(lambda: self.check_requested.emit(self.reference.text()))
        self.cancel_button.hide()
        self.finish_form()

    def set_scanning(self, scanning: bool) -> None:
        """While scanning, the picture takes the place of the field and the keyboard."""
        self.reference.setVisible(not scanning)
        if self.input_panel is not None:
            self.input_panel.setVisible(not scanning)
        self.result_label.setVisible(not scanning)
        self.retranslate_content()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.next_button.setEnabled(not busy)
        if busy:
            self._outcome = None
            self.result_label.setText(self.tr("Sedang memeriksa…"))

    def show_result(self, status: str | None, message: Message | None = None) -> str:
        """Show ``status`` in words (see :meth:`describe`) and/or ``message``; kept for a language switch.

        Returns the text shown.
        """
        self.set_busy(False)
        self._outcome = (status, message)
        return self._render_outcome()

    def _render_outcome(self) -> str:
        if self._outcome is None:
            return ""
        status, message = self._outcome
        parts = [
            self.describe(status) if status is not None else "",
            message.text(self._language) if message else "",
        ]
        text = "\n".join(part for part in parts if part)
        self.result_label.setText(text)
        return text

    def describe(self, status: str) -> str:
        """The status in plain words (codes from the central API, plus "waiting" on this kiosk)."""
        words = {
            "waiting": self.tr("Pendaftaran tersimpan di kiosk ini dan menunggu dikirim ke pusat."),
            "received": self.tr("Pendaftaran sudah diterima pusat."),
            "verifying": self.tr("Data Anda sedang diperiksa."),
            "accepted": self.tr("Data Anda sudah diterima. Tunggu pemberitahuan gelombang."),
            "rejected": self.tr(
                "Pendaftaran ditolak. Alasannya tertulis di bawah. Minta petugas membantu untuk langkah berikutnya."
            ),
            "passed": self.tr("Selamat, Anda lolos."),
            "failed": self.tr("Anda belum lolos. Anda dapat mendaftar di gelombang berikutnya."),
        }
        return words.get(status, self.tr("Status tidak dikenal. Tanya petugas."))

    def retranslate_content(self) -> None:
        self.title_label.setText(self.tr("Cek status pendaftaran"))
        self.hint_label.setText(
            self.tr("Ketik nomor referensi dari tanda terima, contoh PK-7Q4M-9XRT-D2KF-3.")
        )
        self.reference.set_label(self.tr("Nomor referensi"))
        self.scan_button.setText(
            self.tr("Berhenti memindai") if self.scanner.is_scanning() else self.tr("Pindai kode QR")
        )
        self.next_button.setText(self.tr("Cek ▶"))
        if not self._busy:
            self._render_outcome()

    def language_updated(self) -> None:
        if not self._busy:
            self._render_outcome()

    def collect_content(self) -> dict[str, Any]:
        return {"reference": self.reference.text()}

    def clear_content(self) -> None:
        self.scanner.stop()
        self.set_scanning(False)
        self.reference.line_edit.clear()
        self.result_label.clear()
        self._outcome = None
        self._busy = False
        self.next_button.setEnabled(True)

    def initial_focus(self) -> QWidget | None:
        return self.reference.line_edit
