"""Make photos small enough for slow office links, and accept photos imported from files.

Compression: JPEG through ``cv2.imencode`` in memory. The search keeps the largest resolution that can
meet the byte target at an acceptable quality: for each scale (starting at the capped size, then ×0.85
steps) it binary-searches the highest JPEG quality whose output fits; only when even the lowest
acceptable quality is too big does it go down a scale. Resolution is worth more than quality for the
NIK digits, and a handful of encodes of a sub-megapixel image take tens of milliseconds.
``cv2.imencode`` writes a bare JFIF file — no EXIF, GPS or camera metadata — so nothing personal beyond
the pixels leaves the kiosk. Nothing touches the disk.

Import: operators may bring a JPG/PNG from a scanner or phone. The bytes are sniffed (magic numbers),
the dimensions are read from the header *before* decoding to refuse decompression bombs, and OpenCV's
decoder applies the EXIF orientation itself (``IMREAD_COLOR`` without ``IMREAD_IGNORE_ORIENTATION``),
so phone photos come out upright without Pillow. Every refusal is an :class:`ImportRejected` carrying a
bilingual :class:`~kiosk.i18n.Message`.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

import cv2
import numpy as np

from kiosk.i18n import Message
from kiosk.imaging.card import CardSearch, CardStatus, find_card, flatten_card
from kiosk.imaging.frame import MAX_SIDE, FrameError, Image, as_bgr

# Targets leave room under the ceilings (≤ 100 KB KTP, ≤ 60 KB selfie) so that one applicant's
# two photos stay near 130 KB on a slow link; bench.photo checks the NIK stays legible at this size.
KTP_TARGET_BYTES = 80_000
SELFIE_TARGET_BYTES = 50_000
HARD_LIMIT_BYTES = 2_000_000
"""The programme's upload limit per photo; nothing this module returns is larger."""

MAX_IMPORT_BYTES = 30_000_000
MAX_IMPORT_PIXELS = 50_000_000
MAX_IMPORT_SIDE = MAX_SIDE  # a longer side would be decoded only to be refused as a frame

_JPEG_MAGIC = b"\xff\xd8\xff"
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True, slots=True)
class CompressionPolicy:
    """Search bounds. ``max_side`` caps the long side before any search (a 12 MP phone photo is not
    needed to read a KTP); ``min_side`` is the smallest short side the search may go down to."""

    target_bytes: int
    max_side: int = 1280
    min_side: int = 240
    min_quality: int = 55
    max_quality: int = 92
    scale_step: float = 0.85


KTP_POLICY = CompressionPolicy(target_bytes=KTP_TARGET_BYTES, max_side=1000)
SELFIE_POLICY = CompressionPolicy(target_bytes=SELFIE_TARGET_BYTES, max_side=1024, min_quality=50)


@dataclass(frozen=True, slots=True)
class CompressedPhoto:
    """A JPEG ready for the payload, with how it was made (for logs and the bench; no pixels)."""

    data: bytes
    width: int
    height: int
    quality: int
    encodes: int

    @property
    def size(self) -> int:
        return len(self.data)


class ImportRejected(ValueError):
    """An imported file is not a usable photo; ``message`` says why in both languages."""

    def __init__(self, message: Message, detail: str) -> None:
        self.message = message
        self.detail = detail
        super().__init__(detail)


NOT_AN_IMAGE = Message("Berkas ini bukan foto JPG atau PNG.", "This file is not a JPG or PNG photo.")
TOO_LARGE = Message("Berkas terlalu besar untuk dibuka.", "The file is too large to open.")
CORRUPT = Message("Foto rusak dan tidak bisa dibuka.", "The photo is damaged and cannot be opened.")
EMPTY = Message("Berkas kosong.", "The file is empty.")


def encode_jpeg(image: Image, quality: int) -> bytes:
    """Baseline optimised JPEG at ``quality`` (1..100), in memory, without metadata."""
    ok, buffer = cv2.imencode(
        ".jpg", as_bgr(image), [cv2.IMWRITE_JPEG_QUALITY, int(quality), cv2.IMWRITE_JPEG_OPTIMIZE, 1]
    )
    if not ok:
        raise FrameError("JPEG encoder refused the image")
    return bytes(buffer.tobytes())


def _resized(image: Image, scale: float) -> Image:
    if scale >= 0.999:
        return image
    height, width = image.shape[:2]
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    return np.asarray(cv2.resize(image, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)


def compress_to_target(image: Image, policy: CompressionPolicy) -> CompressedPhoto:
    """The largest, then best-quality JPEG of ``image`` that fits ``policy.target_bytes``.

    Falls back to the smallest allowed size at lower qualities if the target cannot be met (pure noise
    does that); the result is never over :data:`HARD_LIMIT_BYTES`. Raises ``FrameError`` for bad input.
    """
    bgr = as_bgr(image)
    height, width = bgr.shape[:2]
    scale = min(1.0, policy.max_side / max(height, width))
    encodes = 0
    last: tuple[Image, float] = (bgr, scale)
    while True:
        scaled = _resized(bgr, scale)
        last = (scaled, scale)
        best = encode_jpeg(scaled, policy.max_quality)
        encodes += 1
        if len(best) <= policy.target_bytes:
            return CompressedPhoto(best, scaled.shape[1], scaled.shape[0], policy.max_quality, encodes)
        floor = encode_jpeg(scaled, policy.min_quality)
        encodes += 1
        if len(floor) <= policy.target_bytes:
            low, high, found, found_q = policy.min_quality, policy.max_quality, floor, policy.min_quality
            while high - low > 1:  # invariant: low fits, high does not
                mid = (low + high) // 2
                data = encode_jpeg(scaled, mid)
                encodes += 1
                if len(data) <= policy.target_bytes:
                    low, found, found_q = mid, data, mid
                else:
                    high = mid
            return CompressedPhoto(found, scaled.shape[1], scaled.shape[0], found_q, encodes)
        next_scale = scale * policy.scale_step
        if min(height, width) * next_scale < policy.min_side:
            break
        scale = next_scale
    scaled, scale = last
    for quality in range(policy.min_quality - 10, 4, -10):
        data = encode_jpeg(scaled, quality)
        encodes += 1
        if len(data) <= policy.target_bytes or quality <= 15:
            if len(data) <= HARD_LIMIT_BYTES:
                return CompressedPhoto(data, scaled.shape[1], scaled.shape[0], quality, encodes)
    data = encode_jpeg(_resized(scaled, 0.5), 10)  # unreachable for real photos; keeps the promise
    return CompressedPhoto(data, scaled.shape[1] // 2, scaled.shape[0] // 2, 10, encodes + 1)


def compress_ktp(card_image: Image) -> CompressedPhoto:
    """Compress a (flattened) KTP photo to about :data:`KTP_TARGET_BYTES`."""
    return compress_to_target(card_image, KTP_POLICY)


def compress_selfie(frame: Image) -> CompressedPhoto:
    """Compress a selfie to about :data:`SELFIE_TARGET_BYTES`."""
    return compress_to_target(frame, SELFIE_POLICY)


def image_dimensions(data: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG IHDR or a JPEG SOF header without decoding; None if not found."""
    if data.startswith(_PNG_MAGIC):
        if len(data) < 24 or data[12:16] != b"IHDR":
            return None
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    if data.startswith(_JPEG_MAGIC):
        pos = 2
        while pos + 4 <= len(data):
            if data[pos] != 0xFF:
                pos += 1
                continue
            marker = data[pos + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
                pos += 1 if marker == 0xFF else 2
                continue
            if marker in (0xD9, 0xDA):
                return None  # end of image / start of scan before any frame header
            (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
                if pos + 9 > len(data):
                    return None
                height, width = struct.unpack(">HH", data[pos + 5 : pos + 9])
                return int(width), int(height)
            if length < 2:
                return None
            pos += 2 + length
    return None


def decode_import(
    data: bytes, *, max_bytes: int = MAX_IMPORT_BYTES, max_pixels: int = MAX_IMPORT_PIXELS
) -> Image:
    """Decode imported JPG/PNG bytes to an upright BGR image, or raise :class:`ImportRejected`."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ImportRejected(NOT_AN_IMAGE, f"not bytes: {type(data).__name__}")
    raw = bytes(data)
    if not raw:
        raise ImportRejected(EMPTY, "empty file")
    if len(raw) > max_bytes:
        raise ImportRejected(TOO_LARGE, f"{len(raw)} bytes")
    if not (raw.startswith(_JPEG_MAGIC) or raw.startswith(_PNG_MAGIC)):
        raise ImportRejected(NOT_AN_IMAGE, "unknown magic")
    size = image_dimensions(raw)
    if size is None:
        raise ImportRejected(CORRUPT, "no image header")
    width, height = size
    if width < 16 or height < 16:
        raise ImportRejected(CORRUPT, f"tiny image {width}x{height}")
    if width > MAX_IMPORT_SIDE or height > MAX_IMPORT_SIDE or width * height > max_pixels:
        raise ImportRejected(TOO_LARGE, f"{width}x{height} pixels")
    decoded = cv2.imdecode(np.frombuffer(raw, np.uint8), cv2.IMREAD_COLOR)
    if decoded is None or decoded.size == 0:
        raise ImportRejected(CORRUPT, "decoder failed")
    try:
        return as_bgr(decoded)
    except FrameError as exc:
        raise ImportRejected(CORRUPT, exc.detail) from exc


def import_ktp(data: bytes) -> CompressedPhoto:
    """An imported KTP photo: flattened when a whole card is found in it, else used as it is (a scan
    cropped to the card), then compressed like a captured one."""
    image = decode_import(data)
    card = find_card(image, CardSearch(min_area_fraction=0.2))
    if card.status is CardStatus.FOUND and card.corners is not None:
        image = flatten_card(image, card.corners)
    return compress_ktp(image)


def import_selfie(data: bytes) -> CompressedPhoto:
    """An imported selfie, compressed like a captured one (the face rules are the operator's call)."""
    return compress_selfie(decode_import(data))
