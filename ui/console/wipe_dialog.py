"""The wipe question: how many registrations are still unsent, export first, or wipe now.

Why a dialog with three plain buttons: a wipe cannot be undone; the supervisor sees the number of
unsent registrations in words and must press a red button labelled with what it does.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.widgets.big_button import BigButton


class WipeDialog(QDialog):
    export_first = Signal()
    confirmed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("wipeDialog")
        self.setModal(True)
        self.question = QLabel(self)
        self.question.setWordWrap(True)
        self.export_button = BigButton("", self, role="primary")
        self.export_button.setObjectName("wipeExportFirst")
        self.export_button.clicked.connect(self._export)
        self.confirm_button = BigButton("", self, role="danger")
        self.confirm_button.setObjectName("wipeConfirm")
        self.confirm_button.clicked.connect(self._confirm)
        self.cancel_button = BigButton("", self, role="secondary")
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.confirm_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addWidget(self.question)
        layout.addLayout(buttons)
        self._unsent = 0
        self.retranslate()

    def ask(self, unsent: int) -> None:
        self._unsent = unsent
        self.export_button.setVisible(unsent > 0)
        self.retranslate()
        self.open()

    def _export(self) -> None:
        self.accept()
        self.export_first.emit()

    def _confirm(self) -> None:
        self.accept()
        self.confirmed.emit(self._unsent)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Hapus data perangkat"))
        if self._unsent:
            text = self.tr(
                "%n pendaftaran belum terkirim dan akan hilang. Ekspor dulu ke USB, lalu hapus.",
                "",
                self._unsent,
            )
        else:
            text = self.tr("Semua pendaftaran sudah terkirim.")
        self.question.setText(
            text + "\n" + self.tr("Kunci perangkat, antrean dan data tersimpan akan dihapus. Lanjutkan?")
        )
        self.export_button.setText(self.tr("Ekspor dulu"))
        self.confirm_button.setText(self.tr("Hapus sekarang"))
        self.cancel_button.setText(self.tr("Batal"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
