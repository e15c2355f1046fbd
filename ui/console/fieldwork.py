"""Kerja lapangan: carry waiting registrations on a USB stick to a connected kiosk, and import them.

Why through the outbox's export file: it holds only the sealed envelopes (no plaintext), is written
atomically (a stick pulled out half-way leaves no torn file) and merges by id, so importing the same
file twice — or on a machine that already delivered some items — never sends anything twice.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from ui.console.page import ConsolePage, heading, note
from ui.widgets.big_button import BigButton


class FieldWorkPage(ConsolePage):
    page_name = "fieldwork"
    export_requested = Signal()
    import_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = heading(self)
        self.explain = note(self)
        self.waiting = note(self)
        self.waiting.setObjectName("fieldworkWaiting")
        self.export_button = BigButton("", self, role="primary")
        self.export_button.setObjectName("fieldworkExport")
        self.export_button.clicked.connect(self.export_requested)
        self.import_button = BigButton("", self, role="secondary")
        self.import_button.setObjectName("fieldworkImport")
        self.import_button.clicked.connect(self.import_requested)
        self.result = note(self)
        self.result.setObjectName("fieldworkResult")
        buttons = QHBoxLayout()
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.explain)
        layout.addWidget(self.waiting)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        layout.addStretch(1)
        self._waiting = 0
        self.retranslate()

    def set_waiting(self, waiting: int) -> None:
        self._waiting = waiting
        self.retranslate()

    def set_busy(self, busy: bool) -> None:
        self.export_button.setEnabled(not busy)
        self.import_button.setEnabled(not busy)
        if busy:
            self.result.setText(self.tr("Sedang bekerja…"))

    def show_outcome(self, text: str) -> None:
        self.set_result(text)

    def set_result(self, text: str) -> None:
        self.set_busy(False)
        self.result.setText(text)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Kerja lapangan (USB)"))
        self.explain.setText(
            self.tr(
                "Ekspor menyalin pendaftaran yang menunggu (terkunci/terenkripsi) ke berkas, misalnya di USB. Impor berkas itu di kiosk yang terhubung ke internet; yang sudah ada tidak dikirim dua kali."
            )
        )
        self.waiting.setText(self.tr("%n pendaftaran menunggu dikirim.", "", self._waiting))
        self.export_button.setText(self.tr("Ekspor ke USB…"))
        self.import_button.setText(self.tr("Impor dari berkas…"))
