"""The kiosk shell driven by pytest-qt: window, screens, step indicator, status strip, widgets."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect, Qt, QThread
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from tests.support.fresh_imports import loaded_by_import
from ui.app import (
    MINIMUM_SIZE,
    READY_ENV,
    SERVICES_FAILED_LINE,
    GuiOptions,
    KioskShell,
    OpenedServices,
    ServicesHandoff,
    create_application,
    load_stylesheet,
)
from ui.screens.base import Screen
from ui.widgets.big_button import MIN_TOUCH_PX, BigButton
from ui.widgets.keyboard import TextKeyboard
from ui.widgets.keypad import KEYPAD_KEY_PX, NumericKeypad
from ui.widgets.labeled_field import LabeledField
from ui.widgets.read_aloud import ReadAloudButton
from ui.worker import CoreEventBridge, run_in_background, wait_for_background_work


class StepScreen(Screen):
    """A numbered screen with one field, as the wizard's screens will be."""

    screen_name = "step_three"
    step = 3

    def __init__(self) -> None:
        super().__init__()
        self.field = LabeledField()
        QVBoxLayout(self).addWidget(self.field)
        self.retranslate()

    def retranslate(self) -> None:
        self.field.set_label(self.tr("Nama lengkap"))

    def spoken_text(self) -> str:
        return self.field.label.text()


@pytest.fixture
def shell(qtbot: QtBot) -> Iterator[KioskShell]:
    app = create_application()
    kiosk = KioskShell(app, GuiOptions(windowed=True))
    qtbot.addWidget(kiosk.window)
    yield kiosk
    kiosk.languages.set_language("id")
    kiosk.shutdown()


def test_shell_starts_windowed_on_welcome(shell: KioskShell, qtbot: QtBot) -> None:
    shell.show()
    qtbot.waitExposed(shell.window)
    assert shell.window.isVisible() and not shell.window.isFullScreen()
    assert shell.window.size().width() >= MINIMUM_SIZE[0]
    assert shell.window.current_screen() is shell.welcome
    assert shell.window.step_indicator.isHidden()  # no step number on the welcome screen
    assert shell.window.demo_ribbon is None
    assert shell.welcome.start_button.text() == "Daftar"
    assert load_stylesheet() and QApplication.instance().styleSheet()


def test_full_screen_has_no_window_decorations(qtbot: QtBot) -> None:
    kiosk = KioskShell(create_application(), GuiOptions(windowed=False))
    qtbot.addWidget(kiosk.window)
    kiosk.show()
    assert kiosk.window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert kiosk.window.windowState() & Qt.WindowState.WindowFullScreen


def test_demo_marker_on_every_screen_and_clear_of_content(qtbot: QtBot) -> None:
    """At 1024×600 the DEMO band sat over the last progress segments; now it is a header item."""
    kiosk = KioskShell(create_application(), GuiOptions(windowed=True, demo=True))
    qtbot.addWidget(kiosk.window)
    kiosk.window.add_screen(StepScreen())
    kiosk.window.set_total_steps(12)
    kiosk.show()
    kiosk.window.resize(1024, 600)
    ribbon = kiosk.window.demo_ribbon
    assert ribbon is not None and ribbon.text() == "DEMO / PELATIHAN"
    central = kiosk.window.centralWidget()

    def box(widget: QWidget) -> QRect:
        return QRect(widget.mapTo(central, QPoint(0, 0)), widget.size())

    for name in ("welcome", "step_three"):
        kiosk.window.show_screen(name)
        qtbot.waitUntil(lambda: kiosk.window.width() == 1024)
        qtbot.wait(10)
        assert ribbon.isVisible()
        band = box(ribbon)
        assert central.rect().contains(band)
        assert ribbon.width() >= ribbon.sizeHint().width()  # the whole text is painted
        for other in (kiosk.window.step_indicator, kiosk.window.stack, kiosk.window.status_strip):
            if other.isVisible():
                assert not band.intersects(box(other)), type(other).__name__
    assert "DEMO / PELATIHAN" in kiosk.window.windowTitle()
    assert ribbon.testAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)


def test_welcome_buttons_emit_signals(shell: KioskShell, qtbot: QtBot) -> None:
    with qtbot.waitSignal(shell.welcome.start_requested, timeout=1000):
        qtbot.mouseClick(shell.welcome.start_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(shell.welcome.status_requested, timeout=1000):
        qtbot.mouseClick(shell.welcome.status_button, Qt.MouseButton.LeftButton)


def test_step_indicator_follows_screens(shell: KioskShell) -> None:
    screen = StepScreen()
    shell.window.add_screen(screen)
    shell.window.set_total_steps(12)
    shell.window.show_screen("step_three")
    indicator = shell.window.step_indicator
    assert not indicator.isHidden()
    assert indicator.text() == "Langkah 3 dari 12"
    states = [segment.property("state") for segment in indicator.segments]
    assert states == ["done", "done", "current"] + ["todo"] * 9
    shell.window.show_screen("welcome")
    assert indicator.isHidden()
    indicator.set_step(99, 5)  # out of range: clamped, never raises
    assert (indicator.current(), indicator.total()) == (5, 5)
    assert sum(not s.isHidden() for s in indicator.segments) == 5


def test_duplicate_screen_name_is_refused(shell: KioskShell) -> None:
    shell.window.add_screen(StepScreen())
    with pytest.raises(ValueError):
        shell.window.add_screen(StepScreen())


def test_status_strip_slot_shows_words_not_only_colour(shell: KioskShell) -> None:
    strip = shell.window.status_strip
    assert "Memeriksa" in strip.online_label.text()
    assert strip.queue_label.text() == ""  # the outbox is not read yet: no claim that all were sent
    shell.window.set_queue_status(3, False)
    assert strip.queue_label.text() == "3 pendaftaran menunggu dikirim"
    assert "Tidak terhubung" in strip.online_label.text()
    assert strip.online_label.property("online") is False
    shell.window.set_queue_status(0, True)
    assert strip.queue_label.text() == "Semua pendaftaran sudah terkirim"
    assert "Terhubung" in strip.online_label.text()
    shell.languages.set_language("en")
    shell.window.set_queue_status(1, True)
    assert strip.queue_label.text() == "1 registration waiting to be sent"
    shell.window.set_queue_status(2, False)
    assert strip.queue_label.text() == "2 registrations waiting to be sent"
    assert strip.online_label.text().startswith("○ Offline")


def test_read_aloud_hidden_without_engine_and_speaks_with_one(qtbot: QtBot) -> None:
    silent = ReadAloudButton(engines=[])
    qtbot.addWidget(silent)
    assert silent.isHidden() and not silent.available()
    # Qt's "mock" engine (English voices only) stands in for a machine with speech.
    speaking = ReadAloudButton(engines=["mock"])
    qtbot.addWidget(speaking)
    speaking.set_language("id")
    assert speaking.isHidden()  # no Indonesian voice: hidden rather than reading with a wrong one
    speaking.set_language("en")
    assert not speaking.isHidden() and speaking.available()
    spoken: list[str] = []
    speaking.set_text_provider(lambda: spoken.append("asked") or "Welcome")
    speaking.click()
    assert spoken == ["asked"]


def test_read_aloud_looks_for_engines_after_the_first_frame(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without an explicit list the engines are opened from the event loop (start-up budget)."""
    from ui.widgets import read_aloud

    monkeypatch.setattr(read_aloud, "speech_engines", lambda: ["mock"])
    button = ReadAloudButton()
    qtbot.addWidget(button)
    button.set_language("en")
    assert not button.available()  # nothing opened yet: the window could show first
    qtbot.waitUntil(button.available, timeout=5000)
    assert not button.isHidden()


def test_big_button_and_keys_are_touch_sized(qtbot: QtBot) -> None:
    create_application()  # with the kiosk theme: QSS sizes override widget minimums
    button = BigButton("Daftar")
    keypad = NumericKeypad()
    keyboard = TextKeyboard()
    for widget in (button, keypad, keyboard):
        qtbot.addWidget(widget)
        widget.show()
    assert button.minimumHeight() >= MIN_TOUCH_PX and button.minimumWidth() >= MIN_TOUCH_PX
    assert button.height() >= MIN_TOUCH_PX
    for key in [*keypad.digit_buttons.values(), keypad.backspace_button, keypad.ok_button]:
        assert key.height() >= KEYPAD_KEY_PX and key.width() >= KEYPAD_KEY_PX
        assert key.focusPolicy() == Qt.FocusPolicy.NoFocus
    for key in [*keyboard.key_buttons.values(), keyboard.space_button, keyboard.backspace_button]:
        assert key.height() >= MIN_TOUCH_PX and key.width() >= MIN_TOUCH_PX


def test_keypad_types_into_field_respecting_max_length(qtbot: QtBot) -> None:
    field = LabeledField("NIK")
    keypad = NumericKeypad()
    qtbot.addWidget(field)
    qtbot.addWidget(keypad)
    field.line_edit.setMaxLength(4)
    keypad.set_target(field.line_edit)
    for digit in "31740":
        qtbot.mouseClick(keypad.digit_buttons[digit], Qt.MouseButton.LeftButton)
    assert field.text() == "3174"  # the fifth digit is refused by maxLength, like a real keyboard
    qtbot.mouseClick(keypad.backspace_button, Qt.MouseButton.LeftButton)
    assert field.text() == "317"
    with qtbot.waitSignal(keypad.ok_pressed, timeout=1000):
        qtbot.mouseClick(keypad.ok_button, Qt.MouseButton.LeftButton)


def test_keyboard_types_names_and_follows_focus(qtbot: QtBot) -> None:
    screen = StepScreen()
    other = LabeledField("Tempat lahir")
    keyboard = TextKeyboard()
    screen.layout().addWidget(other)
    screen.layout().addWidget(keyboard)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    keyboard.follow_focus(True)
    screen.activateWindow()
    screen.field.line_edit.setFocus()
    qtbot.waitUntil(lambda: keyboard.target() is screen.field.line_edit, timeout=2000)
    for char in "SITI":
        keyboard.key_buttons[char].click()
    keyboard.space_button.click()
    for char in "NUR'AINI":
        keyboard.key_buttons[char].click()
    assert screen.field.text() == "SITI NUR'AINI"
    keyboard.backspace_button.click()
    assert screen.field.text() == "SITI NUR'AIN"
    other.line_edit.setFocus()
    qtbot.waitUntil(lambda: keyboard.target() is other.line_edit, timeout=2000)
    for char in "JAKARTA":
        keyboard.key_buttons[char].click()
    assert other.text() == "JAKARTA" and screen.field.text() == "SITI NUR'AIN"
    keyboard.follow_focus(False)


def test_field_error_marks_and_never_clears_text(qtbot: QtBot) -> None:
    field = LabeledField("NIK")
    qtbot.addWidget(field)
    field.line_edit.setText("317401")
    field.set_error("NIK harus 16 angka")
    assert field.text() == "317401"
    assert not field.error_label.isHidden() and "NIK harus 16 angka" in field.error_label.text()
    assert field.line_edit.property("invalid") is True
    assert field.error() == "NIK harus 16 angka"
    field.set_error(None)
    assert field.error_label.isHidden() and field.line_edit.property("invalid") is False
    assert field.text() == "317401"


def test_worker_callbacks_arrive_on_gui_thread(qtbot: QtBot) -> None:
    gui_thread = QApplication.instance().thread()
    seen: dict[str, object] = {}

    def work(x: int) -> int:
        seen["worker_thread"] = QThread.currentThread()
        return x * 2

    def ok(value: int) -> None:
        seen["value"] = value
        seen["success_thread"] = QThread.currentThread()

    def fail(exc: BaseException) -> None:
        seen["error"] = exc
        seen["failure_thread"] = QThread.currentThread()

    def broken() -> None:
        raise ValueError("bad data")

    run_in_background(work, 21, on_success=ok)
    run_in_background(broken, on_failure=fail)
    qtbot.waitUntil(lambda: "value" in seen and "error" in seen, timeout=5000)
    assert seen["value"] == 42
    assert seen["worker_thread"] is not gui_thread
    assert seen["success_thread"] is gui_thread and seen["failure_thread"] is gui_thread
    assert isinstance(seen["error"], ValueError)


def test_worker_skips_callbacks_when_parent_is_gone(qtbot: QtBot) -> None:
    import threading

    import shiboken6

    owner = BigButton("x")
    release = threading.Event()
    called: list[object] = []
    run_in_background(lambda: release.wait(5) and 1, on_success=called.append, parent=owner)
    shiboken6.delete(owner)  # the screen is gone before the work ends (session wiped)
    release.set()
    assert wait_for_background_work(5000)
    qtbot.wait(50)
    assert called == []


def test_core_event_bridge_delivers_on_gui_thread_in_order(qtbot: QtBot) -> None:
    bridge = CoreEventBridge()
    gui_thread = QApplication.instance().thread()
    received: list[tuple[int, bool]] = []
    bridge.received.connect(lambda e: received.append((e, QThread.currentThread() is gui_thread)))

    def emit_many() -> None:
        for i in range(50):
            bridge(i)  # plain callable, as a core ``on_event`` hook

    run_in_background(emit_many)
    qtbot.waitUntil(lambda: len(received) == 50, timeout=5000)
    assert [e for e, _ in received] == list(range(50))
    assert all(on_gui for _, on_gui in received)


def test_demo_mode_starts_reference_api_off_the_gui_thread(qtbot: QtBot) -> None:
    """--demo: the real reference API comes up in the background; the window stays responsive."""
    import requests

    kiosk = KioskShell(create_application(), GuiOptions(windowed=True, demo=True))
    qtbot.addWidget(kiosk.window)
    kiosk.show()
    try:
        with qtbot.waitSignal(kiosk.demo_ready, timeout=60_000) as ready:
            kiosk.start_demo()
            assert "demo" in kiosk.window.status_strip.note_label.text()  # shown at once, GUI not blocked
        url = ready.args[0]
        assert url.startswith("http://127.0.0.1:")
        assert url in kiosk.window.status_strip.note_label.text()
        assert requests.get(url + "/v1/health", timeout=5).status_code == 200
    finally:
        kiosk.shutdown()
    assert kiosk.demo_environment is None


def test_the_gui_module_loads_only_what_the_welcome_screen_needs() -> None:
    """Start-up budget (bench.startup): camera analysis, payload schemas and the runtime load later,
    off the GUI thread, so importing ``ui.app`` must not pull them in."""
    heavy = (
        "cv2",
        "numpy",
        "pydantic",
        "requests",
        "cryptography",
        "kiosk.runtime",
        "ui.controller",
        "PySide6.QtMultimedia",
        "PySide6.QtTextToSpeech",
    )
    assert loaded_by_import(["ui.app"], heavy) == []


def test_a_tap_before_the_services_are_open_is_kept_and_carried_out(
    qtbot: QtBot, isolated_home: object
) -> None:
    """The welcome screen takes "Daftar" from the first frame; the wizard starts once it is bound."""
    kiosk = KioskShell(create_application(), GuiOptions(windowed=True), speech_engines=[])
    qtbot.addWidget(kiosk.window)
    kiosk.show()
    try:
        kiosk.start_services()
        assert kiosk.controller is None and kiosk.welcome.start_button.isEnabled()
        with qtbot.waitSignal(kiosk.services_ready, timeout=60_000):
            qtbot.mouseClick(kiosk.welcome.start_button, Qt.MouseButton.LeftButton)
            assert "Menyiapkan kiosk" in kiosk.window.status_strip.note_label.text()
        assert kiosk.controller is not None
        current = kiosk.window.current_screen()
        assert current is not None and current.screen_name != kiosk.welcome.screen_name
    finally:
        kiosk.shutdown()


def test_a_demo_that_cannot_start_still_binds_the_wizard_and_says_why(
    qtbot: QtBot, isolated_home: object, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The demo's folder is blocked by a file: the strip names the problem, the wizard works offline."""
    from kiosk.paths import kiosk_paths

    paths = kiosk_paths().ensure()
    paths.demo_dir.parent.mkdir(parents=True, exist_ok=True)
    paths.demo_dir.write_text("not a folder")
    monkeypatch.setenv(READY_ENV, "1")
    kiosk = KioskShell(create_application(), GuiOptions(windowed=True, demo=True), speech_engines=[])
    qtbot.addWidget(kiosk.window)
    kiosk.show()
    try:
        with qtbot.waitSignal(kiosk.demo_failed, timeout=60_000) as failed:
            kiosk.start_services()
        qtbot.waitUntil(lambda: SERVICES_FAILED_LINE in capsys.readouterr().out, timeout=5000)
        assert str(paths.demo_dir) in failed.args[0]
        assert "Server demo gagal" in kiosk.window.status_strip.note_label.text()
        assert kiosk.controller is not None and kiosk.runtime is None and kiosk.demo_environment is None
        qtbot.mouseClick(kiosk.welcome.start_button, Qt.MouseButton.LeftButton)
        current = kiosk.window.current_screen()
        assert current is not None and current.screen_name == "contact"
    finally:
        kiosk.shutdown()


def test_the_services_handoff_never_leaves_opened_services_without_an_owner() -> None:
    """Worker vs shutdown: whoever comes second learns it, so someone always closes the services."""
    handoff = ServicesHandoff()
    opened = OpenedServices(None)
    assert handoff.put(opened) and handoff.take() is opened and handoff.take() is None
    assert handoff.put(opened)
    assert handoff.close() is opened  # handed over but not taken: shutdown closes it
    assert handoff.take() is None  # the late GUI callback finds nothing
    assert handoff.put(OpenedServices(None)) is False  # a worker finishing after shutdown closes its own


def test_closing_while_the_demo_is_starting_leaves_no_server_behind(
    qtbot: QtBot, isolated_home: object
) -> None:
    import psutil

    kiosk = KioskShell(create_application(), GuiOptions(windowed=True, demo=True), speech_engines=[])
    qtbot.addWidget(kiosk.window)
    kiosk.start_services()
    kiosk.shutdown()  # before the worker is done: it must close what it opens itself
    wait_for_background_work(60_000)

    def demo_servers() -> list[psutil.Process]:
        found = []
        for child in psutil.Process().children(recursive=True):
            try:
                if "central_api.cli" in " ".join(child.cmdline()):
                    found.append(child)
            except psutil.Error:
                continue
        return found

    qtbot.waitUntil(lambda: not demo_servers(), timeout=20_000)
    assert kiosk.controller is None and kiosk.demo_environment is None


def test_a_wizard_that_cannot_be_built_keeps_its_reason_on_screen(
    qtbot: QtBot, isolated_home: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A broken install (a module missing): the strip says so, and later taps do not hide it."""
    import sys

    monkeypatch.setitem(sys.modules, "ui.controller", None)  # the import of ui.controller now fails
    kiosk = KioskShell(create_application(), GuiOptions(windowed=True), speech_engines=[])
    qtbot.addWidget(kiosk.window)
    try:
        kiosk.start_services()
        note = kiosk.window.status_strip.note_label
        qtbot.waitUntil(lambda: "Kiosk belum siap" in note.text(), timeout=60_000)
        qtbot.mouseClick(kiosk.welcome.start_button, Qt.MouseButton.LeftButton)
        assert "Kiosk belum siap" in note.text() and "ModuleNotFoundError" in note.text()
        assert kiosk.controller is None
    finally:
        kiosk.shutdown()


def test_services_are_bound_once(qtbot: QtBot, isolated_home: object) -> None:
    kiosk = KioskShell(create_application(), GuiOptions(windowed=True), speech_engines=[])
    qtbot.addWidget(kiosk.window)
    try:
        with qtbot.waitSignal(kiosk.services_ready, timeout=60_000):
            kiosk.start_services()
            kiosk.open_services()  # while opening: ignored, not a second wizard
        first = kiosk.controller
        kiosk.open_services()  # once bound: ignored too
        kiosk.start_services()
        assert kiosk.controller is first and first is not None
    finally:
        kiosk.shutdown()
