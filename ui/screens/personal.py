"""Personal data as on the KTP: full name, gender, mother's maiden name.

Why gender as two big buttons: it is printed on the KTP and also encoded in the NIK (day + 40 for
women); a mismatch is a warning the person confirms, so the choice must be unambiguous to tap.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.flow import Step
from ui.screens.wizard import ChoiceGroup, WizardScreen


class PersonalScreen(WizardScreen):
    screen_name = "personal"
    step = 4
    flow_step = Step.PERSONAL

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, input_panel=True)
        self.begin_page()
        self.full_name = self.add_field("full_name", numeric=False, max_length=120)
        self.gender = ChoiceGroup(2, self.form)
        self.gender.add_choice("L")
        self.gender.add_choice("P")
        self.fields["gender"] = self.gender
        self.register_page_field("gender")
        self.page_layout().addWidget(self.gender)
        self.begin_page()
        self.mother = self.add_field("mother_maiden_name", numeric=False, max_length=120)
        self.finish_form()

    def retranslate_content(self) -> None:
        self.title_label.setText(self.tr("Data diri"))
        self.hint_label.setText(self.tr("Tulis nama persis seperti di KTP."))
        self.full_name.set_label(self.tr("Nama lengkap"))
        self.gender.label.setText(self.tr("Jenis kelamin"))
        self.gender.buttons["L"].setText(self.tr("Laki-laki"))
        self.gender.buttons["P"].setText(self.tr("Perempuan"))
        self.mother.set_label(self.tr("Nama ibu kandung"))

    def collect_content(self) -> dict[str, Any]:
        return {
            "full_name": self.full_name.text(),
            "gender": self.gender.value(),
            "mother_maiden_name": self.mother.text(),
        }

    def load(self, values: dict[str, Any]) -> None:
        self.full_name.line_edit.setText(str(values.get("full_name") or ""))
        self.gender.set_value(str(values.get("gender") or ""))
        self.mother.line_edit.setText(str(values.get("mother_maiden_name") or ""))

    def clear_content(self) -> None:
        self.full_name.line_edit.clear()
        self.mother.line_edit.clear()
        self.gender.clear()
