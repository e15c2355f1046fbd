""" "Langkah 3 dari 12" plus one segment per step.

Why both words and segments: the words say exactly where the person is (and are read aloud); the
segments show at a glance how much is left. Done, current and remaining segments differ in fill and
height, not in colour alone.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QWidget


class StepIndicator(QWidget):
    """Shows step ``current`` of ``total`` (1-based)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepIndicator")
        self.label = QLabel(self)
        self.label.setObjectName("stepLabel")
        self._segments_box = QWidget(self)
        self._segments_layout = QHBoxLayout(self._segments_box)
        self._segments_layout.setContentsMargins(0, 0, 0, 0)
        self._segments_layout.setSpacing(6)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(16)
        layout.addWidget(self.label)
        layout.addWidget(self._segments_box, 1)
        self.segments: list[QFrame] = []
        self._current = 0
        self._total = 0

    def current(self) -> int:
        return self._current

    def total(self) -> int:
        return self._total

    def set_step(self, current: int, total: int) -> None:
        """Show step ``current`` of ``total``; values are clamped (bad input never raises here)."""
        total = max(total, 1)
        current = min(max(current, 1), total)
        self._current, self._total = current, total
        while len(self.segments) < total:
            segment = QFrame(self._segments_box)
            segment.setObjectName("stepSegment")
            segment.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            segment.setMinimumSize(QSize(12, 12))
            self._segments_layout.addWidget(segment)
            self.segments.append(segment)
        for index, segment in enumerate(self.segments):
            segment.setVisible(index < total)
            state = "done" if index + 1 < current else "current" if index + 1 == current else "todo"
            segment.setProperty("state", state)
            segment.setFixedHeight(16 if state == "current" else 10)
            segment.style().unpolish(segment)
            segment.style().polish(segment)
        self.retranslate()

    def text(self) -> str:
        return self.label.text()

    def retranslate(self) -> None:
        if self._total:
            self.label.setText(
                self.tr("Langkah %1 dari %2")
                .replace("%1", str(self._current))
                .replace("%2", str(self._total))
            )

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
