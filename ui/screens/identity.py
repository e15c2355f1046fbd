"""KTP number and birth data: NIK on the numeric keypad, place of birth, date of birth.

Why the date is one field typed as digits (``17081990`` shows as ``17-08-1990``): the KTP prints the
date as DD-MM-YYYY and the keypad has no hyphen; the field inserts the hyphens itself, so what the
person types matches what they read. A NIK that says another birth date is a *warning* from the core
that the person confirms ("sesuai KTP"), never a refusal.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QLineEdit, QWidget

from kiosk.flow import Step
from ui.screens.wizard import WizardScreen, digits_only


def format_date_digits(text: str) -> str:
    """``17081990`` -> ``17-08-1990`` (partial input too: ``170`` -> ``17-0``)."""
    digits = digits_only(text)[:8]
    parts = [digits[:2], digits[2:4], digits[4:8]]
    return "-".join(p for p in parts if p)


class DateEdit:
    """Keeps a line edit in the DD-MM-YYYY shape while digits are typed (keypad or keyboard)."""

    def __init__(self, edit: QLineEdit) -> None:
        self.edit = edit
        edit.setMaxLength(10)
        edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9\-/. ]{0,10}"), edit))
        edit.textChanged.connect(self._reshape)

    def _reshape(self, text: str) -> None:
        shaped = format_date_digits(text)
        if shaped != text and digits_only(text) == digits_only(shaped):
            self.edit.blockSignals(True)
            self.edit.setText(shaped)
            self.edit.blockSignals(False)
            self.edit.setCursorPosition(len(shaped))


class IdentityScreen(WizardScreen):
    screen_name = "identity"
    step = 3
    flow_step = Step.IDENTITY

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, input_panel=True)
        self.begin_page()
        self.nik = self.add_field("nik", numeric=True, max_length=16)
        self.nik.line_edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"[0-9]{0,16}"), self.nik.line_edit)
        )
        self.begin_page()
        self.birth_place = self.add_field("birth_place", numeric=False, max_length=80)
        self.begin_page()
        self.birth_date = self.add_field("birth_date", numeric=True, max_length=10)
        self._date = DateEdit(self.birth_date.line_edit)
        self.finish_form()

    def retranslate_content(self) -> None:
        self.title_label.setText(self.tr("Data KTP"))
        self.hint_label.setText(self.tr("Salin persis seperti yang tertulis di KTP Anda."))
        self.nik.set_label(self.tr("NIK (16 angka di KTP)"))
        self.birth_place.set_label(self.tr("Tempat lahir"))
        self.birth_date.set_label(self.tr("Tanggal lahir (contoh 17-08-1990)"))

    def collect_content(self) -> dict[str, Any]:
        return {
            "nik": self.nik.text(),
            "birth_place": self.birth_place.text(),
            "birth_date": self.birth_date.text(),
        }

    def load(self, values: dict[str, Any]) -> None:
        self.nik.line_edit.setText(str(values.get("nik") or ""))
        self.birth_place.line_edit.setText(str(values.get("birth_place") or ""))
        self.birth_date.line_edit.setText(str(values.get("birth_date") or ""))

    def clear_content(self) -> None:
        for field in (self.nik, self.birth_place, self.birth_date):
            field.line_edit.clear()
