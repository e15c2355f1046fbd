"""One question per screen: progress, countdown with warnings, large options, back/next, finish.

Why this is a thin view: every rule (order, changing answers, warnings at 5 and 1 minute, time-out
keeping the answers) lives in the Qt-free :class:`kiosk.test_session.TestSession`. This screen shows
its state and forwards touches; a ``QTimer`` calls :meth:`TestQuestionScreen.tick` twice a second, and
tests call ``tick()`` themselves after moving a :class:`kiosk.test_session.ManualClock`.

Option buttons are created once (the most any question can have) and shown or hidden per question, as
``Screen`` asks: ``retranslate`` only sets texts. Question texts come from the bank in the applicant's
language (:meth:`set_language`); the frame goes through ``tr()``.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.i18n import Language
from kiosk.test_session import SessionFinished, TestSession, TimeUp, TimeWarning
from ui.screens.base import Screen
from ui.widgets.big_button import BigButton

MAX_OPTIONS = 9
TICK_MS = 500
PICTURE_MAX_WIDTH = 520


class TestQuestionScreen(Screen):
    """Shows :attr:`session`'s current question. Emits :attr:`finished` with the ``TestAnswers``."""

    __test__ = False
    screen_name = "test_question"
    step = None

    #: ``kiosk.payload.TestAnswers`` — on "Selesai" or when time runs out (answers kept).
    finished = Signal(object)
    #: Remaining seconds of a warning threshold just reached (300, 60): the shell may speak it.
    time_warning = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: TestSession | None = None
        self._language: Language = "id"
        self._warning_s: int | None = None
        self._confirming = False

        self.progress_label = QLabel(self)
        self.progress_label.setObjectName("testProgress")
        self.timer_label = QLabel(self)
        self.timer_label.setObjectName("testTimer")
        self.timer_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top = QHBoxLayout()
        top.addWidget(self.progress_label, 1)
        top.addWidget(self.timer_label, 1)
        self.warning_label = QLabel(self)
        self.warning_label.setObjectName("noteBox")
        self.warning_label.setWordWrap(True)
        self.warning_label.hide()
        self.section_label = QLabel(self)
        self.section_label.setObjectName("hintLabel")
        self.section_label.setWordWrap(True)
        self.prompt_label = QLabel(self)
        self.prompt_label.setObjectName("titleLabel")
        self.prompt_label.setWordWrap(True)
        self.picture_label = QLabel(self)
        self.picture_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture_label.hide()

        self.option_group = QButtonGroup(self)
        self.option_group.setExclusive(True)
        self.option_buttons: list[BigButton] = []
        options_box = QVBoxLayout()
        options_box.setSpacing(12)
        for i in range(MAX_OPTIONS):
            button = BigButton("", self, role="choice")
            button.setCheckable(True)
            button.setObjectName(f"option{i}")
            button.clicked.connect(lambda _checked=False, index=i: self.choose(index))
            self.option_group.addButton(button, i)
            self.option_buttons.append(button)
            options_box.addWidget(button)

        self.confirm_label = QLabel(self)
        self.confirm_label.setObjectName("noteBox")
        self.confirm_label.setWordWrap(True)
        self.confirm_label.hide()
        self.back_button = BigButton("", self, role="secondary")
        self.back_button.clicked.connect(self.go_back)
        self.next_button = BigButton("", self, role="primary")
        self.next_button.clicked.connect(self.go_next)
        self.finish_button = BigButton("", self, role="primary")
        self.finish_button.clicked.connect(self.request_finish)
        nav = QHBoxLayout()
        nav.addWidget(self.back_button)
        nav.addStretch(1)
        nav.addWidget(self.next_button)
        nav.addWidget(self.finish_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 16, 48, 16)
        layout.setSpacing(14)
        layout.addLayout(top)
        layout.addWidget(self.warning_label)
        layout.addWidget(self.section_label)
        layout.addWidget(self.prompt_label)
        layout.addWidget(self.picture_label)
        layout.addLayout(options_box)
        layout.addStretch(1)
        layout.addWidget(self.confirm_label)
        layout.addLayout(nav)

        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        self.retranslate()

    # ------------------------------------------------------------------------------ lifecycle
    def begin(self, session: TestSession) -> None:
        """Start showing ``session`` (starts its countdown) from its first question."""
        self.session = session
        self._warning_s = None
        self._confirming = False
        session.start()
        session.go_to(0)
        self.timer.start()
        self.retranslate()

    def stop(self) -> None:
        """Stop the countdown display and forget the session (idle wipe, cancel)."""
        self.timer.stop()
        self.session = None
        self._warning_s = None
        self._confirming = False
        self.retranslate()

    def set_language(self, language: str) -> None:
        """Show the bank's texts in ``language``."""
        self._language = "en" if language == "en" else "id"
        self.retranslate()

    # -------------------------------------------------------------------------------- actions
    def tick(self) -> None:
        """Poll the session's clock: update the countdown, raise warnings, end at the limit."""
        session = self.session
        if session is None:
            return
        for event in session.poll():
            if isinstance(event, TimeWarning):
                self._warning_s = event.threshold_s
                self.time_warning.emit(event.threshold_s)
            elif isinstance(event, TimeUp):
                self._end()
                return
        self._render_timer()

    def choose(self, index: int) -> None:
        """The applicant touched option ``index`` of the question on screen."""
        session = self.session
        if session is None:
            return
        options = session.options()
        if not 0 <= index < len(options):
            return
        try:
            session.answer(options[index].id)
        except SessionFinished:
            self.tick()
            if session.finished:
                self._end()
            return
        self._confirming = False
        self.retranslate()

    def go_back(self) -> None:
        """Previous question (its answer is shown and can be changed)."""
        if self.session is not None and self.session.back():
            self._confirming = False
            self.retranslate()

    def go_next(self) -> None:
        """Next question."""
        if self.session is not None and self.session.next():
            self._confirming = False
            self.retranslate()

    def request_finish(self) -> None:
        """ "Selesai": with unanswered questions the first press asks to confirm, the second ends."""
        session = self.session
        if session is None:
            return
        if session.unanswered() and not self._confirming:
            self._confirming = True
            self.retranslate()
            return
        session.finish()
        self._end()

    def _end(self) -> None:
        session = self.session
        self.timer.stop()
        if session is None or session.result is None:
            return
        result = session.result
        self.session = None
        self.retranslate()
        self.finished.emit(result)

    # ------------------------------------------------------------------------------ rendering
    def _render_timer(self) -> None:
        session = self.session
        if session is None:
            self.timer_label.setText("")
            self.warning_label.hide()
            return
        left = max(0, math.ceil(session.remaining_s()))
        clock = f"{left // 60:02d}:{left % 60:02d}"
        self.timer_label.setText(self.tr("Sisa waktu %1").replace("%1", clock))
        self.timer_label.setAccessibleName(self.timer_label.text())
        if self._warning_s is not None:
            minutes = max(1, round(self._warning_s / 60))
            self.warning_label.setText(
                "⚠ " + self.tr("Waktu tinggal %1 menit lagi.").replace("%1", str(minutes))
                if minutes != 1
                else "⚠ " + self.tr("Waktu tinggal 1 menit lagi. Periksa jawaban Anda.")
            )
            self.warning_label.show()
        else:
            self.warning_label.hide()

    def retranslate(self) -> None:
        self.back_button.setText(self.tr("◀ Sebelumnya"))
        self.next_button.setText(self.tr("Berikutnya ▶"))
        self.finish_button.setText(self.tr("Selesai"))
        session = self.session
        if session is None:
            self.progress_label.setText("")
            self.section_label.setText("")
            self.prompt_label.setText("")
            self.picture_label.hide()
            for button in self.option_buttons:
                button.hide()
            for widget in (self.back_button, self.next_button, self.finish_button):
                widget.setEnabled(False)
            self.confirm_label.hide()
            self._render_timer()
            return
        lang = self._language
        section, question = session.question_at(session.position)
        self.progress_label.setText(
            self.tr("Soal %1 dari %2")
            .replace("%1", str(session.position + 1))
            .replace("%2", str(session.count))
        )
        self.section_label.setText(section.title.text(lang) + " — " + section.instructions.text(lang))
        self.prompt_label.setText(question.prompt.text(lang))
        if question.picture is not None:
            pixmap = QPixmap()
            if pixmap.loadFromData(question.picture.png(), "PNG"):
                if pixmap.width() > PICTURE_MAX_WIDTH:
                    pixmap = pixmap.scaledToWidth(
                        PICTURE_MAX_WIDTH, Qt.TransformationMode.SmoothTransformation
                    )
                self.picture_label.setPixmap(pixmap)
            else:
                self.picture_label.setText(question.picture.alt.text(lang))
            self.picture_label.setAccessibleDescription(question.picture.alt.text(lang))
            self.picture_label.show()
        else:
            self.picture_label.clear()
            self.picture_label.hide()
        options = section.options_for(question)
        chosen = session.answer_at()
        self.option_group.setExclusive(False)  # an exclusive group cannot be emptied otherwise
        for i, button in enumerate(self.option_buttons):
            if i < len(options):
                button.setText(options[i].text.text(lang))
                button.setChecked(options[i].id == chosen)
                button.setEnabled(not session.finished)
                button.show()
            else:
                button.setChecked(False)
                button.hide()
        self.option_group.setExclusive(True)
        self.back_button.setEnabled(session.position > 0)
        self.next_button.setVisible(not session.is_last)
        self.next_button.setEnabled(not session.is_last)
        self.finish_button.setEnabled(True)
        missing = len(session.unanswered())
        if self._confirming and missing:
            self.confirm_label.setText(
                self.tr(
                    "Masih ada %1 soal yang belum dijawab. Tekan Selesai sekali lagi untuk mengakhiri tes."
                ).replace("%1", str(missing))
            )
            self.confirm_label.show()
        else:
            self.confirm_label.hide()
        self._render_timer()

    def initial_focus(self) -> QWidget | None:
        return self.option_buttons[0]

    def spoken_text(self) -> str:
        """ "Bacakan": the question, the picture's description and the options, in the bank's language."""
        session = self.session
        if session is None:
            return ""
        lang = self._language
        section, question = session.question_at(session.position)
        parts = [self.progress_label.text(), question.prompt.text(lang)]
        if question.picture is not None:
            parts.append(question.picture.alt.text(lang))
        parts.extend(f"{i + 1}. {o.text.text(lang)}" for i, o in enumerate(section.options_for(question)))
        return " ".join(parts)
