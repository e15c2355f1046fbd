"""pytest plug-in for tests/test_test_hygiene.py: after each test, count what it left alive.

Writes one JSON line per test to the file named by ``PRAKERJA_LEAK_PROBE_OUT``: the test id, the
number of top-level widgets and of live ``IdleWatchdog`` objects (each one an application-wide event
filter) once the test and all its fixtures are torn down.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from collections.abc import Iterator

import pytest


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    yield
    widgets_mod = sys.modules.get("PySide6.QtWidgets")
    if widgets_mod is None or widgets_mod.QApplication.instance() is None:
        return
    import shiboken6

    from ui.idle import IdleWatchdog

    gc.collect()
    watchdogs = sum(1 for o in gc.get_objects() if isinstance(o, IdleWatchdog) and shiboken6.isValid(o))
    record = {
        "test": item.nodeid,
        "top_level": len(widgets_mod.QApplication.topLevelWidgets()),
        "watchdogs": watchdogs,
    }
    with open(os.environ["PRAKERJA_LEAK_PROBE_OUT"], "a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")
