"""Touch scrolling for the few lists that may scroll (region picker, console lists, review).

Why ``QScroller``: on a touch screen with no mouse wheel a 28 px scrollbar is the only way to move a
plain list, and people who rarely use computers do not find it. ``QScroller`` makes the list follow
the finger (with kinetic flick); per-pixel scrolling keeps the movement smooth; the rows stay large
(QSS ``min-height``), so a tap still selects a row rather than starting a scroll.
"""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QAbstractScrollArea, QScroller


def make_touch_scrollable(area: QAbstractScrollArea) -> None:
    """Let a finger drag ``area``'s content (a mouse at a desk keeps its wheel and clicks)."""
    if isinstance(area, QAbstractItemView):
        area.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        area.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    viewport = area.viewport()
    QScroller.grabGesture(viewport, QScroller.ScrollerGestureType.TouchGesture)


def is_touch_scrollable(area: QAbstractScrollArea) -> bool:
    """True when ``area`` follows a dragging finger (tests check the lists that may scroll)."""
    return QScroller.hasScroller(area.viewport())
