"""Perawatan: retention purge, audit-log check and (supervisor only) wiping the device.

Why the wipe asks twice, with the number: wiping removes the keys and the queue; a registration not
yet delivered is lost for good. The page first shows how many are unsent and offers to export them;
the controller refuses the wipe if more became unsent after the supervisor confirmed.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from ui.console.page import ConsolePage, heading, note
from ui.widgets.big_button import BigButton


class MaintenancePage(ConsolePage):
    page_name = "maintenance"
    purge_requested = Signal()
    audit_check_requested = Signal()
    wipe_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = heading(self)
        self.retention_note = note(self)
        self.purge_button = BigButton("", self, role="secondary")
        self.purge_button.setObjectName("purgeButton")
        self.purge_button.clicked.connect(self.purge_requested)
        self.audit_button = BigButton("", self, role="secondary")
        self.audit_button.setObjectName("auditButton")
        self.audit_button.clicked.connect(self.audit_check_requested)
        self.wipe_heading = heading(self)
        self.wipe_note = note(self)
        self.wipe_button = BigButton("", self, role="danger")
        self.wipe_button.setObjectName("wipeButton")
        self.wipe_button.clicked.connect(self.wipe_requested)
        self.result = note(self)
        self.result.setObjectName("maintenanceResult")
        row = QHBoxLayout()
        row.addWidget(self.purge_button)
        row.addWidget(self.audit_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.retention_note)
        layout.addLayout(row)
        layout.addSpacing(16)
        layout.addWidget(self.wipe_heading)
        layout.addWidget(self.wipe_note)
        wipe_row = QHBoxLayout()
        wipe_row.addWidget(self.wipe_button)
        wipe_row.addStretch(1)
        layout.addLayout(wipe_row)
        layout.addWidget(self.result)
        layout.addStretch(1)
        self._days = 30
        self._supervisor = False
        self.retranslate()

    def set_retention_days(self, days: int) -> None:
        self._days = days
        self.retranslate()

    def set_allowed(self, supervisor: bool) -> None:
        self._supervisor = supervisor
        self.wipe_button.setEnabled(supervisor)
        self.retranslate()

    def show_outcome(self, text: str) -> None:
        self.set_result(text)

    def show_wiped(self, text: str) -> None:
        """After the device wipe: nothing here can run again; ``text`` says what to do next."""
        self.purge_button.setEnabled(False)
        self.wipe_button.setEnabled(False)
        self.set_result(text)

    def set_result(self, text: str) -> None:
        self.result.setText(text)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Perawatan"))
        self.retention_note.setText(
            self.tr(
                "Catatan pendaftaran yang sudah terkirim (tanpa isi) disimpan %1 hari, lalu dihapus."
            ).replace("%1", str(self._days))
        )
        self.purge_button.setText(self.tr("Hapus catatan lama"))
        self.audit_button.setText(self.tr("Periksa log audit"))
        self.wipe_heading.setText(self.tr("Hapus data perangkat"))
        self.wipe_note.setText(
            self.tr("Menghapus kunci perangkat, antrean dan data tersimpan. Tidak bisa dibatalkan.")
            if self._supervisor
            else self.tr("Hanya supervisor yang dapat menghapus data perangkat.")
        )
        self.wipe_button.setText(self.tr("Hapus data perangkat…"))
