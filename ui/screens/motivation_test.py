"""The Tes Motivasi dan Kemampuan Dasar step: hosts the test screens, full screen, when installed.

Why a host: the test is its own piece of work (its own screens, timer and signed question bank). This
step embeds whatever widget the test package provides and passes its finished answers to the flow as
``{"test": answers}``. When no test widget is available the step says the test is taken later (the
flow is then built with ``test_required=False``: the payload's ``test`` is optional).

Why the test is its own full-screen mode (issue 16): inside the wizard's scrolling form the options
were below the fold, two navigation rows were stacked and the wizard's "Kembali" left the test while
its countdown kept running. So the embedded test takes the whole screen area, outside any scroll
area, and the wizard's own title, hint and navigation are shown by *stage*:

* ``intro`` — the explanation with "Mulai Tes": the wizard's "Batal" and "Kembali" stay (nothing has
  started), its "Lanjut" is hidden (there is nothing to go on to yet);
* ``question`` — the questions: the wizard's title, hint and navigation are hidden; the test's own
  row ("Sebelumnya", "Akhiri Tes", "Berikutnya") is the only one, and ending asks first;
* ``done`` — the answers are kept: "Lanjut" comes back.

The controller reads :attr:`TestStepScreen.stage` (and :attr:`stage_changed`) for the idle policy.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from kiosk.flow import Step
from ui.screens.wizard import WizardScreen

INTRO = "intro"
QUESTION = "question"
DONE = "done"


class TestStepScreen(WizardScreen):
    screen_name = "test"
    step = 10
    flow_step = Step.TEST

    #: ``"intro"``, ``"question"`` or ``"done"`` — the wizard shows its navigation by stage.
    stage_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None, embedded: QWidget | None = None) -> None:
        super().__init__(parent)
        self.embedded = embedded
        self.answers: Any = None
        self.stage = INTRO
        self.note = QLabel(self.form)
        self.note.setObjectName("noteBox")
        self.note.setWordWrap(True)
        self.form_layout.addWidget(self.note)
        if embedded is not None:
            # Outside the scroll area: the test is laid out for the screen, never scrolled.
            self.scroll.hide()
            embedded.setParent(self)
            outer = self.layout()
            assert isinstance(outer, QVBoxLayout)
            for i in range(outer.count()):
                if outer.itemAt(i).layout() is self.content_layout:
                    outer.setStretch(i, 0)
                    outer.insertWidget(i, embedded, 1)
                    break
            self.fields["test"] = _NoteTarget(self.note)
            stack = getattr(embedded, "stack", None)
            if stack is not None:
                stack.currentChanged.connect(lambda _i: self._update_stage())
        self.finish_form()
        self._update_stage()

    def _update_stage(self) -> None:
        stage = self._stage_of_embedded()
        in_question = stage == QUESTION
        for widget in (self.cancel_button, self.back_button):
            widget.setVisible(not in_question)
        # The intro page has its own title (the bank's) and instructions: the wizard's would repeat them.
        self.title_label.setVisible(stage == DONE or self.embedded is None)
        self.hint_label.setVisible(self.embedded is None)  # the done page says "Tekan Lanjut" itself
        self.next_button.setVisible(stage == DONE or self.embedded is None)
        if self.embedded is not None:
            self.note.setVisible(False)
        if stage != self.stage:
            self.stage = stage
            self.retranslate_content()
            self.stage_changed.emit(stage)

    def _stage_of_embedded(self) -> str:
        embedded = self.embedded
        if embedded is None:
            return DONE
        stack = getattr(embedded, "stack", None)
        current = stack.currentWidget() if stack is not None else None
        if current is not None and current is getattr(embedded, "question", None):
            return QUESTION
        if self.answers is not None or (
            current is not None and current is getattr(embedded, "done_label", None)
        ):
            return DONE
        return INTRO

    def initial_focus(self) -> QWidget | None:
        """The stage's main action has the focus (never "Batal")."""
        if self.stage == DONE or self.embedded is None:
            return self.next_button
        page = getattr(self.embedded, "intro" if self.stage == INTRO else "question", None)
        focus = getattr(page, "initial_focus", None)
        return focus() if callable(focus) else None

    def set_answers(self, answers: Any) -> None:
        """The embedded test finished; its answers go to the flow on "Lanjut"."""
        self.answers = answers
        self.retranslate_content()
        self._update_stage()

    def end_test_keeping_answers(self) -> bool:
        """End a running test now (idle policy): the answers given so far are kept. False if none runs."""
        question = getattr(self.embedded, "question", None)
        session = getattr(question, "session", None)
        if question is None or session is None:
            return False
        session.finish()
        question._end()
        return True

    def retranslate_content(self) -> None:
        self.title_label.setText(self.tr("Tes Motivasi dan Kemampuan Dasar"))
        if self.embedded is None:
            self.hint_label.setText(self.tr("Tes dikerjakan nanti."))
            self.note.setText(
                self.tr("Tes belum tersedia di kiosk ini. Cara mengerjakan tes dikirim lewat SMS/e-mail.")
            )
            self.note.setVisible(True)
        else:
            self.hint_label.setText("")

    def collect_content(self) -> dict[str, Any]:
        return {"test": self.answers} if self.answers is not None else {}

    def clear_content(self) -> None:
        self.answers = None
        clear = getattr(self.embedded, "clear", None)
        if callable(clear):
            clear()
        self.retranslate_content()
        self._update_stage()


class _NoteTarget:
    """Problems about the test are shown in the note line (the embedded widget has its own UI)."""

    def __init__(self, label: QLabel) -> None:
        self._label = label

    def set_error(self, message: str | None) -> None:
        if message:
            self._label.setText("⚠ " + message)
            self._label.show()
