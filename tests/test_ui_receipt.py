"""The receipt: masking, a QR code that decodes back to the reference, and a PDF with no plain data."""

from __future__ import annotations

import uuid
from pathlib import Path

import cv2
import numpy as np
from pytestqt.qtbot import QtBot

from kiosk import reference
from ui.app import create_application
from ui.receipt import ReceiptData, mask_name, mask_nik, qr_image, write_pdf


def test_masks_keep_only_what_identifies_the_receipt_to_its_owner() -> None:
    assert mask_nik("3171014101900001") == "****…0001"
    assert mask_nik("12") == "****" and mask_nik(None) == "****"
    assert mask_name("SITI AMINAH") == "SI** AM****"
    assert mask_name("A BC") == "A* B*" and mask_name("") == "—"


def test_qr_code_decodes_to_the_reference(qtbot: QtBot) -> None:
    create_application()
    ref = reference.format(uuid.uuid4())
    image = qr_image(ref, box_px=6).convertToFormat(qr_image(ref).Format.Format_Grayscale8)
    width, height = image.width(), image.height()
    data = np.frombuffer(image.constBits(), np.uint8).reshape(height, image.bytesPerLine())[:, :width]
    decoded, _points, _ = cv2.QRCodeDetector().detectAndDecode(np.ascontiguousarray(data))
    assert decoded == ref


def test_pdf_receipt_is_written_and_holds_no_full_nik(qtbot: QtBot, tmp_path: Path) -> None:
    create_application()
    data = ReceiptData(
        "PK-7Q4M-9XRT-D2KF-3", mask_name("SITI AMINAH"), mask_nik("3171014101900001"), "now", True
    )
    path = write_pdf(data, tmp_path / "receipt.pdf")
    raw = path.read_bytes()
    assert raw.startswith(b"%PDF") and len(raw) > 1000
    assert b"3171014101900001" not in raw and b"AMINAH" not in raw


def test_a_pdf_that_cannot_be_written_is_an_error_not_a_success(qtbot: QtBot, tmp_path: Path) -> None:
    import pytest

    from ui.receipt import PrintError

    create_application()
    data = ReceiptData("PK-7Q4M-9XRT-D2KF-3", "SI** AM****", "****…0001", "now", True)
    blocked = tmp_path / "receipt.pdf"
    blocked.mkdir()  # a folder where the file should go
    with pytest.raises(PrintError):
        write_pdf(data, blocked)
