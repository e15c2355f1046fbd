"""Scanning the receipt's QR code with the webcam, for Cek Status.

Why a small widget of its own: the photo step's camera view carries KTP/selfie guidance the console
does not need. This one shows the live picture and hands the newest frame to
:func:`kiosk.status_lookup.reference_from_qr` on a worker (one at a time, newer frames replace older
ones), and emits :attr:`found` with the reference as soon as one decodes; then it stops the camera.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from kiosk.status_lookup import reference_from_qr
from ui.camera.preview import scaled_qimage
from ui.camera.sources import FrameSource
from ui.worker import run_in_background


class QrScanner(QWidget):
    found = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picture = QLabel(self)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture.setMinimumSize(240, 160)
        self.picture.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.picture.setStyleSheet("background: #222222; color: #FFFFFF;")
        self.picture.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.picture)
        self._source: FrameSource | None = None
        self._decoding = False
        self._latest: np.ndarray | None = None
        self.frames_seen = 0

    def start(self, source: FrameSource) -> None:
        """Show ``source``'s frames and look for a reference QR code in them."""
        self.stop()
        self._source = source
        source.frame_ready.connect(self._on_frame)
        source.problem.connect(self.picture.setText)
        self.picture.setText(self.tr("Arahkan kode QR pada tanda terima ke kamera."))
        self.show()
        source.start()

    def stop(self) -> None:
        source, self._source = self._source, None
        if source is not None:
            source.stop()
            source.frame_ready.disconnect(self._on_frame)
            source.deleteLater()
        self._latest = None
        self.hide()

    def is_scanning(self) -> bool:
        return self._source is not None

    def _on_frame(self, frame: Any) -> None:
        if self._source is None or not isinstance(frame, np.ndarray):
            return
        self.frames_seen += 1
        width, height = max(1, self.picture.width()), max(1, self.picture.height())
        h, w = frame.shape[:2]
        scale = min(width / w, height / h)
        image = scaled_qimage(frame, max(1, int(w * scale)), max(1, int(h * scale)))
        self.picture.setPixmap(QPixmap.fromImage(image))
        self._latest = frame
        self._decode_next()

    def _decode_next(self) -> None:
        if self._decoding or self._latest is None:
            return
        frame, self._latest = self._latest, None
        self._decoding = True
        run_in_background(
            reference_from_qr, frame, on_success=self._decoded, on_failure=self._failed, parent=self
        )

    def _decoded(self, ref: str | None) -> None:
        self._decoding = False
        if self._source is None:
            return
        if ref is not None:
            self.stop()
            self.found.emit(ref)
            return
        self._decode_next()

    def _failed(self, _error: BaseException) -> None:
        self._decoding = False
