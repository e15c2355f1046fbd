"""Synthetic camera scenes: the specimen card placed in a frame with perspective and camera faults.

Why: the checks must be proven on frames with known ground truth (where the card is, how blurred, how
dark, where the glare is). These helpers build such frames deterministically from a seed for the tests,
the demo clips (``scripts/make_demo_media.py``) and ``bench.photo``.
"""

from __future__ import annotations

import random

import cv2
import numpy as np
from numpy.typing import NDArray

from kiosk.imaging.card import CARD_ASPECT
from kiosk.imaging.frame import Image

FRAME_SIZE = (1280, 720)


def background(size: tuple[int, int] = FRAME_SIZE, seed: int = 0) -> Image:
    """A darkish wood-like desk texture: structured enough to be realistic, darker than the card."""
    width, height = size
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    grain = np.sin(yy / 7.0 + 2.5 * np.sin(xx / 90.0)) * 10.0
    base = np.empty((height, width, 3), np.float32)
    base[:, :, 0] = 55 + grain
    base[:, :, 1] = 75 + grain
    base[:, :, 2] = 100 + grain
    base += rng.normal(0.0, 3.0, size=(height, width, 1)).astype(np.float32)
    return np.clip(base, 0, 255).astype(np.uint8)


def wall(
    size: tuple[int, int] = FRAME_SIZE,
    colour: tuple[int, int, int] = (225, 225, 225),
    light: float = 0.25,
    light_angle: float = 30.0,
    seed: int = 0,
) -> Image:
    """A plain light wall or white table (BGR ``colour``) under uneven light, with sensor noise.

    The hard case for the card detector: somewhere along the card's edge the wall is exactly as
    bright as the card.
    """
    width, height = size
    plain = np.full((height, width, 3), colour, np.uint8)
    return noise(uneven_light(plain, light, light_angle), 2.0, seed)


def card_quad(
    centre: tuple[float, float],
    card_width: float,
    angle_deg: float = 0.0,
    tilt: float = 0.0,
) -> NDArray[np.float32]:
    """Corners (tl, tr, br, bl) of a card of ``card_width`` px centred at ``centre``, rotated by
    ``angle_deg`` and with a perspective ``tilt`` (−0.3..0.3: the top edge shorter/longer than the bottom)."""
    half_w = card_width / 2.0
    half_h = card_width / CARD_ASPECT / 2.0
    pts = np.array(
        [
            [-half_w * (1 - tilt), -half_h],
            [half_w * (1 - tilt), -half_h],
            [half_w * (1 + tilt), half_h],
            [-half_w * (1 + tilt), half_h],
        ],
        np.float32,
    )
    theta = np.deg2rad(angle_deg)
    rotation = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]], np.float32)
    return (pts @ rotation.T + np.array(centre, np.float32)).astype(np.float32)


def place(scene: Image, picture: Image, quad: NDArray[np.float32]) -> Image:
    """Warp ``picture`` onto ``scene`` so its corners land on ``quad`` (tl, tr, br, bl); returns a new image."""
    height, width = picture.shape[:2]
    source = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32)
    matrix = cv2.getPerspectiveTransform(source, quad.astype(np.float32))
    size = (scene.shape[1], scene.shape[0])
    warped = cv2.warpPerspective(picture, matrix, size, flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(np.full((height, width), 255, np.uint8), matrix, size, flags=cv2.INTER_LINEAR)
    alpha = mask[:, :, None].astype(np.float32) / 255.0
    out = scene.astype(np.float32) * (1 - alpha) + warped.astype(np.float32) * alpha
    return out.astype(np.uint8)


def blur(image: Image, sigma: float) -> Image:
    """Gaussian defocus blur (no-op for sigma ≤ 0)."""
    if sigma <= 0:
        return image
    return np.asarray(cv2.GaussianBlur(image, (0, 0), sigma), dtype=np.uint8)


def motion_blur(image: Image, length: int, angle_deg: float = 0.0) -> Image:
    """Linear motion blur of ``length`` pixels."""
    if length <= 1:
        return image
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1.0
    rotation = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), angle_deg, 1.0)
    kernel = np.asarray(cv2.warpAffine(kernel, rotation, (length, length)), dtype=np.float32)
    kernel /= max(float(kernel.sum()), 1e-6)
    return np.asarray(cv2.filter2D(image, -1, kernel), dtype=np.uint8)


def noise(image: Image, sigma: float, seed: int = 0) -> Image:
    """Additive Gaussian sensor noise."""
    if sigma <= 0:
        return image
    rng = np.random.default_rng(seed)
    noisy = image.astype(np.float32) + rng.normal(0.0, sigma, size=image.shape).astype(np.float32)
    return np.clip(noisy, 0, 255).astype(np.uint8)


def uneven_light(image: Image, strength: float, angle_deg: float = 30.0) -> Image:
    """Multiply by a linear light gradient: 1 − strength on one side to 1 on the other."""
    height, width = image.shape[:2]
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    theta = np.deg2rad(angle_deg)
    ramp = (xx / width) * np.cos(theta) + (yy / height) * np.sin(theta)
    ramp = (ramp - ramp.min()) / max(float(ramp.max() - ramp.min()), 1e-6)
    gain = 1.0 - strength * (1.0 - ramp)
    return np.clip(image.astype(np.float32) * gain[:, :, None], 0, 255).astype(np.uint8)


def brightness(image: Image, gain: float, offset: float = 0.0) -> Image:
    """Global exposure change (gain < 1 darkens)."""
    return np.clip(image.astype(np.float32) * gain + offset, 0, 255).astype(np.uint8)


def glare_spot(image: Image, centre: tuple[float, float], radius: float) -> Image:
    """A specular highlight: a saturated white disc with a soft halo."""
    height, width = image.shape[:2]
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    distance = np.sqrt((xx - centre[0]) ** 2 + (yy - centre[1]) ** 2) / max(radius, 1.0)
    light = np.clip(1.6 - distance, 0.0, 1.0)[:, :, None]
    out = image.astype(np.float32) * (1 - light) + 255.0 * light
    return np.clip(out, 0, 255).astype(np.uint8)


def ktp_scene(
    card: Image,
    *,
    card_width: float = 820.0,
    centre: tuple[float, float] = (640.0, 360.0),
    angle_deg: float = 0.0,
    tilt: float = 0.0,
    seed: int = 0,
    size: tuple[int, int] = FRAME_SIZE,
    backdrop: Image | None = None,
) -> tuple[Image, NDArray[np.float32]]:
    """The card on the desk background (or on ``backdrop``); returns the frame and the true corners."""
    quad = card_quad(centre, card_width, angle_deg, tilt)
    scene = background(size, seed) if backdrop is None else backdrop
    return place(scene, card, quad), quad


FAIR_MARGIN = 0.04
"""Share of the frame height a "fair" bench card keeps clear of every frame edge."""


def fit_card_width(
    centre: tuple[float, float],
    card_width: float,
    angle_deg: float,
    tilt: float,
    size: tuple[int, int] = FRAME_SIZE,
    margin_fraction: float = FAIR_MARGIN,
) -> float:
    """``card_width``, shrunk just enough that the whole card stays ``margin_fraction`` inside the frame.

    Why: a card running off the frame is (rightly) reported as cut off, so a photo meant to be good
    must keep all four corners in view; large random widths and angles alone do not guarantee that.
    """
    width, height = size
    margin = margin_fraction * min(width, height)
    unit = card_quad(centre, 1.0, angle_deg, tilt) - np.array(centre, np.float32)
    limits = []
    for axis, extent in ((0, width), (1, height)):
        low, high = float(unit[:, axis].min()), float(unit[:, axis].max())
        if high > 0:
            limits.append((extent - 1 - margin - centre[axis]) / high)
        if low < 0:
            limits.append((margin - centre[axis]) / low)
    return max(1.0, min([card_width, *limits]))


def random_ktp_photo(card: Image, rng: random.Random) -> Image:
    """One realistic-but-fair KTP photo for the benchmark: perspective, blur, noise, uneven light.

    Fair means the whole card is in the picture (see :func:`fit_card_width`): the random draws are
    the same as before that rule, only the width of a card that would touch the frame edge shrinks.
    """
    width = rng.uniform(760.0, 980.0)
    centre = (640.0 + rng.uniform(-60, 60), 360.0 + rng.uniform(-30, 30))
    angle = rng.uniform(-6, 6)
    tilt = rng.uniform(-0.12, 0.12)
    frame, _ = ktp_scene(
        card,
        card_width=fit_card_width(centre, width, angle, tilt),
        centre=centre,
        angle_deg=angle,
        tilt=tilt,
        seed=rng.randint(0, 10_000),
    )
    frame = uneven_light(frame, rng.uniform(0.0, 0.35), rng.uniform(0, 360))
    frame = blur(frame, rng.uniform(0.0, 1.2))
    return noise(frame, rng.uniform(1.0, 6.0), seed=rng.randint(0, 10_000))


def portrait_scene(
    portrait: Image,
    card: Image | None,
    *,
    portrait_height: float = 660.0,
    portrait_centres: tuple[tuple[float, float], ...] = ((640.0, 380.0),),
    card_width: float = 300.0,
    card_centre: tuple[float, float] = (640.0, 600.0),
    card_angle: float = -4.0,
    seed: int = 0,
    size: tuple[int, int] = FRAME_SIZE,
) -> Image:
    """A selfie-like frame: the portrait (one or more copies) on a wall, optionally holding the card."""
    width, height = size
    wall = np.full((height, width, 3), (200, 205, 210), np.uint8)
    wall = noise(uneven_light(wall, 0.15, 200), 2.0, seed)
    scale = portrait_height / portrait.shape[0]
    resized = cv2.resize(
        portrait, (round(portrait.shape[1] * scale), round(portrait_height)), interpolation=cv2.INTER_AREA
    )
    ph, pw = resized.shape[:2]
    scene = wall
    for cx, cy in portrait_centres:
        x0, y0 = round(cx - pw / 2), round(cy - ph / 2)
        xs, ys = max(0, x0), max(0, y0)
        xe, ye = min(width, x0 + pw), min(height, y0 + ph)
        if xe > xs and ye > ys:
            scene[ys:ye, xs:xe] = resized[ys - y0 : ye - y0, xs - x0 : xe - x0]
    if card is not None:
        scene = place(scene, card, card_quad(card_centre, card_width, card_angle))
    return scene


LIGHT_WALLS: tuple[tuple[int, int, int], ...] = (
    (200, 205, 210),
    (215, 215, 220),
    (225, 225, 225),
    (235, 235, 235),
    (245, 245, 245),
    (180, 200, 215),
)
"""BGR colours of light walls and tables: grey, white and beige, all about as bright as the KTP."""


def random_light_ktp_photo(card: Image, rng: random.Random) -> tuple[Image, NDArray[np.float32]]:
    """A fair KTP photo on a light wall (``card`` should be drawn without its outline); frame and corners."""
    width = rng.uniform(700.0, 940.0)
    centre = (640.0 + rng.uniform(-60, 60), 360.0 + rng.uniform(-30, 30))
    angle = rng.uniform(-6, 6)
    tilt = rng.uniform(-0.1, 0.1)
    backdrop = wall(
        colour=rng.choice(LIGHT_WALLS),
        light=rng.uniform(0.0, 0.35),
        light_angle=rng.uniform(0, 360),
        seed=rng.randint(0, 10_000),
    )
    frame, quad = ktp_scene(
        card,
        card_width=fit_card_width(centre, width, angle, tilt),
        centre=centre,
        angle_deg=angle,
        tilt=tilt,
        backdrop=backdrop,
    )
    frame = blur(frame, rng.uniform(0.0, 1.0))
    return noise(frame, rng.uniform(1.0, 5.0), seed=rng.randint(0, 10_000)), quad
