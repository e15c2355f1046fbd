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
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.i18n import Language
from kiosk.test_session import SessionFinished, TestSession, TimeUp, TimeWarning
from ui.screens.base import Screen
from ui.widgets.big_button import BigButton
from ui.widgets.wrap_button import WrapButton

MAX_OPTIONS = 9
TICK_MS = 500
PICTURE_MAX_WIDTH = 520
LONG_PROMPT_CHARS = 140
SHORT_OPTION_CHARS = 24


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

        # The fixed bar: "Soal 3 dari 20 · Sisa waktu 14:32" in large type, amber after a warning.
        self.bar = QFrame(self)
        self.bar.setObjectName("testBar")
        self.progress_label = QLabel(self.bar)
        self.progress_label.setObjectName("testProgress")
        self.separator_label = QLabel("·", self.bar)
        self.separator_label.setObjectName("testProgress")
        self.timer_label = QLabel(self.bar)
        self.timer_label.setObjectName("testTimer")
        self.warning_label = QLabel(self.bar)
        self.warning_label.setObjectName("testWarning")
        self.warning_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.warning_label.setWordWrap(True)
        self.warning_label.hide()
        top = QHBoxLayout(self.bar)
        top.setContentsMargins(20, 6, 20, 6)
        top.setSpacing(14)
        top.addWidget(self.progress_label)
        top.addWidget(self.separator_label)
        top.addWidget(self.timer_label)
        top.addStretch(0)
        top.addWidget(self.warning_label, 1)
        self.section_label = QLabel(self)
        self.section_label.setObjectName("testSection")
        self.section_label.setWordWrap(True)
        self.prompt_label = QLabel(self)
        self.prompt_label.setObjectName("testPrompt")
        self.prompt_label.setWordWrap(True)
        self.prompt_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.picture_label = _PictureLabel(self)
        self.picture_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.picture_label.resized.connect(self._scale_picture)
        self.picture_label.hide()
        self._picture: QPixmap | None = None

        # Question and every option are visible at once: options sit in a grid whose shape follows the
        # question (a row for a scale, two columns for short answers, one column beside a long text or
        # a picture); option texts wrap instead of being cut.
        self.option_group = QButtonGroup(self)
        self.option_group.setExclusive(True)
        self.option_buttons: list[WrapButton] = []
        self.options_grid = QGridLayout()
        self.options_grid.setSpacing(10)
        for i in range(MAX_OPTIONS):
            button = WrapButton("", self, role="choice")
            button.setCheckable(True)
            button.setObjectName(f"option{i}")
            button.clicked.connect(lambda _checked=False, index=i: self.choose(index))
            self.option_group.addButton(button, i)
            self.option_buttons.append(button)
        self.question_box = QVBoxLayout()
        self.question_box.setSpacing(8)
        self.question_box.addWidget(self.prompt_label)
        self.question_box.addWidget(self.picture_label, 1)
        self.body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.body.setSpacing(16)
        self.body.addLayout(self.question_box, 1)
        self.body.addLayout(self.options_grid, 1)
        self.body.addStretch(0)  # under a short question the options follow it, the rest is space

        # One navigation row; "Akhiri Tes" turns it into the question "end the test now?".
        self.back_button = BigButton("", self, role="secondary")
        self.back_button.setObjectName("testBackButton")
        self.back_button.clicked.connect(self.go_back)
        self.next_button = BigButton("", self, role="primary")
        self.next_button.setObjectName("testNextButton")
        self.next_button.clicked.connect(self.go_next)
        self.finish_button = BigButton("", self, role="secondary")
        self.finish_button.setObjectName("endTestButton")
        self.finish_button.clicked.connect(self.request_finish)
        self.nav_row = QWidget(self)
        nav = QHBoxLayout(self.nav_row)
        nav.setContentsMargins(0, 0, 0, 0)
        nav.addWidget(self.back_button)
        nav.addStretch(1)
        nav.addWidget(self.finish_button)
        nav.addWidget(self.next_button)
        self.confirm_row = QWidget(self)
        self.confirm_label = QLabel(self.confirm_row)
        self.confirm_label.setObjectName("warningBox")
        self.confirm_label.setWordWrap(True)
        self.keep_button = BigButton("", self.confirm_row, role="primary")
        self.keep_button.setObjectName("keepTestButton")
        self.keep_button.clicked.connect(self.cancel_finish)
        self.end_button = BigButton("", self.confirm_row, role="secondary")
        self.end_button.setObjectName("confirmEndTestButton")
        self.end_button.clicked.connect(self.request_finish)
        confirm = QVBoxLayout(self.confirm_row)
        confirm.setContentsMargins(0, 0, 0, 0)
        confirm.setSpacing(6)
        confirm.addWidget(self.confirm_label)
        choices = QHBoxLayout()
        choices.addWidget(self.end_button)
        choices.addStretch(1)
        choices.addWidget(self.keep_button)
        confirm.addLayout(choices)
        self.confirm_row.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 8, 24, 8)
        layout.setSpacing(10)
        layout.addWidget(self.bar)
        layout.addWidget(self.section_label)
        layout.addLayout(self.body, 1)
        layout.addWidget(self.nav_row)
        layout.addWidget(self.confirm_row)

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
        """ "Akhiri Tes" asks first ("end the test now?", with what is unanswered); the second press ends.

        Why always ask: ending is final (answers cannot be changed afterwards) and the button sits in the
        same row as "Berikutnya"; the safe choice, back to the questions, has the focus.
        """
        session = self.session
        if session is None:
            return
        if not self._confirming:
            self._confirming = True
            self.retranslate()
            self.keep_button.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        session.finish()
        self._end()

    def cancel_finish(self) -> None:
        """ "Tidak, kembali ke soal": the question and its navigation row come back."""
        self._confirming = False
        self.retranslate()

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
            self._set_bar_warning(False)
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
        self._set_bar_warning(self._warning_s is not None)

    def _set_bar_warning(self, on: bool) -> None:
        if self.bar.property("warning") != on:
            self.bar.setProperty("warning", on)
            for widget in (self.bar, self.progress_label, self.separator_label, self.timer_label):
                widget.style().unpolish(widget)
                widget.style().polish(widget)

    def retranslate(self) -> None:
        self.back_button.setText(self.tr("◀ Sebelumnya"))
        self.next_button.setText(self.tr("Berikutnya ▶"))
        self.finish_button.setText(self.tr("Akhiri Tes"))
        self.end_button.setText(self.tr("Ya, akhiri tes"))
        self.keep_button.setText(self.tr("Tidak, kembali ke soal"))
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
            self.confirm_row.hide()
            self.nav_row.show()
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
        prompt = question.prompt.text(lang)
        self.prompt_label.setText(prompt)
        long_text = len(prompt) > LONG_PROMPT_CHARS * 2
        if self.prompt_label.property("long") != long_text:
            self.prompt_label.setProperty("long", long_text)
            self.prompt_label.style().unpolish(self.prompt_label)
            self.prompt_label.style().polish(self.prompt_label)
        # A reading passage needs every line: its section's instruction says no more than the passage.
        self.section_label.setVisible(not long_text)
        if question.picture is not None:
            pixmap = QPixmap()
            if pixmap.loadFromData(question.picture.png(), "PNG"):
                self._picture = pixmap
                self.picture_label.setText("")
            else:
                self._picture = None
                self.picture_label.setText(question.picture.alt.text(lang))
            self.picture_label.setAccessibleDescription(question.picture.alt.text(lang))
            self.picture_label.show()
            self._scale_picture()
        else:
            self._picture = None
            self.picture_label.clear()
            self.picture_label.hide()
        options = section.options_for(question)
        texts = [o.text.text(lang) for o in options]
        beside = question.picture is not None or len(prompt) > LONG_PROMPT_CHARS
        if section.kind == "likert":
            columns = max(1, len(options))
        elif beside:
            columns = 1
        elif all(len(t) <= SHORT_OPTION_CHARS for t in texts):
            columns = min(4, max(1, len(options)))
        else:
            columns = 2
        self._arrange(len(options), columns, beside)
        chosen = session.answer_at()
        self.option_group.setExclusive(False)  # an exclusive group cannot be emptied otherwise
        for i, button in enumerate(self.option_buttons):
            if i < len(options):
                button.setText(texts[i])
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
        # On the last question ending the test is the main action; before it, "Berikutnya" is.
        self.finish_button.set_role("primary" if session.is_last else "secondary")
        self.finish_button.setEnabled(True)
        missing = len(session.unanswered())
        if self._confirming:
            if missing:
                text = self.tr("Masih ada %1 soal yang belum dijawab. Akhiri tes sekarang?").replace(
                    "%1", str(missing)
                )
            else:
                text = self.tr("Semua soal sudah dijawab. Akhiri tes sekarang?")
            self.confirm_label.setText(text)
        self.nav_row.setVisible(not self._confirming)
        self.confirm_row.setVisible(self._confirming)
        self._render_timer()

    def _arrange(self, count: int, columns: int, beside: bool) -> None:
        """Put the first ``count`` option buttons in a grid of ``columns``; beside the question or under it."""
        for button in self.option_buttons:
            self.options_grid.removeWidget(button)
        for i in range(count):
            self.options_grid.addWidget(self.option_buttons[i], i // columns, i % columns)
        for column in range(MAX_OPTIONS):
            self.options_grid.setColumnStretch(column, 1 if column < columns else 0)
        self.body.setDirection(
            QBoxLayout.Direction.LeftToRight if beside else QBoxLayout.Direction.TopToBottom
        )
        self.body.setStretch(0, 1 if beside else 0)
        self.body.setStretch(1, 1 if beside else 0)
        self.body.setStretch(2, 0 if beside else 1)

    def _scale_picture(self) -> None:
        """Fit the picture into the space the layout left for it (never larger than drawn)."""
        if self._picture is None:
            return
        width = max(120, min(PICTURE_MAX_WIDTH, self.picture_label.width()))
        height = max(90, self.picture_label.height())
        scaled = self._picture
        if scaled.width() > width or scaled.height() > height:
            scaled = scaled.scaled(
                width,
                height,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        self.picture_label.setPixmap(scaled)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._scale_picture()

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


class _PictureLabel(QLabel):
    """A picture that takes the room the layout gives it (its pixmap is rescaled on every resize)."""

    resized = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.setMinimumSize(160, 120)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit()
