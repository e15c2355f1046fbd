"""The "DEMO / PELATIHAN" band shown at the right end of the header on every screen in demo mode.

Why: in demo (training) mode nothing is sent to the real programme, and nobody must mistake a training
kiosk for a real one, so the marker is on every screen. It used to be a diagonal ribbon painted over
the top-right corner; at 1024×600 that ribbon covered the last progress segments and the corner of the
content below the header. Now it is a widget in the header's own layout: it takes its width from the
header (which already left that room free), so it can cover nothing, and it is painted with yellow and
black hazard stripes so staff recognise it at a glance. The text is the same in both languages on
purpose.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

RIBBON_TEXT = "DEMO / PELATIHAN"


class DemoRibbon(QWidget):
    """A yellow band with hazard-striped ends and the demo text; a header layout item, never an overlay."""

    STRIPE = 14
    FONT_PX = 16
    PADDING = 10

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("demoRibbon")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAccessibleName(RIBBON_TEXT)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def text(self) -> str:
        return RIBBON_TEXT

    def _font(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        font.setPixelSize(self.FONT_PX)
        return font

    def sizeHint(self) -> QSize:
        metrics = QFontMetrics(self._font())
        width = metrics.horizontalAdvance(RIBBON_TEXT) + 2 * (self.STRIPE + self.PADDING)
        return QSize(width, metrics.height() + 2 * self.PADDING)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h, s = float(self.width()), float(self.height()), float(self.STRIPE)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("#FFD400"))
        painter.drawRect(QRectF(0, 0, w, h))
        painter.setBrush(QColor("#000000"))
        for left in (0.0, w - s):  # diagonal black stripes at both ends, like a barrier tape
            painter.save()
            painter.setClipRect(QRectF(left, 0, s, h))
            x = left - h
            while x < left + s:
                painter.drawPolygon(
                    QPolygonF([QPointF(x, h), QPointF(x + h, 0), QPointF(x + h + 5, 0), QPointF(x + 5, h)])
                )
                x += 10
            painter.restore()
        painter.setPen(QPen(QColor("#000000"), 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(QRectF(1, 1, w - 2, h - 2))
        painter.setFont(self._font())
        painter.drawText(QRectF(s, 0, w - 2 * s, h), Qt.AlignmentFlag.AlignCenter, RIBBON_TEXT)
        painter.end()
