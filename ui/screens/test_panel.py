"""The whole test as one embeddable widget: explanation → questions → "done".

Why a panel: ``ui.screens.test_step.TestStepScreen`` hosts "whatever widget the test provides" and takes
its answers through ``set_answers``. This panel owns the three pages and the per-applicant
:class:`~kiosk.test_session.TestSession` (a new random seed each time), and is wiped by :meth:`clear`
(idle wipe, cancel) so nothing of one applicant's test survives into the next.

Wiring (done by the shell): ``panel.finished.connect(step.set_answers)``; call ``panel.set_language``
on language changes; give the panel a :class:`~kiosk.testbank.BankChoice` from
``BankStore.current(server_key)`` (refreshed off the GUI thread with ``BankStore.refresh``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from kiosk.i18n import Language, Message
from kiosk.payload import TestAnswers
from kiosk.test_session import Clock, TestSession
from kiosk.testbank import BankChoice, BankError
from ui.screens.base import Screen
from ui.screens.test_intro import TestIntroScreen
from ui.screens.test_question import TestQuestionScreen


class TestPanel(Screen):
    """Explanation, questions and a closing page; emits :attr:`finished` with the ``TestAnswers``."""

    __test__ = False
    screen_name = "test_panel"
    step = None

    finished = Signal(object)

    def __init__(self, parent: QWidget | None = None, clock: Clock | None = None) -> None:
        super().__init__(parent)
        self._clock = clock
        self._choice: BankChoice | None = None
        self._language: Language = "id"
        self.answers: TestAnswers | None = None
        self.stack = QStackedWidget(self)
        self.intro = TestIntroScreen(self.stack)
        self.question = TestQuestionScreen(self.stack)
        self.done_label = QLabel(self.stack)
        self.done_label.setObjectName("titleLabel")
        self.done_label.setWordWrap(True)
        self.done_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for page in (self.intro, self.question, self.done_label):
            self.stack.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.intro.start_requested.connect(self.start)
        self.question.finished.connect(self._on_finished)
        self.retranslate()

    def load(self, choice: BankChoice) -> None:
        """Use the bank in ``choice`` (its ``problem``, if any, is shown to the operator)."""
        self._choice = choice
        self.intro.set_bank(choice.bank.bank, choice.problem)

    def show_unavailable(self, error: BankError) -> None:
        """No bank can be used: the explanation page says so and "Mulai Tes" stays disabled."""
        self._choice = None
        self.intro.set_unavailable(error.message)

    def start(self) -> None:
        """Begin a new sitting with a fresh random seed (recorded in the answers)."""
        if self._choice is None:
            return
        session = TestSession(self._choice.bank.bank, clock=self._clock)
        self.answers = None
        self.question.begin(session)
        self.stack.setCurrentWidget(self.question)

    def clear(self) -> None:
        """Forget this applicant's test (idle wipe, cancel) and go back to the explanation page."""
        self.question.stop()
        self.answers = None
        self.stack.setCurrentWidget(self.intro)

    def set_language(self, language: str) -> None:
        """Bank texts follow ``language``."""
        self._language = "en" if language == "en" else "id"
        self.intro.set_language(language)
        self.question.set_language(language)

    def _on_finished(self, answers: TestAnswers) -> None:
        self.answers = answers
        self.retranslate()
        self.stack.setCurrentWidget(self.done_label)
        self.finished.emit(answers)

    def retranslate(self) -> None:
        if self.answers is not None and self.answers.timed_out:
            text = self.tr("Waktu habis. Jawaban yang sudah Anda isi tersimpan. Tekan Lanjut.")
        else:
            text = self.tr("Tes selesai. Jawaban Anda tersimpan. Tekan Lanjut.")
        self.done_label.setText(text)

    def spoken_text(self) -> str:
        current = self.stack.currentWidget()
        if isinstance(current, Screen):
            return current.spoken_text()
        return self.done_label.text()

    def operator_problem(self) -> Message | None:
        """The operator's note for the bank in use (a refused download), if any."""
        return self._choice.problem if self._choice else None
