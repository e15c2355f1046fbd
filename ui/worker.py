"""The one way the UI runs work off the GUI thread, and the one way core events reach it.

Why: the GUI thread only paints and reacts (design card). Sealing, enqueueing, HTTP and frame analysis
are plain core functions; running them must not freeze a touch screen, and their results must come
back on the GUI thread, because Qt widgets may only be touched there. Anki has one helper for this
(``QueryOp(...).success(...).failure(...)``); Electrum hops core callbacks onto the GUI thread through
one signal (``qt_event_listener``). We keep exactly those two tools:

* :func:`run_in_background` — a function call on a ``QThreadPool``, with ``on_success`` /
  ``on_failure`` callbacks delivered on the GUI thread;
* :class:`CoreEventBridge` — a callable any thread may call with a plain event object; subscribers get
  it through the ``received`` signal on the GUI thread (the sync engine's ``on_event`` goes through it).

Both relay through a slot of a QObject living on the GUI thread with an explicit queued connection,
so even a lambda subscriber runs on the GUI thread (a signal connected to a plain Python callable would
otherwise run in the emitting thread).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, Qt, QThreadPool, Signal, Slot

log = logging.getLogger(__name__)

SuccessCallback = Callable[[Any], None]
FailureCallback = Callable[[BaseException], None]

_POOL: QThreadPool | None = None
_PENDING: set[_Relay] = set()
_PENDING_LOCK = threading.Lock()


def thread_pool() -> QThreadPool:
    """The kiosk's own pool: a handful of workers, separate from Qt's global pool (used by Qt itself)."""
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setObjectName("kiosk-workers")
        _POOL.setMaxThreadCount(4)
    return _POOL


def wait_for_background_work(timeout_ms: int = 5000) -> bool:
    """Wait for every started task to finish (shutdown and tests); True when all did in time."""
    return thread_pool().waitForDone(timeout_ms)


class _Relay(QObject):
    """Carries one task's outcome from the worker thread to the GUI thread."""

    _done = Signal(bool, object)

    def __init__(
        self,
        name: str,
        on_success: SuccessCallback | None,
        on_failure: FailureCallback | None,
        parent_widget: QObject | None,
    ) -> None:
        super().__init__()  # no Qt parent: its lifetime is held by _PENDING until delivery
        self._name = name
        self._on_success = on_success
        self._on_failure = on_failure
        self._parent_widget = parent_widget
        self._done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def post(self, ok: bool, value: object) -> None:
        self._done.emit(ok, value)

    @Slot(bool, object)
    def _deliver(self, ok: bool, value: object) -> None:
        with _PENDING_LOCK:
            _PENDING.discard(self)
        if self._parent_widget is not None and not shiboken6.isValid(self._parent_widget):
            # The screen that asked is gone (session wiped): its callbacks must not run.
            return
        if ok:
            if self._on_success is not None:
                self._on_success(value)
            return
        assert isinstance(value, BaseException)
        if self._on_failure is not None:
            self._on_failure(value)
        else:
            # Only the type: exception messages may carry personal data the applicant typed.
            log.error("background task %s failed: %s", self._name, type(value).__name__)


def run_in_background(
    fn: Callable[..., Any],
    *args: Any,
    on_success: SuccessCallback | None = None,
    on_failure: FailureCallback | None = None,
    parent: QObject | None = None,
) -> None:
    """Run ``fn(*args)`` on the kiosk's thread pool; callbacks run later on the GUI thread.

    Must be called from the GUI thread. ``parent``: when given and destroyed before the task ends,
    neither callback runs (the screen that asked no longer exists). Without ``on_failure`` a failure
    is logged by exception type only.
    """
    name = getattr(fn, "__qualname__", type(fn).__name__)
    relay = _Relay(name, on_success, on_failure, parent)
    with _PENDING_LOCK:
        _PENDING.add(relay)

    def task() -> None:
        try:
            result = fn(*args)
        except BaseException as exc:
            relay.post(False, exc)
        else:
            relay.post(True, result)

    # A plain callable, not a QRunnable subclass: PySide6 keeps some auto-deleted QRunnable wrappers
    # (and all they reference) alive after they ran — bench.soak saw a few per session.
    thread_pool().start(task)


class CoreEventBridge(QObject):
    """Turns plain callbacks from any thread into one Qt signal delivered on the GUI thread.

    Create it on the GUI thread, pass the bridge itself (it is callable) as the core's ``on_event``,
    and connect to :attr:`received`. Events are delivered in the order they were posted.
    """

    received = Signal(object)
    _posted = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._posted.connect(self._relay, Qt.ConnectionType.QueuedConnection)

    def __call__(self, event: object) -> None:
        self.post(event)

    def post(self, event: object) -> None:
        """Queue ``event`` for the GUI thread; safe from any thread, never blocks on the GUI."""
        if shiboken6.isValid(self):
            self._posted.emit(event)

    @Slot(object)
    def _relay(self, event: object) -> None:
        self.received.emit(event)
