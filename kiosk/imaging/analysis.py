"""One call per photo kind: run the checks on a frame and return a verdict with ordered guidance.

Why a separate module: :mod:`quality`, :mod:`card` and :mod:`face` each measure one thing; which
measurements apply to which photo, on which region, and in what order they are reported is the
policy, kept here in one place. These functions never raise on bad frames: an unusable frame yields
:attr:`Guidance.BAD_FRAME`. They are pure and thread-safe, meant to run on the camera's worker thread.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import cv2
import numpy as np
from numpy.typing import NDArray

from kiosk.i18n import Message
from kiosk.imaging.card import (
    CardResult,
    CardSearch,
    CardStatus,
    blue_region_inside,
    card_candidates,
    card_colour_mask,
    find_card,
    flatten_card,
    text_evidence,
)
from kiosk.imaging.face import FaceBox, FaceRules, FaceStatus, check_face
from kiosk.imaging.frame import FrameError, Image, as_bgr, to_gray
from kiosk.imaging.guidance import READY, Guidance, message_for, ordered
from kiosk.imaging.legible import nik_region
from kiosk.imaging.quality import (
    Exposure,
    ExposureResult,
    GlareResult,
    Legibility,
    QualityThresholds,
    exposure,
    frame_acuity,
    glare,
    legibility,
    sharpness,
)


class PhotoKind(enum.Enum):
    """Which photo the camera step is taking."""

    KTP = "ktp"
    SELFIE = "selfie"


@dataclass(frozen=True, slots=True)
class AnalysisSettings:
    """Thresholds per photo kind (defaults tuned on both generated sets; see tests/test_imaging_*).

    ``ktp_min_card_fraction``: the card must fill this share of the frame before the photo is taken
    ("Dekatkan KTP" below it). ``frame_min_mean``: a frame without a card is only called too dark below
    this mean level, since a dark desk around the card is normal. ``selfie_min_card_width``: a card in
    the selfie narrower than this share of the frame width is too far to be read (96 px of 1280).
    ``selfie_min_evidence``: share of ink-like pixels a card-shaped thing needs to count as the KTP.
    ``max_nik_occlusion``: share of the NIK line hidden by something that is neither card nor ink (a
    thumb, a glare patch) before "Jari menutupi NIK" is said.
    """

    card_quality: QualityThresholds = field(default_factory=QualityThresholds)
    frame_quality: QualityThresholds = field(
        default_factory=lambda: QualityThresholds(min_mean=45.0, max_dark_fraction=0.8)
    )
    ktp_search: CardSearch = field(default_factory=CardSearch)
    ktp_min_card_fraction: float = 0.22
    selfie_search: CardSearch = field(
        default_factory=lambda: CardSearch(
            min_area_fraction=0.0015, max_area_fraction=0.35, report_cut_off=False, sensitive=True
        )
    )
    selfie_min_card_width: float = 0.075
    selfie_min_evidence: float = 0.03
    max_nik_occlusion: float = 0.03
    face_rules: FaceRules = field(default_factory=FaceRules)
    selfie_quality: QualityThresholds = field(default_factory=lambda: QualityThresholds(min_sharpness=12.0))
    face_sharpness_width: int = 256


DEFAULT_SETTINGS = AnalysisSettings()


@dataclass(frozen=True, slots=True)
class FrameAnalysis:
    """Everything the camera view needs for one frame: the problems (most important first) and what
    was found, so it can draw the card outline or face box."""

    kind: PhotoKind
    problems: tuple[Guidance, ...]
    card: CardResult = field(default_factory=lambda: CardResult(CardStatus.NOT_FOUND))
    faces: tuple[FaceBox, ...] = ()
    sharpness: float = 0.0
    exposure: ExposureResult | None = None
    glare: GlareResult | None = None
    legibility: Legibility | None = None

    @property
    def ok(self) -> bool:
        """True when nothing stands in the way of taking the photo."""
        return not self.problems

    @property
    def messages(self) -> tuple[Message, ...]:
        return tuple(message_for(code) for code in self.problems)

    @property
    def primary(self) -> Message:
        """The one line to show: the most important problem, or "hold still" when all is good."""
        return message_for(self.problems[0]) if self.problems else READY


def _exposure_problem(result: ExposureResult) -> list[Guidance]:
    if result.verdict is Exposure.TOO_DARK:
        return [Guidance.TOO_DARK]
    if result.verdict is Exposure.TOO_BRIGHT:
        return [Guidance.TOO_BRIGHT]
    return []


def nik_occlusion(flat: Image) -> tuple[float, float]:
    """Shares of the NIK line covered by a finger (skin colour) and by glare (far brighter than the card).

    Why: a thumb over the NIK left every other check passing (issue 17). After an 11-px median blur
    the thin ink strokes vanish into the card colour, while a thumb or a washed-out glare patch stays;
    what differs clearly from the card's own colour (taken from the text rows below) is covered.
    """
    small = cv2.resize(flat, (flat.shape[1] // 2, flat.shape[0] // 2), interpolation=cv2.INTER_AREA)
    smooth = cv2.medianBlur(cv2.cvtColor(small, cv2.COLOR_BGR2Lab), 7).astype(np.float32)
    height, width = small.shape[:2]
    body = smooth[round(0.35 * height) : round(0.9 * height), round(0.02 * width) : round(0.6 * width)]
    paper = np.median(body.reshape(-1, 3), axis=0)
    region = nik_region(smooth)
    chroma = np.sqrt(((region[:, :, 1:] - paper[1:]) ** 2).sum(axis=2))
    brighter = region[:, :, 0] - paper[0]
    # Ink is dark and neutral (at most the paper's own tint away in colour); skin is far in colour,
    # a glare patch far brighter.
    size = max(1, chroma.size)
    return float(np.count_nonzero(chroma > 24.0)) / size, float(np.count_nonzero(brighter > 35.0)) / size


def analyse_ktp(frame: object, settings: AnalysisSettings = DEFAULT_SETTINGS) -> FrameAnalysis:
    """Card present, whole, close enough, the NIK line legible (sharp, contrasty, uncovered), no glare.

    Blur and darkness are judged on the NIK line's text (:func:`~kiosk.imaging.quality.legibility`),
    not on the whole card's Laplacian or mean level; a frame without a card that is blurred is "buram",
    not "cut off"; a card whose outline reaches the edge only through a hand is a thumb, not a cut.
    The NIK itself is read by OCR only when the photo is taken (:mod:`kiosk.imaging.legible`).
    """
    try:
        bgr = as_bgr(frame)
        card = find_card(bgr, settings.ktp_search)
    except FrameError:
        return FrameAnalysis(PhotoKind.KTP, (Guidance.BAD_FRAME,))
    problems: list[Guidance] = []
    if card.status is not CardStatus.FOUND or card.corners is None:
        frame_exposure = exposure(bgr, settings.frame_quality)
        problems += _exposure_problem(frame_exposure)
        acuity = frame_acuity(bgr)
        if acuity is not None and acuity < settings.card_quality.min_frame_acuity:
            problems.append(Guidance.BLURRY)
        elif card.status is CardStatus.CUT_OFF:
            thumb = blue_region_inside(bgr, settings.ktp_min_card_fraction * 0.7)
            problems.append(Guidance.THUMB_ON_CARD if thumb else Guidance.CARD_CUT_OFF)
        else:
            problems.append(Guidance.NO_CARD)
        return FrameAnalysis(PhotoKind.KTP, ordered(problems), card, exposure=frame_exposure)
    flat = flatten_card(bgr, card.corners)
    card_exposure = exposure(flat, settings.card_quality)
    card_glare = glare(flat, thresholds=settings.card_quality)
    nik = nik_region(flat)
    text = legibility(nik)
    if card_exposure.verdict is Exposure.TOO_BRIGHT:
        problems.append(Guidance.TOO_BRIGHT)
    elif text.contrast < settings.card_quality.min_text_contrast:
        problems.append(Guidance.TOO_DARK if card_exposure.mean < 128 else Guidance.NIK_UNREADABLE)
    if card.area_fraction < settings.ktp_min_card_fraction:
        problems.append(Guidance.MOVE_CARD_CLOSER)
    if card_glare.has_glare:
        problems.append(Guidance.GLARE)
    if text.acuity < settings.card_quality.min_acuity:
        problems.append(Guidance.BLURRY)
    finger, washed = nik_occlusion(flat)
    if finger > settings.max_nik_occlusion:
        problems.append(Guidance.THUMB_ON_NIK)
    if washed > settings.max_nik_occlusion:
        problems.append(Guidance.GLARE)
    return FrameAnalysis(
        PhotoKind.KTP,
        ordered(problems),
        card,
        sharpness=text.acuity,
        exposure=card_exposure,
        glare=card_glare,
        legibility=text,
    )


_FACE_PROBLEMS = {
    FaceStatus.NO_FACE: Guidance.NO_FACE,
    FaceStatus.MANY_FACES: Guidance.MANY_FACES,
    FaceStatus.TOO_SMALL: Guidance.MOVE_FACE_CLOSER,
    FaceStatus.OFF_CENTRE: Guidance.CENTRE_FACE,
    FaceStatus.EYES_NOT_VISIBLE: Guidance.EYES_NOT_VISIBLE,
}


def _card_width(corners: NDArray[np.float32]) -> float:
    return float(np.linalg.norm(corners[1] - corners[0]) + np.linalg.norm(corners[2] - corners[3])) / 2.0


def _selfie_cards(bgr: Image, settings: AnalysisSettings) -> tuple[list[CardResult], CardResult | None]:
    """KTPs in the selfie: card-shaped, whole, with rows of print (a 120–250 px card has no outline to
    speak of, but its text shows); largest-and-best-supported first. Also the largest shape cut off."""
    candidates, cut = card_candidates(bgr, settings.selfie_search)
    cards = [
        c
        for c in candidates
        if c.status is CardStatus.FOUND
        and c.corners is not None
        and text_evidence(bgr, c.corners)
        >= settings.selfie_min_evidence
        * (1.0 if _card_width(c.corners) >= settings.selfie_min_card_width * bgr.shape[1] else 0.5)
    ]
    return cards, cut


def _held_too_low(bgr: Image, face: FaceBox | None) -> bool:
    """A KTP-blue shape with print in it, running off the bottom edge below and beside the face."""
    height, width = bgr.shape[:2]
    scale = 320.0 / width
    work = np.asarray(
        cv2.resize(bgr, (320, max(1, round(height * scale))), interpolation=cv2.INTER_AREA), np.uint8
    )
    blue = card_colour_mask(work)
    count, _, stats, _ = cv2.connectedComponentsWithStats(blue, connectivity=8)
    h, w = blue.shape
    for index in range(1, count):
        x, y, bw, bh, area = (int(v) for v in stats[index])
        if y + bh < h - 1 or area < 0.002 * h * w or area > 0.08 * h * w or bw < 12:
            continue
        if face is not None and abs((x + bw / 2) / scale - face.centre[0]) > 3.5 * face.width:
            continue
        if bw > 0.35 * w or bh > 0.5 * h:
            continue  # a wall or a shirt, not a card
        # The print is judged on the full-resolution crop: at 320 px a held card's rows are 1 px high.
        x0, y0 = int(x / scale), int(y / scale)
        gray = to_gray(np.ascontiguousarray(bgr[y0 : int((y + bh) / scale), x0 : int((x + bw) / scale)]))
        ink = cv2.morphologyEx(gray, cv2.MORPH_BLACKHAT, np.ones((5, 5), np.uint8)) > 18
        rows = ink.mean(axis=1) > 0.04
        if float(ink.mean()) >= 0.03 and int(np.count_nonzero(rows[1:] != rows[:-1])) >= 3:
            return True
    return False


def analyse_selfie(frame: object, settings: AnalysisSettings = DEFAULT_SETTINGS) -> FrameAnalysis:
    """One frontal face, big and central enough, sharp, well lit, and the KTP visible near it.

    The KTP is looked for first, so that a face inside it (the card's own portrait) is not taken for
    a second person. A card too small to be read is "too far"; a card running off the bottom edge is
    "held too low".
    """
    try:
        bgr = as_bgr(frame)
        cards, _ = _selfie_cards(bgr, settings)
        face_check = check_face(bgr, settings.face_rules, [c.corners for c in cards if c.corners is not None])
    except FrameError:
        return FrameAnalysis(PhotoKind.SELFIE, (Guidance.BAD_FRAME,))
    problems: list[Guidance] = []
    frame_exposure = exposure(bgr, settings.frame_quality)
    problems += _exposure_problem(frame_exposure)
    if face_check.status is not FaceStatus.OK:
        problems.append(_FACE_PROBLEMS[face_check.status])
    face_sharpness = 0.0
    face = face_check.face
    if face is not None:
        crop = bgr[face.y : face.y + face.height, face.x : face.x + face.width]
        if crop.shape[0] >= 16 and crop.shape[1] >= 16:
            # At the face's own resolution (capped): upscaling a small face would blur it artificially.
            face_sharpness = sharpness(crop, min(crop.shape[1], settings.face_sharpness_width))
            if face_sharpness < settings.selfie_quality.min_sharpness:
                problems.append(Guidance.BLURRY)
    card = CardResult(CardStatus.NOT_FOUND)
    for candidate in cards:
        assert candidate.corners is not None
        centre = candidate.corners.mean(axis=0)
        if face is not None and (
            inside_box(face, centre)  # a card-shaped patch of the face itself
            or abs(float(centre[0]) - face.centre[0]) > 4.0 * face.width  # far off to the side
            or float(centre[1]) < face.y  # above the head: a picture on the wall
        ):
            continue
        card = candidate
        break
    if card.corners is None:
        problems.append(Guidance.CARD_TOO_LOW if _held_too_low(bgr, face) else Guidance.CARD_NOT_VISIBLE)
    elif _card_width(card.corners) < settings.selfie_min_card_width * bgr.shape[1]:
        problems.append(Guidance.CARD_TOO_FAR)
    return FrameAnalysis(
        PhotoKind.SELFIE,
        ordered(problems),
        card,
        faces=face_check.faces,
        sharpness=face_sharpness,
        exposure=frame_exposure,
    )


def inside_box(face: FaceBox, point: NDArray[np.float32]) -> bool:
    """True when ``point`` lies inside the face box."""
    return bool(face.x <= point[0] <= face.x + face.width and face.y <= point[1] <= face.y + face.height)


def analyse(frame: object, kind: PhotoKind, settings: AnalysisSettings = DEFAULT_SETTINGS) -> FrameAnalysis:
    """Dispatch on ``kind``."""
    return analyse_ktp(frame, settings) if kind is PhotoKind.KTP else analyse_selfie(frame, settings)


def capture_image(frame: Image, analysis: FrameAnalysis) -> Image:
    """The image to keep for a captured frame: the flattened card for a found KTP, else the frame."""
    bgr = as_bgr(frame)
    if analysis.kind is PhotoKind.KTP and analysis.card.found and analysis.card.corners is not None:
        return flatten_card(bgr, analysis.card.corners)
    return bgr
