"""Image quality measures: sharpness, exposure and glare.

Why these three: they are the reasons a KTP photo comes back unreadable (blur, a dark office, the
ceiling light reflected in the laminate). Each is a cheap global statistic so it can run on every
preview frame on a worker thread.

Sharpness is the variance of the Laplacian, the classic focus measure; its value depends on resolution
(the same blur looks sharper after downscaling), so it is always measured after resizing to a fixed
width (:data:`SHARPNESS_WIDTH`) — values are comparable across cameras and crops.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

import cv2
import numpy as np
from numpy.typing import NDArray

from kiosk.imaging.frame import Image, as_bgr, to_gray

SHARPNESS_WIDTH = 640
DARK_LEVEL = 40
BRIGHT_LEVEL = 250


@dataclass(frozen=True, slots=True)
class QualityThresholds:
    """Limits for the verdicts; tuned on the synthetic specimen scenes and a laptop webcam."""

    min_sharpness: float = 80.0
    min_mean: float = 70.0
    max_dark_fraction: float = 0.55
    max_mean: float = 235.0
    max_bright_fraction: float = 0.30
    glare_level: int = 245
    max_glare_blob_fraction: float = 0.004
    min_acuity: float = 0.22
    min_text_contrast: float = 30.0
    min_frame_acuity: float = 0.24


DEFAULT_THRESHOLDS = QualityThresholds()


class Exposure(enum.Enum):
    """Verdict of :func:`exposure`."""

    OK = "ok"
    TOO_DARK = "too_dark"
    TOO_BRIGHT = "too_bright"


@dataclass(frozen=True, slots=True)
class ExposureResult:
    """Mean grey level and the fractions of near-black / clipped pixels, with the verdict."""

    mean: float
    dark_fraction: float
    bright_fraction: float
    verdict: Exposure


@dataclass(frozen=True, slots=True)
class GlareResult:
    """Fraction of near-saturated pixels in the region and the size of the largest such blob."""

    saturated_fraction: float
    largest_blob_fraction: float
    has_glare: bool


def _resize_to_width(gray: Image, width: int) -> Image:
    height, current = gray.shape[:2]
    if current == width:
        return gray
    new_height = max(1, round(height * width / current))
    interpolation = cv2.INTER_AREA if current > width else cv2.INTER_LINEAR
    return np.asarray(cv2.resize(gray, (width, new_height), interpolation=interpolation), dtype=np.uint8)


def sharpness(image: Image, width: int = SHARPNESS_WIDTH) -> float:
    """Variance of the Laplacian after resizing to ``width`` (higher is sharper).

    A light 3×3 Gaussian first keeps sensor noise from passing for detail.
    """
    bgr = as_bgr(image)
    gray = _resize_to_width(to_gray(bgr), width)
    smoothed = cv2.GaussianBlur(gray, (3, 3), 0)
    laplacian = cv2.Laplacian(smoothed, cv2.CV_64F)
    return float(laplacian.var())


def exposure(image: Image, thresholds: QualityThresholds = DEFAULT_THRESHOLDS) -> ExposureResult:
    """Mean level and clipped fractions; too dark/bright when the mean or the clipped share is out of range."""
    gray = to_gray(as_bgr(image))
    mean = float(gray.mean())
    dark = float(np.count_nonzero(gray <= DARK_LEVEL)) / gray.size
    bright = float(np.count_nonzero(gray >= BRIGHT_LEVEL)) / gray.size
    if mean < thresholds.min_mean or dark > thresholds.max_dark_fraction:
        verdict = Exposure.TOO_DARK
    elif mean > thresholds.max_mean or bright > thresholds.max_bright_fraction:
        verdict = Exposure.TOO_BRIGHT
    else:
        verdict = Exposure.OK
    return ExposureResult(mean=mean, dark_fraction=dark, bright_fraction=bright, verdict=verdict)


def glare(
    image: Image,
    mask: NDArray[np.uint8] | None = None,
    thresholds: QualityThresholds = DEFAULT_THRESHOLDS,
) -> GlareResult:
    """Look for specular highlights: blobs where every channel is near saturation, inside ``mask``.

    Why blobs and not just a count: a white background or scattered bright pixels are harmless; one
    compact washed-out patch over the laminate is what hides digits. ``mask`` (non-zero = inside) is
    normally the card region; without it the whole image counts.
    """
    bgr = as_bgr(image)
    region = np.full(bgr.shape[:2], 255, np.uint8) if mask is None else mask
    if region.shape != bgr.shape[:2]:
        raise ValueError("mask must have the image's height and width")
    region_area = max(1, int(np.count_nonzero(region)))
    # One OpenCV call (it releases the GIL) instead of ``bgr.min(axis=2)``: numpy's reduction over a
    # 3-long last axis was the slowest step of the whole KTP analysis and held up the GUI thread.
    level = float(thresholds.glare_level)
    saturated = cv2.inRange(bgr, (level, level, level), (255.0, 255.0, 255.0))
    saturated = cv2.bitwise_and(saturated, region)
    saturated = cv2.morphologyEx(saturated, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    fraction = float(np.count_nonzero(saturated)) / region_area
    largest = 0
    count, _, stats, _ = cv2.connectedComponentsWithStats(saturated, connectivity=8)
    if count > 1:
        largest = int(stats[1:, cv2.CC_STAT_AREA].max())
    largest_fraction = largest / region_area
    return GlareResult(
        saturated_fraction=fraction,
        largest_blob_fraction=largest_fraction,
        has_glare=largest_fraction > thresholds.max_glare_blob_fraction,
    )


@dataclass(frozen=True, slots=True)
class Legibility:
    """Can the text in a region be read? ``acuity``: how steep the ink edges are for their contrast
    (about 0.3 sharp, under 0.2 smeared), the weaker of the horizontal and vertical directions so a
    motion blur along either one counts; ``contrast``: ink against paper in grey levels."""

    acuity: float
    contrast: float

    def readable(self, thresholds: QualityThresholds = DEFAULT_THRESHOLDS) -> bool:
        return self.acuity >= thresholds.min_acuity and self.contrast >= thresholds.min_text_contrast


def legibility(image: Image) -> Legibility:
    """Acuity and contrast of the text in ``image`` (normally the NIK line of the flattened card).

    Why not the variance of the Laplacian: it grows with contrast, so a sharp card in a dim office
    scores like a blurred one in bright light (issue 17: dim cards whose NIK every method read were
    refused, a motion-blurred one passed). Dividing the steepest gradients by the ink–paper contrast
    measures the blur alone; the contrast is judged on its own (too dark = the ink no longer stands
    out, not a low mean level). Gradients are taken per axis: a motion blur flattens only one.
    """
    gray = cv2.GaussianBlur(to_gray(as_bgr(image)), (3, 3), 0).astype(np.float32)
    low, high = np.percentile(gray, (5, 95))
    contrast = float(high - low)
    if contrast < 1.0:
        return Legibility(0.0, contrast)
    gx = np.abs(cv2.Sobel(gray, cv2.CV_32F, 1, 0, ksize=3)) / 8.0
    gy = np.abs(cv2.Sobel(gray, cv2.CV_32F, 0, 1, ksize=3)) / 8.0
    steep = min(float(np.percentile(gx, 98)), float(np.percentile(gy, 98)))
    return Legibility(steep / contrast, contrast)


def frame_acuity(image: Image, width: int = SHARPNESS_WIDTH, min_range: float = 30.0) -> float | None:
    """How sharp the frame's edges are for their local contrast (about 0.3 sharp, 0.2 blurred), at
    ``width``; ``None`` when the frame has too few edges to judge (a plain desk is not "blurry").

    Used when no card is found: a heavily blurred frame hides the card's outline, and "hold still" is
    then the useful advice, not "show the KTP" or "cut off" (issue 17).
    """
    gray = _resize_to_width(to_gray(as_bgr(image)), width)
    g = cv2.GaussianBlur(gray, (3, 3), 0).astype(np.float32)
    kernel = np.ones((7, 7), np.uint8)
    spread = cv2.dilate(g, kernel) - cv2.erode(g, kernel)
    steep = (
        np.maximum(
            np.abs(cv2.Sobel(g, cv2.CV_32F, 1, 0, ksize=3)), np.abs(cv2.Sobel(g, cv2.CV_32F, 0, 1, ksize=3))
        )
        / 8.0
    )
    chosen = spread >= min_range
    if int(np.count_nonzero(chosen)) < 200:
        return None
    return float(np.percentile(steep[chosen] / spread[chosen], 90))
