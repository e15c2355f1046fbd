"""The Qt side of the Windows fixes (issue 20): receipt PDF names Windows accepts, USB sticks found by
``QStorageInfo`` wherever they are mounted (a real loop-mounted file system when run as root)."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk import platform
from kiosk import reference as reference_numbers
from ui.receipt import ReceiptData, write_pdf
from ui.removable import removable_export_dir, removable_volumes


def _reference_ending_in_star() -> str:
    for i in range(10_000):
        ref = reference_numbers.format(uuid.UUID(int=i * 7919 + 1))
        if ref.endswith("*"):
            return ref
    raise AssertionError("no reference with a '*' check symbol")


def test_receipt_pdf_of_a_star_reference_gets_a_windows_valid_name(qtbot: QtBot, tmp_path: Path) -> None:
    ref = _reference_ending_in_star()
    data = ReceiptData(ref, "SI** AM****", "****…0001", "2026-01-05 10:00 WIB", otp_deferred=False)
    written = write_pdf(data, tmp_path / f"{ref}.pdf")
    assert written.exists() and written.read_bytes().startswith(b"%PDF")
    assert platform.is_valid_windows_name(written.name), written.name
    assert written.name == ref.replace("*", "_") + ".pdf"


@pytest.fixture
def usb_stick(tmp_path: Path) -> Iterator[Path]:
    """A real ext4 file system on a loop device, mounted under /media like udisks does."""
    if os.geteuid() != 0 or not shutil.which("mkfs.ext4"):
        pytest.skip("needs root and mkfs.ext4 to mount a loop-device stick")
    image = tmp_path / "stick.img"
    with image.open("wb") as fh:
        fh.truncate(8 << 20)
    subprocess.run(["mkfs.ext4", "-q", str(image)], check=True)
    mount = Path("/media") / f"petugas-{uuid.uuid4().hex[:8]}"
    mount.mkdir(parents=True)
    done = subprocess.run(["mount", "-o", "loop", str(image), str(mount)], capture_output=True, check=False)
    if done.returncode != 0:
        mount.rmdir()
        pytest.skip(f"loop mount unavailable here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)
        mount.rmdir()


def test_qstorageinfo_offers_the_mounted_stick_not_a_plain_folder(qtbot: QtBot, usb_stick: Path) -> None:
    # A folder left under /media on the system disk sorts first; the old directory scan suggested it.
    plain = Path("/media") / "aaaa-not-a-stick"
    plain.mkdir(exist_ok=True)
    try:
        assert usb_stick in removable_volumes()
        assert plain not in removable_volumes()
        assert removable_export_dir() == usb_stick
    finally:
        plain.rmdir()


def test_no_stick_falls_back_to_the_core_search(qtbot: QtBot) -> None:
    # Whatever is mounted on the test machine, the root file system is never offered as a stick.
    assert Path("/") not in removable_volumes()
