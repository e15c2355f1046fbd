"""Kiosk safety: an applicant who walks away must not leave their data on the screen.

Why an application-wide event filter: any touch, click or key anywhere counts as activity, including
on the on-screen keyboards and inside dialogs. After ``idle_timeout_s - warning_s`` seconds without
activity a warning with a countdown appears ("Masih di sini?"); a tap on "Saya masih di sini" keeps
the session, otherwise at zero :attr:`IdleWatchdog.expired` fires and the controller wipes the
session (``Flow.wipe()`` and every screen cleared) and shows the welcome screen. The watchdog only
runs while a session holds data (the controller arms and disarms it).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QApplication, QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ui.widgets.big_button import BigButton, fit_dialog_to_text

ACTIVITY_EVENTS = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseMove,
        QEvent.Type.KeyPress,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.Wheel,
        QEvent.Type.InputMethod,
    }
)


class IdleWarningDialog(QDialog):
    """ "Masih di sini?" with a live countdown and one big button to stay."""

    stay_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("idleWarning")
        self.setModal(True)
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        self.title_label = QLabel(self)
        self.title_label.setObjectName("screenTitle")
        self.title_label.setWordWrap(True)
        self.countdown_label = QLabel(self)
        self.countdown_label.setObjectName("introLabel")
        self.countdown_label.setWordWrap(True)
        self.stay_button = BigButton("", self, role="primary")
        self.stay_button.setObjectName("stayButton")
        self.stay_button.clicked.connect(self.stay_requested)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.stay_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 32, 40, 32)
        layout.setSpacing(20)
        layout.addWidget(self.title_label)
        layout.addWidget(self.countdown_label)
        layout.addLayout(row)
        self.setMinimumWidth(560)
        self.setMaximumWidth(900)
        self._seconds = 0
        self._ends_test = False
        self.retranslate()

    def showEvent(self, event: QShowEvent) -> None:
        """Sized to its text; the focus on the one (safe) button, "Saya masih di sini"."""
        fit_dialog_to_text(self, [self.stay_button])
        super().showEvent(event)
        self.stay_button.setDefault(True)
        self.stay_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def set_seconds(self, seconds: int) -> None:
        self._seconds = seconds
        self.retranslate()

    def set_ends_test(self, ends_test: bool) -> None:
        """During the test the countdown ends the test (answers kept), it wipes nothing: say so."""
        self._ends_test = ends_test
        self.retranslate()

    def retranslate(self) -> None:
        self.title_label.setText(self.tr("Masih di sini?"))
        if getattr(self, "_ends_test", False):
            text = self.tr(
                "Tes akan diakhiri dalam %1 detik. Jawaban Anda tetap tersimpan. Sentuh tombol di bawah."
            )
        else:
            text = self.tr("Data Anda akan dihapus dalam %1 detik. Sentuh tombol di bawah untuk lanjut.")
        self.countdown_label.setText(text.replace("%1", str(self._seconds)))
        self.stay_button.setText(self.tr("Saya masih di sini"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class IdleWatchdog(QObject):
    """Counts idle time; shows the warning; emits :attr:`expired` when the countdown ends."""

    expired = Signal()
    warning_shown = Signal()

    def __init__(self, window: QWidget, timeout_s: float = 90.0, warning_s: float = 30.0) -> None:
        super().__init__(window)
        self._window = window
        self._ms_per_s = 1000
        self._timeout_s = timeout_s
        self._warning_s = max(1, int(warning_s))
        self._quiet_ms = self._quiet(timeout_s, warning_s)
        self._armed = False
        self._remaining = 0
        self._idle_timer = QTimer(self)
        self._idle_timer.setSingleShot(True)
        self._idle_timer.timeout.connect(self._warn)
        self._tick_timer = QTimer(self)
        self._tick_timer.setInterval(1000)
        self._tick_timer.timeout.connect(self._tick)
        self.dialog = IdleWarningDialog(window)
        self.dialog.stay_requested.connect(self.poke)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def _quiet(self, timeout_s: float, warning_s: float) -> int:
        return max(10, int((timeout_s - max(1, int(warning_s))) * self._ms_per_s))

    def configure(self, timeout_s: float, warning_s: float) -> None:
        """Change the times (the idle policy by stage; tests use short ones); restarts the count when
        armed and the times changed."""
        changed = (timeout_s, max(1, int(warning_s))) != (self._timeout_s, self._warning_s)
        self._timeout_s = timeout_s
        self._warning_s = max(1, int(warning_s))
        self._quiet_ms = self._quiet(timeout_s, warning_s)
        if self._armed and changed:
            self.poke()

    def timeout_s(self) -> float:
        """The idle time (seconds) now in force."""
        return self._timeout_s

    def set_tick_ms(self, ms: int) -> None:
        """Length of one countdown "second" (tests shorten it)."""
        self._tick_timer.setInterval(ms)

    def set_ms_per_second(self, ms: int) -> None:
        """Injectable timing: how many real milliseconds one policy second lasts (1000 in use).

        Why: tests check "120 s idle during the test wipes nothing" in about a second of real time,
        with every period (quiet time, countdown ticks) scaled the same way.
        """
        self._ms_per_s = max(1, ms)
        self._quiet_ms = self._quiet(self._timeout_s, self._warning_s)
        self._tick_timer.setInterval(self._ms_per_s)
        if self._armed:
            self.poke()

    def arm(self) -> None:
        """Start watching (a session holds data)."""
        self._armed = True
        self.poke()

    def disarm(self) -> None:
        self._armed = False
        self._idle_timer.stop()
        self._tick_timer.stop()
        self.dialog.hide()

    def armed(self) -> bool:
        return self._armed

    def warning_visible(self) -> bool:
        return self.dialog.isVisible()

    def poke(self) -> None:
        """Activity: hide the warning and start the quiet period again."""
        if not self._armed:
            return
        self._tick_timer.stop()
        if self.dialog.isVisible():
            self.dialog.hide()
        self._idle_timer.start(self._quiet_ms)

    def _warn(self) -> None:
        self._remaining = self._warning_s
        self.dialog.set_seconds(self._remaining)
        self.dialog.open()
        self._tick_timer.start()
        self.warning_shown.emit()

    def _tick(self) -> None:
        self._remaining -= 1
        self.dialog.set_seconds(max(self._remaining, 0))
        if self._remaining <= 0:
            self._tick_timer.stop()
            self.dialog.hide()
            self._armed = False
            self.expired.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if self._armed and event.type() in ACTIVITY_EVENTS:
            # While the warning shows, only a deliberate tap on its button (or a key) keeps the session:
            # a stray mouse move must not undo the countdown.
            if not self.dialog.isVisible() or event.type() in (QEvent.Type.KeyPress,):
                self.poke()
        return False
