"""The verification code: sent by the central API, typed on the keypad, with a resend countdown.

Why the screen does not talk to the network itself: the controller requests and checks the code off
the GUI thread (``ui.worker``) and tells the screen what happened; the screen only shows where the
code went, counts down to "Kirim ulang" and keeps what was typed. "Verifikasi nanti" lets the
person go on when the SMS is slow: the central API then verifies the contact after sync.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.flow import Step
from ui.screens.wizard import WizardScreen
from ui.widgets.big_button import BigButton


class OtpScreen(WizardScreen):
    screen_name = "otp"
    step = 2
    flow_step = Step.OTP

    resend_requested = Signal()
    defer_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, input_panel=True)
        self.sent_label = QLabel(self.form)
        self.sent_label.setTextFormat(Qt.TextFormat.PlainText)  # holds the server's masked address
        self.sent_label.setObjectName("noteBox")
        self.sent_label.setWordWrap(True)
        self.hint_label.setTextFormat(Qt.TextFormat.PlainText)
        self.sent_label.hide()  # where the code went is said in the hint line (room at 1024×600)
        self.code = self.add_field("otp_token", numeric=True, max_length=8)
        row = QVBoxLayout()  # stacked: the countdown text must never be cut at 1024 px
        self.resend_button = BigButton("", self.form, role="secondary")
        self.resend_button.setObjectName("resendButton")
        self.resend_button.clicked.connect(self.resend_requested)
        self.defer_button = BigButton("", self.form, role="secondary")
        self.defer_button.setObjectName("deferButton")
        self.defer_button.clicked.connect(self.defer_requested)
        row.addWidget(self.resend_button)
        row.addWidget(self.defer_button)
        self.form_layout.addLayout(row)
        self._destination = ""
        self._remaining = 0
        self._busy = False
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self.finish_form()

    # -- what the controller tells the screen --------------------------------------------------------
    def code_sent(self, destination_masked: str, resend_after_s: int) -> None:
        self._destination = destination_masked
        self._busy = False
        self._remaining = max(int(resend_after_s), 0)
        self._timer.start()
        self.retranslate()

    def set_busy(self, busy: bool) -> None:
        """While a request or check is under way the buttons wait (no double sends)."""
        self._busy = busy
        self.next_button.setEnabled(not busy)
        self.retranslate()

    def remaining_seconds(self) -> int:
        return self._remaining

    def _tick(self) -> None:
        self._remaining = max(self._remaining - 1, 0)
        if self._remaining == 0:
            self._timer.stop()
        self.retranslate_content()

    def retranslate_content(self) -> None:
        self.title_label.setText(self.tr("Masukkan kode verifikasi"))
        if self._busy and not self._destination:
            self.sent_label.setText(self.tr("Sedang mengirim kode…"))
        elif self._destination:
            self.sent_label.setText(
                self.tr("Kode 6 angka sudah dikirim ke %1. Ketik dengan tombol angka.").replace(
                    "%1", self._destination
                )
            )
        else:
            self.sent_label.setText(self.tr("Kode berisi 6 angka. Ketik dengan tombol angka."))
        self.hint_label.setText(self.sent_label.text())
        self.code.set_label(self.tr("Kode verifikasi"))
        if self._remaining > 0:
            self.resend_button.setText(self.tr("Kirim ulang (%1 detik)").replace("%1", str(self._remaining)))
        else:
            self.resend_button.setText(self.tr("Kirim ulang kode"))
        self.resend_button.setEnabled(self._remaining == 0 and not self._busy)
        self.defer_button.setText(self.tr("Verifikasi nanti"))

    def collect_content(self) -> dict[str, Any]:
        return {"code": self.code.text()}

    def clear_content(self) -> None:
        self._timer.stop()
        self._remaining = 0
        self._destination = ""
        self._busy = False
        self.next_button.setEnabled(True)
        self.code.line_edit.clear()
        self.retranslate_content()

    def initial_focus(self) -> QWidget | None:
        return self.code.line_edit
