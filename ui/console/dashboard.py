"""Ringkasan (dashboard): the queue in numbers and words, connectivity, device id, "Kirim sekarang".

Why a fixed grid of rows: staff read it at a glance every morning and over the phone to support;
the rows (``kiosk.console_model.DASHBOARD_KEYS``) are always in the same place, with a ⚠ mark (not
colour alone) on the ones that need someone to act.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.console_model import DASHBOARD_KEYS, DashboardSnapshot
from ui.console.page import ConsolePage, heading, note
from ui.widgets.big_button import BigButton


class DashboardPage(ConsolePage):
    page_name = "dashboard"
    sync_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = heading(self)
        self.labels: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(4)
        for row, key in enumerate(DASHBOARD_KEYS):
            label = QLabel(self)
            label.setObjectName(f"dash_{key}_label")
            value = QLabel("…", self)
            value.setObjectName(f"dash_{key}")
            value.setProperty("consoleValue", True)
            grid.addWidget(label, row, 0)
            grid.addWidget(value, row, 1)
            self.labels[key] = label
            self.values[key] = value
        grid.setColumnStretch(1, 1)
        self.sync_button = BigButton("", self, role="primary")
        self.sync_button.setObjectName("consoleSyncButton")
        self.sync_button.clicked.connect(self.sync_requested)
        self.message = note(self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sync_button)
        buttons.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(grid)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self._snapshot: DashboardSnapshot | None = None
        self.retranslate()

    def set_snapshot(self, snapshot: DashboardSnapshot) -> None:
        self._snapshot = snapshot
        self.retranslate()

    def value_text(self, key: str) -> str:
        return self.values[key].text()

    def show_outcome(self, text: str) -> None:
        self.set_message(text)

    def set_message(self, text: str) -> None:
        self.message.setText(text)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Ringkasan antrean"))
        self.sync_button.setText(self.tr("Kirim sekarang"))
        if self._snapshot is None:
            return
        for row in self._snapshot.rows:
            self.labels[row.key].setText(self.words(row.label))
            self.values[row.key].setText(("⚠ " if row.warn else "") + self.words(row.value))
