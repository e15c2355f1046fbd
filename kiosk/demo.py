"""Demo / training mode: a local reference API and an enrolled demo device, with no configuration.

Why a subprocess (``python -m central_api.cli``) and not an import: ``kiosk`` must not depend on the
reference server (layer contract: ``central_api → kiosk``, never back). A child process talks real HTTP
on 127.0.0.1, exactly like a deployed kiosk talks to the ministry's API, and dies with the kiosk. In a
frozen (PyInstaller) bundle there is no ``python -m``; there the server is started in-process through
``importlib`` — still no static import, and only in demo mode.

Demo data never mixes with real data: the server's data dir and the demo kiosk's own data dir (outbox,
device identity, audit log) live under ``<data dir>/demo/``; :attr:`DemoEnvironment.paths` is the
:class:`~kiosk.paths.KioskPaths` the GUI must use while in demo mode.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from kiosk import device
from kiosk.api_client import ApiClient, ApiError
from kiosk.device import DeviceIdentity
from kiosk.i18n import Message, UserFacingError
from kiosk.paths import KioskPaths, demo_paths, ensure_dir, kiosk_paths

log = logging.getLogger(__name__)

HOST = "127.0.0.1"
START_TIMEOUT_S = 30.0
_LISTENING_RE = re.compile(r"listening on (http://[0-9.]+:\d+)")
_ADMIN_RE = re.compile(r"admin listening on (http://[0-9.]+:\d+)")
"""The CLI serves admin routes on a second listener (central_api.cli); the in-process server has one."""


class DemoError(UserFacingError):
    """Demo mode could not start; ``message`` says why and what to do."""


@dataclass
class DemoEnvironment:
    """A running demo: API URL, the enrolled demo device and the demo directories. Call :meth:`stop`."""

    api_url: str
    identity: DeviceIdentity
    paths: KioskPaths
    server_data_dir: Path
    admin_token: str
    admin_url: str = ""
    _process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    _thread_server: Any = field(default=None, repr=False)

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the reference API (terminate, then kill after ``timeout``). Idempotent."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(timeout)
        self._process = None
        if self._thread_server is not None:
            self._thread_server.stop()
            self._thread_server = None

    @property
    def running(self) -> bool:
        """True while the demo API process (or thread) is alive."""
        if self._process is not None:
            return self._process.poll() is None
        return self._thread_server is not None

    def admin(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """Call an admin endpoint of the demo API (OTP outbox for the trainer, status changes)."""
        headers = {"Authorization": f"Bearer {self.admin_token}", **kwargs.pop("headers", {})}
        base = self.admin_url or self.api_url
        return requests.request(method, base + path, headers=headers, timeout=10, **kwargs)

    def __enter__(self) -> DemoEnvironment:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


DEMO_LAYOUT = 2
"""Version of what a demo run keeps under ``demo/`` (the demo API's database, the demo device, its
outbox). Raise it whenever a release cannot open an older demo folder: the reference API now refuses a
database made by an older version (submissions are keyed per signer), the outbox schema moved to 2 and
device secrets are stored differently. Demo data is training data, so an older folder is set aside
rather than migrated — a training kiosk updated in an office must still start its demo without staff
deleting folders by hand."""
DEMO_LAYOUT_FILE = "demo-layout"


def _reset_if_older_layout(demo_dir: Path) -> Path | None:
    """Move a demo folder written by an older release aside (``demo.old-<time>``); returns where to.

    Only the newest set-aside folder is kept, so repeated updates do not pile up training data.
    """
    stamp = demo_dir / DEMO_LAYOUT_FILE
    try:
        current = int(stamp.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        current = None
    if current == DEMO_LAYOUT or (demo_dir.exists() and not demo_dir.is_dir()):
        return None  # current, or not a folder at all: the start below names that problem in words
    moved: Path | None = None
    try:
        if demo_dir.is_dir() and any(demo_dir.iterdir()):
            for old in demo_dir.parent.glob(f"{demo_dir.name}.old-*"):
                shutil.rmtree(old, ignore_errors=True)
            moved = demo_dir.with_name(f"{demo_dir.name}.old-{time.strftime('%Y%m%d%H%M%S')}")
            demo_dir.rename(moved)
            log.warning(
                "demo folder from an older release set aside (layout %s, now %s)", current, DEMO_LAYOUT
            )
        ensure_dir(demo_dir)
        stamp.write_text(f"{DEMO_LAYOUT}\n", encoding="ascii")
    except OSError as exc:  # read-only or locked: the start below reports the folder in words
        log.warning("demo folder layout not updated: %s", type(exc).__name__)
    return moved


def _fail(id_text: str, en_text: str) -> DemoError:
    return DemoError(Message(id_text, en_text))


def _start_subprocess(data_dir: Path, port: int, log_path: Path) -> tuple[subprocess.Popen[bytes], str, str]:
    """Start ``python -m central_api.cli`` and read its URL from its stderr (written to ``log_path``)."""
    command = [
        sys.executable,
        "-m",
        "central_api.cli",
        "--host",
        HOST,
        "--port",
        str(port),
        "--data-dir",
        str(data_dir),
        "--admin-port",
        "0",  # the admin listener on any free loopback port (its URL is read back like the API's)
        "--log-level",
        "warning",
    ]
    log_file = log_path.open("wb")
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=log_file,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    except OSError as exc:
        log_file.close()
        raise _fail(
            f"API demo tidak bisa dijalankan ({exc.strerror}).",
            f"The demo API could not be started ({exc.strerror}).",
        ) from None
    finally:
        with contextlib.suppress(Exception):
            log_file.close()
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        text = log_path.read_text(encoding="utf-8", errors="replace")
        match, admin = _LISTENING_RE.search(text), _ADMIN_RE.search(text)
        if match and admin:
            return process, match.group(1), admin.group(1)
        if process.poll() is not None:
            last = next((line for line in reversed(text.splitlines()) if line.strip()), "no output")
            raise _fail(
                f"API demo berhenti saat mulai: {last}",
                f"The demo API stopped while starting: {last}",
            )
        time.sleep(0.05)
    process.kill()
    process.wait(5)
    raise _fail("API demo tidak mulai tepat waktu.", "The demo API did not start in time.")


def _start_in_process(data_dir: Path, port: int) -> tuple[Any, str]:
    """Frozen bundles: the same server in a thread, imported at run time (demo mode only)."""
    server_mod = importlib.import_module("central_api.server")
    settings_mod = importlib.import_module("central_api.settings")
    try:
        server = server_mod.ServerThread(settings_mod.Settings(data_dir=data_dir), HOST, port).start()
    except OSError as exc:
        raise _fail(
            f"Port {port} sedang dipakai; tutup program lain atau pilih port lain.",
            f"Port {port} is in use ({exc.strerror}); close the other program or choose another port.",
        ) from None
    return server, str(server.url)


def _wait_healthy(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    with ApiClient(url, timeout=2.0) as client:
        while True:
            try:
                client.health()
                return
            except ApiError:
                if time.monotonic() > deadline:
                    raise _fail(
                        f"API demo di {url} tidak menjawab.", f"The demo API at {url} does not answer."
                    ) from None
                time.sleep(0.1)


def _create_code(env: DemoEnvironment) -> str:
    """One enrolment code from the demo API's admin endpoint."""
    try:
        response = env.admin("POST", "/v1/admin/enrolment-codes", json={"count": 1, "label": "demo kiosk"})
        if response.status_code >= 300:
            raise _fail(
                f"API demo menolak membuat kode pendaftaran (HTTP {response.status_code}).",
                f"The demo API refused to create an enrolment code (HTTP {response.status_code}).",
            )
        return str(response.json()["codes"][0])
    except (requests.RequestException, ValueError, KeyError, IndexError, TypeError):
        raise _fail(
            "API demo tidak memberi kode pendaftaran.", "The demo API gave no enrolment code."
        ) from None


def start_demo(
    home: KioskPaths | None = None, *, port: int = 0, in_process: bool | None = None
) -> DemoEnvironment:
    """Start the reference API on 127.0.0.1 (``port`` 0 = a free one), create a code, enrol the device.

    ``home`` defaults to the kiosk's directories; demo state goes under its ``demo/`` data dir.
    Raises :class:`DemoError` with a one-line reason; nothing is left running when it does.
    """
    base = home or kiosk_paths()
    _reset_if_older_layout(base.demo_dir)
    kiosk_dirs = demo_paths(base)
    server_dir = ensure_dir(base.demo_dir / "central-api")
    kiosk_dirs.ensure()
    frozen = bool(getattr(sys, "frozen", False))
    use_thread = frozen if in_process is None else in_process

    process: subprocess.Popen[bytes] | None = None
    thread_server: Any = None
    if use_thread:
        thread_server, url = _start_in_process(server_dir, port)
        admin_url = url
    else:
        process, url, admin_url = _start_subprocess(server_dir, port, base.demo_dir / "central-api.log")
    env = DemoEnvironment(
        api_url=url,
        identity=None,  # type: ignore[arg-type]  # set below once enrolled
        paths=kiosk_dirs,
        server_data_dir=server_dir,
        admin_token="",
        admin_url=admin_url,
        _process=process,
        _thread_server=thread_server,
    )
    try:
        _wait_healthy(url, START_TIMEOUT_S)
        try:
            env.admin_token = (server_dir / "admin-token").read_text(encoding="utf-8").strip()
        except OSError:
            raise _fail("Token admin API demo tidak ada.", "The demo API's admin token is missing.") from None
        code = _create_code(env)
        with ApiClient(url, timeout=10.0) as client:
            env.identity = device.enrol(client, code, paths=kiosk_dirs, demo=True)
    except BaseException:
        env.stop()
        raise
    log.info("demo API at %s, demo device %s", url, env.identity.device_id)
    return env
