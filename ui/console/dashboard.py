"""Ringkasan (dashboard): the queue in numbers and words, connectivity, device id, "Kirim sekarang".

Why a fixed grid of rows: staff read it at a glance every morning and over the phone to support;
the rows (``kiosk.console_model.DASHBOARD_KEYS``) are always in the same place, with a ⚠ mark (not
colour alone) on the ones that need someone to act.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.console_model import DASHBOARD_KEYS, DashboardSnapshot
from ui.console.page import ConsolePage, heading, note
from ui.widgets.big_button import BigButton

WIDE_KEYS: tuple[str, ...] = ("last_sync", "device", "settings", "bank")
"""Rows whose values are sentences or long ids: the whole width under the two columns."""


class DashboardPage(ConsolePage):
    page_name = "dashboard"
    sync_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = heading(self)
        self.labels: dict[str, QLabel] = {}
        self.values: dict[str, QLabel] = {}
        # Short values (counts, ages, states) in two columns of label/value pairs; the rows whose
        # values are sentences or long ids get the whole width below them and wrap. One column of
        # fourteen rows did not fit a 1024×600 terminal: the rows were squashed and the question
        # bank's warning was cut.
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(6)
        paired = [key for key in DASHBOARD_KEYS if key not in WIDE_KEYS]
        half = (len(paired) + 1) // 2
        for key in DASHBOARD_KEYS:
            label = QLabel(self)
            label.setObjectName(f"dash_{key}_label")
            value = QLabel("…", self)
            value.setObjectName(f"dash_{key}")
            value.setProperty("consoleValue", True)
            value.setWordWrap(True)
            if key in WIDE_KEYS:
                row = half + WIDE_KEYS.index(key)
                grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(value, row, 1, 1, 3, Qt.AlignmentFlag.AlignTop)
            else:
                index = paired.index(key)
                row, column = index % half, 2 * (index // half)
                grid.addWidget(label, row, column, Qt.AlignmentFlag.AlignTop)
                grid.addWidget(value, row, column + 1, Qt.AlignmentFlag.AlignTop)
            self.labels[key] = label
            self.values[key] = value
        grid.setColumnStretch(1, 1)  # counts
        grid.setColumnStretch(3, 2)  # ages and states ("kurang dari 1 menit")
        self.sync_button = BigButton("", self, role="primary")
        self.sync_button.setObjectName("consoleSyncButton")
        self.sync_button.clicked.connect(self.sync_requested)
        self.message = note(self)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.sync_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid)
        layout.addWidget(self.message)
        layout.addStretch(1)
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
