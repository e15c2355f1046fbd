"""Top-level Qt widgets left behind by a test: list them, dispose of them (used by tests/conftest.py).

Why addresses and not the widgets: holding Python references across a test would itself keep wrappers
alive; the C++ object's address (``shiboken6.getCppPointer``) is enough to tell old from new.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet

import shiboken6
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QWidget


def _key(widget: QWidget) -> int:
    return int(shiboken6.getCppPointer(widget)[0])


def top_level_ids() -> set[int]:
    """Addresses of the application's top-level widgets now (empty without a QApplication)."""
    if QApplication.instance() is None:
        return set()
    return {_key(w) for w in QApplication.topLevelWidgets() if shiboken6.isValid(w)}


def dispose_top_level_widgets(keep: AbstractSet[int] = frozenset()) -> int:
    """Close and delete every top-level widget not in ``keep``; run the deferred deletes now.

    Returns how many were disposed of. Dialogs owned by a disposed window go with it.
    """
    if QApplication.instance() is None:
        return 0
    doomed = [w for w in QApplication.topLevelWidgets() if shiboken6.isValid(w) and _key(w) not in keep]
    for widget in doomed:
        widget.close()
        widget.deleteLater()
    # At event-loop level 0 ``deleteLater`` waits for a loop that the next test may never enter;
    # sending the posted DeferredDelete events runs them now.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return len(doomed)
