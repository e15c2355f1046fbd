"""Highest education and current work status, each as a set of big buttons.

Why buttons for every answer: the lists are short (7 and 4 answers) and a person who rarely uses
computers sees every answer at once instead of hunting in a drop-down.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.flow import Step
from kiosk.payload import Education, WorkStatus
from ui.screens.wizard import ChoiceGroup, WizardScreen


class ProfileScreen(WizardScreen):
    screen_name = "profile"
    step = 6
    flow_step = Step.PROFILE

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # One question per page: seven education levels, then the work status.
        self.begin_page()
        self.education = ChoiceGroup(3, self.form)
        for value in Education:
            self.education.add_choice(value.value)
        self.fields["education"] = self.education
        self.register_page_field("education")
        self.page_layout().addWidget(self.education)
        self.begin_page()
        self.work = ChoiceGroup(2, self.form)
        for value in WorkStatus:
            self.work.add_choice(value.value)
        self.fields["work_status"] = self.work
        self.register_page_field("work_status")
        self.page_layout().addWidget(self.work)
        self.finish_form()

    def retranslate_content(self) -> None:
        self.title_label.setText(self.tr("Pendidikan dan pekerjaan"))
        self.hint_label.setText(self.tr("Pilih satu jawaban untuk setiap pertanyaan."))
        self.education.label.setText(self.tr("Pendidikan terakhir"))
        edu = {
            Education.NONE: self.tr("Tidak sekolah"),
            Education.SD: self.tr("SD"),
            Education.SMP: self.tr("SMP"),
            Education.SMA: self.tr("SMA/SMK"),
            Education.D1_D3: self.tr("D1–D3"),
            Education.D4_S1: self.tr("D4/S1"),
            Education.S2_S3: self.tr("S2/S3"),
        }
        for value, text in edu.items():
            self.education.buttons[value.value].setText(text)
        self.work.label.setText(self.tr("Status pekerjaan sekarang"))
        work = {
            WorkStatus.NOT_WORKING: self.tr("Tidak bekerja"),
            WorkStatus.LAID_OFF: self.tr("Korban PHK"),
            WorkStatus.WORKING: self.tr("Bekerja"),
            WorkStatus.BUSINESS_OWNER: self.tr("Wirausaha"),
        }
        for value, text in work.items():
            self.work.buttons[value.value].setText(text)

    def collect_content(self) -> dict[str, Any]:
        return {"education": self.education.value(), "work_status": self.work.value()}

    def load(self, values: dict[str, Any]) -> None:
        self.education.set_value(str(values.get("education") or ""))
        self.work.set_value(str(values.get("work_status") or ""))

    def clear_content(self) -> None:
        self.education.clear()
        self.work.clear()
