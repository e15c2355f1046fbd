"""Pernyataan Pendaftar: one yes/no row per statement of ``kiosk.declaration.STATEMENTS``.

Why rows drawn from data: the statements change with programme rules; the core owns their wording in
both languages and the refusal that explains kindly why "Tidak" ends the registration. The screen
shows that explanation under the row and keeps the answer, so a mistaken tap is fixed in one touch.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from kiosk.declaration import STATEMENTS, Statement
from kiosk.flow import Step
from ui.screens.wizard import ChoiceGroup, WizardScreen

PER_PAGE = 2


class DeclarationScreen(WizardScreen):
    screen_name = "declaration"
    step = 9
    flow_step = Step.DECLARATION

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: dict[str, ChoiceGroup] = {}
        self._statements: dict[str, Statement] = {}
        for index, statement in enumerate(STATEMENTS):
            if index % PER_PAGE == 0:
                self.begin_page()
            row = ChoiceGroup(2, self.form)
            row.setObjectName("statementRow")
            # Values keep the payload's meaning ("yes": the statement holds); the buttons read Ya/Tidak
            # as the answer to the direct question, always Ya on the left.
            for value in ("yes", "no") if statement.qualifying else ("no", "yes"):
                row.add_choice(value)
            self.rows[statement.id] = row
            self._statements[statement.id] = statement
            self.fields[f"declaration.{statement.id}"] = row
            self.register_page_field(f"declaration.{statement.id}")
            self.page_layout().addWidget(row)
        self.truth_note = QLabel(self.form)
        self.truth_note.setWordWrap(True)
        self.truth_note.setObjectName("noteBox")
        self.page_layout().addWidget(self.truth_note)
        self.finish_form()

    def _field_key(self, name: str) -> str:
        return name if name in self.fields else f"declaration.{name}"

    def language_updated(self) -> None:
        self.retranslate_content()

    def retranslate_content(self) -> None:
        self.title_label.setText(self.tr("Pernyataan Pendaftar"))
        self.hint_label.setText(self.tr("Jawab setiap pertanyaan dengan jujur."))
        for sid, row in self.rows.items():
            statement = self._statements[sid]
            row.label.setText(statement.question.text(self.language))
            ya, tidak = ("yes", "no") if statement.qualifying else ("no", "yes")
            row.buttons[ya].setText(self.tr("Ya"))
            row.buttons[tidak].setText(self.tr("Tidak"))
        self.truth_note.setText(self.tr("Data yang tidak benar dapat membuat pendaftaran Anda dibatalkan."))

    def collect_content(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for sid, row in self.rows.items():
            answer = row.value()
            values[sid] = True if answer == "yes" else False if answer == "no" else None
        return values

    def load(self, values: dict[str, Any]) -> None:
        for sid, row in self.rows.items():
            value = values.get(sid)
            row.set_value("yes" if value is True else "no" if value is False else "")

    def clear_content(self) -> None:
        for row in self.rows.values():
            row.clear()
