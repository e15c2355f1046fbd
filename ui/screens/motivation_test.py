"""The Tes Motivasi dan Kemampuan Dasar step: hosts the test screens when they are installed.

Why a host: the test is its own piece of work (its own screens, timer and signed question bank). This
step embeds whatever widget the test package provides and passes its finished answers to the flow as
``{"test": answers}``. When no test widget is available the step says the test is taken later (the
flow is then built with ``test_required=False``: the payload's ``test`` is optional).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from kiosk.flow import Step
from ui.screens.wizard import WizardScreen


class TestStepScreen(WizardScreen):
    screen_name = "test"
    step = 10
    flow_step = Step.TEST

    def __init__(self, parent: QWidget | None = None, embedded: QWidget | None = None) -> None:
        super().__init__(parent)
        self.embedded = embedded
        self.answers: Any = None
        self.note = QLabel(self.form)
        self.note.setObjectName("noteBox")
        self.note.setWordWrap(True)
        self.form_layout.addWidget(self.note)
        if embedded is not None:
            embedded.setParent(self.form)
            self.form_layout.addWidget(embedded, 1)
            self.fields["test"] = _NoteTarget(self.note)
        self.finish_form()

    def set_answers(self, answers: Any) -> None:
        """The embedded test finished; its answers go to the flow on "Lanjut"."""
        self.answers = answers
        self.retranslate_content()

    def retranslate_content(self) -> None:
        self.title_label.setText(self.tr("Tes Motivasi dan Kemampuan Dasar"))
        if self.embedded is None:
            self.hint_label.setText(self.tr("Tes dikerjakan nanti."))
            self.note.setText(
                self.tr("Tes belum tersedia di kiosk ini. Cara mengerjakan tes dikirim lewat SMS/e-mail.")
            )
        else:
            self.hint_label.setText(self.tr("Kerjakan tes sampai selesai, lalu tekan Lanjut."))
            self.note.setText(self.tr("Tes sudah selesai.") if self.answers is not None else "")
        self.note.setVisible(bool(self.note.text()))

    def collect_content(self) -> dict[str, Any]:
        return {"test": self.answers} if self.answers is not None else {}

    def clear_content(self) -> None:
        self.answers = None
        clear = getattr(self.embedded, "clear", None)
        if callable(clear):
            clear()
        self.retranslate_content()


class _NoteTarget:
    """Problems about the test are shown in the note line (the embedded widget has its own UI)."""

    def __init__(self, label: QLabel) -> None:
        self._label = label

    def set_error(self, message: str | None) -> None:
        if message:
            self._label.setText("⚠ " + message)
            self._label.show()
