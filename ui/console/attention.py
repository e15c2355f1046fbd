"""Perlu perhatian: registrations the server refused or the kiosk quarantined, with the reason in words.

Why reference numbers and not names: the console never shows an applicant's personal data; the
reference on the applicant's receipt is what staff and the central office use to talk about one
registration. Actions: send again (after the cause was fixed, e.g. a newer kiosk version) and export
to a file for the central office.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.console_model import LOCAL_STATE_WORDS, AttentionRow
from ui.console.page import ConsolePage, heading, note
from ui.widgets.big_button import BigButton
from ui.widgets.touch_scroll import make_touch_scrollable


class AttentionPage(ConsolePage):
    page_name = "attention"
    retry_requested = Signal(list)
    export_requested = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = heading(self)
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("attentionTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setMinimumSectionSize(48)  # rows a finger can hit
        make_touch_scrollable(self.table)  # a list may scroll: by touch, not a thin scrollbar
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.empty_label = note(self)
        self.retry_button = BigButton("", self, role="primary")
        self.retry_button.setObjectName("attentionRetry")
        self.retry_button.clicked.connect(lambda: self.retry_requested.emit(self.selected_ids()))
        self.export_button = BigButton("", self, role="secondary")
        self.export_button.setObjectName("attentionExport")
        self.export_button.clicked.connect(lambda: self.export_requested.emit(self.selected_ids()))
        self.message = note(self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.message, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._rows: list[AttentionRow] = []
        self.retranslate()

    def set_rows(self, rows: list[AttentionRow]) -> None:
        selected = set(self.selected_ids())
        self._rows = list(rows)
        self._fill()
        for index, row in enumerate(self._rows):
            if row.item_id in selected:
                self.table.selectRow(index)
        self._update_buttons()

    def rows(self) -> list[AttentionRow]:
        return list(self._rows)

    def select_reference(self, reference: str) -> bool:
        """Select the row of ``reference`` (tests and deep links); False when absent."""
        for index, row in enumerate(self._rows):
            if row.reference == reference:
                self.table.selectRow(index)
                return True
        return False

    def selected_ids(self) -> list[str]:
        indexes = sorted({i.row() for i in self.table.selectedIndexes()})
        return [self._rows[i].item_id for i in indexes if i < len(self._rows)]

    def show_outcome(self, text: str) -> None:
        self.set_message(text)

    def set_message(self, text: str) -> None:
        self.message.setText(text)

    def _fill(self) -> None:
        self.table.setRowCount(len(self._rows))
        for index, row in enumerate(self._rows):
            state = LOCAL_STATE_WORDS.get(row.state)
            state_text = self.tr("Ditolak server") if row.state == "attention" else self.tr("Dikarantina")
            cells = (row.reference, state_text, self.words(row.reason), self.words(row.since))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 1 and state is not None:
                    item.setToolTip(self.words(state))
                self.table.setItem(index, column, item)
        self.table.resizeRowsToContents()
        self.empty_label.setVisible(not self._rows)
        self.table.setVisible(bool(self._rows))

    def _update_buttons(self) -> None:
        chosen = bool(self.selected_ids())
        self.retry_button.setEnabled(chosen)
        self.export_button.setEnabled(chosen)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Perlu perhatian"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Nomor referensi"), self.tr("Keadaan"), self.tr("Alasan"), self.tr("Sejak")]
        )
        self.empty_label.setText(self.tr("Tidak ada pendaftaran yang perlu diperiksa."))
        self.retry_button.setText(self.tr("Kirim ulang"))
        self.export_button.setText(self.tr("Ekspor ke berkas…"))
        self._fill()
        self._update_buttons()
