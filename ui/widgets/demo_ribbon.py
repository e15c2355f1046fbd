"""The "DEMO / PELATIHAN" corner ribbon shown over every screen in demo mode.

Why a painted overlay: in demo (training) mode nothing is sent to the real programme, and nobody must
mistake a training kiosk for a real one. A diagonal band across the top-right corner stays visible on
every screen without taking layout space, and lets clicks pass through to the widgets below. The
text is the same in both languages on purpose: staff recognise it at a glance.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QWidget

RIBBON_TEXT = "DEMO / PELATIHAN"


class DemoRibbon(QWidget):
    """Covers its parent, paints a diagonal band in the top-right corner, ignores the mouse."""

    BAND_WIDTH = 42
    CORNER = 180

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("demoRibbon")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.setAccessibleName(RIBBON_TEXT)
        parent.installEventFilter(self)
        self.setGeometry(parent.rect())
        self.raise_()

    def text(self) -> str:
        return RIBBON_TEXT

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() in (QEvent.Type.Resize, QEvent.Type.ChildAdded):
            parent = self.parentWidget()
            if parent is not None:
                self.setGeometry(parent.rect())
            self.raise_()
        return False

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, c, b = float(self.width()), float(self.CORNER), float(self.BAND_WIDTH)
        band = QPolygonF([QPointF(w - c, 0), QPointF(w - c + b, 0), QPointF(w, c - b), QPointF(w, c)])
        painter.setPen(QPen(QColor("#000000"), 3))
        painter.setBrush(QColor("#FFD400"))
        painter.drawPolygon(band)
        font = QFont(self.font())
        font.setBold(True)
        font.setPixelSize(16)
        painter.setFont(font)
        painter.setPen(QColor("#000000"))
        # Centre of the band, then rotate 45° so the text runs along it.
        painter.translate(w - c / 2 + b / 4, c / 2 - b / 4)
        painter.rotate(45)
        painter.drawText(
            int(-c * 0.7), int(-b / 2), int(c * 1.4), int(b), Qt.AlignmentFlag.AlignCenter, RIBBON_TEXT
        )
        painter.end()
