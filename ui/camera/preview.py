"""The live preview: the latest frame, an outline to aim at, what was found, and the guidance line.

Why painted in one widget: overlays drawn with QPainter over the scaled frame cost well under a
millisecond and stay aligned with the picture at any window size; stacking labels over a video
widget would not. The widget only paints what it is given — it never analyses.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QStyle, QWidget

from kiosk.imaging.analysis import FrameAnalysis, PhotoKind
from kiosk.imaging.card import CARD_ASPECT

OK_COLOUR = QColor(46, 160, 67)
WARN_COLOUR = QColor(230, 150, 0)


def bgr_to_qimage(frame: np.ndarray) -> QImage:
    """A QImage owning a copy of ``frame`` (BGR uint8).

    Why a copy instead of ``QImage(frame.data, ...)`` over the array's memory: with PySide6 6.12 the
    buffer-wrapping constructor corrupted reference counts (``none_dealloc`` aborts) while the analysis
    thread was running; copying 1280×720 pixels into Qt-owned memory costs about a millisecond.
    """
    height, width = frame.shape[:2]
    image = QImage(width, height, QImage.Format.Format_BGR888)
    stride = image.bytesPerLine()
    target = np.frombuffer(image.bits(), np.uint8, count=stride * height).reshape(height, stride)
    target[:, : width * 3] = np.ascontiguousarray(frame).reshape(height, width * 3)
    return image


class PreviewWidget(QWidget):
    """Paints the frame (letterboxed), the aim outline, the detected card/face and the guidance."""

    def __init__(self, kind: PhotoKind = PhotoKind.KTP, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self._frame: np.ndarray | None = None
        self._image: QImage | None = None
        self._analysis: FrameAnalysis | None = None
        self._guidance = ""
        self._good = False
        self._progress = 0.0
        self._frozen = False
        self._new_frame = False
        self.frames_painted = 0
        """Distinct frames painted (overlay-only repaints do not count): the preview frame rate."""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)

    def sizeHint(self) -> QSize:
        return QSize(640, 400)

    def set_frame(self, frame: np.ndarray, frozen: bool = False) -> None:
        """Show ``frame`` (BGR uint8); a frozen frame (the taken photo) hides the aim overlays."""
        self._frame = frame
        self._image = bgr_to_qimage(frame)
        self._frozen = frozen
        self._new_frame = True
        self.update()

    def set_analysis(self, analysis: FrameAnalysis | None) -> None:
        self._analysis = analysis
        self.update()

    def set_guidance(self, text: str, good: bool, progress: float = 0.0) -> None:
        self._guidance, self._good, self._progress = text, good, progress
        self.update()

    def _picture_rect(self) -> QRectF:
        if self._image is None:
            return QRectF(self.rect())
        w, h = self._image.width(), self._image.height()
        scale = min(self.width() / w, self.height() / h)
        pw, ph = w * scale, h * scale
        return QRectF((self.width() - pw) / 2, (self.height() - ph) / 2, pw, ph)

    def paintEvent(self, _event: object) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.black)
        target = self._picture_rect()
        if self._image is not None:
            painter.drawImage(target, self._image)
            if self._new_frame:
                self.frames_painted += 1
                self._new_frame = False
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if not self._frozen:
            self._paint_aim(painter, target)
            self._paint_found(painter, target)
        self._paint_guidance(painter)
        painter.end()

    def _paint_aim(self, painter: QPainter, target: QRectF) -> None:
        pen = QPen(QColor(255, 255, 255, 200), 3, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if self.kind is PhotoKind.KTP:
            width = target.width() * 0.72
            height = width / CARD_ASPECT
            painter.drawRoundedRect(
                QRectF(target.center().x() - width / 2, target.center().y() - height / 2, width, height),
                12,
                12,
            )
            return
        oval_w, oval_h = target.width() * 0.22, target.height() * 0.55
        centre = QPointF(target.center().x(), target.top() + target.height() * 0.4)
        painter.drawEllipse(centre, oval_w / 2, oval_h / 2)
        card_w = target.width() * 0.22
        painter.drawRoundedRect(
            QRectF(
                target.center().x() + target.width() * 0.12,
                target.top() + target.height() * 0.62,
                card_w,
                card_w / CARD_ASPECT,
            ),
            8,
            8,
        )

    def _paint_found(self, painter: QPainter, target: QRectF) -> None:
        analysis, image = self._analysis, self._image
        if analysis is None or image is None:
            return
        sx, sy = target.width() / image.width(), target.height() / image.height()
        colour = OK_COLOUR if analysis.ok else WARN_COLOUR
        painter.setPen(QPen(colour, 4))
        corners = analysis.card.corners
        if corners is not None:
            polygon = QPolygonF([QPointF(target.left() + x * sx, target.top() + y * sy) for x, y in corners])
            painter.drawPolygon(polygon)
        for face in analysis.faces:
            painter.drawRect(
                QRectF(
                    target.left() + face.x * sx, target.top() + face.y * sy, face.width * sx, face.height * sy
                )
            )

    def _paint_guidance(self, painter: QPainter) -> None:
        if not self._guidance:
            return
        font = QFont(self.font())
        font.setPointSizeF(max(12.0, self.height() / 22))
        font.setBold(True)
        painter.setFont(font)
        metrics = painter.fontMetrics()
        icon_size = metrics.height()
        text_w = metrics.horizontalAdvance(self._guidance)
        box = QRectF(0, 0, text_w + icon_size + 48, metrics.height() + 24)
        box.moveCenter(QPointF(self.width() / 2, self.height() - box.height() / 2 - 16))
        path = QPainterPath()
        path.addRoundedRect(box, 12, 12)
        painter.fillPath(path, QColor(0, 0, 0, 170))
        icon = self.style().standardIcon(
            QStyle.StandardPixmap.SP_DialogApplyButton
            if self._good
            else QStyle.StandardPixmap.SP_MessageBoxWarning
        )
        icon.paint(painter, int(box.left() + 16), int(box.top() + 12), icon_size, icon_size)
        painter.setPen(OK_COLOUR.lighter(150) if self._good else QColor(255, 220, 120))
        painter.drawText(
            QRectF(box.left() + icon_size + 32, box.top(), text_w + 8, box.height()),
            Qt.AlignmentFlag.AlignVCenter,
            self._guidance,
        )
        if self._good and 0.0 < self._progress < 1.0:
            painter.setPen(QPen(OK_COLOUR, 5))
            painter.drawLine(
                QPointF(box.left() + 12, box.bottom() - 4),
                QPointF(box.left() + 12 + (box.width() - 24) * self._progress, box.bottom() - 4),
            )
