"""The PySide6 6.12 / CPython 3.11 refcount guard (ui.none_guard): applied, and it is needed.

Why a test: without the guard a live preview aborts the process (``none_dealloc``) after a few
thousand Qt calls. These tests prove the stray decrement still exists in the pinned PySide6 (so the
guard is not dead code) and that tens of thousands of such calls are survived.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from ui import none_guard


class _Emitter(QObject):
    changed = Signal(object)


def test_guard_is_in_place_where_needed() -> None:
    assert none_guard.protect_none() is none_guard.needed()
    if none_guard.needed():
        assert sys.getrefcount(None) > none_guard.HEADROOM // 2
        assert sys.getrefcount(True) > none_guard.HEADROOM // 2


@pytest.mark.skipif(not none_guard.needed(), reason="None is immortal on this interpreter")
def test_void_qt_calls_still_drop_a_none_reference(qtbot: QtBot) -> None:
    """If this starts failing, PySide6 fixed the bug: the guard can be removed (see ui/none_guard.py)."""
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.update()
    before = sys.getrefcount(None)
    for _ in range(1000):
        widget.update()
    assert before - sys.getrefcount(None) >= 900


def test_many_void_calls_and_emits_are_survived(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    emitter = _Emitter()
    seen: list[object] = []
    emitter.changed.connect(seen.append)
    for i in range(20_000):  # far more than None's and True's own reference counts on CPython 3.11
        widget.update()
        emitter.changed.emit(i)
    assert len(seen) == 20_000
