"""The hidden operator gesture: hold a finger (or the mouse button) on the top-left corner for 3 s.

Why this gesture: applicants must not stumble into the console, yet staff at a touch-only terminal
have no keyboard shortcut. A long press in a corner is invisible, needs no extra hardware, and a
brief accidental touch (or a tap on the header) never triggers it; moving out of the corner or
lifting the finger cancels it. The corner is the top-left 80 × 80 px of the kiosk window, which holds
only the header's title (the DEMO ribbon sits top-right). Touch presses reach us as synthesised mouse
presses, so one code path serves both.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QTimer, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

HOLD_MS = 3000
CORNER_PX = 80


class CornerHoldGesture(QObject):
    """Emits :attr:`triggered` after a press held ``hold_ms`` inside the window's top-left corner."""

    triggered = Signal()

    def __init__(self, window: QWidget, *, hold_ms: int = HOLD_MS, corner_px: int = CORNER_PX) -> None:
        super().__init__(window)
        self._window = window
        self._corner = corner_px
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(hold_ms)
        self._timer.timeout.connect(self.triggered)
        self._enabled = True
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_enabled(self, enabled: bool) -> None:
        """Switch the gesture off while the console is already open."""
        self._enabled = enabled
        if not enabled:
            self._timer.stop()

    def _in_corner(self, event: QMouseEvent) -> bool:
        local = self._window.mapFromGlobal(event.globalPosition().toPoint())
        return QPoint(0, 0).x() <= local.x() < self._corner and 0 <= local.y() < self._corner

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseButtonRelease,
            QEvent.Type.MouseMove,
        ):
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self._window:
            return False
        assert isinstance(event, QMouseEvent)
        if kind == QEvent.Type.MouseButtonPress:
            if self._enabled and self._in_corner(event):
                self._timer.start()
            else:
                self._timer.stop()
        elif kind == QEvent.Type.MouseButtonRelease:
            self._timer.stop()
        elif self._timer.isActive() and not self._in_corner(event):
            self._timer.stop()
        return False
