"""Render the demo camera media in resources/demo (run from the repository root).

    .venv/bin/python scripts/make_demo_media.py

Why a script: the clips are derived data; anyone can rebuild them and check that nothing in them is a
real person's KTP. Inputs: the SPECIMEN card drawn by kiosk.imaging.specimen and the public-domain
portrait resources/demo/portrait_eileen_collins.jpg (scikit-image's ``astronaut``; see the README
there). Output clips are MPEG-4 Part 2 (``mp4v``, written and read by the FFmpeg inside the OpenCV wheel) in
AVI at 960×540, 12 fps, a few hundred KB each.
"""

from __future__ import annotations

import sys
from pathlib import Path

import cv2
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.imaging import synthetic as S  # noqa: E402
from kiosk.imaging.specimen import SpecimenData, render_specimen  # noqa: E402

DEMO = ROOT / "resources" / "demo"
SIZE = (960, 540)
FPS = 12.0
FRAMES = 36


def _ease(t: float) -> float:
    return 1.0 - (1.0 - t) ** 3


def ktp_frames(card: np.ndarray) -> list[np.ndarray]:
    """The card slides in small and blurred from the lower right, grows, sharpens and holds still."""
    frames = []
    settle = 22
    for i in range(FRAMES):
        t = _ease(min(1.0, i / settle))
        width = 300 + (620 - 300) * t
        centre = (760 - 280 * t, 400 - 130 * t)
        angle = 14 * (1 - t) + 2
        frame, _ = S.ktp_scene(
            card, card_width=width, centre=centre, angle_deg=angle, tilt=0.05, seed=i, size=SIZE
        )
        frame = S.blur(frame, 4.0 * (1 - t))
        frames.append(S.noise(frame, 2.5, seed=i))
    return frames


def selfie_frames(card: np.ndarray, portrait: np.ndarray) -> list[np.ndarray]:
    """The person holding the card; the card is raised into view, then everything holds still."""
    frames = []
    settle = 20
    for i in range(FRAMES):
        t = _ease(min(1.0, i / settle))
        card_centre = (300.0 + 80 * t, 620 - 180 * t)
        frame = S.portrait_scene(
            portrait,
            card,
            portrait_height=680,
            portrait_centres=((523.0, 400.0),),
            card_width=230,
            card_centre=card_centre,
            card_angle=-4 - 10 * (1 - t),
            seed=i,
            size=SIZE,
        )
        frame = S.blur(frame, 2.5 * (1 - t))
        frames.append(S.noise(frame, 2.0, seed=i))
    return frames


def write_clip(path: Path, frames: list[np.ndarray]) -> int:
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"mp4v"), FPS, SIZE)
    if not writer.isOpened():
        raise SystemExit(f"cannot write {path}")
    for frame in frames:
        writer.write(frame)
    writer.release()
    return path.stat().st_size


def main() -> int:
    card = render_specimen(SpecimenData(), scale=1.5)
    portrait = cv2.imread(str(DEMO / "portrait_eileen_collins.jpg"), cv2.IMREAD_COLOR)
    if portrait is None:
        raise SystemExit("resources/demo/portrait_eileen_collins.jpg is missing")
    _ok, png = cv2.imencode(
        ".jpg", render_specimen(SpecimenData(), scale=1.0), [cv2.IMWRITE_JPEG_QUALITY, 85]
    )
    (DEMO / "ktp_specimen.jpg").write_bytes(png.tobytes())
    sizes = {
        "ktp_clip.avi": write_clip(DEMO / "ktp_clip.avi", ktp_frames(card)),
        "selfie_clip.avi": write_clip(DEMO / "selfie_clip.avi", selfie_frames(card, portrait)),
    }
    for name, size in sizes.items():
        print(f"{name}: {size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
