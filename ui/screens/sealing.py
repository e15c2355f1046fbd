"""Sealing: a busy indicator while the registration is encrypted, signed and stored.

Why a screen of its own with no buttons: sealing and the fsync'd enqueue take a moment on slow
machines; the person must see that something is happening and must not be able to tap "Kirim"
twice. The work itself runs off the GUI thread (the controller uses ``ui.worker``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QProgressBar, QWidget

from kiosk.flow import Step
from ui.screens.wizard import WizardScreen


class SealingScreen(WizardScreen):
    screen_name = "sealing"
    step = 11
    flow_step = Step.SEALING

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.progress = QProgressBar(self.form)
        self.progress.setObjectName("sealingProgress")
        self.progress.setRange(0, 0)  # busy: the length of the work is not known
        self.progress.setTextVisible(False)
        self.progress.setMinimumHeight(32)
        self.form_layout.addWidget(self.progress)
        for button in (self.cancel_button, self.back_button, self.next_button):
            button.hide()
        self.finish_form()

    def retranslate_content(self) -> None:
        self.title_label.setText(self.tr("Menyimpan pendaftaran…"))
        self.hint_label.setText(self.tr("Data Anda sedang disimpan dengan aman. Mohon tunggu sebentar."))

    def collect_content(self) -> dict[str, Any]:
        return {}

    def clear_content(self) -> None:
        pass
