"""Imaging core on synthetic frames: card found and flattened; blur, dark, glare, cut-off rejected with
the right guidance; zero or two faces rejected; bad frames never crash."""

from __future__ import annotations

import random
from functools import cache

import cv2
import numpy as np
import pytest

from kiosk.imaging import synthetic as S
from kiosk.imaging.analysis import PhotoKind, analyse, analyse_ktp, analyse_selfie, capture_image
from kiosk.imaging.card import FLAT_SIZE, CardStatus, find_card, flatten_card, order_corners
from kiosk.imaging.face import FaceStatus, check_face
from kiosk.imaging.frame import FrameError, as_bgr
from kiosk.imaging.guidance import MESSAGES, Guidance, message_for
from kiosk.imaging.quality import Exposure, exposure, glare, sharpness
from kiosk.imaging.specimen import SpecimenData, render_specimen
from tests.imaging_support import portrait


@cache
def card_image() -> np.ndarray:
    return render_specimen(SpecimenData(), scale=2.0)


@cache
def good_frame() -> np.ndarray:
    frame, _ = S.ktp_scene(card_image(), angle_deg=4, tilt=0.06)
    return frame


def selfie(card: bool = True) -> np.ndarray:
    return S.portrait_scene(
        portrait(),
        card_image() if card else None,
        portrait_height=900,
        portrait_centres=((698.0, 531.0),),
        card_width=300,
        card_centre=(900.0, 600.0),
    )


def test_good_card_found_and_flattened() -> None:
    frame, truth = S.ktp_scene(card_image(), angle_deg=4, tilt=0.06)
    result = find_card(frame)
    assert result.status is CardStatus.FOUND
    assert result.corners is not None
    assert np.abs(result.corners - truth).max() < 6.0  # within a few pixels of the true corners
    flat = flatten_card(frame, result.corners)
    assert flat.shape == (FLAT_SIZE[1], FLAT_SIZE[0], 3)
    reference = cv2.resize(card_image(), FLAT_SIZE, interpolation=cv2.INTER_AREA)
    difference = np.abs(flat.astype(np.int16) - reference.astype(np.int16)).mean()
    assert difference < 12.0
    analysis = analyse_ktp(frame)
    assert analysis.ok, analysis.problems
    assert capture_image(frame, analysis).shape == flat.shape


def test_portrait_held_card_is_ordered_landscape() -> None:
    frame, _ = S.ktp_scene(card_image(), card_width=560, angle_deg=88)
    result = find_card(frame)
    assert result.status is CardStatus.FOUND and result.corners is not None
    c = result.corners
    assert np.linalg.norm(c[1] - c[0]) > np.linalg.norm(c[3] - c[0])


@pytest.mark.parametrize(
    ("degrade", "expected"),
    [
        (lambda f: S.blur(f, 3.0), Guidance.BLURRY),
        (lambda f: S.motion_blur(f, 17, 10), Guidance.BLURRY),
        (lambda f: S.brightness(f, 0.12), Guidance.TOO_DARK),  # the ink no longer stands out
        (lambda f: S.glare_spot(f, (520.0, 260.0), 45.0), Guidance.GLARE),
    ],
    ids=["blur", "motion", "dark", "glare"],
)
def test_bad_ktp_frames_get_the_right_guidance(degrade, expected: Guidance) -> None:  # type: ignore[no-untyped-def]
    analysis = analyse_ktp(degrade(good_frame()))
    assert not analysis.ok
    assert analysis.problems[0] is expected


@pytest.mark.parametrize("centre", [(1110.0, 360.0), (640.0, 660.0), (150.0, 100.0)])
def test_cut_off_card(centre: tuple[float, float]) -> None:
    frame, _ = S.ktp_scene(card_image(), centre=centre)
    analysis = analyse_ktp(frame)
    assert analysis.problems == (Guidance.CARD_CUT_OFF,)
    assert message_for(Guidance.CARD_CUT_OFF).id.startswith("KTP terpotong")


def test_far_card_asks_to_come_closer_and_empty_desk_asks_for_card() -> None:
    far, _ = S.ktp_scene(card_image(), card_width=380)
    assert analyse_ktp(far).problems == (Guidance.MOVE_CARD_CLOSER,)
    assert message_for(Guidance.MOVE_CARD_CLOSER).id == "Dekatkan KTP"
    assert analyse_ktp(S.background()).problems == (Guidance.NO_CARD,)


def test_quality_measures_order_as_expected() -> None:
    frame = good_frame()
    assert sharpness(frame) > sharpness(S.blur(frame, 2.0)) > sharpness(S.blur(frame, 5.0))
    assert exposure(S.brightness(frame, 0.2)).verdict is Exposure.TOO_DARK
    assert exposure(np.full((100, 100, 3), 252, np.uint8)).verdict is Exposure.TOO_BRIGHT
    assert not glare(frame).has_glare
    assert glare(S.glare_spot(frame, (600.0, 300.0), 70.0)).has_glare


def test_selfie_with_card_is_accepted() -> None:
    analysis = analyse_selfie(selfie())
    assert analysis.ok, analysis.problems
    assert len(analysis.faces) == 1


def test_selfie_without_card_asks_for_it() -> None:
    assert analyse_selfie(selfie(card=False)).problems == (Guidance.CARD_NOT_VISIBLE,)


def test_zero_faces_rejected() -> None:
    analysis = analyse(S.background(), PhotoKind.SELFIE)
    assert analysis.problems[0] is Guidance.NO_FACE
    assert message_for(Guidance.NO_FACE).id == "Wajah tidak terlihat"


def test_two_faces_rejected() -> None:
    frame = S.portrait_scene(
        portrait(),
        card_image(),
        portrait_height=600,
        portrait_centres=((380.0, 400.0), (900.0, 400.0)),
        card_width=260,
        card_centre=(640.0, 600.0),
    )
    check = check_face(frame)
    assert check.status is FaceStatus.MANY_FACES and len(check.faces) == 2
    assert analyse_selfie(frame).problems[0] is Guidance.MANY_FACES
    assert message_for(Guidance.MANY_FACES).id == "Hanya satu wajah"


def test_blurry_selfie_rejected() -> None:
    assert Guidance.BLURRY in analyse_selfie(S.blur(selfie(), 3.0)).problems


@pytest.mark.parametrize(
    "frame",
    [
        None,
        "frame",
        np.zeros((0, 0, 3), np.uint8),
        np.zeros((4, 4, 3), np.uint8),
        np.zeros((100, 100, 5), np.uint8),
        np.zeros((2, 100, 100, 3), np.uint8),
        np.full((100, 100, 3), np.nan, np.float32),
        np.zeros((100, 100, 3), np.complex64),
        np.zeros((100, 100), object),
    ],
    ids=["none", "str", "empty", "tiny", "channels", "rank", "nan", "complex", "object"],
)
def test_bad_frames_are_documented_errors(frame: object) -> None:
    with pytest.raises(FrameError):
        as_bgr(frame)
    for kind in PhotoKind:
        assert analyse(frame, kind).problems == (Guidance.BAD_FRAME,)


def test_odd_but_valid_frames_are_analysed() -> None:
    grey = cv2.cvtColor(good_frame(), cv2.COLOR_BGR2GRAY)
    assert analyse_ktp(grey).card.found
    assert analyse_ktp(good_frame().astype(np.float32) / 255.0).card.found
    assert analyse_ktp(good_frame().astype(np.uint16) * 257).card.found
    bgra = cv2.cvtColor(good_frame(), cv2.COLOR_BGR2BGRA)
    assert analyse_ktp(bgra).card.found
    assert analyse_ktp(np.zeros((720, 1280, 3), np.uint8)).problems[0] is Guidance.TOO_DARK
    noise = np.random.default_rng(1).integers(0, 256, (720, 1280, 3), dtype=np.uint8)
    assert not analyse_ktp(noise).ok
    assert not analyse_selfie(noise).ok


def test_order_corners_is_stable() -> None:
    square = np.array([[10, 10], [110, 10], [110, 60], [10, 60]], np.float32)
    shuffled = square[[2, 0, 3, 1]]
    assert np.array_equal(order_corners(shuffled), square)


def test_every_code_has_both_languages() -> None:
    for code in Guidance:
        message = MESSAGES[code]
        assert message.id and message.en and message.id != message.en


@cache
def borderless_card() -> np.ndarray:
    """A real KTP has no dark outline: its only edge is where the light-blue print meets the wall."""
    return render_specimen(SpecimenData(), scale=2.0, border=False)


@pytest.mark.parametrize(
    ("colour", "light"),
    [((225, 225, 225), 0.3), ((245, 245, 245), 0.0), ((200, 205, 210), 0.25), ((180, 200, 215), 0.3)],
    ids=["grey-uneven", "white", "cool-grey", "beige"],
)
def test_card_on_light_background_is_found(colour: tuple[int, int, int], light: float) -> None:
    backdrop = S.wall(colour=colour, light=light, light_angle=200, seed=3)
    frame, truth = S.ktp_scene(borderless_card(), card_width=800, angle_deg=-3, tilt=0.05, backdrop=backdrop)
    frame = S.noise(S.blur(frame, 0.8), 3.0, seed=3)
    result = find_card(frame)
    assert result.status is CardStatus.FOUND
    assert result.corners is not None
    assert np.abs(result.corners - truth).max() < 8.0
    assert analyse_ktp(frame).ok


def test_light_background_without_a_card_is_not_a_card() -> None:
    empty = S.wall(colour=(225, 225, 225), light=0.3, seed=4)
    assert analyse_ktp(empty).problems == (Guidance.NO_CARD,)
    square_note = np.full((400, 400, 3), (120, 230, 250), np.uint8)  # a yellow sticky note: square
    phone = np.full((300, 640, 3), (40, 40, 40), np.uint8)  # a phone lying flat: aspect ≈ 2.1
    for thing in (square_note, phone):
        h, w = thing.shape[:2]
        quad = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32) + np.float32([640 - w / 2, 360 - h / 2])
        frame = S.noise(S.place(empty.copy(), thing, quad), 3.0, seed=4)
        assert find_card(frame).status is not CardStatus.FOUND


def test_cut_off_card_on_light_background_is_still_cut_off() -> None:
    backdrop = S.wall(colour=(235, 235, 235), light=0.2, seed=5)
    frame, _ = S.ktp_scene(borderless_card(), centre=(1110.0, 360.0), backdrop=backdrop)
    assert analyse_ktp(frame).problems == (Guidance.CARD_CUT_OFF,)


def test_bench_photos_keep_the_whole_card_in_frame() -> None:
    rng = random.Random(11)
    for _ in range(200):
        centre = (640.0 + rng.uniform(-60, 60), 360.0 + rng.uniform(-30, 30))
        angle, tilt = rng.uniform(-6, 6), rng.uniform(-0.12, 0.12)
        width = S.fit_card_width(centre, rng.uniform(760.0, 980.0), angle, tilt)
        quad = S.card_quad(centre, width, angle, tilt)
        margin = S.FAIR_MARGIN * 720 - 0.5
        assert quad[:, 0].min() >= margin and quad[:, 0].max() <= 1279 - margin
        assert quad[:, 1].min() >= margin and quad[:, 1].max() <= 719 - margin
