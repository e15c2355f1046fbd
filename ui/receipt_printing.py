"""Printing the receipt (or, with no printer, keeping a PDF for staff): split from the wizard.

Why its own class (issue 16): printing talks to the system's printers and the disk, fails in its own
ways, and has nothing to do with which step comes next; the receipt screen only asks for it.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from kiosk.config import KioskConfig
from kiosk.runtime import KioskRuntime
from ui.receipt import PrintError, print_receipt
from ui.screens.receipt import ReceiptScreen

log = logging.getLogger(__name__)


class ReceiptPrinter(QObject):
    """Prints :attr:`ReceiptScreen.data` when its "Cetak" is pressed; says the result on the screen."""

    def __init__(
        self,
        screen: ReceiptScreen,
        config: KioskConfig,
        runtime: KioskRuntime | None,
        window: QWidget,
        receipt_dir: Path | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.receipt = screen
        self.config = config
        self.runtime = runtime
        self.window = window
        self.receipt_dir = receipt_dir
        self.last_receipt_pdf: Path | None = None
        screen.print_requested.connect(self.print_receipt)
        screen.set_printer_available(bool(config.printer.name))

    def print_receipt(self) -> None:
        data = self.receipt.data
        if data is None:
            return
        directory = self.receipt_dir
        if directory is None:
            base = self.runtime.paths.data_dir if self.runtime is not None else Path.home()
            directory = base / "receipts"
        try:
            directory.mkdir(parents=True, exist_ok=True)
            pdf = print_receipt(
                data, self.config.printer.name, directory / f"{data.reference}.pdf", self.window
            )
        except (PrintError, OSError) as exc:
            log.warning("receipt not printed: %s", type(exc).__name__)
            self.receipt.set_print_result("failed")
            return
        if pdf is None:
            self.receipt.set_print_result("printing")
        else:
            self.last_receipt_pdf = pdf
            self.receipt.set_print_result("pdf")
