"""The receipt: what it says, its QR code, and printing it (to the configured printer or to a PDF).

Why masked data only: the receipt leaves the office in the applicant's pocket and may be lost; it
carries the reference number (which reveals nothing), a QR code of that number (staff scan it at the
status desk), the name masked to its first letters and the NIK to its last four digits — enough for
the applicant to know the receipt is theirs, useless to anyone who finds it. The same masked data is
all a PDF receipt ever holds on disk.

Drawing is one function over a ``QPainter`` so the screen preview, the printer and the PDF share it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import qrcode
from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import QWidget

from kiosk.platform import safe_file_name

log = logging.getLogger(__name__)

RECEIPT_PAGE_MM = QSizeF(80, 160)  # roll paper of receipt printers; a PDF opens at the same size


def mask_nik(nik: str | None) -> str:
    """``3201011708900001`` -> ``************0001`` (shown as ``****…0001``)."""
    digits = "".join(ch for ch in (nik or "") if ch.isdigit())
    if len(digits) < 8:
        return "****"
    return "****…" + digits[-4:]


def mask_name(name: str | None) -> str:
    """``SITI AMINAH`` -> ``SI** AM****``: first two letters of each word, the rest hidden."""
    words = (name or "").split()
    if not words:
        return "—"
    return " ".join(w[:2] + "*" * max(len(w) - 2, 1) if len(w) > 2 else w[0] + "*" for w in words)


def qr_image(text: str, box_px: int = 8, border: int = 2) -> QImage:
    """A black-on-white QR code of ``text`` as a QImage (``qrcode`` computes the matrix)."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=1, border=border)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()
    size = len(matrix)
    image = QImage(size * box_px, size * box_px, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("black"))
    for y, row in enumerate(matrix):
        for x, dark in enumerate(row):
            if dark:
                painter.drawRect(x * box_px, y * box_px, box_px, box_px)
    painter.end()
    return image


@dataclass(frozen=True, slots=True)
class ReceiptData:
    """Everything printed on a receipt (no personal data beyond the masked forms)."""

    reference: str
    masked_name: str
    masked_nik: str
    created: str
    otp_deferred: bool
    # "Gelombang: …" or "… gelombang berikutnya" (issue 19); empty when the kiosk does not know.
    wave_note: str = ""


def receipt_lines(data: ReceiptData) -> list[tuple[str, str]]:
    """(style, text) lines of the receipt in the current UI language."""
    lines = [
        ("title", QCoreApplication.translate("Receipt", "Tanda Terima Pendaftaran Kartu Prakerja")),
        ("small", QCoreApplication.translate("Receipt", "Nomor referensi")),
        ("reference", data.reference),
        ("body", QCoreApplication.translate("Receipt", "Nama: %1").replace("%1", data.masked_name)),
        ("body", QCoreApplication.translate("Receipt", "NIK: %1").replace("%1", data.masked_nik)),
        ("body", QCoreApplication.translate("Receipt", "Waktu: %1").replace("%1", data.created)),
        *([("body", data.wave_note)] if data.wave_note else []),
        ("body", QCoreApplication.translate("Receipt", "Data Anda tersimpan dan akan dikirim ke pusat.")),
    ]
    if data.otp_deferred:
        lines.append(
            (
                "body",
                QCoreApplication.translate(
                    "Receipt", "Kode verifikasi akan dikirim ke HP/e-mail Anda setelah data terkirim."
                ),
            )
        )
    lines += [
        ("body", QCoreApplication.translate("Receipt", "Hasil seleksi dikirim lewat SMS/e-mail.")),
        (
            "body",
            QCoreApplication.translate(
                "Receipt", "Cek status: bawa tanda terima ini ke kiosk dan pilih Cek Status."
            ),
        ),
    ]
    return lines


def paint_receipt(painter: QPainter, rect: QRectF, data: ReceiptData) -> None:
    """Draw the receipt into ``rect`` (device units of ``painter``): text lines then the QR code."""
    unit = rect.width() / 40.0
    y = rect.top()
    sizes = {"title": 2.2, "small": 1.6, "reference": 2.6, "body": 1.7}
    for style, text in receipt_lines(data):
        font = QFont(painter.font())
        font.setPixelSize(max(1, round(unit * sizes[style])))
        font.setBold(style in ("title", "reference"))
        painter.setFont(font)
        box = QRectF(rect.left(), y, rect.width(), rect.height() - (y - rect.top()))
        flags = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)
        used = painter.boundingRect(box, flags, text)
        painter.drawText(box, flags, text)
        y += used.height() + unit * 0.6
        if style == "reference":
            side = rect.width() * 0.55
            target = QRectF(rect.center().x() - side / 2, y, side, side)
            painter.drawImage(target, qr_image(data.reference))
            y += side + unit


def write_pdf(data: ReceiptData, path: Path) -> Path:
    """Write the receipt as a one-page PDF at ``path`` (80 mm roll width); returns the path written.

    The file name is made valid on Windows first (:func:`kiosk.platform.safe_file_name`): a reference's
    check symbol may be ``*`` (``PK-0KJT-FDWH-8RAG-*.pdf``), which Windows refuses, so the returned
    path can differ from ``path`` in its last component.
    """
    path = path.with_name(safe_file_name(path.name))
    writer = QPdfWriter(str(path))
    writer.setResolution(300)
    writer.setPageSize(QPageSize(RECEIPT_PAGE_MM, QPageSize.Unit.Millimeter, "receipt"))
    writer.setPageMargins(QMarginsF(4, 4, 4, 4), QPageLayout.Unit.Millimeter)
    writer.setTitle(QCoreApplication.translate("Receipt", "Tanda Terima Pendaftaran Kartu Prakerja"))
    painter = QPainter()
    if not painter.begin(writer):  # the path is a folder, the disk is full or read-only…
        raise PrintError("PDF cannot be written")
    try:
        page = writer.pageLayout().paintRectPixels(writer.resolution())
        paint_receipt(painter, QRectF(0, 0, page.width(), page.height()), data)
    finally:
        painter.end()
    if not path.is_file() or path.stat().st_size == 0:
        raise PrintError("PDF was not written")
    return path


class PrintError(Exception):
    """The receipt could not be printed; ``reason`` is a short English detail for the log."""


def print_receipt(
    data: ReceiptData, printer_name: str, pdf_path: Path, parent: QWidget | None = None
) -> Path | None:
    """Print to ``printer_name``; with no printer configured, write ``pdf_path``.

    Returns the PDF path when a PDF was written, None when sent to a printer. Raises
    :class:`PrintError` when the printer is unknown or refuses the job.
    """
    if not printer_name:
        return write_pdf(data, pdf_path)
    from PySide6.QtPrintSupport import QPrinter, QPrinterInfo  # local: only desks with printers need it

    info = QPrinterInfo.printerInfo(printer_name)
    if info.isNull():
        raise PrintError("printer not found")
    printer = QPrinter(info, QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(RECEIPT_PAGE_MM, QPageSize.Unit.Millimeter, "receipt"))
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError("printer refused the job")
    try:
        page = printer.pageLayout().paintRectPixels(printer.resolution())
        paint_receipt(painter, QRectF(0, 0, page.width(), page.height()), data)
    finally:
        painter.end()
    return None
