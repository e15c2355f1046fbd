"""Find the KTP in a frame (four corners, not cut off) and flatten it to a straight card image.

Why outlines + fitted edges: the KTP is a flat ISO ID-1 card (85.6 × 54 mm, aspect ≈ 1.586) with
rounded corners and — on a real e-KTP — no printed outline: its only edge is where the light-blue
print meets the desk, the wall, the shirt or the hand. On a 640-pixel working copy, outlines come from
several edge maps (grey, grey closed, cyan chroma, the cyan card mask; :func:`_edge_maps`), both as
regions enclosed by edges and as open edge curves. Each outline's convex hull is simplified and its
four longest sides, if they alternate like a quadrilateral's, are taken as the card's visible edges:
each is refitted to the outline's points along it and the corners are where the lines cross
(:func:`fit_card_quad`). So a thumb's bite out of a corner or an edge, a gap in a dim lower edge and
the rounded corners do not move the corners; :func:`refine_corners` then moves each side onto the
brightness step at full resolution (within a pixel or two of the true outline). Candidates are ranked
by area × (share of their sides on visible edges)², which keeps the card's own photo box, a blue wall
or a shape bridging two objects from winning.

Cut-off cards: edges are traced with the frame border drawn into the edge map, so a card running off
the edge still closes into a polygon; a polygon with a vertex on (or within a small margin of) the frame
border is reported as :attr:`CardStatus.CUT_OFF` — unless a card-shaped outline of at least
``cut_off_share`` of its size lies wholly inside it (a hand holding the card joins it to the edge).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
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
    the card is (about to be) cut off. ``work_width``: width of the working copy. ``report_cut_off``:
    whether a shape running off the frame may win over a smaller card (not in selfies, where
    shoulders and furniture run off every frame). ``cut_off_share``: a found card at least this share
    of the cut-off shape's size wins over it. ``refine_count``: how many of the best candidates are
    refined at full resolution. ``sensitive``: add a low-threshold edge map (small cards).
    """

    min_area_fraction: float = 0.02
    max_area_fraction: float = 0.92
    aspect_tolerance: float = 0.2
    margin_fraction: float = 0.015
    work_width: int = 640
    report_cut_off: bool = True
    cut_off_share: float = 0.3
    refine_count: int = 3
    sensitive: bool = False


DEFAULT_SEARCH = CardSearch()


@dataclass(frozen=True, slots=True)
class CardResult:
    """Outcome of :func:`find_card`; ``corners`` is set for FOUND (and for CUT_OFF when known)."""

    status: CardStatus
    corners: Corners | None = None
    area_fraction: float = 0.0
    aspect: float = 0.0
    support: float = 0.0
    """Share of the sides lying on visible edges (0..1)."""

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


def _chroma(bgr_work: Image) -> tuple[Image, Image]:
    """Lab b* (blue–yellow) contrast-stretched ×3 around its median, and the KTP-blue mask.

    Why: the KTP's background is light blue; white, grey or beige walls are neutral or yellowish, and
    skin is yellow-red. Under uneven light a wall can be exactly as bright as the card somewhere along
    its edge, so the grey edge vanishes there, while the blue–yellow difference (~13–25 b* units) does
    not depend on brightness. The mask (clearly bluer than the frame's median, not dark) is the card's
    own area with a thumb or a hand cut away, so its outline is the card's even where the card's edge
    is as bright as the shirt or the wall behind it.
    """
    lab = cv2.cvtColor(bgr_work, cv2.COLOR_BGR2Lab)
    # The e-KTP's light blue is cyan: negative a* *and* b*. Summing both separates it from purple and
    # blue-grey walls (a* positive), beige and wood (b* positive) and skin (both positive).
    cyan = 256.0 - lab[:, :, 1].astype(np.float32) - lab[:, :, 2].astype(np.float32)
    centre = float(np.median(cyan))
    stretched = np.clip((cyan - centre) * 2.5 + 128.0, 0, 255).astype(np.uint8)
    blue = (cyan > max(centre + 7.0, 8.0)) & (lab[:, :, 0] > 90)
    mask = cv2.morphologyEx(blue.astype(np.uint8) * 255, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    return stretched, np.asarray(mask, np.uint8)


def card_colour_mask(bgr: Image) -> Image:
    """255 where a pixel has the e-KTP's light cyan-blue, clearly more than the frame's median."""
    return _chroma(bgr)[1]


def _stretched(gray: Image) -> Image:
    """Stretch the 1st–99th percentile of a low-contrast grey image to 0..255 (a dim office)."""
    hist = cv2.calcHist([gray], [0], None, [256], [0, 256]).ravel().cumsum()
    total = float(hist[-1])
    low = int(np.searchsorted(hist, 0.01 * total))
    high = int(np.searchsorted(hist, 0.99 * total))
    if high - low >= 150 or high <= low:
        return gray
    lut = np.clip((np.arange(256, dtype=np.float32) - low) * (255.0 / (high - low)), 0, 255).astype(np.uint8)
    return np.asarray(cv2.LUT(gray, lut), np.uint8)


def _edge_maps(bgr_work: Image, sensitive: bool = False) -> list[Image]:
    """Several views of the same frame; the card's outline needs to close in only one of them.

    1. grey Canny (the card against a darker or textured desk); 2. the same with a morphological close
    (bridges an outline broken by blur, noise or a finger); 3. blue–yellow Canny (the card against a
    light wall of the same brightness). Each costs ~2 ms on the 640-px working copy. A dim frame is
    contrast-stretched first (:func:`_stretched`), so a card in a dark office has the same edges.
    """
    gray = _stretched(to_gray(bgr_work))
    plain = _edge_map(gray, 20, 60)
    closed = cv2.morphologyEx(plain, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    stretched, blue = _chroma(bgr_work)
    chroma = _edge_map(stretched, 20, 60)
    outline = cv2.morphologyEx(blue, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8))
    maps = [
        plain,
        _close_border(np.asarray(closed, np.uint8)),
        chroma,
        _close_border(np.asarray(outline, np.uint8)),
    ]
    if sensitive:  # a small card against a wall of nearly its own colour: faint edges count too
        maps.append(_edge_map(gray, 8, 24))
    return maps


def _on_border(points: NDArray[np.float32], work_w: int, work_h: int, margin: float) -> NDArray[np.bool_]:
    return np.asarray(
        (points[:, 0] <= margin)
        | (points[:, 0] >= work_w - 1 - margin)
        | (points[:, 1] <= margin)
        | (points[:, 1] >= work_h - 1 - margin)
    )


def _coarse_polygon(contour: NDArray[Any]) -> NDArray[np.float32] | None:
    """The hull simplified to at most 6 vertices: how many of them lie on the frame border tells the
    frame or the background (3 or more) from a card running off one edge."""
    hull = cv2.convexHull(contour)
    perimeter = cv2.arcLength(hull, True)
    for epsilon in (0.02, 0.035, 0.05):
        approx = cv2.approxPolyDP(hull, epsilon * perimeter, True)
        if len(approx) <= 6:
            return np.asarray(approx, dtype=np.float32).reshape(-1, 2)
    return None


def _hull_polygon(contour: NDArray[Any]) -> NDArray[np.float32] | None:
    """The convex hull simplified to at most 8 vertices (a card with a bitten corner has 5 or 6)."""
    hull = cv2.convexHull(contour)
    perimeter = cv2.arcLength(hull, True)
    for epsilon in (0.008, 0.015, 0.025, 0.04):
        approx = cv2.approxPolyDP(hull, epsilon * perimeter, True)
        if len(approx) <= 8:
            return np.asarray(approx, dtype=np.float32).reshape(-1, 2)
    return None


def _direction(p: NDArray[np.float32], q: NDArray[np.float32]) -> NDArray[np.float32]:
    d = q - p
    return np.asarray(d / max(float(np.linalg.norm(d)), 1e-6), np.float32)


def _line_angle(a: NDArray[np.float32], b: NDArray[np.float32]) -> float:
    """Angle in degrees (0..90) between two undirected lines."""
    return float(np.degrees(np.arccos(min(1.0, abs(float(np.dot(a, b)))))))


def _refined_line(
    points: NDArray[np.float32], p: NDArray[np.float32], q: NDArray[np.float32]
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """A line (point, unit direction) fitted to the contour points along the side p→q.

    Only points close to the chord and away from its ends count: the ends run into the rounded
    corners, and a thumb's bite lies off the chord, so what is fitted is the straight printed edge.
    """
    direction = _direction(p, q)
    length = float(np.linalg.norm(q - p))
    origin = p
    tolerance = max(3.0, 0.03 * length)
    for _ in range(2):  # select, fit, reselect around the fitted line, refit
        rel = points - origin
        t = rel @ direction + float((origin - p) @ direction)
        dist = np.abs(rel[:, 0] * direction[1] - rel[:, 1] * direction[0])
        keep = (t > 0.08 * length) & (t < 0.92 * length) & (dist <= tolerance)
        chosen = points[keep]
        if len(chosen) < 6:
            return p, _direction(p, q)
        vx, vy, x0, y0 = cv2.fitLine(chosen, cv2.DIST_L2, 0, 0.01, 0.01).reshape(4)
        origin, direction = np.array([x0, y0], np.float32), np.array([vx, vy], np.float32)
        if float(direction @ (q - p)) < 0:
            direction = -direction
        tolerance = 1.5
    return origin, direction


def _intersect(
    a: tuple[NDArray[np.float32], NDArray[np.float32]], b: tuple[NDArray[np.float32], NDArray[np.float32]]
) -> NDArray[np.float32] | None:
    (p, r), (q, s) = a, b
    cross = float(r[0] * s[1] - r[1] * s[0])
    if abs(cross) < 1e-3:
        return None
    t = float((q[0] - p[0]) * s[1] - (q[1] - p[1]) * s[0]) / cross
    return np.asarray(p + t * r, np.float32)


def _meeting_points(
    lines: Sequence[tuple[NDArray[np.float32], NDArray[np.float32]]],
) -> NDArray[np.float32] | None:
    """The four points where consecutive edge lines meet (corner i: lines i-1 and i); ``None`` when two
    neighbouring edges are parallel. One place for both the first fit and the sub-pixel refinement."""
    corners = []
    for i in range(4):
        corner = _intersect(lines[i - 1], lines[i])
        if corner is None:
            return None
        corners.append(corner)
    return np.asarray(corners, np.float32)


def fit_card_quad(
    contour: NDArray[Any], polygon: NDArray[np.float32], *, refit: bool = True
) -> Corners | None:
    """Fit the card's four straight edges to a region outline, the corners where the edges meet.

    Why not the polygon's vertices: a real card has rounded corners (the vertices land on the arcs,
    ~12 px inside the true corner on a 1280-px frame), and a thumb over a corner or an edge cuts a
    bite out of the outline. The four longest sides of the simplified hull are the card's visible
    edges; each is refitted to the outline's points along it, and the corners are their crossings.
    The sides must alternate like a quadrilateral's (opposite sides near-parallel, neighbours
    near-perpendicular) and carry most of the outline.
    """
    n = len(polygon)
    if n < 4:
        return None
    sides = [(polygon[i], polygon[(i + 1) % n]) for i in range(n)]
    lengths = np.array([float(np.linalg.norm(q - p)) for p, q in sides])
    perimeter = float(lengths.sum())
    chosen = sorted(np.argsort(lengths)[-4:].tolist())
    if float(lengths[chosen].sum()) < 0.6 * perimeter:
        return None
    directions = [_direction(*sides[i]) for i in chosen]
    if _line_angle(directions[0], directions[2]) > 30 or _line_angle(directions[1], directions[3]) > 30:
        return None
    for i in range(4):
        if _line_angle(directions[i], directions[(i + 1) % 4]) < 55:
            return None
    if refit:
        points = contour.reshape(-1, 2).astype(np.float32)
        lines = [_refined_line(points, *sides[i]) for i in chosen]
    else:
        lines = [(sides[i][0], directions[k]) for k, i in enumerate(chosen)]
    quad = _meeting_points(lines)
    if quad is None or not cv2.isContourConvex(quad.reshape(-1, 1, 2)):
        return None
    return order_corners(quad)


def _support(edges: Image, corners: Corners, samples: int = 120) -> float:
    """Share of points along the quadrilateral's sides (away from the rounded corners) on an edge pixel."""
    quad = np.asarray(corners, np.float32)
    t = np.linspace(0.1, 0.9, samples // 4, dtype=np.float32)[:, None]
    points = np.concatenate([quad[i] + t * (quad[(i + 1) % 4] - quad[i]) for i in range(4)])
    xs = np.clip(np.round(points[:, 0]).astype(np.int32), 0, edges.shape[1] - 1)
    ys = np.clip(np.round(points[:, 1]).astype(np.int32), 0, edges.shape[0] - 1)
    return float(np.count_nonzero(edges[ys, xs])) / len(points)


def _quad_from(
    contour: NDArray[Any], polygon: NDArray[np.float32], area: float | None, edges: Image, search: CardSearch
) -> tuple[Corners, float, float] | None:
    """The card quadrilateral fitted to one outline, if it is card-shaped; with its area and aspect.

    ``area`` is the enclosed area of a region outline (it must fill the quadrilateral, bites of a
    thumb allowed); ``None`` for an open outline (the edge curve of a card whose outline does not
    close, e.g. a dim lower edge), which must instead lie on edge pixels along most of its sides.
    """
    corners = None
    quad_area, aspect = 0.0, 0.0
    for refit in (False, True):  # the cheap chord quadrilateral first; refit only the plausible
        corners = fit_card_quad(contour, polygon, refit=refit)
        if corners is None:
            return None
        quad_area = float(cv2.contourArea(corners.reshape(-1, 1, 2)))
        aspect = quad_aspect(corners)
        if quad_area <= 0 or abs(aspect - CARD_ASPECT) / CARD_ASPECT > search.aspect_tolerance * (
            1.0 if refit else 1.3
        ):
            return None
        if area is not None and not 0.7 <= area / quad_area <= 1.1:
            return None  # a ragged region whose fitted edges do not follow its outline
    if corners is None or (area is None and _support(edges, corners) < 0.7):
        return None
    return corners, quad_area, aspect


def _candidates(edges: Image, search: CardSearch) -> tuple[list[CardResult], CardResult | None]:
    """Card-shaped quadrilaterals (in work pixels) and the largest cut-off shape in one edge map.

    Two kinds of outline are tried: regions enclosed by edges (the frame border drawn in, so a card
    running off the frame closes too), and the outer outline of each edge curve not touching the
    border (a card whose outline has gaps, so it encloses nothing, still has the hull of a card).
    """
    work_h, work_w = edges.shape
    frame_area = float(work_h * work_w)
    margin = search.margin_fraction * min(work_h, work_w) + 1.0
    regions, _ = cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    inner = edges.copy()
    inner[:2, :] = 0
    inner[-2:, :] = 0
    inner[:, :2] = 0
    inner[:, -2:] = 0
    curves, _ = cv2.findContours(inner, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    found: list[CardResult] = []
    best_cut: CardResult | None = None
    outlines = [(c, True) for c in regions] + [(c, False) for c in curves]
    for contour, is_region in outlines:
        if is_region:
            area = cv2.contourArea(contour)
        else:
            _, _, w, h = cv2.boundingRect(contour)
            if w * h < search.min_area_fraction * frame_area:
                continue
            area = float(cv2.contourArea(cv2.convexHull(contour)))
        fraction = area / frame_area
        if fraction < search.min_area_fraction or fraction > search.max_area_fraction:
            continue
        coarse = _coarse_polygon(contour)
        if coarse is None or len(coarse) < 4:
            continue
        on_border = int(np.count_nonzero(_on_border(coarse, work_w, work_h, margin)))
        if on_border >= 3:
            continue  # the frame itself or the background around the card
        if on_border > 0:
            if (
                is_region
                and cv2.contourArea(coarse) >= 0.8 * area
                and (best_cut is None or fraction > best_cut.area_fraction)
            ):
                best_cut = CardResult(CardStatus.CUT_OFF, None, fraction, 0.0)
            continue
        polygon = _hull_polygon(contour)
        if polygon is None or len(polygon) < 4:
            continue
        fitted = _quad_from(contour, polygon, area if is_region else None, edges, search)
        if fitted is None:
            continue
        corners, quad_area, aspect = fitted
        if bool(np.any(_on_border(corners, work_w, work_h, -3.0))):
            continue  # an outline wholly inside the frame cannot have a corner outside it: a bad fit
        status = (
            CardStatus.CUT_OFF if bool(np.any(_on_border(corners, work_w, work_h, 0.0))) else CardStatus.FOUND
        )
        found.append(CardResult(status, corners, quad_area / frame_area, aspect))
    return found, best_cut


def card_candidates(
    frame: Image, search: CardSearch = DEFAULT_SEARCH
) -> tuple[list[CardResult], CardResult | None]:
    """Every card-shaped quadrilateral in ``frame`` (frame pixels, largest first, near-duplicates merged)
    and the largest shape that runs off the frame edge. Raises :class:`FrameError` for unusable frames."""
    bgr = as_bgr(frame)
    height, width = bgr.shape[:2]
    scale = search.work_width / width if width > search.work_width else 1.0
    work = bgr
    if scale != 1.0:
        work = np.asarray(
            cv2.resize(bgr, (search.work_width, max(1, round(height * scale))), interpolation=cv2.INTER_AREA),
            dtype=np.uint8,
        )
    found: list[CardResult] = []
    best_cut: CardResult | None = None
    maps = _edge_maps(work, search.sensitive)
    for edges in maps:
        more, cut = _candidates(edges, search)
        found += more
        if cut is not None and (best_cut is None or cut.area_fraction > best_cut.area_fraction):
            best_cut = cut
    if not found:
        return [], best_cut
    # Rank by area × support²: the biggest card-shaped thing wins, unless its sides do not lie on
    # visible edges (a blue region leaking into a blue wall, a shape bridging two objects).
    evidence = np.asarray(cv2.bitwise_or(maps[0], maps[2]), np.uint8)
    scored = []
    for result in found:
        assert result.corners is not None
        support = _support(evidence, result.corners)
        scored.append((result.area_fraction * support * support, support, result))
    scored.sort(key=lambda item: item[0], reverse=True)
    kept: list[tuple[float, CardResult]] = []
    for _, support, result in scored:
        if not any(_same_quad(result, other) for _, other in kept):
            kept.append((support, result))
    gray = to_gray(bgr)
    merged: list[CardResult] = []
    for index, (support, result) in enumerate(kept):
        assert result.corners is not None
        corners = np.ascontiguousarray(result.corners / np.float32(scale), np.float32)
        if index < search.refine_count:
            corners = refine_corners(gray, corners, max(3.0, 2.5 / scale))
        merged.append(CardResult(result.status, corners, result.area_fraction, result.aspect, support))
    return merged, best_cut


def refine_corners(gray: Image, corners: Corners, reach_px: float = 5.0, samples: int = 24) -> Corners:
    """Move each side of ``corners`` onto the strongest brightness step across it, at full resolution.

    Why: the quadrilateral is found on a 640-px copy inside a dilated edge band, so it sits 1–3 frame
    pixels off the true edge. Each side is re-measured on ``samples`` short profiles across it (the
    middle 76 % of the side, away from the rounded corners); the step's position on each profile is
    refitted to a line (Huber, so the few profiles crossing a thumb or text do not pull it), and the
    corners are the crossings of the four lines. A side whose profiles disagree keeps its old line.
    """
    height, width = gray.shape[:2]
    quad = np.asarray(corners, np.float32).reshape(4, 2)
    lines: list[tuple[NDArray[np.float32], NDArray[np.float32]]] = []
    for i in range(4):
        p, q = quad[i], quad[(i + 1) % 4]
        direction = _direction(p, q)
        normal = np.array([-direction[1], direction[0]], np.float32)
        length = float(np.linalg.norm(q - p))
        reach = min(reach_px, max(2.5, 0.02 * length))  # text starts ~3 % of the width inside
        offsets = np.arange(-reach, reach + 0.01, 0.5, dtype=np.float32)
        ts = np.linspace(0.12, 0.88, samples, dtype=np.float32) * length
        centres = p[None, :] + ts[:, None] * direction[None, :]
        xs = centres[:, 0:1] + offsets[None, :] * normal[0]
        ys = centres[:, 1:2] + offsets[None, :] * normal[1]
        raw = cv2.remap(gray, xs, ys, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE).astype(np.float32)
        profiles = cv2.GaussianBlur(raw, (5, 1), 0)  # along each profile only: noise, not the edge
        steps = np.diff(profiles, axis=1)
        sign = 1.0 if float(steps.max(axis=1).sum()) >= float(-steps.min(axis=1).sum()) else -1.0
        strength = steps * sign
        best = strength.argmax(axis=1)
        good = strength[np.arange(samples), best] >= 4.0
        inside = (xs[:, 0] >= 0) & (xs[:, 0] < width) & (ys[:, 0] >= 0) & (ys[:, 0] < height)
        good &= inside
        if int(np.count_nonzero(good)) < samples // 3:
            lines.append((p, direction))
            continue
        shift = (offsets[best] + offsets[best + 1]) / 2.0
        points = (centres + shift[:, None] * normal[None, :])[good].astype(np.float32)
        vx, vy, x0, y0 = cv2.fitLine(points, cv2.DIST_HUBER, 0, 0.01, 0.01).reshape(4)
        fitted = (np.array([x0, y0], np.float32), np.array([vx, vy], np.float32))
        residual = np.abs((points - fitted[0]) @ normal)
        if float(np.median(residual)) > 1.5:
            lines.append((p, direction))
            continue
        lines.append(fitted)
    out = _meeting_points(lines)
    if out is None:
        return quad
    if float(np.abs(out - quad).max()) > 2.0 * reach_px + 2.0:
        return quad  # the refinement ran off to another edge; keep what was found
    return out


def _same_quad(a: CardResult, b: CardResult) -> bool:
    assert a.corners is not None and b.corners is not None
    size = float(np.linalg.norm(b.corners[1] - b.corners[0]))
    return float(np.abs(a.corners - b.corners).max()) < 0.08 * size


def find_card(frame: Image, search: CardSearch = DEFAULT_SEARCH) -> CardResult:
    """Find the largest card-shaped quadrilateral; report FOUND, CUT_OFF or NOT_FOUND.

    Candidates from every edge map (:func:`_edge_maps`) compete: the largest card-shaped one wins.
    A larger shape running off the frame wins only when the card-shaped one is small beside it (then
    what was found is probably the photo box of a card that is cut off); a hand holding the card
    joins the card to the frame edge, so a found card of a third of that shape's size still stands.
    Raises :class:`~kiosk.imaging.frame.FrameError` for unusable frames.
    """
    found, best_cut = card_candidates(frame, search)
    best = found[0] if found else None
    if best is not None and best.status is CardStatus.CUT_OFF:
        return best
    if best is not None and (
        not search.report_cut_off
        or best_cut is None
        or best.area_fraction >= search.cut_off_share * best_cut.area_fraction
    ):
        return best
    if best_cut is not None and search.report_cut_off:
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


def text_evidence(frame: Image, corners: Corners) -> float:
    """Share of ink-like pixels (thin dark strokes) in the text half of the card inside ``corners``.

    Why: walls, posters, door panels and screens are card-shaped too. A KTP's left two thirds are rows
    of printed text; a plain rectangle has none (about 0.0 against 0.08–0.25 for a card, even a
    120-px card in a selfie). Measured on a 256 × 161 flattened copy with a 5 × 5 black-hat.
    """
    flat = to_gray(flatten_card(frame, corners, (256, 161)))
    region = flat[35:152, 6:160]
    ink = cv2.morphologyEx(region, cv2.MORPH_BLACKHAT, np.ones((5, 5), np.uint8)) > 18
    rows = ink.mean(axis=1) > 0.04
    if int(np.count_nonzero(rows[1:] != rows[:-1])) < 4:
        return 0.0  # no line structure: a textured surface, not rows of print
    return float(ink.mean())


def blue_region_inside(frame: Image, min_fraction: float = 0.05) -> bool:
    """True when a KTP-blue region of at least ``min_fraction`` of the frame lies wholly inside it.

    Used when the outline runs off the frame: if the blue card itself does not touch the border,
    what joins it to the edge is a hand, and "KTP terpotong" would be wrong (issue 17).
    """
    bgr = as_bgr(frame)
    height, width = bgr.shape[:2]
    scale = WORK_WIDTH / width if width > WORK_WIDTH else 1.0
    work = (
        bgr
        if scale == 1.0
        else cv2.resize(bgr, (WORK_WIDTH, max(1, round(height * scale))), interpolation=cv2.INTER_AREA)
    )
    _, mask = _chroma(np.asarray(work, np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    h, w = mask.shape
    for index in range(1, count):
        x, y, bw, bh, area = (int(v) for v in stats[index])
        if area < min_fraction * h * w:
            continue
        if x > 1 and y > 1 and x + bw < w - 1 and y + bh < h - 1:
            return True
    return False
