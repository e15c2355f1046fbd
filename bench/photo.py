"""Photo pipeline bench: compressed sizes and NIK legibility (OCR) before/after compression.

    .venv/bin/python -m bench.photo

20 synthetic KTP photos (SPECIMEN card with random format-valid NIKs; perspective, blur, noise,
uneven light) go through the real pipeline: find_card → flatten_card → compress_ktp. The NIK line of
the flattened card is read by Debian's ``tesseract`` (psm 7, digits) on the original and on the
decoded JPEG; a read is legible when the 16 digits match exactly. 20 selfies (the demo portrait,
varied placement, light and noise, holding the card) go through compress_selfie.
A second set of 20 KTP photos shows the detector on the hard background: the card drawn *without*
its outline (a real KTP has none) on light walls and tables as bright as the card, under uneven light
(``light_*`` keys; corners must land within 10 px of the truth to count as found).
Every card lies wholly inside the frame (``synthetic.fit_card_width``): a card running off the frame
is correctly reported as cut off, so it is not a fair test photo.
Baseline (same run): the sizes of a plain quality-90 JPEG of the same images, no search.
Images go to tesseract through stdin as in-memory PNGs; nothing is written to disk.
The last line is one JSON object: median_ktp_bytes, median_selfie_bytes, median_total_bytes,
legible_original, legible_compressed, legible_ratio (compressed legible among originally legible).
"""

from __future__ import annotations

import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field

import cv2
import numpy as np

from kiosk.imaging import synthetic as S
from kiosk.imaging.card import find_card, flatten_card
from kiosk.imaging.compress import compress_ktp, compress_selfie, encode_jpeg
from kiosk.imaging.specimen import nik_line_crop, random_specimen, render_specimen
from ui.resources import resource_path

N = 20


def ensure_tesseract() -> str:
    """Path of the tesseract binary, installing Debian's tesseract-ocr if it is missing."""
    found = shutil.which("tesseract")
    if found:
        return found
    print("installing tesseract-ocr (apt-get)…", file=sys.stderr)
    subprocess.run(["apt-get", "update", "-qq"], check=False, stdout=subprocess.DEVNULL)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "tesseract-ocr"], check=True, stdout=subprocess.DEVNULL
    )
    found = shutil.which("tesseract")
    if not found:
        raise SystemExit("tesseract is not available")
    return found


def ocr_digits(binary: str, crop: np.ndarray) -> str:
    """The digits tesseract reads in ``crop`` (single text line).

    Preparation as Tesseract's "improving the quality of the output" guide advises: ×2 upscale, Otsu
    binarisation (dark ink on white, no guilloche background left) and a white border around the
    text. Without the last two, tesseract misread 3 of 17 perfectly legible NIK lines (e.g. ":3578…"
    as "2597…"); the same preparation is applied to the original and to the compressed image.
    """
    gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    gray = cv2.resize(gray, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC)
    _, binary_image = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    padded = cv2.copyMakeBorder(binary_image, 20, 20, 20, 20, cv2.BORDER_CONSTANT, value=255)
    ok, png = cv2.imencode(".png", padded)
    assert ok
    result = subprocess.run(
        [binary, "stdin", "stdout", "--psm", "7", "-l", "eng"],
        input=png.tobytes(),
        capture_output=True,
        check=False,
        timeout=60,
    )
    text = result.stdout.decode("utf-8", "replace")
    after_colon = text.split(":", 1)[-1]
    return re.sub(r"\D", "", after_colon)


@dataclass
class KtpRun:
    """Outcome of one set of KTP photos."""

    sizes: list[int] = field(default_factory=list)
    baseline: list[int] = field(default_factory=list)
    not_found: int = 0
    legible_original: int = 0
    legible_compressed: int = 0
    legible_both: int = 0

    @property
    def ratio(self) -> float:
        """Compressed legible among originally legible."""
        return round(self.legible_both / self.legible_original, 3) if self.legible_original else 0.0


def run_ktp(tesseract: str, rng: random.Random, light: bool) -> KtpRun:
    """N KTP photos through find_card → flatten_card → compress_ktp, with OCR before and after."""
    run = KtpRun()
    for _ in range(N):
        data = random_specimen(rng)
        if light:
            card = render_specimen(data, scale=2.0, border=False)
            frame, truth = S.random_light_ktp_photo(card, rng)
        else:
            card = render_specimen(data, scale=2.0)
            frame, truth = S.random_ktp_photo(card, rng), None
        result = find_card(frame)
        if result.corners is None or (
            truth is not None and float(np.abs(result.corners - truth).max()) > 10.0
        ):
            run.not_found += 1
            continue
        flat = flatten_card(frame, result.corners)
        photo = compress_ktp(flat)
        run.sizes.append(photo.size)
        run.baseline.append(len(encode_jpeg(flat, 90)))
        decoded = cv2.imdecode(np.frombuffer(photo.data, np.uint8), cv2.IMREAD_COLOR)
        original_ok = ocr_digits(tesseract, nik_line_crop(flat)) == data.nik
        compressed_ok = (
            decoded is not None
            and ocr_digits(tesseract, nik_line_crop(np.asarray(decoded, np.uint8))) == data.nik
        )
        run.legible_original += original_ok
        run.legible_compressed += compressed_ok
        run.legible_both += original_ok and compressed_ok
    return run


def main() -> int:
    tesseract = ensure_tesseract()
    rng = random.Random(20240607)
    loaded = cv2.imread(str(resource_path("demo", "portrait_eileen_collins.jpg")), cv2.IMREAD_COLOR)
    if loaded is None:
        raise SystemExit("demo portrait missing")
    portrait = np.asarray(loaded, np.uint8)

    started = time.perf_counter()
    ktp = run_ktp(tesseract, rng, light=False)  # the selfies below continue this sequence
    light = run_ktp(tesseract, random.Random(20240608), light=True)
    ktp_sizes, ktp_baseline = ktp.sizes, ktp.baseline

    selfie_sizes: list[int] = []
    selfie_baseline: list[int] = []
    card = render_specimen(scale=1.5)
    for i in range(N):
        frame = S.portrait_scene(
            portrait,
            card,
            portrait_height=rng.uniform(820, 980),
            portrait_centres=((rng.uniform(660, 740), rng.uniform(500, 560)),),
            card_width=rng.uniform(260, 330),
            card_centre=(rng.uniform(420, 560), rng.uniform(560, 600)),
            seed=i,
        )
        frame = S.noise(
            S.uneven_light(frame, rng.uniform(0, 0.3), rng.uniform(0, 360)), rng.uniform(1, 5), seed=i
        )
        selfie_sizes.append(compress_selfie(frame).size)
        selfie_baseline.append(len(encode_jpeg(frame, 90)))

    median_ktp = statistics.median(ktp_sizes) if ktp_sizes else 0
    median_selfie = statistics.median(selfie_sizes)
    totals = [k + s for k, s in zip(ktp_sizes, selfie_sizes, strict=False)]
    report = {
        "photos_ktp": len(ktp_sizes),
        "photos_selfie": len(selfie_sizes),
        "cards_not_found": ktp.not_found,
        "median_ktp_bytes": int(median_ktp),
        "max_ktp_bytes": max(ktp_sizes, default=0),
        "median_selfie_bytes": int(median_selfie),
        "max_selfie_bytes": max(selfie_sizes),
        "median_total_bytes": int(statistics.median(totals)) if totals else 0,
        "legible_original": ktp.legible_original,
        "legible_compressed": ktp.legible_compressed,
        "legible_ratio": ktp.ratio,
        "light_photos": N,
        "light_cards_found": len(light.sizes),
        "light_legible_original": light.legible_original,
        "light_legible_compressed": light.legible_compressed,
        "light_legible_ratio": light.ratio,
        "baseline_q90_median_ktp_bytes": int(statistics.median(ktp_baseline)) if ktp_baseline else 0,
        "baseline_q90_median_selfie_bytes": int(statistics.median(selfie_baseline)),
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
