"""Explanation screen of the Tes Motivasi dan Kemampuan Dasar, shown before the countdown starts.

Why a separate screen: the timer must not run while the applicant (or the officer beside them) reads
how the test works. The title, instructions, number of questions and time limit all come from the
signed bank in the chosen language; only the frame ("Mulai Tes", "%1 soal, %2 menit") is translated with
``tr()``. When the kiosk refused a downloaded bank, the operator's message is shown in a note so staff
know an older bank is in use.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.i18n import Language, Message
from kiosk.testbank import Bank
from ui.screens.base import Screen
from ui.widgets.big_button import BigButton


class TestIntroScreen(Screen):
    """Title, instructions and facts of the bank, and the "Mulai Tes" button."""

    __test__ = False
    screen_name = "test_intro"
    step = None

    start_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bank: Bank | None = None
        self._problem: Message | None = None
        self._language: Language = "id"
        self.title_label = QLabel(self)
        self.title_label.setObjectName("testIntroTitle")
        self.title_label.setWordWrap(True)
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.instructions_label = QLabel(self)
        self.instructions_label.setObjectName("testIntroText")
        self.instructions_label.setWordWrap(True)
        self.facts_label = QLabel(self)
        self.facts_label.setObjectName("testIntroFacts")
        self.facts_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.operator_note = QLabel(self)
        self.operator_note.setObjectName("noteBox")
        self.operator_note.setWordWrap(True)
        self.start_button = BigButton("", self, role="primary")
        self.start_button.setObjectName("startTestButton")
        self.start_button.setMinimumSize(320, 88)
        self.start_button.clicked.connect(self.start_requested)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 4, 24, 4)
        layout.setSpacing(10)
        layout.addStretch(1)
        layout.addWidget(self.title_label)
        layout.addWidget(self.instructions_label)
        layout.addWidget(self.facts_label)
        layout.addWidget(self.operator_note)
        layout.addStretch(1)
        layout.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        self.retranslate()

    def set_bank(self, bank: Bank, problem: Message | None = None) -> None:
        """Show ``bank``; ``problem`` is the operator's note when a newer bank was refused."""
        self._bank = bank
        self._problem = problem
        self.retranslate()

    def set_unavailable(self, problem: Message) -> None:
        """No usable bank: say so, keep "Mulai Tes" disabled and show why to the operator."""
        self._bank = None
        self._problem = problem
        self.retranslate()

    def set_language(self, language: str) -> None:
        """Bank texts follow the applicant's language (the frame follows Qt's translator)."""
        self._language = "en" if language == "en" else "id"
        self.retranslate()

    def retranslate(self) -> None:
        self.start_button.setText(self.tr("Mulai Tes"))
        self.start_button.setEnabled(self._bank is not None)
        if self._bank is None:
            self.title_label.setText(self.tr("Tes Motivasi dan Kemampuan Dasar"))
            self.instructions_label.setText(self.tr("Bank soal belum tersedia."))
            self.facts_label.setText("")
        else:
            bank = self._bank
            self.title_label.setText(bank.title.text(self._language))
            self.instructions_label.setText(bank.instructions.text(self._language))
            minutes = max(1, round(bank.time_limit_s / 60))
            self.facts_label.setText(
                self.tr("%1 soal · waktu %2 menit")
                .replace("%1", str(len(bank.questions)))
                .replace("%2", str(minutes))
            )
        self.operator_note.setText(
            self.tr("Untuk petugas: %1").replace("%1", self._problem.text(self._language))
            if self._problem
            else ""
        )
        self.operator_note.setVisible(self._problem is not None)

    def initial_focus(self) -> QWidget | None:
        return self.start_button

    def spoken_text(self) -> str:
        return " ".join(
            t for t in (self.title_label.text(), self.instructions_label.text(), self.facts_label.text()) if t
        )
