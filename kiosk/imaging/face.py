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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray

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


def inside_any(face: FaceBox, cards: Sequence[NDArray[np.float32]]) -> bool:
    """True when the face's centre lies inside one of the card quadrilaterals."""
    centre = (float(face.centre[0]), float(face.centre[1]))
    return any(
        cv2.pointPolygonTest(np.asarray(quad, np.float32).reshape(-1, 1, 2), centre, False) >= 0
        for quad in cards
    )


def _distinct_people(bgr: Image, faces: tuple[FaceBox, ...]) -> tuple[FaceBox, ...]:
    """Drop detections that are not another person: a box around another box's centre (the same face
    found at two scales), and — once one face with eyes is found — boxes without eyes.

    Why: the cascade's rare false hits on clothing or a busy background (no eyes in them) made
    "Hanya satu wajah" refuse good selfies; a real second person facing the camera shows eyes.
    """
    kept: list[FaceBox] = []
    for face in sorted(faces, key=lambda f: f.width * f.height):
        cx, cy = face.centre
        if any(k.x <= cx <= k.x + k.width and k.y <= cy <= k.y + k.height for k in kept):
            continue
        if any(
            face.x <= k.centre[0] <= face.x + face.width and face.y <= k.centre[1] <= face.y + face.height
            for k in kept
        ):
            continue
        kept.append(face)
    if len(kept) < 2:
        return tuple(kept)
    with_eyes = [face for face in kept if eyes_visible(bgr, face)]
    if not with_eyes:
        return tuple(sorted(kept, key=lambda f: f.width * f.height, reverse=True))
    return tuple(sorted(with_eyes, key=lambda f: f.width * f.height, reverse=True))


def check_face(
    frame: Image, rules: FaceRules = DEFAULT_RULES, cards: Sequence[NDArray[np.float32]] = ()
) -> FaceCheck:
    """Apply the selfie rules: exactly one frontal face, big enough, near the centre (eyes optional).

    ``cards``: quadrilaterals of KTPs found in the frame. A face inside one is the card's own
    portrait, held up as asked, and never counts as a second person (issue 17: the KTP's photo made
    "Hanya satu wajah" refuse 4 of 16 real selfies).
    """
    bgr = as_bgr(frame)
    height, width = bgr.shape[:2]
    faces = tuple(face for face in detect_faces(bgr) if not inside_any(face, cards))
    if not faces:
        return FaceCheck(FaceStatus.NO_FACE, faces, None)
    if len(faces) > 1:
        faces = _distinct_people(bgr, faces)
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
