"""Photo pipeline bench on photos from real desks and hands: per condition, what the kiosk does.

    .venv/bin/python -m bench.photo [--per-condition N]

The photos come from the second, independent renderer (``tests/support/ktp_scenes.py``): an e-KTP
without an outline, rounded corners, portrait on the right, on wood, white and patterned desks under
uneven light, thumbs on corners, edges and the NIK, glare over the NIK, dim offices, motion blur and
defocus, webcam JPEG; selfies holding the card at chest height (120–250 px of 1280), too low, too far.
Every frame goes through the real pipeline: ``analyse_ktp`` / ``analyse_selfie`` (what auto-capture
sees), for a KTP the capture gate of the camera worker (the on-device OCR must read 16 digits equal to
the typed NIK, ``kiosk.imaging.legible``) and the compression (``compress_ktp`` / ``compress_selfie``).

Per condition: frames, card found with every corner within 8 px of the truth, NIK legible on the device
(OCR of the flattened card) and after compression (OCR of the decoded JPEG), accepted (auto-capture
would fire and the gate passes), the named guidance for bad conditions (``guidance_named``: thumb over
the NIK, glare, blur, card too low / too far), accepted with an unreadable NIK (accepted although the NIK is not
physically readable or not legible in the kept JPEG: must be 0); for the first accepted KTPs of each
condition, how many of the eight form fields (name, place and date of birth, sex, address, RT/RW,
village, district) ``read_fields`` read exactly (``prefill_*``; the form side of "Foto KTP dulu" is not
built yet).
Targets: selfie-with-card accepted ≥ 90 % of good frames; KTP accepted with a legible NIK ≥ 90 % of the
frames whose NIK is physically readable; 0 accepted with an unreadable NIK; median KTP + selfie
≤ 150 KB; OCR ≤ 1.5 s per KTP (first read includes loading the model).
Baseline (same run): sizes of a plain quality-90 JPEG of the same images; the OCR time against the
time to flatten and compress the same card. Nothing is written to disk. The last line is one JSON
object.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import defaultdict
from typing import Any

import cv2
import numpy as np

from bench._common import emit, log
from kiosk.imaging.analysis import analyse_ktp, analyse_selfie, capture_image
from kiosk.imaging.card import find_card, flatten_card
from kiosk.imaging.compress import compress_ktp, compress_selfie, encode_jpeg
from kiosk.imaging.guidance import Guidance
from kiosk.imaging.legible import NikVerdict, check_nik, read_fields, shared_reader
from tests.support import ktp_scenes as K

SEED = 20261130
NAMED = {
    "thumb_nik": Guidance.THUMB_ON_NIK,
    "glare_nik": Guidance.GLARE,
    "motion_blur": Guidance.BLURRY,
    "defocus": Guidance.BLURRY,
    "selfie_card_low": Guidance.CARD_TOO_LOW,
    "selfie_card_far": Guidance.CARD_TOO_FAR,
}
"""The guidance a person should hear for each bad condition (``guidance_named`` counts the frames)."""


def _corners_ok(found: np.ndarray | None, truth: np.ndarray | None) -> bool:
    return found is not None and truth is not None and float(np.abs(found - truth).max()) <= 8.0


def run(per_condition: int, prefill_per_condition: int = 3, selfie_per_condition: int = 30) -> dict[str, Any]:
    reader = shared_reader()
    started = time.perf_counter()
    reader.warm_up()
    model_load = time.perf_counter() - started
    conditions: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    ktp_sizes: list[int] = []
    ktp_baseline: list[int] = []
    selfie_sizes: list[int] = []
    selfie_baseline: list[int] = []
    ocr_seconds: list[float] = []
    compress_seconds: list[float] = []
    readable = readable_accepted = 0
    prefill_exact: dict[str, int] = defaultdict(int)
    prefill_cards = 0
    prefill_seconds: list[float] = []
    for scene in K.scenes("ktp", per_condition, SEED):
        row = conditions[scene.condition]
        row["frames"] += 1
        row["nik_readable"] += scene.nik_readable
        analysis = analyse_ktp(scene.frame)
        row["guidance_named"] += NAMED.get(scene.condition) in analysis.problems
        found = find_card(scene.frame)
        row["card_found_8px"] += _corners_ok(found.corners, scene.corners)
        legible_device = legible_jpeg = False
        if found.found and found.corners is not None:
            flat = flatten_card(scene.frame, found.corners)
            reading = reader.read_nik(flat)
            ocr_seconds.append(reading.seconds)
            legible_device = reading.nik == scene.data.nik
            tick = time.perf_counter()
            photo = compress_ktp(flat)
            compress_seconds.append(time.perf_counter() - tick)
            decoded = cv2.imdecode(np.frombuffer(photo.data, np.uint8), cv2.IMREAD_COLOR)
            legible_jpeg = (
                decoded is not None and reader.read_nik(np.asarray(decoded, np.uint8)).nik == scene.data.nik
            )
        row["nik_legible_device"] += legible_device
        row["nik_legible_compressed"] += legible_jpeg
        accepted = False
        if analysis.ok and analysis.card.corners is not None:  # auto-capture would fire: the worker's gate
            image = capture_image(scene.frame, analysis)
            verdict = check_nik(reader.read_nik(image), scene.data.nik)
            if verdict is NikVerdict.OK:
                accepted = True
                photo = compress_ktp(image)
                ktp_sizes.append(photo.size)
                ktp_baseline.append(len(encode_jpeg(image, 90)))
                decoded = cv2.imdecode(np.frombuffer(photo.data, np.uint8), cv2.IMREAD_COLOR)
                kept_legible = (
                    decoded is not None
                    and reader.read_nik(np.asarray(decoded, np.uint8)).nik == scene.data.nik
                )
                if not scene.nik_readable or not kept_legible:
                    row["accepted_unreadable_nik"] += 1
        row["accepted"] += accepted
        if accepted and row["prefill_read"] < prefill_per_condition:
            row["prefill_read"] += 1
            fields = read_fields(capture_image(scene.frame, analysis), reader)
            prefill_seconds.append(fields.seconds)
            prefill_cards += 1
            for name, value in scene.data.fields().items():
                if name == "nik":
                    continue
                exact = fields.values.get(name) == value
                prefill_exact[name] += exact
                row["prefill_fields_exact"] += exact
        if scene.nik_readable:
            readable += 1
            readable_accepted += accepted
    log(f"KTP done in {time.perf_counter() - started:.0f} s")
    good_selfies = good_selfies_accepted = 0
    for scene in K.scenes("selfie", selfie_per_condition, SEED + 1):
        row = conditions[scene.condition]
        row["frames"] += 1
        analysis = analyse_selfie(scene.frame)
        row["guidance_named"] += NAMED.get(scene.condition) in analysis.problems
        row["card_found_8px"] += _corners_ok(analysis.card.corners, scene.corners)
        row["accepted"] += analysis.ok
        if scene.good:
            good_selfies += 1
            good_selfies_accepted += analysis.ok
        if analysis.ok or scene.good:
            selfie_sizes.append(compress_selfie(scene.frame).size)
            selfie_baseline.append(len(encode_jpeg(scene.frame, 90)))
    totals = [k + s for k, s in zip(ktp_sizes, selfie_sizes, strict=False)]
    unreadable_accepted = sum(row["accepted_unreadable_nik"] for row in conditions.values())
    ocr_median = statistics.median(ocr_seconds) if ocr_seconds else 0.0
    compress_median = statistics.median(compress_seconds) if compress_seconds else 0.0
    return {
        "per_condition": {name: dict(row) for name, row in conditions.items()},
        "ktp_readable_frames": readable,
        "ktp_accepted_legible_ratio": round(readable_accepted / readable, 3) if readable else 0.0,
        "ktp_accepted_unreadable_nik": unreadable_accepted,
        "selfie_good_frames": good_selfies,
        "selfie_accepted_ratio": round(good_selfies_accepted / good_selfies, 3) if good_selfies else 0.0,
        "median_ktp_bytes": int(statistics.median(ktp_sizes)) if ktp_sizes else 0,
        "max_ktp_bytes": max(ktp_sizes, default=0),
        "median_selfie_bytes": int(statistics.median(selfie_sizes)) if selfie_sizes else 0,
        "median_total_bytes": int(statistics.median(totals)) if totals else 0,
        "baseline_q90_median_ktp_bytes": int(statistics.median(ktp_baseline)) if ktp_baseline else 0,
        "baseline_q90_median_selfie_bytes": int(statistics.median(selfie_baseline)) if selfie_baseline else 0,
        "ocr_model_load_s": round(model_load, 3),
        "ocr_median_s": round(ocr_median, 3),
        "ocr_max_s": round(max(ocr_seconds, default=0.0), 3),
        "ocr_first_read_s": round(model_load + (ocr_seconds[0] if ocr_seconds else 0.0), 3),
        "ocr_vs_flatten_compress_ratio": round(ocr_median / compress_median, 2) if compress_median else 0.0,
        "prefill_cards": prefill_cards,
        "prefill_fields_exact": dict(prefill_exact),
        "prefill_exact_ratio": round(sum(prefill_exact.values()) / (8 * prefill_cards), 3)
        if prefill_cards
        else 0.0,
        "prefill_median_s": round(statistics.median(prefill_seconds), 2) if prefill_seconds else 0.0,
        "seconds": round(time.perf_counter() - started, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-condition", type=int, default=10)
    parser.add_argument(
        "--prefill-per-condition", type=int, default=3, help="accepted KTPs read for the form"
    )
    args = parser.parse_args()
    cv2.setNumThreads(1)  # as on the camera worker
    emit(run(args.per_condition, args.prefill_per_condition))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
