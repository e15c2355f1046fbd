"""Shared pytest set-up.

Why the ``proof`` marker is applied here by module name: the proof runs (a process killed mid-write,
injected faults, PII searched for on disk, schemathesis, shaped links in a network namespace, the real
display, ``ldd`` over the bundled plug-ins, soak-like loops) are what CI must run, but they make
day-to-day runs slow. ``scripts/test.sh --fast`` deselects ``slow`` and ``proof``; listing the modules
here keeps the choice in one place without editing each module.

Why the autouse fixture: tests must never read or write the real config, data or log directories of
the machine they run on (napari's ``_fresh_settings`` habit). Everything the kiosk stores goes under a
per-test temporary home.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["tests.support.live_api"]


# Module stem -> why it is a proof run (kept out of ``scripts/test.sh --fast``; CI runs everything).
PROOF_MODULES: dict[str, str] = {
    "test_kill": "kills the kiosk process mid-write",
    "test_fault": "fault injection across a real server",
    "test_api_faults": "fault injection, capacity limit",
    "test_pii_at_rest": "searches every file written for personal data",
    "test_schemathesis_api": "schemathesis against the reference API",
    "test_transport_slowlink": "network namespace with a shaped link",
    "test_transport_slowlink_resume": "resumed uploads over a resetting link",
    "test_outbox_resilience": "SIGKILL, full tmpfs, damaged files",
    "test_system_libs": "ldd over the Qt plug-ins and the package table",
    "test_install_kiosk": "install script in a container-like root, real display",
    "test_platform_windows_suite": "core suites again in a child pytest on the Windows paths",
    "test_instance_lock": "kiosk processes killed with SIGKILL",
    "test_test_hygiene": "UI test files twice in a child pytest (windows left behind)",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test in a :data:`PROOF_MODULES` module with ``proof``."""
    for item in items:
        if item.path.stem in PROOF_MODULES:
            item.add_marker(pytest.mark.proof)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--postgres",
        action="store_true",
        default=False,
        help="also run the reference API tests against a PostgreSQL server started for the run",
    )


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Point every platform directory the kiosk uses at a fresh temp dir."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("PRAKERJA_KIOSK_HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    # No keyring daemon or TPM on CI: let enrolment keep the (test-only) machine-secret key file.
    # tests/test_device.py and tests/test_security_kiosk*.py switch this off to test the real policy.
    monkeypatch.setenv("PRAKERJA_KIOSK_ALLOW_KEY_FILE", "1")
    monkeypatch.setenv("PRAKERJA_KIOSK_SYSTEMD_CREDS", "off")
    yield home


@pytest.fixture(autouse=True)
def _dispose_new_windows() -> Iterator[None]:
    """Delete every top-level Qt widget a test left behind (and with it its IdleWatchdog's app filter).

    Why: pytest-qt closes the widgets given to ``qtbot.addWidget`` and calls ``deleteLater``, but at
    event-loop level 0 the deferred delete never runs, so each UI test left a main window, its dialogs
    and an ``IdleWatchdog`` (an application-wide event filter) alive: top-level widgets went 0 -> 9 and
    watchdogs 1 -> 6 over ``tests/test_ui_wizard.py``, and every later event crossed all of them.
    Runs last (autouse fixtures are torn down after the test's own fixtures and pytest-qt's close), and
    only when Qt is already imported, so the Qt-free tests do not load it.
    """
    widgets_mod = sys.modules.get("PySide6.QtWidgets")
    before = _top_level_ids(widgets_mod)
    yield
    if os.environ.get("PRAKERJA_TEST_KEEP_WINDOWS") == "1":  # tests/test_test_hygiene.py's control run
        return
    widgets_mod = sys.modules.get("PySide6.QtWidgets")
    if widgets_mod is None or widgets_mod.QApplication.instance() is None:
        return
    from tests.support.qt_windows import dispose_top_level_widgets

    dispose_top_level_widgets(keep=before)


def _top_level_ids(widgets_mod: object) -> set[int]:
    if widgets_mod is None:
        return set()
    from tests.support.qt_windows import top_level_ids

    return top_level_ids()


@pytest.fixture(autouse=True)
def _reset_log_process_name() -> Iterator[None]:
    """Headless commands run in-process (``cli.main``, ``ui.entry.main``) name the process "cli" so its
    log goes to ``kiosk-cli.log``; that name is process-global, so put it back after every test or the
    tests that follow (log rotation, the window's log file) depend on the order they run in."""
    yield
    from kiosk.logging_setup import set_process_name

    set_process_name(None)
