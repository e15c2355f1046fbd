"""Compression targets, metadata stripping, safe import of files, and the auto-capture state machine."""

from __future__ import annotations

import struct
import zlib

import cv2
import numpy as np
import pytest

from kiosk.imaging import synthetic as S
from kiosk.imaging.autocapture import AutoCapture, CaptureState
from kiosk.imaging.card import find_card, flatten_card
from kiosk.imaging.compress import (
    HARD_LIMIT_BYTES,
    KTP_TARGET_BYTES,
    SELFIE_TARGET_BYTES,
    CompressionPolicy,
    ImportRejected,
    compress_ktp,
    compress_selfie,
    compress_to_target,
    decode_import,
    image_dimensions,
    import_ktp,
    import_selfie,
)
from kiosk.imaging.frame import FrameError
from kiosk.imaging.specimen import render_specimen
from tests.imaging_support import portrait


def _flat_card() -> np.ndarray:
    frame, _ = S.ktp_scene(render_specimen(scale=2.0), angle_deg=3)
    frame = S.noise(frame, 4.0)
    result = find_card(frame)
    assert result.corners is not None
    return flatten_card(frame, result.corners)


def test_ktp_and_selfie_meet_their_targets() -> None:
    ktp = compress_ktp(_flat_card())
    assert ktp.size <= KTP_TARGET_BYTES <= 100_000
    assert (ktp.width, ktp.height) == (856, 540)  # full card resolution kept
    assert ktp.quality >= 55
    selfie_frame = S.portrait_scene(portrait(), None, portrait_height=900)
    selfie = compress_selfie(selfie_frame)
    assert selfie.size <= SELFIE_TARGET_BYTES <= 60_000
    assert selfie.data.startswith(b"\xff\xd8")
    decoded = cv2.imdecode(np.frombuffer(selfie.data, np.uint8), cv2.IMREAD_COLOR)
    assert decoded.shape[:2] == (selfie.height, selfie.width)


def test_output_has_no_exif() -> None:
    data = compress_ktp(_flat_card()).data
    assert b"Exif" not in data[:4096]


def test_worst_case_noise_stays_under_hard_limit() -> None:
    noise = np.random.default_rng(3).integers(0, 256, (1500, 2000, 3), dtype=np.uint8)
    photo = compress_to_target(noise, CompressionPolicy(target_bytes=20_000, max_side=2000))
    assert photo.size <= HARD_LIMIT_BYTES
    assert photo.size <= 20_000


def test_compress_rejects_bad_frames() -> None:
    with pytest.raises(FrameError):
        compress_ktp(np.zeros((0, 3), np.uint8))


def _png_bytes(image: np.ndarray) -> bytes:
    ok, buf = cv2.imencode(".png", image)
    assert ok
    return buf.tobytes()


def _jpeg_with_orientation(image: np.ndarray, orientation: int) -> bytes:
    ok, buf = cv2.imencode(".jpg", image)
    assert ok
    jpeg = buf.tobytes()
    tiff = b"MM\x00*" + struct.pack(">I", 8) + struct.pack(">H", 1)
    tiff += struct.pack(">HHIHH", 0x0112, 3, 1, orientation, 0) + struct.pack(">I", 0)
    payload = b"Exif\x00\x00" + tiff
    app1 = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    return jpeg[:2] + app1 + jpeg[2:]


def test_import_png_and_jpeg() -> None:
    image = np.zeros((60, 100, 3), np.uint8)
    image[:, :50] = (0, 0, 255)
    assert decode_import(_png_bytes(image)).shape == (60, 100, 3)
    assert image_dimensions(_png_bytes(image)) == (100, 60)
    jpeg = _jpeg_with_orientation(image, 1)
    assert image_dimensions(jpeg) == (100, 60)
    assert decode_import(jpeg).shape == (60, 100, 3)


def test_import_applies_exif_orientation() -> None:
    image = np.zeros((60, 100, 3), np.uint8)
    image[:, :50] = (0, 0, 255)  # red on the left
    upright = decode_import(_jpeg_with_orientation(image, 6))  # 6 = rotate 90° clockwise to display
    assert upright.shape == (100, 60, 3)
    assert upright[10, 30, 2] > 200  # red now on top
    assert upright[90, 30, 2] < 60


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"hello, this is not an image",
        b"%PDF-1.4 fake",
        b"\xff\xd8\xff\xe0" + b"\x00" * 50,
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 4,
        b"\xff\xd8\xff" + bytes(range(256)) * 8,
    ],
    ids=["empty", "text", "pdf", "jpeg-head-only", "png-head-only", "jpeg-garbage"],
)
def test_import_rejects_garbage(data: bytes) -> None:
    with pytest.raises(ImportRejected) as info:
        decode_import(data)
    assert info.value.message.id and info.value.message.en


def _png_header(width: int, height: int) -> bytes:
    """Just a PNG signature and IHDR chunk claiming ``width`` x ``height`` (no pixels follow)."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return b"\x89PNG\r\n\x1a\n" + chunk


def test_import_rejects_decompression_bomb_before_decoding() -> None:
    with pytest.raises(ImportRejected) as info:
        decode_import(_png_header(30_000, 30_000))
    assert "besar" in info.value.message.id
    with pytest.raises(ImportRejected):
        decode_import(b"\xff\xd8\xff" + b"\x00" * 100, max_bytes=50)


def test_a_panorama_longer_than_a_frame_may_be_is_too_large_not_damaged() -> None:
    """12000 x 3000 is a valid picture: the applicant is told it is too large, not that it is broken."""
    with pytest.raises(ImportRejected) as info:
        decode_import(_png_header(12_000, 3_000))
    assert "besar" in info.value.message.id


def test_import_truncated_jpeg_is_rejected_or_decoded_safely() -> None:
    _ok, buf = cv2.imencode(".jpg", portrait())
    truncated = buf.tobytes()[:400]
    try:
        image = decode_import(truncated)
    except ImportRejected:
        return
    assert image.ndim == 3


def test_import_ktp_flattens_a_phone_photo() -> None:
    frame, _ = S.ktp_scene(render_specimen(scale=2.0), angle_deg=5, tilt=0.08)
    photo = import_ktp(_png_bytes(frame))
    assert (photo.width, photo.height) == (856, 540)
    assert photo.size <= KTP_TARGET_BYTES
    assert import_selfie(_png_bytes(portrait())).size <= SELFIE_TARGET_BYTES


class FakeClock:
    """A settable clock (a real object, not a mock: the state machine only reads the time)."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_autocapture_needs_consecutive_good_frames_and_time() -> None:
    clock = FakeClock()
    auto = AutoCapture(required_frames=3, min_steady_seconds=0.25, max_gap_seconds=0.5, clock=clock)
    states = []
    for good in (True, True, False, True, True):
        clock.now += 0.125
        states.append(auto.feed(good))
    assert CaptureState.CAPTURE not in states
    clock.now += 0.125
    assert auto.feed(True) is CaptureState.CAPTURE
    assert auto.feed(True) is CaptureState.DONE
    auto.reset()
    assert auto.state is CaptureState.SEARCHING and auto.progress == 0.0


def test_autocapture_streak_broken_by_gap_and_needs_min_time() -> None:
    clock = FakeClock()
    auto = AutoCapture(required_frames=2, min_steady_seconds=0.3, max_gap_seconds=0.5, clock=clock)
    auto.feed(True)
    clock.now += 1.0  # long stall: streak forgotten
    assert auto.feed(True) is CaptureState.STEADYING
    clock.now += 0.1
    assert auto.feed(True) is CaptureState.STEADYING  # 2 frames but only 0.1 s
    clock.now += 0.25
    assert auto.feed(True) is CaptureState.CAPTURE
    with pytest.raises(ValueError):
        AutoCapture(required_frames=0)
