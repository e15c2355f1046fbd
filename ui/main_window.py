"""The kiosk's one window: header (step indicator, "Bacakan"), a stack of screens, status strip.

Why one window with a stack: a kiosk shows one question per screen and never opens other windows the
applicant could lose behind the full-screen one. Screens register by name; the window shows the step
indicator only for numbered steps (not on the welcome screen) and asks the current screen what to read
aloud. The flow controller (issue 6) decides which screen comes next; this module only displays.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from ui.screens.base import Screen
from ui.widgets.big_button import MIN_TOUCH_PX
from ui.widgets.demo_ribbon import DemoRibbon
from ui.widgets.read_aloud import ReadAloudButton
from ui.widgets.status_strip import StatusStrip
from ui.widgets.step_indicator import StepIndicator

DEFAULT_TOTAL_STEPS = 12


class MainWindow(QMainWindow):
    """Header + screen stack + status strip. ``demo=True`` adds the DEMO / PELATIHAN ribbon."""

    def __init__(
        self,
        *,
        demo: bool = False,
        total_steps: int = DEFAULT_TOTAL_STEPS,
        speech_engines: list[str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self._total_steps = total_steps
        self._screens: dict[str, Screen] = {}

        central = QWidget(self)
        central.setObjectName("central")
        self.header = QWidget(central)
        self.header.setObjectName("header")
        self.header_title = QLabel(self.header)
        self.header_title.setObjectName("headerTitle")
        self.step_indicator = StepIndicator(self.header)
        self.read_aloud_button = ReadAloudButton(self.header, engines=speech_engines)
        # The header is 72 px (12 px margins): a 64 px big button stuck out below it into the screen
        # whenever a speech engine made "Bacakan" appear; 48 px is still a full touch target.
        self.read_aloud_button.setFixedHeight(MIN_TOUCH_PX)
        self.read_aloud_button.set_text_provider(self._current_spoken_text)
        header_layout = QHBoxLayout(self.header)
        header_layout.setContentsMargins(24, 12, 24, 12)
        header_layout.setSpacing(24)
        header_layout.addWidget(self.header_title, 1)
        header_layout.addWidget(self.step_indicator, 1)
        header_layout.addWidget(self.read_aloud_button, 0, Qt.AlignmentFlag.AlignRight)

        self.stack = QStackedWidget(central)
        self.stack.setObjectName("screenStack")
        self.stack.currentChanged.connect(self._on_screen_changed)
        self.status_strip = StatusStrip(central)

        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.status_strip)
        self.setCentralWidget(central)

        self.demo_ribbon: DemoRibbon | None = None
        if demo:
            # A header item (never an overlay), so it cannot cover the step indicator or the screen.
            self.demo_ribbon = DemoRibbon(self.header)
            header_layout.addWidget(self.demo_ribbon, 0, Qt.AlignmentFlag.AlignVCenter)
        self.retranslate()

    # -- screens ------------------------------------------------------------------------------------
    def add_screen(self, screen: Screen) -> None:
        """Add ``screen`` under its ``screen_name`` (replacing nothing: names must be unique)."""
        name = screen.screen_name
        if not name or name in self._screens:
            raise ValueError(f"screen name {name!r} is empty or already used")
        self._screens[name] = screen
        self.stack.addWidget(screen)
        if self.stack.count() == 1:
            self._on_screen_changed(0)

    def screen_named(self, name: str) -> Screen:
        return self._screens[name]

    def current_screen(self) -> Screen | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, Screen) else None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._on_screen_changed(self.stack.currentIndex())  # focus can only be given once shown

    def show_screen(self, name: str) -> None:
        """Bring screen ``name`` to the front (KeyError for an unknown name: a programming error)."""
        self.stack.setCurrentWidget(self._screens[name])

    def set_focus_mode(self, on: bool) -> None:
        """The test's own mode: the status strip (queue, connection) steps aside for the questions.

        Why: at 1024×600 the 44 px strip is the room a reading passage needs, and nothing on it is for
        the applicant during the test. The header stays ("Bacakan" reads the question aloud).
        """
        self.status_strip.setVisible(not on)

    def set_total_steps(self, total: int) -> None:
        self._total_steps = total
        self._on_screen_changed(self.stack.currentIndex())

    @Slot(int)
    def _on_screen_changed(self, _index: int) -> None:
        screen = self.current_screen()
        step = screen.step if screen is not None else None
        self.step_indicator.setVisible(step is not None)
        self.header_title.setVisible(step is None)
        if step is not None:
            self.step_indicator.set_step(step, self._total_steps)
        focus = screen.initial_focus() if screen is not None else None
        if focus is not None:
            focus.setFocus(Qt.FocusReason.OtherFocusReason)

    def _current_spoken_text(self) -> str:
        screen = self.current_screen()
        parts = []
        if not self.step_indicator.isHidden():
            parts.append(self.step_indicator.text())
        if screen is not None:
            parts.append(screen.spoken_text())
        return ". ".join(part for part in parts if part)

    # -- status and language ------------------------------------------------------------------------
    def set_queue_status(self, waiting: int | None, online: bool) -> None:
        """How many registrations wait to be sent (None: not known) and whether the API is reachable."""
        self.status_strip.set_queue_status(waiting, online)

    @Slot(str)
    def on_language_changed(self, language: str) -> None:
        """Non-text state that depends on the language (the read-aloud voice)."""
        self.read_aloud_button.set_language(language)

    def retranslate(self) -> None:
        title = self.tr("Pendaftaran Kartu Prakerja")
        self.header_title.setText(title)
        if self.demo_ribbon is not None:
            title += " — DEMO / PELATIHAN"
        self.setWindowTitle(title)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
