"""A second, independent renderer of KTP photos and selfies, for the imaging tests and ``bench.photo``.

Why a second renderer: ``kiosk.imaging.specimen`` / ``synthetic`` draw the card the detector was tuned
on (a thin dark outline, one layout, a wood desk). Photos from real desks and hands differ: an e-KTP has
no outline and rounded corners, a portrait on the right, it lies on white desks under uneven light, a
thumb covers a corner, an edge or the NIK, and in the selfie it is a 120–250 px card at chest height
with its own portrait (a second face) visible. Everything here is generated from a seed — fake names,
format-valid fake NIKs, the public-domain demo portrait — so no real personal data is involved.

Each :class:`Scene` carries its ground truth: the true card corners, the printed values, whether the
NIK is *physically* readable (not under a thumb or a glare spot, not blurred beyond reading), and
whether it is a frame that ought to be accepted.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import cv2
import numpy as np
from numpy.typing import NDArray

CARD_ASPECT = 85.6 / 54.0
FRAME = (1280, 720)
CORNER_RADIUS = 3.18 / 85.6
"""ID-1 corner radius as a share of the card width."""

NIK_BOX = (0.03, 0.16, 0.70, 0.27)
"""Where the NIK line sits on this renderer's card (left, top, right, bottom as shares)."""

Image = NDArray[np.uint8]

_DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo" / "portrait_eileen_collins.jpg"

_NAMES = (
    "SITI AMINAH",
    "BUDI SANTOSO",
    "DEWI LESTARI",
    "AHMAD FAUZI",
    "RINA WULANDARI",
    "AGUS SETIAWAN",
    "NUR HIDAYAH",
    "EKO PRASETYO",
    "SRI MULYANI",
    "YOHANES LAKE",
    "I MADE SUDARSANA",
    "FITRIANI",
)
_PLACES = ("JAKARTA", "BANDUNG", "SURABAYA", "MEDAN", "DENPASAR", "MAKASSAR", "KUPANG", "SORONG")
_STREETS = ("JL. MAWAR NO. 12", "JL. MERDEKA 45", "GG. KENANGA 3", "JL. SUDIRMAN KM 5", "DUSUN II")
_VILLAGES = ("SUKAMAJU", "CEMPAKA", "TEGALSARI", "KEBONJATI", "SUKARAME", "MEKARSARI")
_DISTRICTS = ("CIBEUNYING", "TEBET", "GUBENG", "MEDAN BARU", "DENPASAR UTARA", "PANAKKUKANG")
_PROVINCES = (
    ("PROVINSI DKI JAKARTA", "JAKARTA SELATAN", "3174"),
    ("PROVINSI JAWA BARAT", "KOTA BANDUNG", "3273"),
    ("PROVINSI JAWA TIMUR", "KOTA SURABAYA", "3578"),
    ("PROVINSI BALI", "KOTA DENPASAR", "5171"),
    ("PROVINSI SULAWESI SELATAN", "KOTA MAKASSAR", "7371"),
)
_FONTS = (cv2.FONT_HERSHEY_SIMPLEX, cv2.FONT_HERSHEY_DUPLEX, cv2.FONT_HERSHEY_COMPLEX)


@cache
def demo_portrait() -> Image:
    """The public-domain portrait shipped in resources/demo (the only real face used anywhere)."""
    image = cv2.imread(str(_DEMO), cv2.IMREAD_COLOR)
    if image is None:
        raise FileNotFoundError(_DEMO)
    return np.asarray(image, np.uint8)


@dataclass(frozen=True, slots=True)
class KtpData:
    """The values printed on a generated card (all fake)."""

    nik: str
    name: str
    place: str
    birth_date: str
    sex: str
    address: str
    rt_rw: str
    village: str
    district: str
    province: str
    city: str

    def fields(self) -> dict[str, str]:
        """The prefill fields as a form would want them."""
        return {
            "nik": self.nik,
            "name": self.name,
            "birth_place": self.place,
            "birth_date": self.birth_date,
            "sex": self.sex,
            "address": self.address,
            "rt_rw": self.rt_rw,
            "village": self.village,
            "district": self.district,
        }


def random_data(rng: random.Random) -> KtpData:
    """Fake but format-valid card values (women's day of birth + 40, as in a real NIK)."""
    province, city, region = rng.choice(_PROVINCES)
    female = rng.random() < 0.5
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1960, 2005)
    nik = f"{region}{rng.randint(1, 40):02d}{day + (40 if female else 0):02d}{month:02d}{year % 100:02d}"
    nik += f"{rng.randint(1, 9999):04d}"
    return KtpData(
        nik=nik,
        name=rng.choice(_NAMES),
        place=rng.choice(_PLACES),
        birth_date=f"{day:02d}-{month:02d}-{year}",
        sex="PEREMPUAN" if female else "LAKI-LAKI",
        address=rng.choice(_STREETS),
        rt_rw=f"{rng.randint(1, 20):03d}/{rng.randint(1, 15):03d}",
        village=rng.choice(_VILLAGES),
        district=rng.choice(_DISTRICTS),
        province=province,
        city=city,
    )


def render_ektp(data: KtpData, rng: random.Random, width: int = 1000) -> tuple[Image, NDArray[np.uint8]]:
    """An e-KTP-like card ``width`` px wide and its alpha mask (rounded corners, no outline).

    Light blue with a soft gradient and fine waves, header centred, the NIK line larger, twelve
    labelled rows, the portrait on the right on a red or blue photo background, place/date and a
    signature under it. Hue, font and spacing vary with ``rng`` so nothing is tuned to one look.
    """
    height = round(width / CARD_ASPECT)
    s = width / 1000.0
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    t = (xx / width * rng.uniform(0.3, 1.0) + yy / height) / 2.0
    base = np.array([rng.uniform(225, 245), rng.uniform(205, 225), rng.uniform(160, 195)], np.float32)
    card = base[None, None, :] - (t[:, :, None] * np.array([15, 25, 35], np.float32))
    waves = rng.uniform(2.0, 5.0) * np.sin(xx / (rng.uniform(6, 12) * s) + 3.0 * np.sin(yy / (35.0 * s)))
    card += waves[:, :, None]
    # A pale rounded blob standing for the map / garuda watermark behind the text.
    blob = np.zeros((height, width), np.float32)
    cv2.ellipse(
        blob,
        (round(width * 0.4), round(height * 0.55)),
        (round(width * 0.25), round(height * 0.2)),
        rng.uniform(-20, 20),
        0,
        360,
        1.0,
        -1,
    )
    card += cv2.GaussianBlur(blob, (0, 0), 15 * s)[:, :, None] * 10.0
    img = np.clip(card, 0, 255).astype(np.uint8)
    font = rng.choice(_FONTS)
    ink = (rng.randint(10, 40),) * 3

    def text(value: str, x: float, y: float, size: float, thick: int = 1, f: int = font) -> None:
        cv2.putText(
            img, value, (round(x * s), round(y * s)), f, size * s, ink, max(1, round(thick * s)), cv2.LINE_AA
        )

    def centred(value: str, y: float, size: float) -> None:
        (tw, _), _ = cv2.getTextSize(value, cv2.FONT_HERSHEY_DUPLEX, size * s, max(1, round(2 * s)))
        text(value, (width - tw) / 2 / s, y, size, 2, cv2.FONT_HERSHEY_DUPLEX)

    centred(data.province, 48, 1.0)
    centred(data.city, 88, 0.95)
    nik_y = 0.245 * 630
    text("NIK", 35, nik_y, 1.25, 2, cv2.FONT_HERSHEY_DUPLEX)
    text(":", 145, nik_y, 1.25, 2, cv2.FONT_HERSHEY_DUPLEX)
    text(data.nik, 170, nik_y, 1.3, 2, cv2.FONT_HERSHEY_DUPLEX)
    rows = (
        ("Nama", data.name),
        ("Tempat/Tgl Lahir", f"{data.place}, {data.birth_date}"),
        ("Jenis Kelamin", data.sex),
        ("Alamat", data.address),
        ("RT/RW", data.rt_rw),
        ("Kel/Desa", data.village),
        ("Kecamatan", data.district),
        ("Agama", rng.choice(("ISLAM", "KRISTEN", "HINDU", "KATOLIK"))),
        ("Status Perkawinan", rng.choice(("KAWIN", "BELUM KAWIN"))),
        ("Pekerjaan", rng.choice(("WIRASWASTA", "PELAJAR/MAHASISWA", "PETANI"))),
        ("Kewarganegaraan", "WNI"),
        ("Berlaku Hingga", "SEUMUR HIDUP"),
    )
    top, step = 205 + rng.uniform(-4, 4), 33.0 + rng.uniform(-1.5, 1.5)
    for row, (label, value) in enumerate(rows):
        y = top + row * step
        text(label, 35, y, 0.62)
        text(":", 235, y, 0.62)
        text(value, 252, y, 0.62)
    # Portrait on the right: the demo face on a red or blue photo background.
    x0, y0, x1, y1 = (round(v * s) for v in (745, 170, 955, 445))
    backdrop = (40, 40, 200) if rng.random() < 0.5 else (200, 120, 40)
    img[y0:y1, x0:x1] = backdrop
    face = demo_portrait()
    crop = face[20:500, 60:452]
    crop = cv2.resize(crop, (x1 - x0, y1 - y0), interpolation=cv2.INTER_AREA)
    img[y0:y1, x0:x1] = crop
    text(data.city.split()[-1], 770, 480, 0.55)
    text(f"{rng.randint(1, 28):02d}-{rng.randint(1, 12):02d}-20{rng.randint(12, 23)}", 780, 505, 0.55)
    pts = np.array([[790 + 12 * k, 560 + 10 * np.sin(k * 1.3)] for k in range(12)], np.float32) * s
    cv2.polylines(img, [pts.astype(np.int32)], False, ink, max(1, round(2 * s)), cv2.LINE_AA)
    mask = rounded_mask(width, height)
    return img, mask


def rounded_mask(width: int, height: int) -> NDArray[np.uint8]:
    """255 inside an ID-1 card outline with its rounded corners (anti-aliased by supersampling)."""
    k = 4
    big = np.zeros((height * k, width * k), np.uint8)
    r = round(CORNER_RADIUS * width * k)
    cv2.rectangle(big, (r, 0), (width * k - 1 - r, height * k - 1), 255, -1)
    cv2.rectangle(big, (0, r), (width * k - 1, height * k - 1 - r), 255, -1)
    for cx, cy in (
        (r, r),
        (width * k - 1 - r, r),
        (r, height * k - 1 - r),
        (width * k - 1 - r, height * k - 1 - r),
    ):
        cv2.circle(big, (cx, cy), r, 255, -1)
    return np.asarray(cv2.resize(big, (width, height), interpolation=cv2.INTER_AREA), np.uint8)


def card_corners(
    centre: tuple[float, float], width: float, angle: float, tilt_x: float, tilt_y: float
) -> NDArray[np.float32]:
    """tl, tr, br, bl of a card ``width`` px wide, rotated ``angle`` degrees, with a 3-D tilt.

    ``tilt_x`` shortens the top edge against the bottom (tipped back), ``tilt_y`` the left edge
    against the right (turned); both about −0.2..0.2.
    """
    hw, hh = width / 2.0, width / CARD_ASPECT / 2.0
    pts = np.array(
        [
            [-hw * (1 - tilt_x), -hh * (1 - tilt_y)],
            [hw * (1 - tilt_x), -hh * (1 + tilt_y)],
            [hw * (1 + tilt_x), hh * (1 + tilt_y)],
            [-hw * (1 + tilt_x), hh * (1 - tilt_y)],
        ],
        np.float32,
    )
    theta = np.deg2rad(angle)
    rot = np.array([[np.cos(theta), -np.sin(theta)], [np.sin(theta), np.cos(theta)]], np.float32)
    return (pts @ rot.T + np.array(centre, np.float32)).astype(np.float32)


def paste(scene: Image, picture: Image, alpha: NDArray[np.uint8], quad: NDArray[np.float32]) -> Image:
    """Warp ``picture`` with its ``alpha`` so its corners land on ``quad``."""
    h, w = picture.shape[:2]
    src = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    matrix = cv2.getPerspectiveTransform(src, quad.astype(np.float32))
    size = (scene.shape[1], scene.shape[0])
    warped = cv2.warpPerspective(picture, matrix, size, flags=cv2.INTER_AREA)
    a = cv2.warpPerspective(alpha, matrix, size, flags=cv2.INTER_LINEAR).astype(np.float32)[:, :, None] / 255
    return (scene.astype(np.float32) * (1 - a) + warped.astype(np.float32) * a).astype(np.uint8)


def warp_point(quad: NDArray[np.float32], u: float, v: float) -> NDArray[np.float32]:
    """The frame point at card fractions (u, v) for a card lying on ``quad``."""
    src = np.array([[0, 0], [1, 0], [1, 1], [0, 1]], np.float32)
    matrix = cv2.getPerspectiveTransform(src, quad.astype(np.float32))
    p = matrix @ np.array([u, v, 1.0])
    return np.array([p[0] / p[2], p[1] / p[2]], np.float32)


# -- backgrounds -----------------------------------------------------------------------------------------
def _noise(img: Image, sigma: float, rng: random.Random) -> Image:
    gen = np.random.default_rng(rng.randint(0, 1 << 30))
    return np.clip(img.astype(np.float32) + gen.normal(0, sigma, img.shape), 0, 255).astype(np.uint8)


def light_gradient(img: Image, strength: float, rng: random.Random) -> Image:
    """Uneven light: a lamp somewhere off-frame (radial fall-off) plus a linear gradient."""
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    lx, ly = rng.uniform(-0.3, 1.3) * w, rng.uniform(-0.3, 1.3) * h
    d = np.sqrt((xx - lx) ** 2 + (yy - ly) ** 2) / np.hypot(w, h)
    gain = 1.0 - strength * np.clip(d / max(float(d.max()), 1e-6), 0, 1)
    return np.clip(img.astype(np.float32) * gain[:, :, None], 0, 255).astype(np.uint8)


def white_desk(rng: random.Random) -> Image:
    """A white or off-white desk (laminate, paper-white) under uneven light — as bright as the card."""
    w, h = FRAME
    colour = rng.choice(((238, 240, 242), (228, 232, 235), (245, 245, 245), (215, 225, 232), (230, 236, 240)))
    desk = np.full((h, w, 3), colour, np.uint8)
    if rng.random() < 0.4:  # faint laminate streaks
        streak = (np.sin(np.arange(w) / rng.uniform(20, 60)) * 3).astype(np.float32)
        desk = np.clip(desk.astype(np.float32) + streak[None, :, None], 0, 255).astype(np.uint8)
    return _noise(light_gradient(desk, rng.uniform(0.15, 0.45), rng), 2.0, rng)


def wood_desk(rng: random.Random) -> Image:
    """A wood desk with grain, lighter or darker."""
    w, h = FRAME
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    grain = np.sin(yy / rng.uniform(5, 10) + 2.5 * np.sin(xx / rng.uniform(60, 120))) * rng.uniform(6, 14)
    base = np.array([rng.uniform(40, 110), rng.uniform(70, 140), rng.uniform(100, 180)], np.float32)
    desk = base[None, None, :] + grain[:, :, None]
    return _noise(light_gradient(np.clip(desk, 0, 255).astype(np.uint8), rng.uniform(0.0, 0.35), rng), 3, rng)


def patterned_desk(rng: random.Random) -> Image:
    """A tablecloth or mat with a printed pattern and straight lines (edges that are not a card)."""
    w, h = FRAME
    desk = np.full((h, w, 3), (rng.randint(90, 200), rng.randint(90, 200), rng.randint(90, 200)), np.uint8)
    step = rng.randint(40, 110)
    colour = tuple(int(c) for c in np.clip(np.array(desk[0, 0], int) + rng.randint(-60, 60), 0, 255))
    for x in range(0, w, step):
        cv2.line(desk, (x, 0), (x, h), colour, rng.randint(2, 8))
    for y in range(0, h, step):
        cv2.line(desk, (0, y), (w, y), colour, rng.randint(2, 8))
    return _noise(light_gradient(desk, rng.uniform(0.0, 0.3), rng), 3, rng)


def room(rng: random.Random) -> Image:
    """An office wall behind a person: door frames, shelves and posters running off the frame edges."""
    w, h = FRAME
    wall_colour = np.array([rng.randint(150, 230), rng.randint(150, 230), rng.randint(150, 230)])
    img = np.full((h, w, 3), wall_colour, np.uint8)
    for _ in range(rng.randint(2, 6)):
        x0, y0 = rng.randint(-200, w), rng.randint(-200, h)
        x1, y1 = x0 + rng.randint(80, 500), y0 + rng.randint(80, 500)
        colour = tuple(int(v) for v in np.clip(wall_colour + rng.randint(-90, 60), 0, 255))
        cv2.rectangle(img, (x0, y0), (x1, y1), colour, -1 if rng.random() < 0.7 else rng.randint(4, 14))
    return _noise(light_gradient(img, rng.uniform(0.05, 0.35), rng), 3, rng)


# -- hands -------------------------------------------------------------------------------------------------
def _skin(rng: random.Random) -> tuple[int, int, int]:
    tone = rng.choice(((120, 160, 210), (95, 135, 190), (70, 105, 160), (60, 85, 130), (140, 175, 225)))
    return tuple(int(np.clip(c + rng.randint(-10, 10), 0, 255)) for c in tone)  # type: ignore[return-value]


def draw_hand(
    img: Image, tip: NDArray[np.float32], toward: NDArray[np.float32], thumb_width: float, rng: random.Random
) -> NDArray[np.uint8]:
    """A thumb whose tip lies at ``tip``, the hand running off towards ``toward`` (a point off the frame).

    Returns the mask of the hand (255 = skin) so scenes can tell whether it covers the NIK.
    """
    h, w = img.shape[:2]
    mask = np.zeros((h, w), np.uint8)
    direction = toward - tip
    length = float(np.linalg.norm(direction))
    unit = direction / max(length, 1e-6)
    normal = np.array([-unit[1], unit[0]], np.float32)
    tw = thumb_width
    # Thumb: a capsule from the tip 2.2 thumb widths back; then the palm widening to the frame edge.
    base = tip + unit * tw * 2.2
    cv2.line(
        mask,
        tuple(np.round(tip + unit * tw / 2).astype(int)),
        tuple(np.round(base).astype(int)),
        255,
        max(2, round(tw)),
        cv2.LINE_AA,
    )
    cv2.circle(
        mask, tuple(np.round(tip + unit * tw / 2).astype(int)), max(1, round(tw / 2)), 255, -1, cv2.LINE_AA
    )
    palm = np.array(
        [
            base + normal * tw * 0.5,
            base - normal * tw * 0.5,
            toward - normal * tw * 2.5,
            toward + normal * tw * 2.0,
        ],
        np.float32,
    )
    cv2.fillConvexPoly(mask, np.round(palm).astype(np.int32), 255, cv2.LINE_AA)
    skin = np.array(_skin(rng), np.float32)
    shade = cv2.GaussianBlur(mask.astype(np.float32), (0, 0), max(1.0, tw / 4)) / 255.0
    a = (mask.astype(np.float32) / 255.0)[:, :, None]
    colour = skin[None, None, :] * (0.75 + 0.25 * shade[:, :, None])
    img[:] = (img.astype(np.float32) * (1 - a) + colour * a).astype(np.uint8)
    # The nail: a lighter patch near the tip, so the thumb is not one flat colour.
    nail = tip + unit * tw * 0.45
    cv2.ellipse(
        img,
        tuple(np.round(nail).astype(int)),
        (max(1, round(tw * 0.3)), max(1, round(tw * 0.22))),
        float(np.degrees(np.arctan2(unit[1], unit[0]))),
        0,
        360,
        tuple(int(min(255, c + 35)) for c in skin),
        -1,
        cv2.LINE_AA,
    )
    return mask


# -- camera faults -----------------------------------------------------------------------------------------
def webcam_jpeg(img: Image, quality: int) -> Image:
    """Round-trip through a low-quality JPEG, as a cheap USB webcam's MJPEG stream does."""
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, int(quality)])
    assert ok
    return np.asarray(cv2.imdecode(buf, cv2.IMREAD_COLOR), np.uint8)


def glare(img: Image, centre: NDArray[np.float32], radius: float) -> Image:
    """A specular highlight on the laminate: saturated core with a soft halo."""
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    d = np.sqrt((xx - centre[0]) ** 2 + ((yy - centre[1]) * 1.6) ** 2) / max(radius, 1.0)
    light = np.clip(1.7 - d, 0.0, 1.0)[:, :, None]
    return np.clip(img.astype(np.float32) * (1 - light) + 255.0 * light, 0, 255).astype(np.uint8)


def motion(img: Image, length: int, angle: float) -> Image:
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1.0
    rot = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), angle, 1.0)
    kernel = cv2.warpAffine(kernel, rot, (length, length))
    kernel /= max(float(kernel.sum()), 1e-6)
    return np.asarray(cv2.filter2D(img, -1, kernel), np.uint8)


# -- scenes ------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Scene:
    """One generated frame with its ground truth."""

    condition: str
    frame: Image
    data: KtpData
    corners: NDArray[np.float32] | None
    nik_readable: bool
    """The NIK digits are physically readable in this frame (not covered, not glared, not smeared)."""
    good: bool
    """A frame a careful person would call a good photo: it ought to be accepted."""
    face_centre: tuple[float, float] | None = None
    extra: dict[str, float] = field(default_factory=dict)


KTP_CONDITIONS = (
    "wood",
    "white_desk",
    "patterned",
    "thumb_corner",
    "thumb_edge",
    "thumb_nik",
    "glare_nik",
    "dim",
    "motion_blur",
    "defocus",
)
SELFIE_CONDITIONS = ("selfie_card", "selfie_card_low", "selfie_card_far")


def _nik_box_quad(quad: NDArray[np.float32]) -> NDArray[np.float32]:
    left, top, right, bottom = NIK_BOX
    return np.array(
        [warp_point(quad, u, v) for u, v in ((left, top), (right, top), (right, bottom), (left, bottom))]
    )


def _covered_share(mask: NDArray[np.uint8], region: NDArray[np.float32]) -> float:
    box = np.zeros_like(mask)
    cv2.fillConvexPoly(box, np.round(region).astype(np.int32), 255)
    inside = max(1, int(np.count_nonzero(box)))
    return float(np.count_nonzero((mask > 127) & (box > 0))) / inside


def _fit_inside(corners: NDArray[np.float32], margin: float = 24.0) -> bool:
    w, h = FRAME
    return bool(
        corners[:, 0].min() >= margin
        and corners[:, 0].max() <= w - 1 - margin
        and corners[:, 1].min() >= margin
        and corners[:, 1].max() <= h - 1 - margin
    )


def ktp_scene(condition: str, rng: random.Random) -> Scene:
    """One KTP photo (1280×720) of ``condition`` (one of :data:`KTP_CONDITIONS`)."""
    data = random_data(rng)
    card, alpha = render_ektp(data, rng)
    backdrop = {"white_desk": white_desk, "patterned": patterned_desk}.get(condition, wood_desk)
    if condition.startswith("thumb") or condition in ("dim", "glare_nik"):
        backdrop = rng.choice((white_desk, wood_desk))
    scene = backdrop(rng)
    for _ in range(200):
        width = rng.uniform(640, 940)
        centre = (640 + rng.uniform(-80, 80), 360 + rng.uniform(-40, 40))
        corners = card_corners(
            centre, width, rng.uniform(-10, 10), rng.uniform(-0.15, 0.15), rng.uniform(-0.08, 0.08)
        )
        if _fit_inside(corners):
            break
    frame = paste(scene, card, alpha, corners)
    nik_readable, good = True, True
    hand = np.zeros(frame.shape[:2], np.uint8)
    thumb = rng.uniform(0.16, 0.22) * width / CARD_ASPECT  # a thumb is about a fifth of the card height
    if condition == "thumb_corner":
        # Bottom corners or the top-right one (a thumb there leaves the NIK line clear).
        u, v = rng.choice(((0.0, 1.0), (1.0, 1.0), (1.0, 0.0)))
        tip = warp_point(corners, u + (0.06 if u == 0 else -0.06), v + (0.1 if v == 0 else -0.1))
        toward = tip + (tip - np.array([640, 360], np.float32)) * 3.0
        hand = draw_hand(frame, tip, toward, thumb, rng)
    elif condition == "thumb_edge":
        u, v = rng.choice(
            ((rng.uniform(0.25, 0.6), 1.0), (0.0, rng.uniform(0.55, 0.85)), (1.0, rng.uniform(0.7, 0.9)))
        )
        inward = np.array([0.5 - u, 0.5 - v], np.float32) * 0.22
        tip = warp_point(corners, u + inward[0], v + inward[1])
        toward = tip + (tip - warp_point(corners, 0.5, 0.5)) * 4.0
        hand = draw_hand(frame, tip, toward, thumb, rng)
    elif condition == "thumb_nik":
        tip = warp_point(corners, rng.uniform(0.3, 0.55), rng.uniform(0.27, 0.31))  # the whole line height
        toward = tip + np.array([rng.uniform(-0.3, 0.3), -1.0], np.float32) * 900
        hand = draw_hand(frame, tip, toward, thumb * 1.1, rng)
        nik_readable, good = False, False
    if condition.startswith("thumb") and condition != "thumb_nik":
        nik_readable = _covered_share(hand, _nik_box_quad(corners)) < 0.01
        good = nik_readable
    if condition == "glare_nik":
        spot = warp_point(corners, rng.uniform(0.3, 0.55), 0.215)
        frame = glare(frame, spot, rng.uniform(0.07, 0.1) * width)
        nik_readable, good = False, False
    if condition == "dim":
        frame = np.clip(frame.astype(np.float32) * rng.uniform(0.35, 0.5), 0, 255).astype(np.uint8)
    if condition == "motion_blur":
        frame = motion(frame, rng.randint(16, 26), rng.uniform(0, 180))
        nik_readable, good = False, False
    elif condition == "defocus":
        frame = np.asarray(cv2.GaussianBlur(frame, (0, 0), rng.uniform(5.5, 7.0)), np.uint8)
        nik_readable, good = False, False
    else:
        frame = np.asarray(cv2.GaussianBlur(frame, (0, 0), rng.uniform(0.3, 0.9)), np.uint8)
    frame = _noise(frame, rng.uniform(1.5, 4.0) if condition != "dim" else rng.uniform(2.0, 4.0), rng)
    frame = webcam_jpeg(frame, rng.randint(55, 85))
    return Scene(condition, frame, data, corners, nik_readable, good)


def selfie_scene(condition: str, rng: random.Random) -> Scene:
    """A 1280×720 selfie holding the KTP (one of :data:`SELFIE_CONDITIONS`).

    ``selfie_card``: card 120–250 px wide at chest height, beside or below the chin, a hand holding
    it, its own portrait visible. ``selfie_card_low``: held at the waist, its top at the frame's
    bottom edge or below (not acceptable). ``selfie_card_far``: under 90 px wide (too far to read).
    """
    data = random_data(rng)
    w, h = FRAME
    scene = room(rng)
    face = demo_portrait()
    ph = rng.uniform(780, 900)  # the portrait's head is then ~150–170 px wide
    scale = ph / face.shape[0]
    person = cv2.resize(face, (round(face.shape[1] * scale), round(ph)), interpolation=cv2.INTER_AREA)
    pcx, pcy = 640 + rng.uniform(-60, 60), rng.uniform(470, 520)
    x0, y0 = round(pcx - person.shape[1] / 2), round(pcy - person.shape[0] / 2)
    xs, ys, xe, ye = max(0, x0), max(0, y0), min(w, x0 + person.shape[1]), min(h, y0 + person.shape[0])
    # A soft-edged oval of the portrait (head and shoulders) over the room, not a pasted square.
    oval = np.zeros(person.shape[:2], np.float32)
    cv2.ellipse(
        oval,
        (person.shape[1] // 2, round(person.shape[0] * 0.62)),
        (round(person.shape[1] * 0.5), round(person.shape[0] * 0.62)),
        0,
        0,
        360,
        1.0,
        -1,
    )
    oval = cv2.GaussianBlur(oval, (0, 0), 12)[:, :, None]
    region = scene[ys:ye, xs:xe].astype(np.float32)
    piece = person[ys - y0 : ye - y0, xs - x0 : xe - x0].astype(np.float32)
    a = oval[ys - y0 : ye - y0, xs - x0 : xe - x0]
    scene[ys:ye, xs:xe] = (region * (1 - a) + piece * a).astype(np.uint8)
    face_centre = (pcx - person.shape[1] / 2 + 224 * scale, pcy - person.shape[0] / 2 + 113 * scale)
    card, alpha = render_ektp(data, rng, width=600)
    if condition == "selfie_card_far":
        width = rng.uniform(60, 85)
    else:
        width = rng.uniform(120, 250)
    side = rng.choice((-1, 1))
    if condition == "selfie_card_low":
        centre = (
            face_centre[0] + side * rng.uniform(120, 260),
            h + rng.uniform(-0.1, 0.25) * width / CARD_ASPECT,
        )
    else:
        centre = (face_centre[0] + side * rng.uniform(150, 300), face_centre[1] + rng.uniform(90, 230))
    corners = card_corners(
        centre, width, rng.uniform(-12, 12), rng.uniform(-0.15, 0.15), rng.uniform(-0.1, 0.1)
    )
    frame = paste(scene, card, alpha, corners)
    # Fingers behind the card, the thumb over its lower edge (away from the card's portrait).
    tip = warp_point(corners, rng.uniform(0.2, 0.5), rng.uniform(0.85, 0.95))
    draw_hand(frame, tip, tip + np.array([side * 40.0, 700.0], np.float32), 0.2 * width / CARD_ASPECT, rng)
    frame = light_gradient(frame, rng.uniform(0.0, 0.3), rng)
    frame = np.asarray(cv2.GaussianBlur(frame, (0, 0), rng.uniform(0.3, 1.0)), np.uint8)
    frame = webcam_jpeg(_noise(frame, rng.uniform(1.5, 4.0), rng), rng.randint(55, 85))
    good = condition == "selfie_card"
    return Scene(
        condition,
        frame,
        data,
        corners,
        True,
        good,
        face_centre=face_centre,
        extra={"card_width": float(width)},
    )


def scenes(kind: str, count_per_condition: int, seed: int) -> list[Scene]:
    """``count_per_condition`` frames of every KTP (``kind="ktp"``) or selfie condition, seeded."""
    rng = random.Random(seed)
    conditions = KTP_CONDITIONS if kind == "ktp" else SELFIE_CONDITIONS
    make = ktp_scene if kind == "ktp" else selfie_scene
    return [make(condition, rng) for condition in conditions for _ in range(count_per_condition)]
