"""The "Batal" question: cancel the registration and wipe what was entered?

Why a question first: "Batal" is next to "Kembali" and a slip of the finger must not lose ten
minutes of typing. The dialog is opened non-blocking (``open()``), so the event loop, the idle
watchdog and tests keep running.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.widgets.big_button import BigButton, fit_dialog_to_text


class CancelDialog(QDialog):
    """ "Batalkan pendaftaran?" — "Ya, hapus data" (accept) or "Tidak, lanjutkan" (reject)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cancelDialog")
        self.setModal(True)
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        self.title_label = QLabel(self)
        self.title_label.setObjectName("screenTitle")
        self.title_label.setWordWrap(True)
        self.text_label = QLabel(self)
        self.text_label.setWordWrap(True)
        self.text_label.setObjectName("introLabel")
        self.yes_button = BigButton("", self, role="danger")
        self.yes_button.setObjectName("confirmCancelButton")
        self.no_button = BigButton("", self, role="primary")
        self.no_button.setObjectName("keepButton")
        self.yes_button.clicked.connect(self.accept)
        self.no_button.clicked.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.yes_button)
        row.addStretch(1)
        row.addWidget(self.no_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 32, 40, 32)
        layout.setSpacing(20)
        layout.addWidget(self.title_label)
        layout.addWidget(self.text_label)
        layout.addLayout(row)
        self.setMinimumWidth(600)
        self.setMaximumWidth(900)
        self.retranslate()

    def showEvent(self, event: QShowEvent) -> None:
        """Sized to its text each time (both languages), focus on the safe choice: "Tidak, lanjutkan".

        Why: a dialog keeps the size of its first layout, which clipped "Ya, hapus data" after a
        language switch; and a stray Enter or tap on the focused button must never wipe the session.
        """
        fit_dialog_to_text(self, [self.yes_button, self.no_button])
        super().showEvent(event)
        self.no_button.setDefault(True)
        self.no_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def retranslate(self) -> None:
        self.title_label.setText(self.tr("Batalkan pendaftaran?"))
        self.text_label.setText(
            self.tr("Semua data yang sudah Anda isi akan dihapus. Pilih Tidak untuk melanjutkan pendaftaran.")
        )
        self.yes_button.setText(self.tr("Ya, hapus data"))
        self.no_button.setText(self.tr("Tidak, lanjutkan"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
