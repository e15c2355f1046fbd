"""Find the KTP in a frame (four corners, not cut off) and flatten it to a straight card image.

Why contours + ``approxPolyDP``: the KTP is a flat ISO ID-1 card (85.6 × 54 mm, aspect ≈ 1.586) with a
clear outline against a hand or table, so a four-vertex convex contour of the right aspect is a cheap
and dependable detector on a 640-pixel working copy; no learned model is needed.

Cut-off cards: edges are traced with the frame border drawn into the edge map, so a card running off
the edge still closes into a polygon; a polygon with a vertex on (or within a small margin of) the frame
border is reported as :attr:`CardStatus.CUT_OFF` — the applicant is told, rather than the card simply
"not found".
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from kiosk.imaging.frame import Image, as_bgr, to_gray

CARD_ASPECT = 85.6 / 54.0
FLAT_SIZE = (856, 540)
"""Width × height of a flattened card: 10 px per mm, enough for the NIK digits after compression."""
WORK_WIDTH = 640

Corners = NDArray[np.float32]
"""4 × 2 float32 points in frame pixels, ordered top-left, top-right, bottom-right, bottom-left."""


class CardStatus(enum.Enum):
    """What :func:`find_card` saw."""

    FOUND = "found"
    NOT_FOUND = "not_found"
    CUT_OFF = "cut_off"


@dataclass(frozen=True, slots=True)
class CardSearch:
    """Detector parameters.

    ``min_area_fraction``: smallest card (share of the frame) that counts as seen at all.
    ``aspect_tolerance``: allowed relative error of the measured long/short side ratio (perspective).
    ``margin_fraction``: corners closer than this share of the shorter frame side to the border mean
    the card is (about to be) cut off.
    """

    min_area_fraction: float = 0.02
    max_area_fraction: float = 0.92
    aspect_tolerance: float = 0.2
    margin_fraction: float = 0.015


DEFAULT_SEARCH = CardSearch()


@dataclass(frozen=True, slots=True)
class CardResult:
    """Outcome of :func:`find_card`; ``corners`` is set for FOUND (and for CUT_OFF when known)."""

    status: CardStatus
    corners: Corners | None = None
    area_fraction: float = 0.0
    aspect: float = 0.0

    @property
    def found(self) -> bool:
        return self.status is CardStatus.FOUND


NOT_FOUND = CardResult(CardStatus.NOT_FOUND)


def order_corners(points: NDArray[np.floating]) -> Corners:
    """Order four points top-left, top-right, bottom-right, bottom-left, with the long side on top.

    A card held upright (portrait) is rotated a quarter turn so the flattened image is landscape.
    """
    pts = np.asarray(points, dtype=np.float32).reshape(4, 2)
    centre = pts.mean(axis=0)
    angles = np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0])
    pts = pts[np.argsort(angles)]  # clockwise in image coordinates, starting near "left"
    start = int(np.argmin(pts.sum(axis=1)))  # top-left has the smallest x + y
    pts = np.roll(pts, -start, axis=0)
    top = np.linalg.norm(pts[1] - pts[0]) + np.linalg.norm(pts[2] - pts[3])
    side = np.linalg.norm(pts[3] - pts[0]) + np.linalg.norm(pts[2] - pts[1])
    if side > top:
        pts = np.roll(pts, -1, axis=0)
    return np.ascontiguousarray(pts, dtype=np.float32)


def quad_aspect(corners: Corners) -> float:
    """Long side over short side, each averaged over the two opposite edges."""
    c = corners
    width = (np.linalg.norm(c[1] - c[0]) + np.linalg.norm(c[2] - c[3])) / 2.0
    height = (np.linalg.norm(c[3] - c[0]) + np.linalg.norm(c[2] - c[1])) / 2.0
    short = min(width, height)
    return float(max(width, height) / short) if short > 0 else 0.0


def _close_border(edges: Image) -> Image:
    # The frame border is drawn in, so a card running off the frame still closes into a polygon.
    edges[0, :] = 255
    edges[-1, :] = 255
    edges[:, 0] = 255
    edges[:, -1] = 255
    return edges


def _edge_map(channel: Image, low: float, high: float) -> Image:
    # Low thresholds: a light card against a light wall differs by only ~20 grey levels; the extra
    # texture edges this lets through do not matter, because the card is found as the region
    # *enclosed* by edges, not as a clean edge image.
    blurred = cv2.GaussianBlur(channel, (5, 5), 0)
    edges = cv2.Canny(blurred, low, high)
    edges = cv2.dilate(edges, np.ones((3, 3), np.uint8), iterations=1)
    return _close_border(np.asarray(edges, dtype=np.uint8))


def _chroma(bgr_work: Image) -> Image:
    """Lab b* (blue–yellow), contrast-stretched ×3 around its median.

    Why: the KTP's background is light blue; white, grey or beige walls are neutral or yellowish. Under
    uneven light a wall can be exactly as bright as the card somewhere along its edge, so the grey edge
    vanishes there, while the blue–yellow difference (~13–25 b* units) does not depend on brightness.
    """
    b = cv2.cvtColor(bgr_work, cv2.COLOR_BGR2Lab)[:, :, 2]
    centre = float(np.median(b))
    stretched = (b.astype(np.float32) - centre) * 3.0 + 128.0
    return np.clip(stretched, 0, 255).astype(np.uint8)


def _edge_maps(bgr_work: Image) -> list[Image]:
    """Several views of the same frame; the card's outline needs to close in only one of them.

    1. grey Canny (the card against a darker or textured desk); 2. the same with a morphological close
    (bridges an outline broken by blur, noise or a finger); 3. blue–yellow Canny (the card against a
    light wall of the same brightness). Each costs ~2 ms on the 640-px working copy.
    """
    gray = to_gray(bgr_work)
    plain = _edge_map(gray, 20, 60)
    closed = cv2.morphologyEx(plain, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    chroma = _edge_map(_chroma(bgr_work), 20, 60)
    return [plain, _close_border(np.asarray(closed, np.uint8)), chroma]


def _polygon(contour: NDArray[Any]) -> NDArray[np.float32] | None:
    hull = cv2.convexHull(contour)
    perimeter = cv2.arcLength(hull, True)
    for epsilon in (0.02, 0.035, 0.05):
        approx = cv2.approxPolyDP(hull, epsilon * perimeter, True)
        if len(approx) <= 6:
            return np.asarray(approx, dtype=np.float32).reshape(-1, 2)
    return None


def _candidates(edges: Image, search: CardSearch) -> tuple[CardResult | None, CardResult | None]:
    """The largest card-shaped quadrilateral (FOUND) and the largest cut-off shape in one edge map."""
    work_h, work_w = edges.shape
    frame_area = float(work_h * work_w)
    margin = search.margin_fraction * min(work_h, work_w) + 1.0
    contours, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    best: CardResult | None = None
    best_cut: CardResult | None = None
    for contour in contours:
        area = cv2.contourArea(contour)
        fraction = area / frame_area
        if fraction < search.min_area_fraction or fraction > search.max_area_fraction:
            continue
        polygon = _polygon(contour)
        if polygon is None or len(polygon) < 4:
            continue
        near_border = (
            (polygon[:, 0] <= margin)
            | (polygon[:, 0] >= work_w - 1 - margin)
            | (polygon[:, 1] <= margin)
            | (polygon[:, 1] >= work_h - 1 - margin)
        )
        on_border = int(np.count_nonzero(near_border))
        if on_border >= 3 or cv2.contourArea(polygon) < 0.8 * area:
            continue  # the frame itself, the background around the card, or a ragged shape
        if on_border > 0:
            if best_cut is None or fraction > best_cut.area_fraction:
                best_cut = CardResult(CardStatus.CUT_OFF, None, fraction, 0.0)
            continue
        if len(polygon) != 4 or not cv2.isContourConvex(polygon.reshape(-1, 1, 2)):
            continue
        corners = order_corners(polygon)
        aspect = quad_aspect(corners)
        if abs(aspect - CARD_ASPECT) / CARD_ASPECT > search.aspect_tolerance:
            continue
        if best is None or fraction > best.area_fraction:
            best = CardResult(CardStatus.FOUND, corners, fraction, aspect)
    return best, best_cut


def find_card(frame: Image, search: CardSearch = DEFAULT_SEARCH) -> CardResult:
    """Find the largest card-shaped quadrilateral; report FOUND, CUT_OFF or NOT_FOUND.

    Candidates from every edge map (:func:`_edge_maps`) compete: the largest card-shaped one wins,
    unless a larger shape runs off the frame (then the card is probably the cut-off one).
    Raises :class:`~kiosk.imaging.frame.FrameError` for unusable frames.
    """
    bgr = as_bgr(frame)
    height, width = bgr.shape[:2]
    scale = WORK_WIDTH / width if width > WORK_WIDTH else 1.0
    work = bgr
    if scale != 1.0:
        work = np.asarray(
            cv2.resize(bgr, (WORK_WIDTH, max(1, round(height * scale))), interpolation=cv2.INTER_AREA),
            dtype=np.uint8,
        )
    best: CardResult | None = None
    best_cut: CardResult | None = None
    for edges in _edge_maps(work):
        found, cut = _candidates(edges, search)
        if found is not None and (best is None or found.area_fraction > best.area_fraction):
            best = found
        if cut is not None and (best_cut is None or cut.area_fraction > best_cut.area_fraction):
            best_cut = cut
    if best is not None and best.corners is not None:
        if best_cut is None or best.area_fraction >= 0.6 * best_cut.area_fraction:
            corners = np.ascontiguousarray(best.corners / np.float32(scale), np.float32)
            return CardResult(best.status, corners, best.area_fraction, best.aspect)
    if best_cut is not None:
        return best_cut
    return NOT_FOUND


def flatten_card(frame: Image, corners: Corners, size: tuple[int, int] = FLAT_SIZE) -> Image:
    """Perspective-correct the card inside ``corners`` to a ``size`` (width, height) image."""
    bgr = as_bgr(frame)
    width, height = size
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32)
    matrix = cv2.getPerspectiveTransform(np.asarray(corners, np.float32).reshape(4, 2), target)
    flat = cv2.warpPerspective(
        bgr, matrix, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    return np.asarray(flat, dtype=np.uint8)


def card_mask(shape: tuple[int, ...], corners: Corners) -> NDArray[np.uint8]:
    """A filled mask (255 inside) of the card polygon for an image of ``shape``."""
    mask = np.zeros(shape[:2], np.uint8)
    cv2.fillConvexPoly(mask, np.round(corners).astype(np.int32).reshape(-1, 1, 2), 255)
    return mask
