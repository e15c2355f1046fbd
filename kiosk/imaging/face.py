"""Frontal faces for the selfie: exactly one, big enough, near the centre (optionally eyes visible).

Why OpenCV's Haar cascade (``haarcascade_frontalface_default.xml`` from ``cv2.data``): it ships inside
the opencv-python-headless wheel, so nothing is downloaded at run time and the kiosk works offline; it
only finds *frontal* faces, which is exactly what the selfie rule asks for. OpenCV 5 dropped the
cascades, hence the ``<5`` pin in ``pyproject.toml`` (see docs/decisions.md). Detection runs on a
480-pixel-wide copy for speed. ``CascadeClassifier`` objects are not documented as thread-safe, so each
thread gets its own (they load in a few milliseconds).
"""

from __future__ import annotations

import enum
import threading
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from kiosk.imaging.frame import Image, as_bgr, to_gray

FACE_CASCADE = "haarcascade_frontalface_default.xml"
EYE_CASCADE = "haarcascade_eye.xml"
DETECT_WIDTH = 480


class DetectorUnavailable(RuntimeError):
    """The cascade file is missing or unreadable (a broken OpenCV install)."""


@dataclass(frozen=True, slots=True)
class FaceBox:
    """A detected face in frame pixels."""

    x: int
    y: int
    width: int
    height: int

    @property
    def centre(self) -> tuple[float, float]:
        return (self.x + self.width / 2.0, self.y + self.height / 2.0)


class FaceStatus(enum.Enum):
    """Verdict of :func:`check_face`, in the order they are tested."""

    OK = "ok"
    NO_FACE = "no_face"
    MANY_FACES = "many_faces"
    TOO_SMALL = "too_small"
    OFF_CENTRE = "off_centre"
    EYES_NOT_VISIBLE = "eyes_not_visible"


@dataclass(frozen=True, slots=True)
class FaceRules:
    """Selfie rules: the face's width as a share of the frame width, and how far from the centre
    (as a share of the frame) its centre may be."""

    min_width_fraction: float = 0.09
    max_offset_x: float = 0.2
    max_offset_y: float = 0.25
    require_eyes: bool = False


DEFAULT_RULES = FaceRules()


@dataclass(frozen=True, slots=True)
class FaceCheck:
    """Outcome of :func:`check_face`: the verdict, every face found and the one that counts."""

    status: FaceStatus
    faces: tuple[FaceBox, ...]
    face: FaceBox | None


_local = threading.local()


def _cascade(name: str) -> cv2.CascadeClassifier:
    cache: dict[str, cv2.CascadeClassifier] = _local.__dict__.setdefault("cascades", {})
    if name not in cache:
        path = Path(cv2.data.haarcascades) / name  # type: ignore[attr-defined]
        classifier = cv2.CascadeClassifier(str(path))
        if classifier.empty():
            raise DetectorUnavailable(f"cannot load {path}")
        cache[name] = classifier
    return cache[name]


def _prepared(frame: Image) -> tuple[Image, float]:
    gray = to_gray(as_bgr(frame))
    height, width = gray.shape
    scale = DETECT_WIDTH / width if width > DETECT_WIDTH else 1.0
    if scale != 1.0:
        gray = np.asarray(
            cv2.resize(gray, (DETECT_WIDTH, max(1, round(height * scale))), interpolation=cv2.INTER_AREA),
            dtype=np.uint8,
        )
    return np.asarray(cv2.equalizeHist(gray), dtype=np.uint8), scale


def detect_faces(frame: Image, min_width_fraction: float = 0.06) -> list[FaceBox]:
    """Frontal faces at least ``min_width_fraction`` of the frame wide, largest first."""
    gray, scale = _prepared(frame)
    min_side = max(24, round(gray.shape[1] * min_width_fraction))
    found = _cascade(FACE_CASCADE).detectMultiScale(
        gray, scaleFactor=1.1, minNeighbors=5, minSize=(min_side, min_side)
    )
    boxes = [
        FaceBox(round(x / scale), round(y / scale), round(w / scale), round(h / scale))
        for (x, y, w, h) in found
    ]
    return sorted(boxes, key=lambda b: b.width * b.height, reverse=True)


def eyes_visible(frame: Image, face: FaceBox) -> bool:
    """At least one eye found by the eye cascade in the upper half of ``face``."""
    bgr = as_bgr(frame)
    top = bgr[face.y : face.y + face.height // 2 + 1, face.x : face.x + face.width]
    if top.size == 0:
        return False
    gray = np.asarray(cv2.equalizeHist(to_gray(np.ascontiguousarray(top))), dtype=np.uint8)
    min_side = max(8, face.width // 8)
    eyes = _cascade(EYE_CASCADE).detectMultiScale(
        gray, scaleFactor=1.1, minNeighbors=4, minSize=(min_side, min_side)
    )
    return len(eyes) >= 1


def check_face(frame: Image, rules: FaceRules = DEFAULT_RULES) -> FaceCheck:
    """Apply the selfie rules: exactly one frontal face, big enough, near the centre (eyes optional)."""
    bgr = as_bgr(frame)
    height, width = bgr.shape[:2]
    faces = tuple(detect_faces(bgr))
    if not faces:
        return FaceCheck(FaceStatus.NO_FACE, faces, None)
    # A much smaller second face is usually a poster or a passer-by far behind; still refuse it, as
    # the central face check cannot tell which person applied.
    if len(faces) > 1:
        return FaceCheck(FaceStatus.MANY_FACES, faces, None)
    face = faces[0]
    if face.width < rules.min_width_fraction * width:
        return FaceCheck(FaceStatus.TOO_SMALL, faces, face)
    cx, cy = face.centre
    if abs(cx / width - 0.5) > rules.max_offset_x or abs(cy / height - 0.45) > rules.max_offset_y:
        return FaceCheck(FaceStatus.OFF_CENTRE, faces, face)
    if rules.require_eyes and not eyes_visible(bgr, face):
        return FaceCheck(FaceStatus.EYES_NOT_VISIBLE, faces, face)
    return FaceCheck(FaceStatus.OK, faces, face)
