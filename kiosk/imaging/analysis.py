"""One call per photo kind: run the checks on a frame and return a verdict with ordered guidance.

Why a separate module: :mod:`quality`, :mod:`card` and :mod:`face` each measure one thing; which
measurements apply to which photo, on which region, and in what order they are reported is the
policy, kept here in one place. These functions never raise on bad frames: an unusable frame yields
:attr:`Guidance.BAD_FRAME`. They are pure and thread-safe, meant to run on the camera's worker thread.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from kiosk.i18n import Message
from kiosk.imaging.card import CardResult, CardSearch, CardStatus, find_card, flatten_card
from kiosk.imaging.face import FaceBox, FaceRules, FaceStatus, check_face
from kiosk.imaging.frame import FrameError, Image, as_bgr
from kiosk.imaging.guidance import READY, Guidance, message_for, ordered
from kiosk.imaging.quality import (
    Exposure,
    ExposureResult,
    GlareResult,
    QualityThresholds,
    exposure,
    glare,
    sharpness,
)


class PhotoKind(enum.Enum):
    """Which photo the camera step is taking."""

    KTP = "ktp"
    SELFIE = "selfie"


@dataclass(frozen=True, slots=True)
class AnalysisSettings:
    """Thresholds per photo kind (defaults tuned on the specimen scenes; see tests/test_imaging_*).

    ``ktp_min_card_fraction``: the card must fill this share of the frame before the photo is taken
    ("Dekatkan KTP" below it). ``frame_min_mean``: a frame without a card is only called too dark below
    this mean level, since a dark desk around the card is normal.
    """

    card_quality: QualityThresholds = field(default_factory=QualityThresholds)
    frame_quality: QualityThresholds = field(
        default_factory=lambda: QualityThresholds(min_mean=45.0, max_dark_fraction=0.8)
    )
    ktp_search: CardSearch = field(default_factory=CardSearch)
    ktp_min_card_fraction: float = 0.22
    selfie_search: CardSearch = field(
        default_factory=lambda: CardSearch(min_area_fraction=0.01, max_area_fraction=0.35)
    )
    face_rules: FaceRules = field(default_factory=FaceRules)
    selfie_quality: QualityThresholds = field(default_factory=lambda: QualityThresholds(min_sharpness=8.0))
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


def analyse_ktp(frame: object, settings: AnalysisSettings = DEFAULT_SETTINGS) -> FrameAnalysis:
    """Card present, whole, close enough, well exposed, no glare, sharp."""
    try:
        bgr = as_bgr(frame)
        card = find_card(bgr, settings.ktp_search)
    except FrameError:
        return FrameAnalysis(PhotoKind.KTP, (Guidance.BAD_FRAME,))
    problems: list[Guidance] = []
    if card.status is not CardStatus.FOUND or card.corners is None:
        frame_exposure = exposure(bgr, settings.frame_quality)
        problems += _exposure_problem(frame_exposure)
        problems.append(Guidance.CARD_CUT_OFF if card.status is CardStatus.CUT_OFF else Guidance.NO_CARD)
        return FrameAnalysis(PhotoKind.KTP, ordered(problems), card, exposure=frame_exposure)
    flat = flatten_card(bgr, card.corners)
    card_exposure = exposure(flat, settings.card_quality)
    card_glare = glare(flat, thresholds=settings.card_quality)
    card_sharpness = sharpness(flat)
    problems += _exposure_problem(card_exposure)
    if card.area_fraction < settings.ktp_min_card_fraction:
        problems.append(Guidance.MOVE_CARD_CLOSER)
    if card_glare.has_glare:
        problems.append(Guidance.GLARE)
    if card_sharpness < settings.card_quality.min_sharpness:
        problems.append(Guidance.BLURRY)
    return FrameAnalysis(
        PhotoKind.KTP,
        ordered(problems),
        card,
        sharpness=card_sharpness,
        exposure=card_exposure,
        glare=card_glare,
    )


_FACE_PROBLEMS = {
    FaceStatus.NO_FACE: Guidance.NO_FACE,
    FaceStatus.MANY_FACES: Guidance.MANY_FACES,
    FaceStatus.TOO_SMALL: Guidance.MOVE_FACE_CLOSER,
    FaceStatus.OFF_CENTRE: Guidance.CENTRE_FACE,
    FaceStatus.EYES_NOT_VISIBLE: Guidance.EYES_NOT_VISIBLE,
}


def analyse_selfie(frame: object, settings: AnalysisSettings = DEFAULT_SETTINGS) -> FrameAnalysis:
    """One frontal face, big and central enough, sharp, well lit, and the KTP visible in the frame."""
    try:
        bgr = as_bgr(frame)
        face_check = check_face(bgr, settings.face_rules)
        card = find_card(bgr, settings.selfie_search)
    except FrameError:
        return FrameAnalysis(PhotoKind.SELFIE, (Guidance.BAD_FRAME,))
    problems: list[Guidance] = []
    frame_exposure = exposure(bgr, settings.frame_quality)
    problems += _exposure_problem(frame_exposure)
    if face_check.status is not FaceStatus.OK:
        problems.append(_FACE_PROBLEMS[face_check.status])
    face_sharpness = 0.0
    if face_check.face is not None:
        box = face_check.face
        crop = bgr[box.y : box.y + box.height, box.x : box.x + box.width]
        if crop.shape[0] >= 16 and crop.shape[1] >= 16:
            face_sharpness = sharpness(crop, settings.face_sharpness_width)
            if face_sharpness < settings.selfie_quality.min_sharpness:
                problems.append(Guidance.BLURRY)
    # Shapes running off the frame in a selfie are mostly shoulders and backgrounds, so a cut-off
    # candidate is not reported separately: the card is either visible whole or not.
    if card.status is not CardStatus.FOUND:
        problems.append(Guidance.CARD_NOT_VISIBLE)
    return FrameAnalysis(
        PhotoKind.SELFIE,
        ordered(problems),
        card,
        faces=face_check.faces,
        sharpness=face_sharpness,
        exposure=frame_exposure,
    )


def analyse(frame: object, kind: PhotoKind, settings: AnalysisSettings = DEFAULT_SETTINGS) -> FrameAnalysis:
    """Dispatch on ``kind``."""
    return analyse_ktp(frame, settings) if kind is PhotoKind.KTP else analyse_selfie(frame, settings)


def capture_image(frame: Image, analysis: FrameAnalysis) -> Image:
    """The image to keep for a captured frame: the flattened card for a found KTP, else the frame."""
    bgr = as_bgr(frame)
    if analysis.kind is PhotoKind.KTP and analysis.card.found and analysis.card.corners is not None:
        return flatten_card(bgr, analysis.card.corners)
    return bgr
