"""Photo pipeline bench: compressed sizes and NIK legibility (OCR) before/after compression.

    .venv/bin/python -m bench.photo

20 synthetic KTP photos (SPECIMEN card with random format-valid NIKs; perspective, blur, noise,
uneven light) go through the real pipeline: find_card → flatten_card → compress_ktp. The NIK line of
the flattened card is read by Debian's ``tesseract`` (psm 7, digits) on the original and on the
decoded JPEG; a read is legible when the 16 digits match exactly. 20 selfies (the demo portrait,
varied placement, light and noise, holding the card) go through compress_selfie.
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
    """The digits tesseract reads in ``crop`` (single text line)."""
    gray = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY)
    gray = cv2.resize(gray, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC)
    ok, png = cv2.imencode(".png", gray)
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


def main() -> int:
    tesseract = ensure_tesseract()
    rng = random.Random(20240607)
    portrait = cv2.imread(str(resource_path("demo", "portrait_eileen_collins.jpg")), cv2.IMREAD_COLOR)
    if portrait is None:
        raise SystemExit("demo portrait missing")

    ktp_sizes: list[int] = []
    ktp_baseline: list[int] = []
    legible_original = legible_compressed = legible_both = 0
    not_found = 0
    started = time.perf_counter()
    for _ in range(N):
        data = random_specimen(rng)
        card = render_specimen(data, scale=2.0)
        frame = S.random_ktp_photo(card, rng)
        result = find_card(frame)
        if result.corners is None:
            not_found += 1
            continue
        flat = flatten_card(frame, result.corners)
        photo = compress_ktp(flat)
        ktp_sizes.append(photo.size)
        ktp_baseline.append(len(encode_jpeg(flat, 90)))
        decoded = cv2.imdecode(np.frombuffer(photo.data, np.uint8), cv2.IMREAD_COLOR)
        original_ok = ocr_digits(tesseract, nik_line_crop(flat)) == data.nik
        compressed_ok = ocr_digits(tesseract, nik_line_crop(decoded)) == data.nik
        legible_original += original_ok
        legible_compressed += compressed_ok
        legible_both += original_ok and compressed_ok

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
        "cards_not_found": not_found,
        "median_ktp_bytes": int(median_ktp),
        "max_ktp_bytes": max(ktp_sizes, default=0),
        "median_selfie_bytes": int(median_selfie),
        "max_selfie_bytes": max(selfie_sizes),
        "median_total_bytes": int(statistics.median(totals)) if totals else 0,
        "legible_original": legible_original,
        "legible_compressed": legible_compressed,
        "legible_ratio": round(legible_both / legible_original, 3) if legible_original else 0.0,
        "baseline_q90_median_ktp_bytes": int(statistics.median(ktp_baseline)) if ktp_baseline else 0,
        "baseline_q90_median_selfie_bytes": int(statistics.median(selfie_baseline)),
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
