"""``prakerja-central-api`` as a subprocess: it serves, and bad input gives one line and exit ≠ 0."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

CMD = [sys.executable, "-m", "central_api.cli"]
ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CMD, *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT)


def assert_one_line_failure(proc: subprocess.CompletedProcess[str], needle: str) -> None:
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert needle in lines[0], lines[0]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_unknown_flag(tmp_path: Path) -> None:
    assert_one_line_failure(run("--data-dir", str(tmp_path), "--frobnicate"), "unrecognized arguments")


def test_missing_data_dir() -> None:
    assert_one_line_failure(run(), "--data-dir")


def test_bad_fault_value(tmp_path: Path) -> None:
    assert_one_line_failure(run("--data-dir", str(tmp_path), "--error-rate", "7"), "error_rate")


def test_unwritable_data_dir(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        target = "/proc/prakerja-not-writable"  # root ignores permissions; /proc refuses anyone
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        target = str(locked / "data")
    assert_one_line_failure(run("--data-dir", target, "--port", "0"), "not writable")


def test_port_in_use(tmp_path: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        assert_one_line_failure(
            run("--data-dir", str(tmp_path), "--port", str(port)), "choose another --port"
        )


def test_unreachable_database(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none?connect_timeout=2"
    assert_one_line_failure(run("--data-dir", str(tmp_path), "--database-url", url), "--database-url")


def test_create_enrolment_codes_and_serve(tmp_path: Path) -> None:
    codes = run("--data-dir", str(tmp_path), "--create-enrolment-codes", "2")
    assert codes.returncode == 0, codes.stderr
    assert len(codes.stdout.split()) == 2
    port = free_port()
    proc = subprocess.Popen(
        [*CMD, "--data-dir", str(tmp_path), "--port", str(port), "--log-level", "warning"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                resp = requests.get(f"http://127.0.0.1:{port}/v1/health", timeout=1)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    pytest.fail(f"server did not start: {proc.stderr.read() if proc.stderr else ''}")
                time.sleep(0.1)
        assert resp.json()["status"] == "ok"
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

        from kiosk.api_client import ApiClient

        enrolled = ApiClient(f"http://127.0.0.1:{port}").enrol(
            codes.stdout.split()[0], Ed25519PrivateKey.generate()
        )
        assert enrolled.device_id
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert (tmp_path / "admin-token").stat().st_mode & 0o077 == 0
    assert (tmp_path / "server-envelope-x25519.pem").stat().st_mode & 0o077 == 0
