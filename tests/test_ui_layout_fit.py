"""Every state a person can see fits the screen: 1024×600 and 1366×768, Bahasa Indonesia and English.

Why this test walks the screenshot registry (``scripts/screenshots.py``): the registry is the list of
states a person can see, and the PNGs in ``docs/screens/`` are drawn from it, so the pictures and this
check can never disagree. For each state, size and language it fails when

* a form scrolls (a ``QScrollArea`` whose content is taller than its view), lists excepted — the region
  picker and the console lists scroll by touch and are named in :data:`LISTS`;
* a button's text is clipped (wider than the button's content box, or cut by a too-short button);
* a button or field is not wholly on screen (outside the window, or cut off by a parent).

A state marked ``xfail`` in :data:`KNOWN` is a known failure being fixed; the list must end empty.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

from ui.widgets.wrap_button import WrapButton

ROOT = Path(__file__).resolve().parent.parent


def _load_registry() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kiosk_screenshots", ROOT / "scripts" / "screenshots.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["kiosk_screenshots"] = module
    spec.loader.exec_module(module)
    return module


shots = _load_registry()

LISTS: frozenset[str] = frozenset({"regionList"})
"""Object names of the lists that may scroll (by touch, with QScroller)."""

KNOWN: dict[str, str] = {}
"""state -> reason it still fails (xfail); every entry is removed once the state is fixed."""

SIZES = [(1024, 600), (1366, 768)]


@pytest.fixture(scope="module")
def shell(qapp: QApplication) -> Iterator[Any]:
    shell = shots.open_shell()
    # The wizard (with its dialogs, which are top-level widgets) is made here, once, so the per-test
    # disposal of new top-level widgets (tests/conftest.py) leaves the module's shell whole.
    shots._wizard(shell)
    yield shell
    shots._close_dialogs(shell)
    controller = getattr(shell, "wizard", None)
    if controller is not None:
        controller.shutdown()
    shell.languages.set_language("id")
    shell.window.close()


def _global_rect(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def _visible(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0


def _label(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QAbstractButton | QLineEdit | QLabel) else ""
    return f"{type(widget).__name__}#{widget.objectName() or '?'} {text[:40]!r}"


def _clip_rect(widget: QWidget, top: QWidget) -> QRect:
    """The part of the screen where ``widget`` can be seen: cut by every parent up to ``top``."""
    visible = _global_rect(top)
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QAbstractScrollArea):
            viewport = parent.viewport()
            visible = visible.intersected(_global_rect(viewport))
        else:
            visible = visible.intersected(_global_rect(parent))
        parent = parent.parentWidget()
    return visible


def _text_clipped(button: QPushButton) -> str | None:
    option = QStyleOptionButton()
    button.initStyleOption(option)
    contents = button.style().subElementRect(QStyle.SubElement.SE_PushButtonContents, option, button)
    metrics = button.fontMetrics()
    lines = button.text().replace("&&", "&").split("\n")
    need_w = max(metrics.horizontalAdvance(line) for line in lines)
    if not button.icon().isNull():
        need_w += button.iconSize().width() + 4
    need_h = metrics.height() * len(lines)
    if need_w > contents.width() + 1:
        return f"text needs {need_w} px, has {contents.width()} px"
    if need_h > button.height():
        return f"text needs {need_h} px high, button is {button.height()} px"
    return None


def _label_clipped(label: QLabel) -> str | None:
    """A word-wrapping label shorter than its text needs at its width (lines cut off)."""
    if not label.wordWrap() or not label.text() or not _visible(label):
        return None
    need = label.heightForWidth(label.width())
    if need > label.height() + 2:
        return f"text needs {need} px high, has {label.height()} px"
    return None


def fit_problems(window: QWidget, dialogs: list[QWidget]) -> list[str]:
    """What does not fit in ``window`` (and its open ``dialogs``); empty when everything fits."""
    found: list[str] = []
    screen = _global_rect(window)
    for top in [window, *dialogs]:
        if top is not window and not screen.contains(_global_rect(top)):
            found.append(f"dialog {_label(top)} is larger than the screen")
        for area in top.findChildren(QAbstractScrollArea):
            if not _visible(area) or area.objectName() in LISTS:
                continue
            if isinstance(area, QAbstractItemView) and area.objectName() in LISTS:
                continue
            if top is window and any(d.isAncestorOf(area) for d in dialogs):
                continue
            bar = area.verticalScrollBar()
            if bar.maximum() > 0:
                found.append(f"form scrolls: {_label(area)} by {bar.maximum()} px")
            hbar = area.horizontalScrollBar()
            if hbar.maximum() > 0:
                found.append(f"form scrolls sideways: {_label(area)} by {hbar.maximum()} px")
        for label in top.findChildren(QLabel):
            if top is window and any(d.isAncestorOf(label) for d in dialogs):
                continue
            if (
                not _visible(label)
                or not label.text()
                or (label.pixmap() is not None and not label.pixmap().isNull())
            ):
                continue
            if label.wordWrap():
                clipped = _label_clipped(label)
            elif label.sizeHint().width() > label.width() + 1:
                clipped = f"text needs {label.sizeHint().width()} px, has {label.width()} px"
            else:
                clipped = None
            if clipped:
                found.append(f"text clipped: {_label(label)}: {clipped}")
        for widget in top.findChildren(QWidget):
            if not isinstance(widget, QAbstractButton | QLineEdit) or not _visible(widget):
                continue
            if top is window and any(d.isAncestorOf(widget) for d in dialogs):
                continue
            if any(
                isinstance(p, QAbstractItemView) for p in _ancestors(widget, top)
            ):  # rows of a list scroll with it
                continue
            rect = _global_rect(widget)
            if not _clip_rect(widget, top).contains(rect) or not screen.contains(rect):
                found.append(f"not wholly on screen: {_label(widget)} at {rect.getRect()}")
                continue
            if isinstance(widget, WrapButton):
                clipped = _label_clipped(widget.label)
                if clipped:
                    found.append(f"button text clipped: {_label(widget)}: {clipped}")
            elif isinstance(widget, QPushButton) and widget.text():
                clipped = _text_clipped(widget)
                if clipped:
                    found.append(f"button text clipped: {_label(widget)}: {clipped}")
    return found


def _ancestors(widget: QWidget, top: QWidget) -> Iterator[QWidget]:
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        yield parent
        parent = parent.parentWidget()


def _cases() -> Iterator[Any]:
    for name in shots.SCREENS:
        marks = [pytest.mark.xfail(reason=KNOWN[name], strict=True)] if name in KNOWN else []
        yield pytest.param(name, id=name, marks=marks)


@pytest.mark.parametrize("state", list(_cases()))
def test_state_fits_every_size_and_language(shell: Any, state: str) -> None:
    problems: list[str] = []
    for language in ("id", "en"):
        for size in SIZES:
            dialogs = shots.show_state(shell, state, language, size)
            problems += [f"{language} {size[0]}×{size[1]}: {p}" for p in fit_problems(shell.window, dialogs)]
    assert not problems, "\n".join(problems)


def test_the_checker_sees_a_scrolling_form_and_a_clipped_button(shell: Any) -> None:
    """The check itself: a form made taller than the screen and a button too narrow for its text fail."""
    dialogs = shots.show_state(shell, "contact", "id", (1024, 600))
    contact = shell.wizard.contact
    spacer = QWidget(contact.form)
    spacer.setMinimumHeight(2000)
    contact.form_layout.addWidget(spacer)
    contact.next_button.setFixedWidth(120)
    QApplication.processEvents()
    try:
        problems = fit_problems(shell.window, dialogs)
        assert any("form scrolls" in p or "not wholly on screen" in p for p in problems), problems
        assert any("button text clipped" in p and "nextButton" in p for p in problems), problems
    finally:
        contact.form_layout.removeWidget(spacer)
        spacer.deleteLater()
        contact.next_button.setMinimumWidth(0)
        contact.next_button.setMaximumWidth(16777215)
        contact.next_button.setMinimumWidth(160)
        QApplication.processEvents()


def test_dialogs_put_the_focus_on_the_safe_choice(shell: Any) -> None:
    """Cancel and idle dialogs: sized to their text (checked above) and focused on "keep going"."""
    dialogs = shots.show_state(shell, "cancel_dialog", "id", (1024, 600))
    cancel = shell.wizard.cancel_dialog
    assert dialogs == [cancel] and cancel.no_button.hasFocus() and cancel.no_button.isDefault()
    dialogs = shots.show_state(shell, "idle_warning", "en", (1024, 600))
    idle = shell.wizard.idle.dialog
    assert dialogs == [idle] and idle.stay_button.hasFocus()
    shots._close_dialogs(shell)


def test_lists_that_may_scroll_follow_the_finger(shell: Any) -> None:
    from ui.widgets.touch_scroll import is_touch_scrollable

    shots.show_state(shell, "address_picker", "id", (1024, 600))
    region_list = shell.wizard.address.region_list
    assert region_list.objectName() in LISTS and is_touch_scrollable(region_list)
    assert region_list.sizeHintForRow(0) >= 52  # large rows: a tap selects, a drag scrolls
    from ui.console.attention import AttentionPage

    console_list = AttentionPage()
    try:
        assert is_touch_scrollable(console_list.table)
    finally:
        console_list.deleteLater()


def test_every_new_session_starts_on_the_first_page_at_the_top(shell: Any) -> None:
    ctl = shell.wizard
    shots.show_state(shell, "contact_email", "id", (1024, 600))
    assert ctl.contact.current_page == 1
    ctl.identity.go_to_page(2)
    ctl.address.go_to_page(1)
    ctl.address.open_picker("province_code", 1)
    ctl.wipe_session()
    for screen in ctl.screens.values():
        assert screen.current_page == 0, screen.screen_name
        assert screen.scroll.verticalScrollBar().value() == 0, screen.screen_name
    assert ctl.address.picking() is None


CONSOLE_PAGES = ("dashboard", "attention", "status", "fieldwork", "settings", "maintenance")


def test_console_pages_fit_every_size_and_language(qtbot: Any, live_api: Any) -> None:
    """The console's pages (scripts/console_screenshots.py), with a real runtime and queue behind them."""
    from kiosk import device as device_store
    from kiosk.api_client import ApiClient
    from kiosk.config import KioskConfig
    from kiosk.flow import Flow
    from kiosk.runtime import KioskRuntime
    from tests.support.applicants import fill_flow
    from ui.console.controller import ConsoleController
    from ui.i18n import LanguageManager
    from ui.main_window import MainWindow
    from ui.screens.welcome import WelcomeScreen
    from ui.worker import wait_for_background_work

    with ApiClient(live_api.url) as client:
        device_store.enrol(client, live_api.create_enrolment_code())
    live_api.create_operator("sari", "246810", "supervisor", display_name="Sari Supervisor")
    runtime = KioskRuntime.open(KioskConfig(), start_sync=False)
    try:
        for index in range(3):
            flow = Flow(online=False)
            fill_flow(flow, index=index)
            runtime.seal_and_enqueue(flow)
        app = QApplication.instance()
        languages = LanguageManager(app)
        window = MainWindow()
        qtbot.addWidget(window)
        window.add_screen(WelcomeScreen())
        console = ConsoleController(window, runtime, languages, kiosk_mode=False, purge_on_start=False)
        window.show()
        console._logged_in(console.auth.login("sari", "246810"))
        problems: list[str] = []
        for language in ("id", "en"):
            languages.set_language(language)
            for page in CONSOLE_PAGES:
                console.screen.show_page(page)
                for size in SIZES:
                    window.setMinimumSize(1, 1)
                    window.resize(*size)
                    for _ in range(5):
                        wait_for_background_work(2000)
                        QApplication.processEvents()
                    problems += [
                        f"{page} {language} {size[0]}×{size[1]}: {p}"
                        for p in fit_problems(window, [])
                        if "attentionTable" not in p
                    ]
        console.shutdown()
        wait_for_background_work(3000)
        assert not problems, "\n".join(problems)
    finally:
        runtime.close()
