"""The live preview: the latest frame, an outline to aim at, what was found, and the guidance line.

Why painted in one widget: overlays drawn with QPainter over the scaled frame cost well under a
millisecond and stay aligned with the picture at any window size; stacking labels over a video
widget would not. The widget only paints what it is given — it never analyses.
"""

from __future__ import annotations

import cv2
import numpy as np
from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPen, QPolygonF, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QStyle, QWidget

from kiosk.imaging.analysis import FrameAnalysis, PhotoKind
from kiosk.imaging.card import CARD_ASPECT

OK_COLOUR = QColor(46, 160, 67)
WARN_COLOUR = QColor(230, 150, 0)


def bgr_to_qimage(frame: np.ndarray) -> QImage:
    """A QImage owning a copy of ``frame`` (BGR uint8), at full size.

    Why a copy instead of ``QImage(frame.data, ...)`` over the array's memory: the QImage must not
    outlive or share the numpy buffer, and all QImage creation stays on the GUI thread. (The
    ``none_dealloc`` aborts first blamed on wrapping numpy memory were PySide6 6.12 dropping
    references to ``None``; see :mod:`ui.none_guard`.) The live preview uses :func:`scaled_qimage`.
    """
    height, width = frame.shape[:2]
    image = QImage(width, height, QImage.Format.Format_BGR888)
    stride = image.bytesPerLine()
    target = np.frombuffer(image.bits(), np.uint8, count=stride * height).reshape(height, stride)
    target[:, : width * 3] = np.ascontiguousarray(frame).reshape(height, width * 3)
    return image


def scaled_qimage(frame: np.ndarray, width: int, height: int) -> QImage:
    """A Qt-owned ``Format_RGB32`` QImage of ``frame`` (BGR uint8) resized to ``width`` × ``height``.

    Why: painting a 1280×720 BGR888 image into a smaller rectangle made QPainter scale *and* convert
    the pixel format on every repaint (overlay updates included), 5–15 ms of GUI-thread time each.
    Here the frame is scaled once when it arrives, by OpenCV (which releases the GIL), and converted
    straight into the layout of ``Format_RGB32`` (B, G, R, 0xFF bytes on little-endian machines) inside
    memory Qt owns — no QImage ever wraps numpy memory (see :func:`bgr_to_qimage`). A repaint is then a
    plain blit.
    """
    width, height = max(1, width), max(1, height)
    src_h, src_w = frame.shape[:2]
    if (src_w, src_h) != (width, height):
        # Bilinear: ~1 ms for 1280×720; INTER_AREA looks marginally better but costs ~6 ms.
        frame = cv2.resize(frame, (width, height), interpolation=cv2.INTER_LINEAR)
    image = QImage(width, height, QImage.Format.Format_RGB32)
    stride = image.bytesPerLine()
    target = np.frombuffer(image.bits(), np.uint8, count=stride * height).reshape(height, stride)
    view = target[:, : width * 4].reshape(height, width, 4)
    if np.little_endian:
        cv2.cvtColor(np.ascontiguousarray(frame), cv2.COLOR_BGR2BGRA, dst=view)
    else:  # pragma: no cover - big-endian hosts store 0xAARRGGBB as A, R, G, B bytes
        view[:, :, 0] = 255
        view[:, :, 1:] = np.ascontiguousarray(frame)[:, :, ::-1]
    return image


class PreviewWidget(QWidget):
    """Paints the frame (letterboxed), the aim outline, the detected card/face and the guidance."""

    def __init__(self, kind: PhotoKind = PhotoKind.KTP, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self._frame: np.ndarray | None = None
        self._image: QImage | None = None
        """The frame scaled to the picture rectangle (device pixels), made once per frame."""
        self._analysis: FrameAnalysis | None = None
        self._guidance = ""
        self._good = False
        self._progress = 0.0
        self._frozen = False
        self._new_frame = False
        self._overlay_image: QImage | None = None
        self._overlay_key: tuple[object, ...] | None = None
        self._aim_image: QImage | None = None
        self._aim_key: tuple[object, ...] | None = None
        self.frames_painted = 0
        """Distinct frames painted (overlay-only repaints do not count): the preview frame rate."""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)

    def sizeHint(self) -> QSize:
        return QSize(640, 400)

    def set_frame(self, frame: np.ndarray, frozen: bool = False) -> None:
        """Show ``frame`` (BGR uint8); a frozen frame (the taken photo) hides the aim overlays."""
        self._frame = frame
        self._image = self._scaled(frame)
        self._frozen = frozen
        self._new_frame = True
        self.update()

    def clear_frame(self) -> None:
        """Forget the stored frame, its scaled image and the overlays: the next paint is black.

        Why (issue 18): ``CameraView.clear()`` at the idle wipe left the last applicant's face or KTP
        here until the next frame came — forever if the camera had failed.
        """
        self._frame = None
        self._image = None
        self._analysis = None
        self._guidance, self._good, self._progress = "", False, 0.0
        self._frozen = False
        self._new_frame = False
        self._overlay_image = self._overlay_key = None
        self.update()

    def has_frame(self) -> bool:
        """Whether a frame (an applicant's picture) is held."""
        return self._frame is not None or self._image is not None

    def _scaled(self, frame: np.ndarray) -> QImage:
        rect = self._picture_rect(frame)
        ratio = self.devicePixelRatioF()
        image = scaled_qimage(frame, round(rect.width() * ratio), round(rect.height() * ratio))
        image.setDevicePixelRatio(ratio)
        return image

    def resizeEvent(self, event: QResizeEvent) -> None:
        if self._frame is not None:
            self._image = self._scaled(self._frame)
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange, QEvent.Type.PaletteChange):
            self._overlay_image = self._aim_image = None
        super().changeEvent(event)

    def set_analysis(self, analysis: FrameAnalysis | None) -> None:
        self._analysis = analysis
        self.update()

    def set_guidance(self, text: str, good: bool, progress: float = 0.0) -> None:
        self._guidance, self._good, self._progress = text, good, progress
        self.update()

    def _picture_rect(self, frame: np.ndarray | None = None) -> QRectF:
        """Where the frame goes: letterboxed, whole logical pixels (so the scaled image is blitted 1:1)."""
        frame = self._frame if frame is None else frame
        if frame is None or self.width() <= 0 or self.height() <= 0:
            return QRectF(self.rect())
        h, w = frame.shape[:2]
        scale = min(self.width() / w, self.height() / h)
        pw, ph = max(1, round(w * scale)), max(1, round(h * scale))
        return QRectF((self.width() - pw) // 2, (self.height() - ph) // 2, pw, ph)

    def paintEvent(self, _event: object) -> None:
        """Bars, the pre-scaled frame (a 1:1 blit) and the cached overlay layer: well under a millisecond.

        Why cached: the antialiased dashed outline, the face/card outline and the guidance text cost
        1.5–2 ms of GUI-thread time per repaint (far more on a busy machine), and they change only when
        a new analysis, guidance or size arrives, ~10 times a second, not with every frame.
        """
        painter = QPainter(self)
        target = self._picture_rect()
        if self._image is None:
            painter.fillRect(self.rect(), Qt.GlobalColor.black)
        else:
            full = QRectF(self.rect())
            for bar in (
                QRectF(full.left(), full.top(), full.width(), target.top() - full.top()),
                QRectF(full.left(), target.bottom(), full.width(), full.bottom() - target.bottom()),
                QRectF(full.left(), target.top(), target.left() - full.left(), target.height()),
                QRectF(target.right(), target.top(), full.right() - target.right(), target.height()),
            ):
                if bar.width() > 0 and bar.height() > 0:
                    painter.fillRect(bar, Qt.GlobalColor.black)
            painter.drawImage(target.topLeft(), self._image)
            if self._new_frame:
                self.frames_painted += 1
                self._new_frame = False
        painter.drawImage(QPointF(0, 0), self._overlay(target))
        painter.end()

    def _layer(self) -> QImage:
        ratio = self.devicePixelRatioF()
        layer = QImage(
            max(1, round(self.width() * ratio)),
            max(1, round(self.height() * ratio)),
            QImage.Format.Format_ARGB32_Premultiplied,
        )
        layer.setDevicePixelRatio(ratio)
        layer.fill(Qt.GlobalColor.transparent)
        return layer

    def _overlay(self, target: QRectF) -> QImage:
        """The aim outline (its own cache: it only changes with size and kind), what was found and the
        guidance line, on transparent layers; returns the composed layer (cached)."""
        base = (
            self.width(),
            self.height(),
            self.devicePixelRatioF(),
            target.getRect(),
            self.kind,
            self._frozen,
        )
        key = (
            *base,
            id(self._analysis),
            self._guidance,
            self._good,
            round(self._progress, 2),
            self.font().key(),
        )
        if self._overlay_image is not None and key == self._overlay_key:
            return self._overlay_image
        if self._aim_image is None or self._aim_key != base:
            aim = self._layer()
            if not self._frozen:
                painter = QPainter(aim)
                painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
                self._paint_aim(painter, target)
                painter.end()
            self._aim_image, self._aim_key = aim, base
        layer = self._aim_image.copy()
        painter = QPainter(layer)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        if not self._frozen:
            self._paint_found(painter, target)
        self._paint_guidance(painter)
        painter.end()
        self._overlay_image, self._overlay_key = layer, key
        return layer

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
        analysis, frame = self._analysis, self._frame
        if analysis is None or frame is None:
            return
        sx, sy = target.width() / frame.shape[1], target.height() / frame.shape[0]
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
