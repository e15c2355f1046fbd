"""Shared pytest set-up.

Why the autouse fixture: tests must never read or write the real config, data or log directories of
the machine they run on (napari's ``_fresh_settings`` habit). Everything the kiosk stores goes under a
per-test temporary home.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["tests.support.live_api"]


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
