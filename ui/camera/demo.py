"""Demo camera media: the clips in ``resources/demo`` as frame sources.

Why: demo mode and training must work on a laptop without a webcam, and show the guidance and the
auto-capture doing their job; the clips (rendered by ``scripts/make_demo_media.py``) start far and
blurred and end steady and sharp.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject

from kiosk.imaging.analysis import PhotoKind
from ui.camera.sources import FrameSource, VideoFileSource
from ui.resources import resource_path

DEMO_CLIPS = {PhotoKind.KTP: "ktp_clip.avi", PhotoKind.SELFIE: "selfie_clip.avi"}


def demo_clip_path(kind: PhotoKind) -> Path:
    """The demo clip for ``kind``."""
    return resource_path("demo", DEMO_CLIPS[kind])


def demo_source(kind: PhotoKind, parent: QObject | None = None) -> FrameSource:
    """A looping source playing the demo clip for ``kind`` (reports a problem if the file is missing)."""
    return VideoFileSource(demo_clip_path(kind), parent=parent)


def camera_or_demo_source(
    kind: PhotoKind, demo: bool, device_id: bytes | None = None, parent: QObject | None = None
) -> FrameSource:
    """The demo clip in demo mode, otherwise the chosen webcam."""
    if demo:
        return demo_source(kind, parent)
    from ui.camera.qt_camera import CameraSource

    return CameraSource(device_id, parent)
