"""Pengaturan (supervisor only): API address, camera, printer, language and idle timeout.

Why through ``kiosk.config.update_config_file``: the page must accept exactly what start-up accepts;
a bad value shows the config module's own message (naming the key) and nothing is written. Changes
take effect at the next start of the kiosk, which the page says.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from kiosk.config import KioskConfig
from ui.console.page import ConsolePage, heading, note
from ui.widgets.big_button import BigButton

LANGUAGES = (("id", "Bahasa Indonesia"), ("en", "English"))


class SettingsPage(ConsolePage):
    page_name = "settings"
    save_requested = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = heading(self)
        self.api_url = QLineEdit(self)
        self.api_url.setObjectName("settingsApiUrl")
        self.api_url.setPlaceholderText("https://api.contoh.go.id")
        self.camera = QLineEdit(self)
        self.camera.setObjectName("settingsCamera")
        self.printer = QLineEdit(self)
        self.printer.setObjectName("settingsPrinter")
        self.language_box = QComboBox(self)
        self.language_box.setObjectName("settingsLanguage")
        for code, label in LANGUAGES:
            self.language_box.addItem(label, code)
        self.idle = QSpinBox(self)
        self.idle.setObjectName("settingsIdle")
        self.idle.setRange(1, 86400)  # the schema decides what is allowed, with its own message
        self.form = QFormLayout()
        self.form.setVerticalSpacing(6)
        self.field_labels: list[QLabel] = []
        for field in (self.api_url, self.camera, self.printer, self.language_box, self.idle):
            # One line each: the widest label sets the column (about a quarter of a 1024 px screen), so
            # no row grows to two lines and squeezes the form when the notes above it are long.
            field_label = QLabel(self)
            field_label.setBuddy(field)
            self.field_labels.append(field_label)
            self.form.addRow(field_label, field)
        self.save_button = BigButton("", self, role="primary")
        self.save_button.setObjectName("settingsSave")
        self.save_button.clicked.connect(lambda: self.save_requested.emit(self.values()))
        self.message = note(self)
        self.message.setObjectName("settingsMessage")
        self.role_note = note(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.role_note)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        save_row = QHBoxLayout()
        save_row.addStretch(1)
        save_row.addWidget(self.save_button)
        layout.addLayout(save_row)
        self._allowed = False
        self.retranslate()

    def set_config(self, config: KioskConfig) -> None:
        self.api_url.setText(config.api.url)
        self.camera.setText(config.camera.device)
        self.printer.setText(config.printer.name)
        self.language_box.setCurrentIndex(max(0, self.language_box.findData(config.kiosk.language)))
        self.idle.setValue(config.kiosk.idle_timeout_s)

    def values(self) -> dict[str, Any]:
        """The form as dotted config keys."""
        return {
            "api.url": self.api_url.text().strip(),
            "camera.device": self.camera.text().strip() or "auto",
            "printer.name": self.printer.text().strip(),
            "kiosk.language": self.language_box.currentData(),
            "kiosk.idle_timeout_s": self.idle.value(),
        }

    def set_allowed(self, allowed: bool) -> None:
        """Operators see the settings but cannot change them."""
        self._allowed = allowed
        for widget in (
            self.api_url,
            self.camera,
            self.printer,
            self.language_box,
            self.idle,
            self.save_button,
        ):
            widget.setEnabled(allowed)
        self.retranslate()

    def show_outcome(self, text: str) -> None:
        self.set_message(text)

    def set_message(self, text: str) -> None:
        self.message.setText(text)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Pengaturan"))
        labels = (
            self.tr("Alamat server pusat (URL)"),
            self.tr("Kamera"),
            self.tr("Printer (kosong = PDF)"),
            self.tr("Bahasa awal"),
            self.tr("Batas diam (detik)"),
        )
        for field_label, text in zip(self.field_labels, labels, strict=True):
            field_label.setText(text)
        self.save_button.setText(self.tr("Simpan"))
        self.role_note.setText(
            self.tr("Berlaku setelah kiosk dimulai ulang.")
            if self._allowed
            else self.tr("Hanya supervisor yang dapat mengubah pengaturan.")
        )
