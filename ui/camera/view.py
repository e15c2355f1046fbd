"""CameraView: live preview with guidance, auto-capture, manual capture and retake.

Why this split: the frame source delivers frames on the GUI thread; the view only hands the latest one
to the :class:`~ui.camera.analyser.FrameAnalyser` (worker thread, latest frame wins) and paints what
comes back. The auto-capture decision is the Qt-free :class:`~kiosk.imaging.autocapture.AutoCapture`.
The taken photo exists only in memory: as compressed JPEG bytes in the ``captured`` signal and in
:attr:`CameraView.photo` until :meth:`CameraView.retake` or :meth:`CameraView.clear`.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QEvent, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.i18n import Language
from kiosk.imaging.analysis import DEFAULT_SETTINGS, AnalysisSettings, FrameAnalysis, PhotoKind
from kiosk.imaging.autocapture import AutoCapture, CaptureState
from kiosk.imaging.guidance import CAPTURED, message_for
from ui.camera.analyser import CapturedPhoto, FrameAnalyser, RejectedCapture
from ui.camera.preview import PreviewWidget
from ui.camera.sources import FrameSource


class CameraView(QWidget):
    """See the package docstring of :mod:`ui.camera` for the API."""

    captured = Signal(bytes)
    guidance_changed = Signal(str)
    problem = Signal(str)

    def __init__(
        self,
        kind: PhotoKind = PhotoKind.KTP,
        parent: QWidget | None = None,
        *,
        settings: AnalysisSettings = DEFAULT_SETTINGS,
        auto_capture: AutoCapture | None = None,
    ) -> None:
        super().__init__(parent)
        self._kind = kind
        self._language: Language = "id"
        self._source: FrameSource | None = None
        self._auto = auto_capture or AutoCapture()
        self._capturing = False
        self._latest: np.ndarray | None = None
        self._problem_text = ""
        self._guidance_text = ""
        self.photo: bytes | None = None
        self.last_capture: CapturedPhoto | None = None
        self.auto_capture_enabled = True

        self.preview = PreviewWidget(kind, self)
        self.capture_button = QPushButton(self)
        self.retake_button = QPushButton(self)
        self.retake_button.setEnabled(False)
        self.capture_button.clicked.connect(self.capture_now)
        self.retake_button.clicked.connect(self.retake)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.retake_button)
        buttons.addWidget(self.capture_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.preview, 1)
        layout.addLayout(buttons)

        self.analyser = FrameAnalyser(kind, settings, self)
        self.analyser.analysed.connect(self._on_analysed)
        self.analyser.captured.connect(self._on_captured)
        self.analyser.failed.connect(self._on_capture_failed)
        self.analyser.rejected.connect(self._on_capture_rejected)
        self.retranslate()

    # -- public API ---------------------------------------------------------------------------
    @property
    def kind(self) -> PhotoKind:
        return self._kind

    def set_kind(self, kind: PhotoKind) -> None:
        """Switch between the KTP and the selfie (clears any photo taken)."""
        self._kind = kind
        self.preview.kind = kind
        self.analyser.set_kind(kind)
        self.retake()

    def set_expected_nik(self, nik: str | None) -> None:
        """The NIK the person typed: a KTP photo is kept only when the NIK read from it is the same
        (None: any 16 legible digits; the read NIK is then in ``last_capture.nik``)."""
        self.analyser.expected_nik = nik

    def set_language(self, language: Language) -> None:
        """Language of the guidance texts (the core's bilingual messages)."""
        self._language = language
        self.retranslate()

    def set_source(self, source: FrameSource) -> None:
        """Use ``source`` for frames (stops the previous one; does not start the new one)."""
        if self._source is not None:
            self._source.stop()
            self._source.frame_ready.disconnect(self._on_frame)
            self._source.problem.disconnect(self._on_problem)
            self._source.recovered.disconnect(self._on_recovered)
        self._source = source
        source.frame_ready.connect(self._on_frame)
        source.problem.connect(self._on_problem)
        source.recovered.connect(self._on_recovered)

    @property
    def source(self) -> FrameSource | None:
        return self._source

    def start(self) -> None:
        if self._source is not None:
            self._source.start()

    def stop(self) -> None:
        if self._source is not None:
            self._source.stop()
        self.analyser.clear()

    @Slot()
    def capture_now(self) -> None:
        """Manual capture (operator): take the current frame whatever the checks say."""
        if self._latest is None or self._capturing or self.photo is not None:
            return
        self._capturing = True
        self.capture_button.setEnabled(False)
        self.analyser.request_capture(self._latest, None)

    @Slot()
    def retake(self) -> None:
        """Drop the photo and go back to the live preview."""
        self.clear()
        self.start()

    def clear(self) -> None:
        """Forget the photo and any frame held (privacy: nothing kept after the step)."""
        self.photo = None
        self.last_capture = None
        self._latest = None
        self._capturing = False
        self._auto.reset()
        self.analyser.clear()
        self.preview.clear_frame()  # the picture itself, not only the overlays
        self.capture_button.setEnabled(True)
        self.retake_button.setEnabled(False)
        self._set_guidance("", False)

    def shutdown(self) -> None:
        """Stop the source and the worker thread (call before the view is destroyed)."""
        self.stop()
        self.analyser.shutdown()

    def guidance_text(self) -> str:
        return self._guidance_text

    # -- Qt plumbing ----------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.capture_button.setText(self.tr("Ambil foto"))
        self.retake_button.setText(self.tr("Ulangi foto"))
        if self.photo is not None:
            self._set_guidance(CAPTURED.text(self._language), True)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _set_guidance(self, text: str, good: bool, progress: float = 0.0) -> None:
        changed = text != self._guidance_text
        self._guidance_text = text
        self.preview.set_guidance(text, good, progress)
        if changed:
            self.guidance_changed.emit(text)

    @Slot(object)
    def _on_frame(self, frame: np.ndarray) -> None:
        if self.photo is not None or self._capturing:
            return
        if not isinstance(frame, np.ndarray) or frame.ndim not in (2, 3) or min(frame.shape[:2]) < 2:
            return  # an empty or malformed frame from a camera driver: skip it, the next one will do
        self._latest = frame
        self.preview.set_frame(frame)
        self.analyser.submit(frame)

    @Slot(object, object)
    def _on_analysed(self, frame: np.ndarray, analysis: FrameAnalysis) -> None:
        if self.photo is not None or self._capturing or analysis.kind is not self._kind:
            return
        self.preview.set_analysis(analysis)
        state = self._auto.feed(analysis.ok) if self.auto_capture_enabled else CaptureState.SEARCHING
        self._set_guidance(analysis.primary.text(self._language), analysis.ok, self._auto.progress)
        if state is CaptureState.CAPTURE:
            self._capturing = True
            self.capture_button.setEnabled(False)
            self.analyser.request_capture(frame, analysis)

    @Slot(object)
    def _on_captured(self, result: CapturedPhoto) -> None:
        if result.generation != self.analyser.generation:
            return  # asked for before clear(): another applicant's session, never shown or kept
        self._capturing = False
        self.photo = result.photo.data
        self.last_capture = result
        if self._source is not None:
            self._source.stop()
        self.preview.set_analysis(None)
        self.preview.set_frame(result.image, frozen=True)
        self.capture_button.setEnabled(False)
        self.retake_button.setEnabled(True)
        self._set_guidance(CAPTURED.text(self._language), True)
        self.captured.emit(result.photo.data)

    @Slot(object)
    def _on_capture_rejected(self, result: RejectedCapture) -> None:
        """The NIK could not be read (or differs): say so and go back to the live preview."""
        if result.generation != self.analyser.generation:
            return
        self._capturing = False
        self._auto.reset()
        self.capture_button.setEnabled(True)
        self._set_guidance(message_for(result.reason).text(self._language), False)

    @Slot(str)
    def _on_capture_failed(self, _detail: str) -> None:
        self._capturing = False
        self._auto.reset()
        self.capture_button.setEnabled(True)
        text = self.tr("Foto gagal diambil. Coba lagi.")
        self._set_guidance(text, False)
        self.problem.emit(text)

    @Slot(str)
    def _on_problem(self, text: str) -> None:
        self._problem_text = text
        self._set_guidance(text, False)
        self.problem.emit(text)

    @Slot()
    def _on_recovered(self) -> None:
        self._problem_text = ""
        self._set_guidance("", False)
