"""Frame analysis and photo compression on a worker thread, latest frame wins.

Why a dedicated ``QThread`` rather than ``ui.worker.run_in_background``: preview frames arrive 15–30
times a second, for as long as the step is open. Queuing a pool task per frame would build a backlog
whenever analysis is slower than the camera. Here there is one slot: a new frame *replaces* the one
waiting (``dropped`` counts them), so at most one frame is analysed and one waits — never a queue.
A capture request has priority over analysis. The kiosk.imaging functions are pure and release the GIL
inside OpenCV, so the GUI thread keeps painting while they run.

Analysis is also capped at :data:`MAX_ANALYSIS_RATE` frames a second: guidance read by people and the
auto-capture streak (5 good frames over ≥ 0.4 s) gain nothing from 30 analyses a second, and on a
2-core kiosk the CPU left over keeps the GUI thread's stalls short (``python -m bench.preview``).
Captures are never delayed by the cap.

Legibility before a KTP photo is kept (issue 17): when a KTP is captured, the same worker reads its
NIK line with the on-device OCR (:mod:`kiosk.imaging.legible`, loaded on the first capture, never on
the GUI thread) and the photo is only emitted as ``captured`` when 16 digits were read that agree with
:attr:`FrameAnalyser.expected_nik` (when set). Otherwise ``rejected`` carries the guidance code and the
view goes back to the live preview. If the OCR itself cannot be loaded (a broken install), the photo is
kept unchecked rather than blocking every registration; that is logged without any personal data.

Results are emitted from the worker thread; connect them to slots of QObjects living on the GUI thread
(Qt then queues them there).
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

import cv2
import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal

from kiosk.imaging.analysis import (
    DEFAULT_SETTINGS,
    AnalysisSettings,
    FrameAnalysis,
    PhotoKind,
    analyse,
    capture_image,
)
from kiosk.imaging.compress import CompressedPhoto, compress_ktp, compress_selfie
from kiosk.imaging.frame import FrameError, Image
from kiosk.imaging.guidance import Guidance
from kiosk.imaging.legible import NikVerdict, OcrUnavailable, check_nik, shared_reader

log = logging.getLogger(__name__)

MAX_ANALYSIS_RATE = 15.0


@dataclass(frozen=True, slots=True)
class CapturedPhoto:
    """A taken photo: the compressed JPEG to keep, and the (uncompressed) image to show."""

    photo: CompressedPhoto
    image: Image
    analysis: FrameAnalysis
    generation: int = 0
    """:attr:`FrameAnalyser.generation` when the capture was asked for; a result from an older one
    belongs to a session that was wiped meanwhile and must be dropped."""
    nik: str | None = None
    """The NIK read from a KTP photo (16 digits; memory only, never logged), for the photo-first form."""
    nik_checked: bool = False
    """True when the NIK was read on the device (False for selfies, or when the OCR is unavailable)."""

    def __repr__(self) -> str:
        return f"CapturedPhoto(bytes={self.photo.size}, nik_checked={self.nik_checked})"


@dataclass(frozen=True, slots=True)
class RejectedCapture:
    """A KTP capture refused because its NIK could not be read (or differs from the typed one)."""

    reason: Guidance
    generation: int = 0


class _Loop(QThread):
    def __init__(self, owner: FrameAnalyser) -> None:
        super().__init__()
        self._owner = owner

    def run(self) -> None:
        self._owner._work()


class FrameAnalyser(QObject):
    """``submit(frame)`` for analysis; ``request_capture(frame, analysis)`` to take the photo.

    Signals: ``analysed(frame, FrameAnalysis)``, ``captured(CapturedPhoto)``, ``failed(str)``
    (capture failed; the text is for logs, the view shows its own sentence).
    """

    analysed = Signal(object, object)
    captured = Signal(object)
    rejected = Signal(object)
    failed = Signal(str)

    def __init__(
        self,
        kind: PhotoKind,
        settings: AnalysisSettings = DEFAULT_SETTINGS,
        parent: QObject | None = None,
        *,
        max_rate: float = MAX_ANALYSIS_RATE,
    ) -> None:
        super().__init__(parent)
        cv2.setNumThreads(1)
        self._min_interval = 1.0 / max_rate if max_rate > 0 else 0.0
        self._last_start = float("-inf")
        self._kind = kind
        self._settings = settings
        self._condition = threading.Condition()
        self._pending: Image | None = None
        self._capture: tuple[Image, FrameAnalysis | None] | None = None
        self._generation = 0
        self._stopping = False
        self._busy = False
        self.dropped = 0
        self.done = 0
        self.expected_nik: str | None = None
        """The NIK the person typed; a KTP photo must show the same (None: any 16 digits)."""
        self._thread = _Loop(self)
        self._thread.setObjectName("camera-analysis")
        self._thread.start()
        app = QCoreApplication.instance()
        if app is not None:  # a view closed without shutdown() must not leave a running QThread behind
            app.aboutToQuit.connect(self.shutdown)

    @property
    def kind(self) -> PhotoKind:
        return self._kind

    @property
    def generation(self) -> int:
        """Counts :meth:`clear` calls: results asked for before the last one are stale."""
        with self._condition:
            return self._generation

    def set_kind(self, kind: PhotoKind) -> None:
        with self._condition:
            self._kind = kind
            self._pending = None

    def submit(self, frame: Image) -> None:
        """Offer a frame; replaces any frame still waiting (latest frame wins)."""
        with self._condition:
            if self._pending is not None:
                self.dropped += 1
            self._pending = frame
            self._condition.notify()

    def request_capture(self, frame: Image, analysis: FrameAnalysis | None) -> None:
        """Take the photo from ``frame`` (analysed first when ``analysis`` is None)."""
        with self._condition:
            self._capture = (frame, analysis)
            self._pending = None
            self._condition.notify()

    def clear(self) -> None:
        """Forget waiting work (retake, step left, session wiped); work already running becomes stale."""
        with self._condition:
            self._pending = None
            self._capture = None
            self._generation += 1

    def shutdown(self, timeout_ms: int = 3000) -> None:
        """Stop the worker thread; safe to call twice."""
        with self._condition:
            self._stopping = True
            self._condition.notify()
        self._thread.wait(timeout_ms)

    def _work(self) -> None:
        if self._kind is PhotoKind.KTP:
            # Load the OCR model now, before any frame: the KTP view is built with the wizard, long
            # before its live preview runs, so the model's one GIL-holding load (session creation,
            # ~50–150 ms) never interrupts a preview, and the first capture does not wait for it.
            shared_reader().start_warm_up()
        while True:
            with self._condition:
                while not self._stopping and self._capture is None:
                    if self._pending is not None:
                        rest = self._last_start + self._min_interval - time.monotonic()
                        if rest <= 0:
                            break
                        self._condition.wait(rest)  # newer frames replace the waiting one meanwhile
                    else:
                        self._condition.wait()
                if self._stopping:
                    return
                capture, self._capture = self._capture, None
                frame: Image | None = None
                if capture is None:
                    frame, self._pending = self._pending, None
                    self._last_start = time.monotonic()
                kind, settings, generation = self._kind, self._settings, self._generation
                self._busy = True
            try:
                if capture is not None:
                    self._take(capture[0], capture[1], kind, settings, generation)
                elif frame is not None:
                    result = analyse(frame, kind, settings)
                    self.done += 1
                    self.analysed.emit(frame, result)
                    if kind is PhotoKind.KTP:
                        shared_reader().start_warm_up()  # after set_kind(KTP); no-op once loaded
            except Exception as exc:
                log.exception("camera analysis failed")
                self.failed.emit(type(exc).__name__)
            finally:
                with self._condition:
                    self._busy = False

    def _take(
        self,
        frame: Image,
        analysis: FrameAnalysis | None,
        kind: PhotoKind,
        settings: AnalysisSettings,
        generation: int = 0,
    ) -> None:
        try:
            if analysis is None or analysis.kind is not kind:
                analysis = analyse(frame, kind, settings)
            image = capture_image(frame, analysis)
            nik, checked = None, False
            if kind is PhotoKind.KTP:
                verdict, nik, checked = self._read_nik(image, analysis)
                if verdict is not NikVerdict.OK:
                    reason = (
                        Guidance.NIK_MISMATCH if verdict is NikVerdict.MISMATCH else Guidance.NIK_UNREADABLE
                    )
                    self.rejected.emit(RejectedCapture(reason, generation))
                    return
            photo = compress_ktp(image) if kind is PhotoKind.KTP else compress_selfie(image)
        except FrameError as exc:
            self.failed.emit(exc.detail)
            return
        self.captured.emit(
            CapturedPhoto(photo, np.ascontiguousarray(image), analysis, generation, nik, checked)
        )

    def _read_nik(self, image: Image, analysis: FrameAnalysis) -> tuple[NikVerdict, str | None, bool]:
        """Read the NIK of the flattened card on this worker thread; (verdict, NIK, checked)."""
        if not (analysis.card.found and analysis.card.corners is not None):
            return NikVerdict.UNREADABLE, None, True  # no card found: there is no NIK line to read
        try:
            reading = shared_reader().read_nik(image)
        except OcrUnavailable as exc:
            log.error("on-device OCR unavailable, KTP photo kept unchecked: %s", exc)
            return NikVerdict.OK, None, False
        return check_nik(reading, self.expected_nik), reading.nik, True
