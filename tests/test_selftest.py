"""Qt-free self-test: structured results, report text and the exit-code rule."""

from __future__ import annotations

from pathlib import Path

from kiosk.paths import kiosk_paths
from kiosk.selftest import (
    CheckResult,
    check_api,
    check_config,
    check_crypto,
    check_data_dir,
    check_keyring,
    exit_code,
    render_report,
    run_check,
    run_checks,
)
from tests.support.live_api import LiveApi


def test_all_checks_on_a_fresh_home(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("PRAKERJA_KIOSK_ALLOW_KEY_FILE")  # a real deployment, not the test suite's
    results = run_checks()
    names = [r.name for r in results]
    assert names == [
        "data dir writable",
        "config valid",
        "keyring backend",
        "device key",
        "core dumps off",
        "crypto",
        "API reachable",
        "disk space",
    ]
    by_name = {r.name: r for r in results}
    assert by_name["data dir writable"].ok
    assert by_name["config valid"].ok and "defaults" in by_name["config valid"].detail
    assert by_name["crypto"].ok and "round trip" in by_name["crypto"].detail
    assert by_name["core dumps off"].ok and "RLIMIT_CORE=0" in by_name["core dumps off"].detail
    # no API configured: a warning, not a failure (the kiosk works offline)
    assert not by_name["API reachable"].ok and not by_name["API reachable"].required
    assert exit_code(results) == 0
    assert "The kiosk can run on this machine" in render_report(results)


def test_api_reachable(live_api: LiveApi) -> None:
    result = check_api(live_api.url, 5.0)
    assert result.ok, result.detail


def test_api_unreachable_is_a_warning() -> None:
    result = check_api("http://127.0.0.1:9", 1.0)
    assert not result.ok and not result.required
    assert "127.0.0.1:9" in result.detail


def test_captive_portal_is_not_the_api(live_api_factory) -> None:  # type: ignore[no-untyped-def]
    from central_api.faults import FaultConfig

    api = live_api_factory(faults=FaultConfig(captive_portal=True))
    result = check_api(api.url, 5.0)
    assert not result.ok


def test_bad_config_fails_the_self_test(isolated_home: Path) -> None:
    paths = kiosk_paths().ensure()
    paths.config_file.write_text("[kiosk]\nlanguage = 'jv'\n")
    result, config = check_config(None, paths)
    assert not result.ok and result.required and config is None
    assert "kiosk.language" in result.detail and "line 2" in result.detail
    results = run_checks()
    assert exit_code(results) == 1
    report = render_report(results)
    assert "[FAIL] config valid" in report and "CANNOT run" in report


def test_unwritable_data_dir_fails(isolated_home: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    blocker = isolated_home / "blocker"
    blocker.write_text("a file, not a folder")
    monkeypatch.setenv("PRAKERJA_KIOSK_HOME", str(blocker))
    result = check_data_dir(kiosk_paths())
    assert not result.ok and result.required


def test_keyring_fallback_is_reported(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("PRAKERJA_KIOSK_ALLOW_KEY_FILE")
    result = check_keyring()
    assert "keyring" in result.name
    if not result.ok:
        assert not result.required and "staff passphrase" in result.detail


def test_crypto_check() -> None:
    assert check_crypto().ok


def test_run_check_turns_exceptions_into_failures() -> None:
    def broken() -> CheckResult:
        raise RuntimeError("no multimedia backend")

    result = run_check("multimedia", broken)
    assert not result.ok and "no multimedia backend" in result.detail


def test_exit_code_rule() -> None:
    assert exit_code([CheckResult("a", True, ""), CheckResult("b", False, "", required=False)]) == 0
    assert exit_code([CheckResult("a", False, "")]) == 1
    assert exit_code([]) == 0
