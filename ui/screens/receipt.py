"""The receipt screen: reference number, its QR code, masked name and NIK, what happens next.

Why the reference is the largest thing on the screen: it is what the applicant needs later (status
check, questions at the desk). "Cetak" prints it (or writes a PDF when no printer is configured);
"Selesai" ends the session and wipes everything.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from kiosk.flow import Step
from ui.receipt import ReceiptData, qr_image
from ui.screens.wizard import WizardScreen
from ui.widgets.big_button import BigButton

QR_PX = 176


class ReceiptScreen(WizardScreen):
    screen_name = "receipt"
    step = 12
    flow_step = Step.RECEIPT

    print_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: ReceiptData | None = None
        box = QWidget(self.form)
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(24)
        left = QVBoxLayout()
        self.reference_caption = QLabel(box)
        self.reference_caption.setObjectName("fieldLabel")
        self.reference_label = QLabel(box)
        self.reference_label.setObjectName("referenceLabel")
        self.reference_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.identity_label = QLabel(box)
        self.identity_label.setObjectName("receiptIdentity")
        self.identity_label.setWordWrap(True)
        self.next_label = QLabel(box)
        self.next_label.setWordWrap(True)
        self.next_label.setObjectName("receiptSteps")
        self.photo_note = QLabel(box)
        self.photo_note.setWordWrap(True)
        self.photo_note.setObjectName("warningBox")
        self._printer = True
        self.print_status = QLabel(box)
        self.print_status.setWordWrap(True)
        self.print_status.setObjectName("printStatus")
        self.print_status.hide()
        for widget in (self.reference_caption, self.reference_label, self.identity_label, self.next_label):
            left.addWidget(widget)
        left.setSpacing(4)
        left.addWidget(self.photo_note)
        left.addWidget(self.print_status)
        left.addStretch(1)
        self.qr_label = QLabel(box)
        self.qr_label.setObjectName("qrLabel")
        self.qr_label.setFixedSize(QR_PX, QR_PX)
        self.qr_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        right = QVBoxLayout()
        right.addWidget(self.qr_label, 0, Qt.AlignmentFlag.AlignHCenter)
        right.addStretch(1)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        grid.setColumnStretch(0, 1)
        self.form_layout.addWidget(box)
        self.print_button = BigButton("", self, role="secondary")
        self.print_button.setObjectName("printButton")
        self.print_button.clicked.connect(self.print_requested)
        self.nav.insertWidget(self.nav.indexOf(self.back_button), self.print_button)
        self.back_button.hide()
        self.cancel_button.hide()
        self.finish_form()

    def show_receipt(self, data: ReceiptData) -> None:
        self.data = data
        self.qr_label.setPixmap(
            QPixmap.fromImage(qr_image(data.reference)).scaled(
                QR_PX, QR_PX, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation
            )
        )
        self.print_status.clear()
        self.print_status.hide()
        self.retranslate_content()

    def set_printer_available(self, available: bool) -> None:
        """Without a printer the person photographs the screen: no "Cetak" (a PDF left on the kiosk
        gives the person nothing), and the screen says so next to the QR code."""
        self._printer = available
        self.print_button.setVisible(available)
        self.retranslate_content()

    def set_print_result(self, result: str) -> None:
        """ "failed", "printing" or "pdf": what happened to "Cetak", in words."""
        texts = {
            "failed": self.tr("Tanda terima gagal dicetak. Minta bantuan petugas."),
            "printing": self.tr("Tanda terima sedang dicetak."),
            "pdf": self.tr("Tanda terima disimpan sebagai PDF."),
        }
        self.print_status.setText(texts.get(result, ""))
        self.print_status.setVisible(bool(self.print_status.text()))

    def retranslate_content(self) -> None:
        self.title_label.setText(self.tr("Pendaftaran tersimpan. Terima kasih!"))
        self.hint_label.hide()  # the steps below and the note beside the QR code say what to do
        self.photo_note.setText(
            self.tr("Foto layar ini dengan HP Anda.")
            if not self._printer
            else self.tr("Atau foto layar ini dengan HP Anda.")
        )
        self.reference_caption.setText(self.tr("Nomor referensi"))
        data = self.data
        self.reference_label.setText(data.reference if data else "")
        if data:
            self.identity_label.setText(
                self.tr("Nama: %1").replace("%1", data.masked_name)
                + " · "
                + self.tr("NIK: %1").replace("%1", data.masked_nik)
            )
            steps = [self.tr("Data Anda dikirim ke pusat (segera jika kiosk terhubung).")]
            if data.wave_note:  # the programme wave, or "joins the next wave" (issue 19)
                steps.insert(0, data.wave_note)
            if data.otp_deferred:
                steps.append(self.tr("Kode verifikasi dikirim ke HP/e-mail Anda setelah data terkirim."))
            steps.append(self.tr("Hasil seleksi dikirim lewat SMS/e-mail."))
            steps.append(
                self.tr("Cek status: pilih Cek Status di kiosk, lalu tunjukkan kode QR ini ke kamera.")
            )
            numbered = [f"{i}. {text}" for i, text in enumerate(steps, start=1)]
            self.next_label.setText(self.tr("Apa selanjutnya:") + "\n" + "\n".join(numbered))
        else:
            self.identity_label.clear()
            self.next_label.clear()
        self.print_button.setText(self.tr("Cetak tanda terima"))
        self.next_button.setText(self.tr("Selesai"))

    def spoken_text(self) -> str:
        return ". ".join((self.title_label.text(), self.reference_label.text(), self.next_label.text()))

    def collect_content(self) -> dict[str, Any]:
        return {}

    def clear_content(self) -> None:
        self.data = None
        self.qr_label.clear()
        self.print_status.clear()
        self.print_status.hide()
        self.retranslate_content()
