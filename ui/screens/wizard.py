"""The frame every registration screen shares: title, hint, a scrolling form, an input panel, nav bar.

Why one frame: the applicant learns one layout once — the question at the top, the answer in the
middle, "Batal" bottom-left and "Lanjut" bottom-right, always in the same place — and the controller
drives every screen through the same four calls: :meth:`WizardScreen.collect` (what was typed, as the
flow's ``submit`` wants it), :meth:`WizardScreen.show_problems` (the core's messages next to their
fields, nothing typed is touched), :meth:`WizardScreen.set_language` (core messages follow the
language switch) and :meth:`WizardScreen.clear` (the idle wipe).

Problems whose field has no widget on the screen go to one general message line; a
:class:`~kiosk.flow.FieldWarning` (for example the NIK says another birth date) is shown next to its
field *and* as a check box "sesuai KTP" the person ticks to confirm; ticked flags go to ``confirm``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.flow import FieldWarning, Step
from kiosk.i18n import Language
from kiosk.payload import FieldProblem
from ui.screens.base import Screen
from ui.widgets.big_button import BigButton
from ui.widgets.error_text import show_error
from ui.widgets.keyboard import TextKeyboard
from ui.widgets.keypad import NumericKeypad
from ui.widgets.labeled_field import LabeledField
from ui.widgets.wrap_button import WrapButton


class ErrorTarget(Protocol):
    """Anything that can show an inline message (a field, a choice group, a photo panel)."""

    def set_error(self, message: str | None) -> None: ...


class ChoiceGroup(QWidget):
    """A question answered by one of several big buttons (exclusive), with an inline error line.

    Why buttons instead of a combo box: a drop-down list is hard to hit on a touch screen and hides
    the choices; people who rarely use computers do better when every answer is visible.
    """

    changed = Signal(str)
    in_summary = True  # its problem is listed in the screen's error summary (see WizardScreen)

    def __init__(self, columns: int = 2, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setObjectName("fieldLabel")
        self.label.setWordWrap(True)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("fieldError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._grid = QGridLayout()
        self._grid.setSpacing(10)
        self._columns = columns
        self.buttons: dict[str, WrapButton] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(self.label)
        layout.addLayout(self._grid)
        layout.addWidget(self.error_label)

    def add_choice(self, value: str) -> WrapButton:
        button = WrapButton("", self, role="choice")
        button.setCheckable(True)
        button.setMinimumWidth(120)
        index = len(self.buttons)
        self._grid.addWidget(button, index // self._columns, index % self._columns)
        self._group.addButton(button)
        button.clicked.connect(lambda _checked=False, v=value: self.changed.emit(v))
        self.buttons[value] = button
        return button

    def value(self) -> str:
        for value, button in self.buttons.items():
            if button.isChecked():
                return value
        return ""

    def set_value(self, value: str) -> None:
        button = self.buttons.get(value)
        if button is None:
            self.clear()
        else:
            button.setChecked(True)

    def clear(self) -> None:
        # An exclusive group never lets the last checked button go: lift exclusivity to uncheck.
        self._group.setExclusive(False)
        for button in self.buttons.values():
            button.setChecked(False)
        self._group.setExclusive(True)
        self.set_error(None)

    def set_error(self, message: str | None) -> None:
        self._error = message or None
        show_error(self.error_label, message)
        self.label.setText(self.label.text().removeprefix("⚠ "))
        if self._error:  # marked without the line under it (the summary says it): a sign, not colour
            self.label.setText("⚠ " + self.label.text())

    def error(self) -> str | None:
        """The problem currently marked on this question, or None."""
        return getattr(self, "_error", None)


class InputPanel(QStackedWidget):
    """The on-screen numeric keypad or text keyboard, whichever suits the focused field.

    Why one panel per screen that follows focus *within the screen*: the keypad types only into this
    screen's fields (a field on a hidden screen can never receive keys), and the panel shows digits for
    NIK, dates, phone, RT/RW and codes, letters for names and addresses.
    """

    def __init__(self, owner: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inputPanel")
        self._owner = owner
        self.keypad = NumericKeypad(self)
        self.keyboard = TextKeyboard(self)
        self.addWidget(self.keypad)
        self.addWidget(self.keyboard)
        self._numeric: set[QLineEdit] = set()
        self._text: set[QLineEdit] = set()
        self._email: set[QLineEdit] = set()
        self.order: list[QLineEdit] = []
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)

    def register(self, edit: QLineEdit, numeric: bool, email: bool = False) -> None:
        (self._numeric if numeric else self._text).add(edit)
        if email:
            self._email.add(edit)
        self.order.append(edit)

    def has_text_fields(self, edits: Sequence[QLineEdit] | None = None) -> bool:
        """True when the text keyboard is needed (it needs more width than the keypad)."""
        if edits is None:
            return bool(self._text)
        return any(e in self._text for e in edits)

    def show_for(self, edit: QLineEdit) -> None:
        """Point the matching pad at ``edit`` and show it."""
        if edit in self._numeric:
            self.keypad.set_target(edit)
            self.setCurrentWidget(self.keypad)
        elif edit in self._text:
            self.keyboard.set_email_mode(edit in self._email)
            self.keyboard.set_target(edit)
            self.setCurrentWidget(self.keyboard)

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if isinstance(new, QLineEdit) and self._owner.isAncestorOf(new):
            self.show_for(new)


class WizardScreen(Screen):
    """Base of the registration screens (views of one :class:`~kiosk.flow.Step`).

    Subclasses build their widgets into :attr:`form_layout`, register inline-error targets in
    :attr:`fields` (flow field name -> widget with ``set_error``), and implement
    :meth:`retranslate_content`, :meth:`collect`, :meth:`clear_content`.
    """

    flow_step: Step = Step.WELCOME
    next_requested = Signal()
    back_requested = Signal()
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None, *, input_panel: bool = False) -> None:
        super().__init__(parent)
        self._language: Language = "id"
        self._problems: list[FieldProblem] = []
        self.fields: dict[str, ErrorTarget] = {}
        self.pages: list[QWidget] = []
        self.page_fields: list[list[str]] = []
        self.current_page = 0
        self._page_layout: QVBoxLayout | None = None
        self.warning_boxes: dict[str, WrapButton] = {}
        self._warnings: list[FieldWarning] = []

        self.title_label = QLabel(self)
        self.title_label.setObjectName("screenTitle")
        self.title_label.setWordWrap(True)
        self.hint_label = QLabel(self)
        self.hint_label.setObjectName("screenHint")
        self.hint_label.setWordWrap(True)

        self.form = QWidget()
        self.form.setObjectName("form")
        self.form_layout = QVBoxLayout(self.form)
        self.form_layout.setContentsMargins(4, 4, 12, 4)
        self.form_layout.setSpacing(14)
        # The error summary and the warnings sit at the top of the form, where the person looks first
        # after pressing "Lanjut" (GOV.UK's error summary): each line names what to do and jumps to its
        # field; warnings the person may confirm are amber with one big "Ya, sudah sesuai KTP" toggle.
        self.summary = QFrame(self.form)
        self.summary.setObjectName("errorSummary")
        summary_layout = QVBoxLayout(self.summary)
        summary_layout.setContentsMargins(12, 8, 12, 8)
        summary_layout.setSpacing(4)
        self.summary_lines: list[QPushButton] = []
        self._summary_layout = summary_layout
        self.general_error = QLabel(self.summary)
        self.general_error.setObjectName("summaryText")
        self.general_error.setWordWrap(True)
        self.general_error.hide()
        summary_layout.addWidget(self.general_error)
        self.summary.hide()
        self.warnings_box = QFrame(self.form)
        self.warnings_box.setObjectName("warningSummary")
        self.warnings_layout = QVBoxLayout(self.warnings_box)
        self.warnings_layout.setContentsMargins(12, 8, 12, 8)
        self.warnings_layout.setSpacing(6)
        self.warnings_intro = QLabel(self.warnings_box)
        self.warnings_intro.setObjectName("warningText")
        self.warnings_intro.setWordWrap(True)
        self.warnings_layout.addWidget(self.warnings_intro)
        self.warnings_box.hide()
        self.form_layout.addWidget(self.summary)
        self.form_layout.addWidget(self.warnings_box)

        self.scroll = QScrollArea(self)
        self.scroll.setObjectName("formScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.form)

        self.input_panel: InputPanel | None = InputPanel(self, self) if input_panel else None
        content = QHBoxLayout()
        self.content_layout = content
        content.setSpacing(20)
        content.addWidget(self.scroll, 5)
        if self.input_panel is not None:
            content.addWidget(self.input_panel, 4)
            self.input_panel.keypad.ok_pressed.connect(self._on_pad_ok)
            self.input_panel.keyboard.ok_pressed.connect(self._on_pad_ok)

        self.cancel_button = BigButton("", self, role="danger")
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.back_button = BigButton("", self, role="secondary")
        self.back_button.setObjectName("backButton")
        self.back_button.clicked.connect(self.back_requested)
        self.next_button = BigButton("", self, role="primary")
        self.next_button.setObjectName("nextButton")
        self.next_button.clicked.connect(self.next_requested)
        self.nav = QHBoxLayout()
        self.nav.setSpacing(16)
        self.nav.addWidget(self.cancel_button)
        self.nav.addStretch(1)
        self.nav.addWidget(self.back_button)
        self.nav.addWidget(self.next_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 8, 28, 8)
        layout.setSpacing(6)
        layout.addWidget(self.title_label)
        layout.addWidget(self.hint_label)
        layout.addLayout(content, 1)
        layout.addLayout(self.nav)

    def resizeEvent(self, event: QResizeEvent) -> None:
        # The pad takes a fixed share of the width so the form keeps room for its labels and buttons
        # at 1024 px (the text keyboard needs ten keys of >= 40 px in a row).
        self._size_panel(event.size().width())
        super().resizeEvent(event)

    def _size_panel(self, width: int) -> None:
        panel = self.input_panel
        if panel is None:
            return
        edits = self.page_edits()
        panel.setVisible(bool(edits))  # a page of choices only needs no keypad
        share = 0.54 if panel.has_text_fields(edits) else 0.40
        panel.setFixedWidth(max(400, int(width * share)))
        if edits and panel.currentWidget() is panel.keyboard and not panel.has_text_fields(edits):
            panel.show_for(edits[0])
        elif (
            edits and panel.currentWidget() is panel.keypad and all(panel.has_text_fields([e]) for e in edits)
        ):
            panel.show_for(edits[0])

    def finish_form(self) -> None:
        """Subclasses call this after adding their widgets: appends the warning/message area."""
        self._page_layout = None
        self.form_layout.addStretch(1)
        if self.pages:
            self.go_to_page(0)
        self.retranslate()

    # -- pages: one question or one short group per page --------------------------------------------
    def begin_page(self) -> QVBoxLayout:
        """Start a page: widgets added from now on (``add_field`` or :meth:`page_layout`) belong to it.

        Why pages inside one step: at 1024×600 with the on-screen keyboard beside the form there is
        room for one or two questions; the flow still validates the step as a whole, so the
        controller moves page by page and only leaves the step when every page is done.
        """
        page = QWidget(self.form)
        page.setObjectName("formPage")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        self.form_layout.addWidget(page)
        self.pages.append(page)
        self.page_fields.append([])
        self._page_layout = layout
        return layout

    def page_layout(self) -> QVBoxLayout:
        """Where widgets go now: the current page, or the form itself when the screen has no pages."""
        return self._page_layout if self._page_layout is not None else self.form_layout

    def page_count(self) -> int:
        return max(1, len(self.pages))

    def page_of(self, field: str) -> int | None:
        """The page holding ``field`` (flow field names; "declaration.x" matches "x"), or None."""
        key = self._field_key(field)
        for index, names in enumerate(self.page_fields):
            if key in names:
                return index
        return None

    def go_to_page(self, index: int) -> None:
        """Show page ``index`` (negative counts from the end) and give its first field the focus."""
        if not self.pages:
            return
        index = index % len(self.pages)
        self.current_page = index
        for i, page in enumerate(self.pages):
            page.setVisible(i == index)
        self.scroll.verticalScrollBar().setValue(0)
        self._size_panel(self.width())
        self.page_changed()
        focus = self.initial_focus()
        if focus is not None and self.isVisible():
            focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def page_changed(self) -> None:
        """Hook: a screen whose hint or keyboard depends on the page updates them here."""

    def handle_back(self) -> bool:
        """Hook: True when "Kembali" was used inside the screen (e.g. it closed an open list)."""
        return False

    def page_edits(self) -> list[QLineEdit]:
        """The line edits of the page on screen (all of them when the screen has no pages)."""
        if self.input_panel is None:
            return []
        if not self.pages:
            return list(self.input_panel.order)
        page = self.pages[self.current_page]
        return [e for e in self.input_panel.order if page.isAncestorOf(e)]

    # -- language -----------------------------------------------------------------------------------
    @property
    def language(self) -> Language:
        return self._language

    def set_language(self, language: str) -> None:
        """Core messages (already shown) follow the UI language."""
        self._language = "en" if language == "en" else "id"
        self.language_updated()
        self._render_problems()

    def language_updated(self) -> None:
        """Hook for screens showing other core texts (statements, region names are not translated)."""

    def retranslate(self) -> None:
        self.cancel_button.setText(self.tr("Batal"))
        self.back_button.setText(self.tr("◀ Kembali"))
        self.next_button.setText(self.tr("Lanjut ▶"))
        self.retranslate_content()
        self._render_problems()

    def retranslate_content(self) -> None:
        raise NotImplementedError

    def spoken_text(self) -> str:
        """ "Bacakan": the question (title and hint), then the error summary and the warnings."""
        parts = [self.title_label.text()]
        if not self.hint_label.isHidden():
            parts.append(self.hint_label.text())
        parts += [line.text().lstrip("⚠ ") for line in self.summary_lines if not line.isHidden()]
        if not self.general_error.isHidden():
            parts.append(self.general_error.text().replace("⚠ ", ""))
        if not self.warnings_box.isHidden():
            parts.append(self.warnings_intro.text().replace("⚠ ", ""))
        return ". ".join(t.rstrip(".") for t in parts if t)

    # -- values and problems ------------------------------------------------------------------------
    def collect(self) -> dict[str, Any]:
        """What the screen holds now, as ``Flow.submit`` expects it (plus ticked ``confirm`` flags)."""
        values = self.collect_content()
        flags = [flag for flag, box in self.warning_boxes.items() if box.isChecked()]
        if flags:
            values["confirm"] = flags
        return values

    def collect_content(self) -> dict[str, Any]:
        return {}

    def load(self, values: dict[str, Any]) -> None:
        """Refill from the flow's stored raw values (used when a screen was cleared); default: nothing."""

    def problems(self) -> list[FieldProblem]:
        return list(self._problems)

    def show_problems(self, problems: Sequence[FieldProblem]) -> None:
        """Show ``problems`` next to their fields; fields without a problem lose their mark."""
        self._problems = list(problems)
        self._warnings = [p for p in self._problems if isinstance(p, FieldWarning)]
        for flag in list(self.warning_boxes):
            if not any(w.flag == flag for w in self._warnings):
                box = self.warning_boxes.pop(flag)
                self.warnings_layout.removeWidget(box)
                box.hide()
                box.deleteLater()
        for warning in self._warnings:
            if warning.flag not in self.warning_boxes:
                box = WrapButton("", self.warnings_box, role="choice")
                box.setCheckable(True)
                box.setObjectName("confirmBox")
                box.toggled.connect(lambda on, b=box: b.setText(self._confirm_text(on)))
                self.warning_boxes[warning.flag] = box
                self.warnings_layout.addWidget(box)
        self.warnings_box.setVisible(bool(self._warnings))
        self._render_problems()
        first = self._first_problem_page()
        if first is not None and first != self.current_page:
            self.go_to_page(first)

    def _first_problem_page(self) -> int | None:
        pages = [self.page_of(p.field) for p in self._problems]
        found = [p for p in pages if p is not None]
        return min(found) if found else None

    def _field_key(self, name: str) -> str:
        if name in self.fields:
            return name
        return name.rsplit(".", 1)[-1] if name.rsplit(".", 1)[-1] in self.fields else name

    def _render_problems(self) -> None:
        by_field: dict[str, list[str]] = {}
        general: list[str] = []
        lines: list[tuple[str, str]] = []
        for problem in self._problems:
            text = problem.message.text(self._language)
            key = self._field_key(problem.field)
            if isinstance(problem, FieldWarning):
                continue  # amber, at the top with its toggle; the field is not marked as wrong
            if key in self.fields:
                by_field.setdefault(key, []).append(text)
                if getattr(self.fields[key], "in_summary", False):
                    lines.append((key, text))
            else:
                general.append(text)
        for name, target in self.fields.items():
            texts = by_field.get(name)
            target.set_error(" ".join(texts) if texts else None)
            inline = getattr(target, "error_label", None)
            if getattr(target, "in_summary", False) and isinstance(inline, QLabel):
                inline.hide()  # the summary at the top says it once; the field keeps its red mark
        self._set_summary(lines, general)
        warnings = [w.message.text(self._language) for w in self._warnings]
        self.warnings_intro.setText("\n".join("⚠ " + w for w in warnings))
        for warning in self._warnings:
            box = self.warning_boxes.get(warning.flag)
            if box is not None:
                box.setText(self._confirm_text(box.isChecked()))
                box.setAccessibleDescription(warning.message.text(self._language))
        self.hint_label.setVisible(not (lines or general or self._warnings))

    def _confirm_text(self, checked: bool) -> str:
        return ("✓ " if checked else "") + self.tr("Ya, sudah sesuai KTP")

    def _set_summary(self, lines: list[tuple[str, str]], general: list[str]) -> None:
        """One line per problem at the top; a tap on a line opens its page and puts focus on it."""
        while len(self.summary_lines) < len(lines):
            line = QPushButton(self.summary)
            line.setObjectName("summaryLine")
            line.setFlat(True)
            line.setCursor(Qt.CursorShape.PointingHandCursor)
            line.clicked.connect(lambda _c=False, b=line: self.jump_to(str(b.property("field"))))
            self._summary_layout.insertWidget(len(self.summary_lines), line)
            self.summary_lines.append(line)
        for index, line in enumerate(self.summary_lines):
            if index < len(lines):
                key, text = lines[index]
                line.setText("⚠ " + text)
                line.setProperty("field", key)
                line.show()
            else:
                line.hide()
        if general:
            self.general_error.setText("\n".join("⚠ " + t for t in general))
            self.general_error.show()
        else:
            self.general_error.clear()
            self.general_error.hide()
        self.summary.setVisible(bool(lines or general))

    def jump_to(self, field: str) -> None:
        """Open the page of ``field`` and give it the focus (a summary line was tapped)."""
        page = self.page_of(field)
        if page is not None and page != self.current_page:
            self.go_to_page(page)
        target = self.fields.get(field)
        edit = getattr(target, "line_edit", None)
        widget = edit if isinstance(edit, QWidget) else target if isinstance(target, QWidget) else None
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            if isinstance(edit, QLineEdit) and self.input_panel is not None:
                self.input_panel.show_for(edit)

    def clear(self) -> None:
        """Forget everything shown (idle wipe, "Batal"): texts, pictures, selections, messages.

        The next applicant starts on the first page, at the top (nothing carried over)."""
        self.clear_content()
        self.show_problems([])
        self.go_to_page(0)
        self.scroll.verticalScrollBar().setValue(0)

    def clear_content(self) -> None:
        raise NotImplementedError

    def initial_focus(self) -> QWidget | None:
        """The first field of the page on screen (the keypad then types into it)."""
        edits = [e for e in self.page_edits() if e.isVisibleTo(self) and e.isEnabled()]
        return edits[0] if edits else None

    def entered(self) -> None:
        """Called by the controller each time the screen becomes current."""

    def left(self) -> None:
        """Called by the controller when another screen replaces this one."""

    def _on_pad_ok(self) -> None:
        """ "OK" on a pad: on to the next field of this screen, or "Lanjut" after the last one."""
        panel = self.input_panel
        if panel is None:
            return
        visible = [e for e in self.page_edits() if e.isVisibleTo(self) and e.isEnabled()]
        target = panel.keypad.target() if panel.currentWidget() is panel.keypad else panel.keyboard.target()
        if target in visible and visible.index(target) + 1 < len(visible):
            following = visible[visible.index(target) + 1]
            following.setFocus(Qt.FocusReason.TabFocusReason)
            panel.show_for(following)
        else:
            self.next_requested.emit()

    # -- helpers --------------------------------------------------------------------------------------
    def register_page_field(self, name: str) -> None:
        """Record that field ``name`` sits on the page being built (for page-by-page navigation)."""
        if self._page_layout is not None and self.page_fields:
            self.page_fields[-1].append(name)

    def add_field(
        self, name: str, numeric: bool, max_length: int = 120, *, email: bool = False
    ) -> LabeledField:
        """A labelled line edit registered for errors and for the matching on-screen pad."""
        field = LabeledField("", self.form)
        field.label.setWordWrap(True)
        field.line_edit.setMaxLength(max_length)
        field.line_edit.setObjectName(f"{name}Edit")
        self.fields[name] = field
        self.page_layout().addWidget(field)
        self.register_page_field(name)
        if self.input_panel is not None:
            self.input_panel.register(field.line_edit, numeric, email)
        field.line_edit.returnPressed.connect(self.next_requested)
        return field


def digits_only(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())
