"""Turn whatever a frame source handed us into a well-formed uint8 BGR image, or say why not.

Why: camera drivers, files and tests produce grey, BGRA, 16-bit, float or simply broken arrays (empty,
NaN, wrong rank). Every analysis function calls :func:`as_bgr` first so that bad input becomes one
documented error, :class:`FrameError`, instead of an OpenCV assertion deep inside a check.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from kiosk.i18n import Message

Image = NDArray[np.uint8]
"""A uint8 image: H×W×3 BGR unless a function says grey (H×W)."""

MIN_SIDE = 16
MAX_SIDE = 10_000

BAD_FRAME_MESSAGE = Message(
    "Gambar dari kamera tidak terbaca. Coba lagi.",
    "The camera image could not be read. Please try again.",
)


class FrameError(ValueError):
    """The frame is unusable. ``message`` is for people; ``detail`` (no image data) for logs."""

    def __init__(self, detail: str) -> None:
        self.detail = detail
        self.message = BAD_FRAME_MESSAGE
        super().__init__(detail)


def as_bgr(frame: Any) -> Image:
    """Return ``frame`` as a C-contiguous uint8 H×W×3 BGR array (no copy when it already is one).

    Accepts grey (H×W or H×W×1), BGR, BGRA (alpha dropped); uint8, uint16 (top byte) or finite float
    arrays (0..1 scaled to 0..255 when the maximum is ≤ 1, else clipped to 0..255).
    Raises :class:`FrameError` for anything else: not an array, empty, wrong rank or channel count,
    sides outside 16..10000, NaN/inf, or an unsupported dtype.
    """
    if not isinstance(frame, np.ndarray):
        raise FrameError(f"not an array: {type(frame).__name__}")
    if frame.size == 0:
        raise FrameError("empty frame")
    if frame.ndim == 3 and frame.shape[2] == 1:
        frame = frame[:, :, 0]
    if frame.ndim not in (2, 3):
        raise FrameError(f"wrong rank: {frame.ndim}")
    if frame.ndim == 3 and frame.shape[2] not in (3, 4):
        raise FrameError(f"wrong channel count: {frame.shape[2]}")
    height, width = int(frame.shape[0]), int(frame.shape[1])
    if not (MIN_SIDE <= height <= MAX_SIDE and MIN_SIDE <= width <= MAX_SIDE):
        raise FrameError(f"size out of range: {width}x{height}")
    image = _to_uint8(frame)
    if image.ndim == 2:
        image = np.repeat(image[:, :, None], 3, axis=2)
    elif image.shape[2] == 4:
        image = image[:, :, :3]
    return np.ascontiguousarray(image)


def _to_uint8(frame: NDArray[Any]) -> Image:
    kind = frame.dtype.kind
    if frame.dtype == np.uint8:
        return frame
    if kind == "b":
        return frame.astype(np.uint8) * 255
    if kind in "ui":
        info = np.iinfo(frame.dtype)
        if info.bits == 16 and kind == "u":
            return (frame >> 8).astype(np.uint8)
        return np.clip(frame, 0, 255).astype(np.uint8)
    if kind == "f":
        if not np.all(np.isfinite(frame)):
            raise FrameError("frame contains NaN or infinity")
        scale = 255.0 if float(frame.max()) <= 1.0 else 1.0
        return np.clip(frame * scale, 0, 255).astype(np.uint8)
    raise FrameError(f"unsupported dtype: {frame.dtype}")


def to_gray(image: Image) -> Image:
    """Grey version of a BGR image (ITU-R 601 weights, as OpenCV)."""
    return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGR2GRAY), dtype=np.uint8)
