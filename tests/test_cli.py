"""The headless command line, run as real subprocesses against real files and a real API."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk import device
from kiosk.cli import build_parser, main
from kiosk.logging_setup import shutdown_logging
from kiosk.paths import KioskPaths
from offline_queue.outbox import Outbox
from tests.support.live_api import LiveApi

REPO = Path(__file__).resolve().parents[1]


def kiosk(
    home: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m kiosk.cli ARGS`` with its own home directory."""
    return subprocess.run(
        [sys.executable, "-m", "kiosk.cli", *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "PRAKERJA_KIOSK_HOME": str(home), **(env or {})},
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode != 0, result
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


def _paths(home: Path) -> KioskPaths:
    return KioskPaths(home / "config", home / "data", home / "log", home / "cache")


# ---------------------------------------------------------------------------------- parser / usage
def test_parser_has_gui_flags_and_subcommands() -> None:
    parser = build_parser()
    args = parser.parse_args(["--demo", "--windowed", "--lang", "en", "--config", "/tmp/x.toml"])
    assert args.demo and args.windowed and args.lang == "en" and args.config == Path("/tmp/x.toml")
    assert args.command is None and not args.self_test
    assert parser.parse_args(["--self-test"]).self_test
    assert parser.parse_args(["export", "--to", "f.pkx"]).to == Path("f.pkx")
    assert parser.parse_args(["import", "f.pkx"]).file == Path("f.pkx")
    assert parser.parse_args(["enrol", "ABCD-EFGH-JKLM", "--api", "http://x"]).api == "http://x"
    assert parser.parse_args(["audit", "verify"]).audit_command == "verify"
    assert parser.parse_args(["config", "show"]).config_command == "show"


@pytest.mark.parametrize(
    "argv", [["--bogus"], ["--lang", "jv"], ["frobnicate"], ["export"], ["audit"], ["config", "explode"]]
)
def test_usage_errors_are_one_line_in_process(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "--help" in err


def test_usage_error_as_a_process(tmp_path: Path) -> None:
    result = kiosk(tmp_path, "--bogus", "status")
    assert result.returncode == 2
    assert_one_line_error(result, "--bogus", "--help")


def test_help_exits_zero(tmp_path: Path) -> None:
    result = kiosk(tmp_path, "--help")
    assert result.returncode == 0 and "export" in result.stdout


def test_gui_is_not_started_by_the_headless_cli(tmp_path: Path) -> None:
    assert_one_line_error(kiosk(tmp_path), "ui.entry")


# ---------------------------------------------------------------------------------------- config
@pytest.fixture
def in_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Run ``main()`` in this process; undo the logging set-up and exception hooks it installs."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    yield
    shutdown_logging()


def test_config_init_show_check(
    isolated_home: Path, in_process: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert main(["config", "init"]) == 0
    config_file = isolated_home / "config" / "config.toml"
    assert config_file.exists()
    assert main(["config", "check"]) == 0
    monkeypatch.setenv("PRAKERJA_API_URL", "https://api.example.go.id")
    capsys.readouterr()
    assert main(["config", "show"]) == 0
    assert 'url = "https://api.example.go.id"' in capsys.readouterr().out
    assert main(["config", "init"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "--force" in err
    assert main(["config", "init", "--force"]) == 0


def test_bad_config_names_file_line_key(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[api]\nurl = "https://x.example"\n[sync]\nconcurrency = "dua"\n')
    result = kiosk(tmp_path, "--config", str(bad), "status")
    assert result.returncode == 2
    assert_one_line_error(result, str(bad), "line 4", "sync.concurrency", "integer")
    broken = tmp_path / "broken.toml"
    broken.write_text("[api\n")
    assert_one_line_error(kiosk(tmp_path, "--config", str(broken), "config", "check"), "line 1")


def test_unwritable_data_dir(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    config = tmp_path / "ok.toml"
    config.write_text("")
    result = kiosk(blocker, "--config", str(config), "status")
    assert_one_line_error(result, str(blocker))


# ----------------------------------------------------------------------------- enrol / API errors
def test_enrol_needs_an_api_url(in_process: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["enrol", "ABCD-EFGH-JKLM"]) == 2
    assert "--api" in capsys.readouterr().err
    assert main(["enrol", "ABCD-EFGH-JKLM", "--api", "not a url"]) == 2
    assert "not a url" in capsys.readouterr().err


def test_enrol_unreachable_api(tmp_path: Path) -> None:
    result = kiosk(tmp_path, "enrol", "ABCD-EFGH-JKLM", "--api", "http://127.0.0.1:9")
    assert result.returncode == 1
    assert_one_line_error(result, "127.0.0.1:9", "unreachable")
    assert not (tmp_path / "data" / "device.json").exists()


def test_enrol_wrong_code(tmp_path: Path, live_api: LiveApi) -> None:
    result = kiosk(tmp_path, "enrol", "ABCD-EFGH-JKLM", "--api", live_api.url)
    assert_one_line_error(result)


def test_sync_without_enrolment(tmp_path: Path) -> None:
    assert_one_line_error(kiosk(tmp_path, "sync"), "enrol")


# ------------------------------------------------------------------- field work: export → import → sync
def _enqueue_sealed(home: Path, live_api: LiveApi, count: int) -> list[str]:
    identity = device.load(paths=_paths(home))
    assert identity is not None
    holder = type(
        "Dev",
        (),
        {
            "device_id": identity.device_id,
            "private_key": identity.signing_key,
            "envelope_key": identity.server_envelope_key,
        },
    )()
    outbox = Outbox(_paths(home).outbox_file)
    ids = []
    try:
        for _ in range(count):
            sid, blob = live_api.seal_submission(holder, submission_id=str(uuid.uuid4()))  # type: ignore[arg-type]
            outbox.enqueue(sid, blob)
            ids.append(sid)
    finally:
        outbox.close()
    return ids


@pytest.mark.slow
def test_field_workflow(tmp_path: Path, live_api: LiveApi) -> None:
    field = tmp_path / "field-laptop"
    second = tmp_path / "office-kiosk"  # a connected office's own enrolled kiosk relays the stick
    result = kiosk(field, "enrol", live_api.create_enrolment_code(), "--api", live_api.url)
    assert result.returncode == 0, result.stderr
    assert "encrypted-file" in result.stdout
    relay = kiosk(second, "enrol", live_api.create_enrolment_code(), "--api", live_api.url)
    assert relay.returncode == 0, relay.stderr
    ids = _enqueue_sealed(field, live_api, 3)

    status = kiosk(field, "status")
    assert status.returncode == 0 and "waiting:           3" in status.stdout

    usb = tmp_path / "usb" / "antrean.pkx"
    usb.parent.mkdir()
    exported = kiosk(field, "export", "--to", str(usb))
    assert exported.returncode == 0, exported.stderr
    assert usb.exists()
    assert_one_line_error(kiosk(field, "export", "--to", str(usb)), "already exists")

    imported = kiosk(second, "import", str(usb))
    assert imported.returncode == 0, imported.stderr
    assert "imported: 3" in imported.stdout
    again = kiosk(second, "import", str(usb))
    assert "already known: 3" in again.stdout

    synced = kiosk(second, "sync")
    assert synced.returncode == 0, synced.stderr
    assert "delivered: 3" in synced.stdout
    token = device.load(paths=_paths(field)).token  # type: ignore[union-attr]
    for sid in ids:
        resp = live_api.http.get(
            f"{live_api.url}/v1/submissions/{sid}", headers={"Authorization": f"Bearer {token}"}, timeout=10
        )
        assert resp.status_code == 200, resp.text
    # the field laptop later syncs its own copies: the server answers "already stored" (200), so they
    # count as delivered and the server holds each registration once
    synced_field = kiosk(field, "sync")
    assert synced_field.returncode == 0, synced_field.stderr
    assert "delivered: 3" in synced_field.stdout and "waiting: 0" in synced_field.stdout

    verify = kiosk(field, "audit", "verify")
    assert verify.returncode == 0, verify.stdout
    assert "intact: 2 entries" in verify.stdout  # enrol and export (the refused export wrote nothing)


@pytest.mark.slow
def test_sync_offline_keeps_the_queue(tmp_path: Path, live_api: LiveApi) -> None:
    assert kiosk(tmp_path, "enrol", live_api.create_enrolment_code(), "--api", live_api.url).returncode == 0
    _enqueue_sealed(tmp_path, live_api, 1)
    live_api.stop()
    result = kiosk(tmp_path, "sync")
    assert_one_line_error(result, "unreachable")
    status = kiosk(tmp_path, "status")
    assert "waiting:           1" in status.stdout


def test_import_missing_and_garbage_file(tmp_path: Path) -> None:
    assert_one_line_error(kiosk(tmp_path, "import", str(tmp_path / "nope.pkx")), "does not exist")
    garbage = tmp_path / "garbage.pkx"
    garbage.write_bytes(b"this is not an export file")
    assert_one_line_error(kiosk(tmp_path, "import", str(garbage)))


# ------------------------------------------------------------------------------------------ audit
def test_audit_verify_detects_tampering(tmp_path: Path) -> None:
    from kiosk.audit import AuditLog

    log = AuditLog(tmp_path / "data" / "audit.log")
    for i in range(3):
        log.append("op-1", "queue.retry", f"REF-{i}")
    assert kiosk(tmp_path, "audit", "verify").returncode == 0
    lines = log.path.read_text().splitlines(keepends=True)
    log.path.write_text("".join(lines[:-1]))
    result = kiosk(tmp_path, "audit", "verify")
    assert result.returncode == 1
    assert "TAMPERED" in result.stdout and "deleted" in result.stdout


# -------------------------------------------------------------------------------------- self-test
def test_headless_self_test(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PRAKERJA_KIOSK_ALLOW_KEY_FILE")  # a real deployment, not the test suite's
    result = kiosk(tmp_path, "--self-test")
    assert result.returncode == 0, result.stdout
    assert "[OK  ] crypto" in result.stdout and "data dir writable" in result.stdout


def test_demo_flag_uses_the_demo_queue(tmp_path: Path) -> None:
    from kiosk.demo import demo_paths

    demo_outbox = Outbox(demo_paths(_paths(tmp_path)).outbox_file)
    demo_outbox.enqueue(str(uuid.uuid4()), b"sealed-bytes")
    demo_outbox.close()
    assert "waiting:           1" in kiosk(tmp_path, "--demo", "status").stdout
    assert "waiting:           0" in kiosk(tmp_path, "status").stdout


def test_headless_sync_sends_the_audit_head_and_a_cut_log_is_refused(
    tmp_path: Path, live_api: LiveApi
) -> None:
    """The scheduled ``sync`` of a field laptop carries ``X-Audit-Head`` like the window's sync does: a
    log and head restored from an older copy (which pass the local check) are refused by the API."""
    home = tmp_path / "laptop"
    assert kiosk(home, "enrol", live_api.create_enrolment_code(), "--api", live_api.url).returncode == 0
    log_file = _paths(home).audit_file
    head_file = log_file.with_name(log_file.name + ".head")
    saved = (log_file.read_bytes(), head_file.read_bytes())  # head 1: the enrolment
    exported = kiosk(home, "export", "--to", str(tmp_path / "stick.pkx"))  # head 2
    assert exported.returncode == 0, exported.stderr
    _enqueue_sealed(home, live_api, 1)
    first = kiosk(home, "sync")
    assert first.returncode == 0 and "delivered: 1" in first.stdout, first.stdout + first.stderr
    log_file.write_bytes(saved[0])  # the cut, consistently: log and head back to head 1
    head_file.write_bytes(saved[1])
    assert kiosk(home, "audit", "verify").returncode == 0  # locally it looks intact
    _enqueue_sealed(home, live_api, 1)
    second = kiosk(home, "sync")
    assert "delivered: 0" in second.stdout, second.stdout + second.stderr
    status = kiosk(home, "status")
    assert "audit" in (status.stdout + status.stderr).lower()
