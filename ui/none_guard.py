"""Keep CPython 3.11's ``None``/``True``/``False`` alive under PySide6 6.12, which drops references to them.

Why this exists: with PySide6/shiboken6 6.12.0 on CPython 3.11, every wrapped Qt method that returns
nothing (``QPainter.drawImage``, ``QWidget.update``, ``QTimer.setInterval``, ``processEvents`` …) or
``None`` (``QObject.parent()`` without a parent) *decrements* ``None``'s reference count without having
incremented it, and ``Signal.emit``/``disconnect`` do the same to ``True`` — measured: exactly −1 per
call (``tests/test_camera_none_guard.py``). Since CPython 3.12 these singletons are immortal (PEP 683),
so it is harmless there, which is presumably why it went unnoticed; on 3.11 ``None`` starts with ~5 000
references, so a live camera preview (≈ 20 void calls per repaint, 30+ repaints a second) aborts the
whole kiosk with ``Fatal Python error: none_dealloc`` (or ``bool_dealloc``) within seconds to minutes —
the "rare refcount aborts" first blamed on numpy-backed QImages.

The guard does what CPython 3.12 does: it makes the three singletons practically immortal by adding
2**40 to their reference counts once (at 10 000 stray decrements a second that lasts over three years
of uptime). Only on CPython < 3.12 release builds, where ``ob_refcnt`` is the first word of every object
(checked before and after); elsewhere it does nothing. Applied from ``ui/__init__.py``, so before any Qt
call. Remove it when the kiosk moves to Python ≥ 3.12 or to a PySide6 release without the bug.
"""

from __future__ import annotations

import ctypes
import sys
import threading

HEADROOM = 1 << 40
GUARDED: tuple[object, ...] = (None, True, False)
_lock = threading.Lock()
_applied = False


def needed() -> bool:
    """True where the singletons are mortal and ob_refcnt is the first word (CPython < 3.12 release)."""
    return (
        sys.implementation.name == "cpython"
        and sys.version_info < (3, 12)
        and not hasattr(sys, "gettotalrefcount")  # debug builds put trace pointers before ob_refcnt
    )


def protect_none() -> bool:
    """Apply the guard once per process; returns True when it is (now or already) in place."""
    global _applied
    with _lock:
        if _applied:
            return True
        if not needed():
            return False
        for singleton in GUARDED:
            counter = ctypes.c_ssize_t.from_address(id(singleton))
            before = sys.getrefcount(singleton)
            counter.value += HEADROOM
            if sys.getrefcount(singleton) - before != HEADROOM:  # unexpected layout: undo, stop
                counter.value -= HEADROOM
                return False
        _applied = True
        return True
