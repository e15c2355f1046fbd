"""Issue 18, item 15: how ``prakerja-central-api`` may be deployed (a real subprocess on loopback).

Non-loopback binds need TLS or an explicit, loudly warned ``--behind-tls-proxy``; admin routes and the
docs live on a separate listener; the admin token comes from a file, never from the command line.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import requests

from central_api.cli import is_loopback
from tests.support.tls import central_api_process as serving
from tests.support.tls import self_signed

CMD = [sys.executable, "-m", "central_api.cli"]
ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CMD, *args], capture_output=True, text=True, timeout=60, cwd=ROOT)


def test_loopback_addresses() -> None:
    assert all(is_loopback(h) for h in ("127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost"))
    assert not any(is_loopback(h) for h in ("0.0.0.0", "192.168.1.10", "::", "api.example.go.id"))


def test_non_loopback_bind_without_tls_is_refused(tmp_path: Path) -> None:
    for args in (["--host", "0.0.0.0"], ["--admin-host", "192.168.1.10"]):
        proc = run("--data-dir", str(tmp_path), "--port", "0", *args)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        assert "--tls-cert" in proc.stderr and "--behind-tls-proxy" in proc.stderr
    # The proxy flag is accepted with a loud warning (the bind itself fails: not this machine's address).
    proc = run("--data-dir", str(tmp_path), "--port", "0", "--host", "192.0.2.1", "--behind-tls-proxy")
    assert "WARNING" in proc.stderr and "TLS proxy MUST front" in proc.stderr
    assert "cannot listen on 192.0.2.1" in proc.stderr
    half = run("--data-dir", str(tmp_path), "--tls-cert", str(tmp_path / "missing.pem"))
    assert half.returncode == 2 and "--tls-key" in half.stderr


def test_admin_token_comes_from_a_file_not_argv(tmp_path: Path) -> None:
    proc = run("--data-dir", str(tmp_path), "--admin-token", "s3cret-on-the-command-line")
    assert proc.returncode == 2 and "unrecognized arguments" in proc.stderr
    short = tmp_path / "short"
    short.write_text("abc")
    proc = run("--data-dir", str(tmp_path / "d"), "--admin-token-file", str(short))
    assert proc.returncode == 2 and "at least 16" in proc.stderr


def test_admin_routes_and_docs_only_on_the_admin_listener(tmp_path: Path) -> None:
    token_file = tmp_path / "admin.token"
    token_file.write_text("trainer-token-0123456789abcdef\n")
    args = ("--data-dir", str(tmp_path / "data"), "--port", "0", "--admin-token-file", str(token_file))
    with serving(*args, log=tmp_path / "err.log") as (public, admin, _text):
        assert admin.startswith("http://127.0.0.1:") and admin != public
        auth = {"Authorization": "Bearer trainer-token-0123456789abcdef"}
        for path in ("/docs", "/openapi.json", "/redoc"):
            assert requests.get(public + path, timeout=5).status_code == 404
            assert requests.get(admin + path, timeout=5).status_code == 200
        codes = requests.post(public + "/v1/admin/enrolment-codes", json={}, headers=auth, timeout=5)
        assert codes.status_code == 404
        codes = requests.post(admin + "/v1/admin/enrolment-codes", json={}, headers=auth, timeout=5)
        assert codes.status_code == 201, codes.text
        assert requests.get(public + "/v1/health", timeout=5).json()["status"] == "ok"
        # Devices use the public listener only: enrolment is not on the admin one.
        assert requests.post(admin + "/v1/devices/enrol", json={}, timeout=5).status_code == 404


def test_tls_listeners(tmp_path: Path) -> None:
    cert = self_signed(tmp_path)
    args = (
        "--data-dir",
        str(tmp_path / "data"),
        "--port",
        "0",
        "--tls-cert",
        str(cert.cert_path),
        "--tls-key",
        str(cert.key_path),
    )
    with serving(*args, log=tmp_path / "err.log") as (public, admin, text):
        assert public.startswith("https://") and admin.startswith("https://")
        assert "WARNING" not in text
        resp = requests.get(public + "/v1/health", timeout=5, verify=str(cert.cert_path))
        assert resp.json()["status"] == "ok"
        with pytest.raises(requests.exceptions.ConnectionError):
            requests.get(public.replace("https://", "http://") + "/v1/health", timeout=5)
