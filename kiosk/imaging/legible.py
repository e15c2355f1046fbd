"""Read the NIK off the KTP photo on the device, so a photo whose NIK cannot be read is never accepted.

Why OCR on the device: the checks on the live preview (card found, sharp, no glare, no thumb seen) are
proxies; a thumb that hides two digits or a glare streak across the line passes them now and then, and
the verifier then gets a photo without a readable NIK (issue 17). So before a KTP photo is kept, the NIK
line is read and must give 16 digits that agree with the NIK the person typed (or, when the photo comes
first, the read NIK is handed back to fill the form and is cross-checked there).

Why RapidOCR (the ``rapidocr`` package with ``onnxruntime``): it installs from PyPI on Linux and
Windows with its PP-OCR models inside the wheel (no download at run time, no external binary such as
Tesseract), depends on ``opencv-python-headless`` (the same OpenCV as the kiosk), and its recogniser
alone reads a cropped text line in ~15–70 ms on the 2-core kiosk (``bench.photo``). Only the recogniser
is used: the card is already found and flattened, so the NIK line's place is known and the slow text
detector is not needed. The package is imported on first use (it costs ~0.6 s and ~60 MB), never at
start-up, and only on the camera's worker thread. Nothing read is logged or written anywhere.
"""

from __future__ import annotations

import difflib
import enum
import logging
import re
import threading
import time
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from kiosk.imaging.frame import Image, as_bgr

NIK_DIGITS = 16
NIK_REGION = (0.02, 0.13, 0.74, 0.29)
"""Where the NIK line is on a flattened e-KTP (left, top, right, bottom as shares), with room for the
few per cent by which real cards and a slightly-off fit shift it."""

_CONFUSABLE = str.maketrans(
    {
        "O": "0",
        "o": "0",
        "D": "0",
        "Q": "0",
        "I": "1",
        "l": "1",
        "i": "1",
        "|": "1",
        "!": "1",
        "S": "5",
        "s": "5",
        "B": "8",
        "Z": "2",
        "z": "2",
        "G": "6",
        "b": "6",
        "T": "7",
    }
)


class OcrUnavailable(RuntimeError):
    """The OCR package or its model could not be loaded (a broken install or bundle)."""


class NikVerdict(enum.Enum):
    """Outcome of :func:`check_nik`."""

    OK = "ok"
    UNREADABLE = "unreadable"
    MISMATCH = "mismatch"


@dataclass(frozen=True, slots=True)
class NikReading:
    """What the OCR made of the NIK line: ``nik`` is 16 digits or ``None``; ``seconds`` for the bench.

    Never logged: ``__repr__`` hides the digits.
    """

    nik: str | None
    confidence: float
    seconds: float

    def __repr__(self) -> str:
        return f"NikReading(nik={'<16 digits>' if self.nik else None}, confidence={self.confidence:.2f})"


def nik_region(flat: Any) -> Any:
    """The NIK line of a flattened card (:data:`NIK_REGION`)."""
    height, width = flat.shape[:2]
    left, top, right, bottom = NIK_REGION
    return flat[round(top * height) : round(bottom * height), round(left * width) : round(right * width)]


MIN_CONFIDENCE = 0.93
"""Below this recogniser confidence a 16-digit answer is not trusted: on smeared lines the recogniser
still answers 16 digits, wrong ones, at 0.70–0.91; every right answer on the bench set scored ≥ 0.91."""


def plausible_nik(digits: str) -> bool:
    """Day (women + 40), month and serial of a 16-digit NIK are possible (the region is checked by the
    form's own NIK validation)."""
    if len(digits) != NIK_DIGITS or not digits.isdigit():
        return False
    day, month = int(digits[6:8]), int(digits[8:10])
    return (1 <= day <= 31 or 41 <= day <= 71) and 1 <= month <= 12 and digits[12:] != "0000"


def nik_from_text(text: str) -> str | None:
    """The 16-digit NIK in an OCR line such as ``"NIK :3174015708900001"``, or ``None``.

    Letters the recogniser confuses with digits (O/0, I/1, S/5, B/8 …) are mapped only after the
    label and colon; spaces are dropped. Exactly 16 digits must remain, never a guess.
    """
    after = text.split(":", 1)[1] if ":" in text else re.sub(r"^\s*N\s*[I1l|]\s*K", "", text)
    cleaned = re.sub(r"[\s.,'`_-]", "", after.translate(_CONFUSABLE))
    runs = re.findall(r"\d+", cleaned)
    exact = [run for run in runs if len(run) == NIK_DIGITS]
    if len(exact) == 1 and len("".join(runs)) == NIK_DIGITS:
        return exact[0]
    return None


class NikReader:
    """The OCR engine, loaded on first use; one per process, calls serialised by a lock.

    Why one shared engine: the recogniser's model takes ~0.2 s and tens of MB to load; loading it per
    photo would double the cost of every capture. ``threads`` caps onnxruntime's threads so a capture
    never takes both cores from the live preview.
    """

    def __init__(self, threads: int = 1) -> None:
        self._threads = threads
        self._lock = threading.Lock()
        self._engine: Any = None
        self._failure: str | None = None
        self._warming: threading.Thread | None = None

    @property
    def loaded(self) -> bool:
        return self._engine is not None

    @property
    def unavailable(self) -> bool:
        """True once loading failed (not retried: a broken install does not mend itself)."""
        return self._failure is not None

    def _load(self) -> Any:
        if self._failure is not None:
            raise OcrUnavailable(self._failure)
        if self._engine is None:
            try:
                import onnxruntime  # heavy: imported on first use only
                from rapidocr import RapidOCR

                onnxruntime.disable_telemetry_events()  # nothing about this kiosk leaves it
                logging.getLogger("RapidOCR").setLevel(logging.ERROR)
                self._engine = RapidOCR(
                    params={
                        "Global.log_level": "error",
                        "Global.use_det": False,
                        "Global.use_cls": False,
                        "EngineConfig.onnxruntime.intra_op_num_threads": self._threads,
                        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
                    }
                )
            except Exception as exc:  # missing package, model file or onnxruntime
                self._failure = type(exc).__name__
                raise OcrUnavailable(self._failure) from exc
        return self._engine

    def warm_up(self) -> None:
        """Load the model now (on a worker thread, e.g. when the KTP step opens)."""
        with self._lock:
            engine = self._load()
            engine(np.full((48, 320, 3), 255, np.uint8), use_det=False, use_cls=False, use_rec=True)

    def start_warm_up(self) -> None:
        """Load the model on a background daemon thread, once; returns at once.

        Why a thread of its own and not the camera worker: loading takes 1–3 s on a busy 2-core
        machine, and a camera view being shut down must not wait for it (Qt aborts when a ``QThread``
        is destroyed while running). A capture arriving meanwhile simply waits for the lock.
        """
        with _shared_lock:
            if self._warming is not None or self.loaded or self.unavailable:
                return
            self._warming = threading.Thread(target=self._warm_quietly, name="ocr-warm-up", daemon=True)
            self._warming.start()

    def _warm_quietly(self) -> None:
        try:
            self.warm_up()
        except OcrUnavailable as exc:
            logging.getLogger(__name__).error("on-device OCR unavailable: %s", exc)

    def read_line(self, line: Image) -> tuple[str, float]:
        """The text of one cropped line and the recogniser's confidence."""
        with self._lock:
            engine = self._load()
            result = engine(as_bgr(line), use_det=False, use_cls=False, use_rec=True)
        texts = tuple(getattr(result, "txts", None) or ())
        scores = tuple(getattr(result, "scores", None) or ())
        if not texts:
            return "", 0.0
        return str(texts[0]), float(scores[0]) if scores else 0.0

    def read_nik(self, flat_card: Image) -> NikReading:
        """Read the NIK of a flattened card (856 × 540, :func:`kiosk.imaging.card.flatten_card`).

        The NIK line is read as it is and, if that gives no 16 digits, once more contrast-stretched
        (a dim card); the first 16-digit answer counts.
        """
        started = time.perf_counter()
        line = nik_region(as_bgr(flat_card))
        best: str | None = None
        confidence = 0.0
        for variant in (line, _stretched(line)):
            text, confidence = self.read_line(variant)
            best = nik_from_text(text)
            if best is not None and (confidence < MIN_CONFIDENCE or not plausible_nik(best)):
                best = None
            if best is not None:
                break
        return NikReading(best, confidence, time.perf_counter() - started)


def _stretched(line: Image) -> Image:
    gray = cv2.cvtColor(line, cv2.COLOR_BGR2GRAY)
    low, high = np.percentile(gray, (2, 98))
    if high - low < 1:
        return line
    scaled = np.clip((gray.astype(np.float32) - low) * (255.0 / (high - low)), 0, 255).astype(np.uint8)
    return np.asarray(cv2.cvtColor(scaled, cv2.COLOR_GRAY2BGR), np.uint8)


_shared: NikReader | None = None
_shared_lock = threading.Lock()


def shared_reader() -> NikReader:
    """The process-wide :class:`NikReader` (created without loading anything)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = NikReader()
        return _shared


def check_nik(reading: NikReading, expected: str | None) -> NikVerdict:
    """OK when 16 digits were read and they equal ``expected`` (when one is given)."""
    if reading.nik is None:
        return NikVerdict.UNREADABLE
    if expected is not None and reading.nik != expected:
        return NikVerdict.MISMATCH
    return NikVerdict.OK


FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "name": ("NAMA",),
    "birth": ("TEMPAT/TGLLAHIR", "TEMPATTGLLAHIR", "TEMPAT/TGL.LAHIR"),
    "sex": ("JENISKELAMIN",),
    "address": ("ALAMAT",),
    "rt_rw": ("RT/RW", "RTRW"),
    "village": ("KEL/DESA", "KELDESA", "KELURAHAN/DESA"),
    "district": ("KECAMATAN",),
}
"""The printed labels of the fields the form can take from the card (spaces removed, upper case)."""


@dataclass(frozen=True, slots=True)
class KtpFields:
    """Values read off a KTP for the photo-first form; every one is a suggestion the person checks.

    Never logged: ``__repr__`` names only which fields were read.
    """

    values: dict[str, str]
    seconds: float

    def __repr__(self) -> str:
        return f"KtpFields(read={sorted(self.values)}, seconds={self.seconds:.2f})"


def _label_of(text: str) -> tuple[str, str] | None:
    """(field, value) when ``text`` starts with one of :data:`FIELD_LABELS`, else None."""
    head, sep, tail = text.partition(":")
    key = re.sub(r"\s", "", head).upper()
    for field_name, labels in FIELD_LABELS.items():
        for label in labels:
            if sep and difflib.SequenceMatcher(None, key, label).ratio() >= 0.8:
                return field_name, tail.strip()
            if not sep and key.startswith(label):
                return field_name, text.strip()[len(head) - len(head.lstrip()) :].strip()[
                    len(label) :
                ].strip()
    return None


def parse_fields(lines: list[tuple[float, float, float, str]], width: float) -> dict[str, str]:
    """Fields from OCR boxes ``(x_left, y_centre, height, text)`` of a flattened card ``width`` wide.

    Boxes left of the portrait are grouped into rows (centres within half a line height), each row's
    texts are joined left to right and matched against the printed labels; the value is what follows.
    """
    boxes = sorted((b for b in lines if b[0] < 0.72 * width), key=lambda b: b[1])
    rows: list[list[tuple[float, float, float, str]]] = []
    for box in boxes:
        if rows and abs(rows[-1][0][1] - box[1]) <= 0.5 * max(box[2], rows[-1][0][2]):
            rows[-1].append(box)
        else:
            rows.append([box])
    values: dict[str, str] = {}
    for row in rows:
        text = " ".join(b[3] for b in sorted(row, key=lambda b: b[0]))
        found = _label_of(text)
        if found is None:
            continue
        name, value = found
        value = re.sub(r"\s+", " ", value.lstrip(":").strip())
        if value and name not in values:
            values[name] = value
    birth = values.pop("birth", "")
    if birth:
        place, _, date = birth.rpartition(",")
        match = re.search(r"(\d{2})\s*-\s*(\d{2})\s*-\s*(\d{4})", date or birth)
        if match:
            values["birth_date"] = "-".join(match.groups())
            values["birth_place"] = (place or birth[: match.start()]).strip(" ,.")
    sex = values.get("sex", "").upper().replace(" ", "")
    if sex:
        values["sex"] = "PEREMPUAN" if "PEREM" in sex else "LAKI-LAKI" if "LAKI" in sex else values["sex"]
    if "rt_rw" in values:
        match = re.search(r"(\d{1,3})\s*/\s*(\d{1,3})", values["rt_rw"].translate(_CONFUSABLE))
        values["rt_rw"] = f"{int(match.group(1)):03d}/{int(match.group(2)):03d}" if match else values["rt_rw"]
    return values


def read_fields(flat_card: Image, reader: NikReader | None = None) -> KtpFields:
    """Read name, place/date of birth, sex, address, RT/RW, village and district off a flattened KTP.

    Uses the text detector as well (the rows' places differ between cards), ~0.5 s on the kiosk;
    call it on a worker thread. The NIK comes from :meth:`NikReader.read_nik`.
    """
    started = time.perf_counter()
    chosen = reader or shared_reader()
    bgr = as_bgr(flat_card)
    with chosen._lock:
        engine = chosen._load()
        result = engine(bgr, use_det=True, use_cls=False, use_rec=True)
    boxes = getattr(result, "boxes", None)
    texts = tuple(getattr(result, "txts", None) or ())
    lines: list[tuple[float, float, float, str]] = []
    if boxes is not None:
        for box, text in zip(boxes, texts, strict=False):
            points = np.asarray(box, np.float32).reshape(-1, 2)
            lines.append(
                (
                    float(points[:, 0].min()),
                    float(points[:, 1].mean()),
                    float(points[:, 1].max() - points[:, 1].min()),
                    str(text),
                )
            )
    return KtpFields(parse_fields(lines, float(bgr.shape[1])), time.perf_counter() - started)
