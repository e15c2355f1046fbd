"""A synthetic KTP marked SPECIMEN / CONTOH, drawn with OpenCV for the demo, tests and benches.

Why synthetic: a real KTP carries a real person's NIK and photo and may not be shipped or used in
tests. This card follows the KTP layout (province header, NIK line, labelled fields, photo on the
right) so the card detector, the flattening and the NIK OCR check see the same structure, but every
value is fake and the word SPECIMEN / CONTOH is stamped across it. The NIKs are format-valid (region
prefix, date of birth, serial ≠ 0000) so downstream validation can be exercised.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import cv2
import numpy as np

from kiosk.imaging.card import FLAT_SIZE
from kiosk.imaging.frame import Image

NIK_LINE_BOX = (0.035, 0.155, 0.72, 0.265)
"""The NIK line of a flattened card as (left, top, right, bottom) fractions of its width and height."""

_FONT = cv2.FONT_HERSHEY_SIMPLEX
_FONT_BOLD = cv2.FONT_HERSHEY_DUPLEX
_INK = (30, 30, 30)

_PREFIXES = ("317401", "317402", "327301", "357801", "517101", "737101", "120101", "647201")


@dataclass(frozen=True, slots=True)
class SpecimenData:
    """What is printed on a specimen card. Defaults are the demo card."""

    nik: str = "3174015708900001"
    name: str = "CONTOH SPESIMEN"
    birth: str = "JAKARTA, 17-08-1990"
    sex: str = "PEREMPUAN"
    address: str = "JL. CONTOH NO. 1"
    rt_rw: str = "001/002"
    village: str = "CONTOH"
    district: str = "CONTOH"
    province: str = "PROVINSI DKI JAKARTA"
    city: str = "KOTA JAKARTA SELATAN"


def random_specimen(rng: random.Random) -> SpecimenData:
    """A specimen with a random format-valid NIK (women get day + 40) and the fixed fake name."""
    prefix = rng.choice(_PREFIXES)
    female = rng.random() < 0.5
    day = rng.randint(1, 28)
    month = rng.randint(1, 12)
    year = rng.randint(1960, 2005)
    serial = rng.randint(1, 9999)
    nik = f"{prefix}{day + (40 if female else 0):02d}{month:02d}{year % 100:02d}{serial:04d}"
    return SpecimenData(
        nik=nik,
        birth=f"CONTOH, {day:02d}-{month:02d}-{year}",
        sex="PEREMPUAN" if female else "LAKI-LAKI",
    )


def _text(
    img: Image, text: str, org: tuple[float, float], scale: float, s: float, thick: int = 1, font: int = _FONT
) -> None:
    cv2.putText(
        img,
        text,
        (round(org[0] * s), round(org[1] * s)),
        font,
        scale * s,
        _INK,
        max(1, round(thick * s)),
        cv2.LINE_AA,
    )


def _centered(img: Image, text: str, y: float, scale: float, s: float, thick: int, width: int) -> None:
    (w, _), _ = cv2.getTextSize(text, _FONT_BOLD, scale * s, max(1, round(thick * s)))
    _text(img, text, ((width - w / s) / 2, y), scale, s, thick, _FONT_BOLD)


def render_specimen(data: SpecimenData = SpecimenData(), scale: float = 1.0, border: bool = True) -> Image:
    """Draw the card at ``scale`` × 856 × 540 pixels (BGR). Layout coordinates are in 856-wide units.

    ``border=False`` leaves out the thin dark outline: a real KTP has none, so the detector must also
    find a card whose only edge is where its light-blue print meets the background.
    """
    s = scale
    width, height = FLAT_SIZE
    w, h = round(width * s), round(height * s)
    # Light blue background with a soft diagonal gradient and guilloche-like waves, as on a KTP.
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    t = (xx / w + yy / h) / 2.0
    card = np.empty((h, w, 3), np.float32)
    card[:, :, 0] = 238 - 18 * t
    card[:, :, 1] = 222 - 22 * t
    card[:, :, 2] = 196 - 30 * t
    waves = 4.0 * np.sin(xx / (9.0 * s) + 3.0 * np.sin(yy / (40.0 * s)))
    card += waves[:, :, None]
    img = np.clip(card, 0, 255).astype(np.uint8)

    _centered(img, data.province, 38, 0.85, s, 2, width)
    _centered(img, data.city, 72, 0.8, s, 2, width)
    _text(img, "NIK", (30, 128), 1.15, s, 2, _FONT_BOLD)
    _text(img, ":", (128, 128), 1.15, s, 2, _FONT_BOLD)
    _text(img, data.nik, (150, 128), 1.2, s, 2, _FONT_BOLD)
    fields = (
        ("Nama", data.name),
        ("Tempat/Tgl Lahir", data.birth),
        ("Jenis Kelamin", data.sex),
        ("Alamat", data.address),
        ("RT/RW", data.rt_rw),
        ("Kel/Desa", data.village),
        ("Kecamatan", data.district),
        ("Agama", "-"),
        ("Status Perkawinan", "BELUM KAWIN"),
        ("Pekerjaan", "KARYAWAN SWASTA"),
        ("Kewarganegaraan", "WNI"),
        ("Berlaku Hingga", "SEUMUR HIDUP"),
    )
    for row, (label, value) in enumerate(fields):
        y = 172 + row * 29
        _text(img, label, (30, y), 0.55, s, 1)
        _text(img, ":", (205, y), 0.55, s, 1)
        _text(img, value, (220, y), 0.55, s, 1)

    # Photo box with a drawn silhouette (never a real face on a fake card).
    x0, y0, x1, y1 = (round(v * s) for v in (640, 150, 820, 390))
    cv2.rectangle(img, (x0, y0), (x1, y1), (200, 120, 60), -1)
    cx = (x0 + x1) // 2
    cv2.circle(img, (cx, y0 + round(80 * s)), round(45 * s), (210, 210, 215), -1, cv2.LINE_AA)
    cv2.ellipse(img, (cx, y1), (round(80 * s), round(90 * s)), 0, 180, 360, (210, 210, 215), -1, cv2.LINE_AA)
    _text(img, "CONTOH", (cx / s - 52, 460), 0.55, s, 1)
    _text(img, "Tanda tangan", (cx / s - 60, 515), 0.5, s, 1)

    # The stamp: red, across the lower half, away from the NIK line.
    overlay = img.copy()
    stamp = np.zeros_like(img)
    cv2.putText(
        stamp,
        "SPECIMEN / CONTOH",
        (round(60 * s), round(420 * s)),
        _FONT_BOLD,
        1.9 * s,
        (255, 255, 255),
        max(1, round(5 * s)),
        cv2.LINE_AA,
    )
    matrix = cv2.getRotationMatrix2D((w / 2, h * 0.7), 8, 1.0)
    stamp = np.asarray(cv2.warpAffine(stamp, matrix, (w, h)), dtype=np.uint8)
    alpha = stamp[:, :, 0:1].astype(np.float32) / 255.0 * 0.55
    red = np.array([40, 40, 210], np.float32)
    img = (overlay.astype(np.float32) * (1 - alpha) + red * alpha).astype(np.uint8)
    if border:
        cv2.rectangle(img, (0, 0), (w - 1, h - 1), (150, 120, 90), max(1, round(2 * s)))
    return img


def nik_line_crop(flat_card: Image) -> Image:
    """The NIK line of a flattened card (for OCR), using :data:`NIK_LINE_BOX`."""
    height, width = flat_card.shape[:2]
    left, top, right, bottom = NIK_LINE_BOX
    return flat_card[round(top * height) : round(bottom * height), round(left * width) : round(right * width)]
