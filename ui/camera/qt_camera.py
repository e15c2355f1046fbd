"""The real webcam as a :class:`~ui.camera.sources.FrameSource` (QtMultimedia).

Why QtMultimedia: QCamera + QMediaCaptureSession + QVideoSink works with the platform's camera stack
(V4L2/GStreamer or FFmpeg on Linux, Media Foundation on Windows) and reports device changes through
``QMediaDevices``, which is what unplug/replug recovery needs. OpenCV's VideoCapture would need its own
device polling and has no permission model.

Trouble is reported as ``problem(str)``: no camera, permission denied, camera error, camera unplugged;
when a camera (the chosen one, or any if none was chosen) appears again the source restarts itself and
emits ``recovered()``.
"""

from __future__ import annotations

import logging

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QImage
from PySide6.QtMultimedia import (
    QCamera,
    QCameraDevice,
    QMediaCaptureSession,
    QMediaDevices,
    QVideoFrame,
    QVideoSink,
)

from ui.camera.sources import FrameSource

log = logging.getLogger(__name__)  # the camera's own words go to the log, for staff


#: ``camera.device`` from the settings (issue 19): the camera a source without an explicit id uses;
#: ``"auto"`` (or empty) = the system default. Set once by the wizard from the configuration.
_preferred_camera = "auto"


def set_preferred_camera(name: str) -> None:
    """Use the camera called ``name`` (as the system lists it) wherever no camera id is given."""
    global _preferred_camera
    _preferred_camera = (name or "auto").strip() or "auto"


def choose_camera(inputs: list[tuple[bytes, str]], name: str) -> bytes | None:
    """The id of the camera ``name`` names: its exact description, then the same ignoring case, then
    the only description containing it, or its id text; ``None`` for ``auto`` or no match."""
    wanted = (name or "").strip()
    if not wanted or wanted.lower() == "auto":
        return None
    for matches in (
        lambda d: d == wanted,
        lambda d: d.lower() == wanted.lower(),
    ):
        found = [i for i, d in inputs if matches(d)]
        if found:
            return found[0]
    partial = [i for i, d in inputs if wanted.lower() in d.lower()]
    if len(partial) == 1:
        return partial[0]
    by_id = [i for i, _d in inputs if i.decode("utf-8", "replace") == wanted]
    return by_id[0] if by_id else None


def camera_state(name: str) -> str:
    """For the heartbeat (issue 19): ``ok`` (the configured or a default camera is there), ``missing``
    (``camera.device`` names a camera that is not plugged in) or ``none`` (no camera at all)."""
    inputs = available_cameras()
    if not inputs:
        return "none"
    if (name or "auto").strip().lower() != "auto" and choose_camera(inputs, name) is None:
        return "missing"
    return "ok"


def available_cameras() -> list[tuple[bytes, str]]:
    """(id, description) of every camera, for the operator's settings."""
    return [(bytes(device.id().data()), device.description()) for device in QMediaDevices.videoInputs()]


def qimage_to_bgr(image: QImage) -> np.ndarray | None:
    """Copy a QImage into a new H×W×3 BGR uint8 array (None for a null image)."""
    if image.isNull():
        return None
    converted = image.convertToFormat(QImage.Format.Format_BGR888)
    width, height, stride = converted.width(), converted.height(), converted.bytesPerLine()
    buffer = np.frombuffer(converted.constBits(), np.uint8, count=stride * height)
    return buffer.reshape(height, stride)[:, : width * 3].reshape(height, width, 3).copy()


class CameraSource(FrameSource):
    """A webcam chosen by id (``None``: the system default)."""

    def __init__(self, device_id: bytes | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._device_id = device_id
        self._camera: QCamera | None = None
        self._waiting = False
        self._session = QMediaCaptureSession(self)
        self._sink = QVideoSink(self)
        self._session.setVideoSink(self._sink)
        self._sink.videoFrameChanged.connect(self._on_frame)
        self._devices = QMediaDevices(self)
        self._devices.videoInputsChanged.connect(self._on_inputs_changed)

    def _device(self) -> QCameraDevice | None:
        inputs = QMediaDevices.videoInputs()
        if self._device_id is None and _preferred_camera != "auto":
            listed = [(bytes(d.id().data()), d.description()) for d in inputs]
            chosen = choose_camera(listed, _preferred_camera)
            for device in inputs:
                if chosen is not None and bytes(device.id().data()) == chosen:
                    return device
            log.warning("camera %r (camera.device) not found; using the default camera", _preferred_camera)
        if self._device_id is not None:
            for device in inputs:
                if bytes(device.id().data()) == self._device_id:
                    return device
            return None
        default = QMediaDevices.defaultVideoInput()
        return default if not default.isNull() else None

    def _permission_denied(self) -> bool:
        app = QCoreApplication.instance()
        try:
            from PySide6.QtCore import QCameraPermission
        except ImportError:  # Qt built without the permission API: nothing to ask
            return False
        if app is None:
            return False
        status = app.checkPermission(QCameraPermission())
        if status == Qt.PermissionStatus.Undetermined:
            app.requestPermission(QCameraPermission(), self, lambda _permission: self.start())
            return True
        return status == Qt.PermissionStatus.Denied

    def start(self) -> None:
        super().start()
        if self._permission_denied():
            self.problem.emit(self.tr("Izin kamera ditolak. Minta petugas mengizinkan kamera."))
            return
        device = self._device()
        if device is None:
            self._waiting = True
            self.problem.emit(self.tr("Kamera belum siap. Silakan panggil petugas."))
            return
        self._open(device)

    def _open(self, device: QCameraDevice) -> None:
        self._close()
        camera = QCamera(device, self)
        camera.errorOccurred.connect(self._on_error)
        self._session.setCamera(camera)
        self._camera = camera
        camera.start()
        if self._waiting:
            self._waiting = False
            self.recovered.emit()

    def _close(self) -> None:
        if self._camera is not None:
            self._camera.stop()
            self._session.setCamera(None)  # type: ignore[arg-type]
            self._camera.deleteLater()
            self._camera = None

    def stop(self) -> None:
        super().stop()
        self._waiting = False
        self._close()

    def _on_error(self, _error: QCamera.Error, description: str) -> None:
        self._waiting = True
        self._close()
        log.warning("camera error: %s", description[:200])
        self.problem.emit(self.tr("Kamera belum siap. Silakan panggil petugas."))

    def _on_inputs_changed(self) -> None:
        if not self.running:
            return
        device = self._device()
        if self._camera is not None and device is None:
            self._waiting = True
            self._close()
            self.problem.emit(self.tr("Kamera belum siap. Silakan panggil petugas."))
        elif self._camera is None and device is not None and self._waiting:
            self._open(device)

    def _on_frame(self, frame: QVideoFrame) -> None:
        if not frame.isValid():
            return
        array = qimage_to_bgr(frame.toImage())
        if array is not None:
            self.frame_ready.emit(array)
