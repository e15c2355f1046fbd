"""Frame sources for the camera view: video files, image sequences and still images.

Why one small interface (:class:`FrameSource`): the camera view must not care whether frames come from
a webcam, the demo clip or a test's synthetic frames. Every source emits ``frame_ready(numpy BGR uint8
array)`` on the GUI thread and reports trouble through ``problem(str)`` (a translated sentence) and
``recovered()``. The webcam source lives in :mod:`ui.camera.qt_camera`.

File and sequence sources are paced by a ``QTimer`` at the clip's frame rate, so the demo and the tests
behave like a live camera (frames keep coming whether or not anyone keeps up).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np
from PySide6.QtCore import QObject, Qt, QTimer, Signal

from kiosk.imaging.frame import FrameError, Image, as_bgr


class FrameSource(QObject):
    """Base class: ``start()``/``stop()``, ``frame_ready(object)``, ``problem(str)``, ``recovered()``."""

    frame_ready = Signal(object)
    problem = Signal(str)
    recovered = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._running = False

    @property
    def running(self) -> bool:
        return self._running

    def start(self) -> None:
        self._running = True

    def stop(self) -> None:
        self._running = False


class _TimedSource(FrameSource):
    """A source that produces one frame per timer tick."""

    def __init__(self, fps: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self.set_fps(fps)

    def set_fps(self, fps: float) -> None:
        self._timer.setInterval(max(1, round(1000.0 / max(fps, 0.1))))

    def start(self) -> None:
        super().start()
        self._tick()
        self._timer.start()

    def stop(self) -> None:
        super().stop()
        self._timer.stop()

    def _tick(self) -> None:
        frame = self._next_frame()
        if frame is not None:
            self.frame_ready.emit(frame)

    def _next_frame(self) -> Image | None:
        raise NotImplementedError


class ImageSequenceSource(_TimedSource):
    """Frames held in memory, played at ``fps``, looping by default (demo clips, tests, benches)."""

    def __init__(
        self, frames: Sequence[Image], fps: float = 15.0, loop: bool = True, parent: QObject | None = None
    ) -> None:
        checked = []
        for frame in frames:
            try:
                checked.append(as_bgr(frame))
            except FrameError:
                continue  # a broken frame in a sequence is skipped, like a dropped camera frame
        self._frames = checked
        self._index = 0
        self._loop = loop
        super().__init__(fps, parent)

    @classmethod
    def from_video(
        cls, path: Path, max_frames: int = 600, parent: QObject | None = None
    ) -> ImageSequenceSource:
        """Load a (short) clip into memory; fps from the file (15 if unknown)."""
        frames, fps = read_video(path, max_frames)
        return cls(frames, fps=fps or 15.0, parent=parent)

    def __len__(self) -> int:
        return len(self._frames)

    def start(self) -> None:
        if not self._frames:
            self.problem.emit(self.tr("Tidak ada gambar untuk ditampilkan."))
            return
        super().start()

    def _next_frame(self) -> Image | None:
        if self._index >= len(self._frames):
            if not self._loop:
                self.stop()
                return None
            self._index = 0
        frame = self._frames[self._index]
        self._index += 1
        return frame


class StillImageSource(_TimedSource):
    """One image shown as a live feed at a low rate (an imported photo, a self-test card)."""

    def __init__(self, image: Image, fps: float = 10.0, parent: QObject | None = None) -> None:
        self._image: Image | None
        try:
            self._image = as_bgr(image)
        except FrameError:
            self._image = None
        super().__init__(fps, parent)

    def start(self) -> None:
        if self._image is None:
            self.problem.emit(self.tr("Gambar tidak terbaca."))
            return
        super().start()

    def _next_frame(self) -> Image | None:
        return self._image


class VideoFileSource(_TimedSource):
    """A video file decoded with OpenCV (FFmpeg inside the wheel), paced at its fps, looping."""

    def __init__(self, path: Path, fps: float | None = None, parent: QObject | None = None) -> None:
        self._path = Path(path)
        self._capture: cv2.VideoCapture | None = None
        self._fixed_fps = fps
        super().__init__(fps or 15.0, parent)

    def start(self) -> None:
        capture = cv2.VideoCapture(str(self._path))
        if not capture.isOpened():
            self.problem.emit(self.tr("Video demo tidak bisa dibuka."))
            return
        self._capture = capture
        if self._fixed_fps is None:
            file_fps = float(capture.get(cv2.CAP_PROP_FPS) or 0.0)
            self.set_fps(file_fps if 1.0 <= file_fps <= 120.0 else 15.0)
        super().start()

    def stop(self) -> None:
        super().stop()
        if self._capture is not None:
            self._capture.release()
            self._capture = None

    def _next_frame(self) -> Image | None:
        if self._capture is None:
            return None
        ok, frame = self._capture.read()
        if not ok:
            self._capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, frame = self._capture.read()
            if not ok:
                self.problem.emit(self.tr("Video demo rusak."))
                self.stop()
                return None
        return np.ascontiguousarray(frame)


def read_video(path: Path, max_frames: int = 600) -> tuple[list[Image], float]:
    """All frames (up to ``max_frames``) of a video file and its fps (0.0 when unknown or unreadable)."""
    capture = cv2.VideoCapture(str(path))
    frames: list[Image] = []
    if not capture.isOpened():
        return frames, 0.0
    fps = float(capture.get(cv2.CAP_PROP_FPS) or 0.0)
    while len(frames) < max_frames:
        ok, frame = capture.read()
        if not ok:
            break
        frames.append(np.ascontiguousarray(frame))
    capture.release()
    return frames, fps
