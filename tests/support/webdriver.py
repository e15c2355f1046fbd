"""A headless Chromium driven through Debian's ``chromedriver`` over the W3C WebDriver HTTP protocol.

Why not Selenium or Playwright: Playwright downloads its own browser (not available here) and Selenium
would be one more locked dependency for a handful of calls; WebDriver *is* plain HTTP + JSON, which
``requests`` already speaks. Needs the apt packages ``chromium`` and ``chromium-driver``; tests skip with
a clear reason when they are missing (:func:`missing_reason`).
"""

from __future__ import annotations

import base64
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import requests

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1366,1500",
]
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"  # the W3C web element identifier


def missing_reason() -> str | None:
    """Why a browser test cannot run here, or ``None``."""
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not Path(path).exists() and shutil.which(Path(path).name) is None:
            return f"{path} not found: apt-get install chromium chromium-driver (package {package})"
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Browser:
    """One chromedriver process and one browser session; use as a context manager."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.proc = subprocess.Popen(
            [shutil.which("chromedriver") or CHROMEDRIVER, f"--port={self.port}"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                if requests.get(f"{self.base}/status", timeout=2).json()["value"]["ready"]:
                    break
            except (requests.RequestException, ValueError, KeyError):
                pass
            if time.monotonic() > deadline:
                self.proc.kill()
                raise RuntimeError("chromedriver did not start")
            time.sleep(0.1)
        binary = CHROMIUM if Path(CHROMIUM).exists() else (shutil.which("chromium") or CHROMIUM)
        caps = {"capabilities": {"alwaysMatch": {"goog:chromeOptions": {"binary": binary, "args": ARGS}}}}
        try:
            answer = self._post("/session", caps, prefix=False)
        except Exception:
            self.proc.kill()
            raise
        self.session = answer["sessionId"]

    def _post(self, path: str, body: dict[str, Any], *, prefix: bool = True) -> Any:
        url = f"{self.base}/session/{self.session}{path}" if prefix else f"{self.base}{path}"
        resp = requests.post(url, json=body, timeout=60)
        value = resp.json().get("value")
        if resp.status_code >= 400:
            raise RuntimeError(f"webdriver {path}: {value}")
        return value

    def _get(self, path: str) -> Any:
        resp = requests.get(f"{self.base}/session/{self.session}{path}", timeout=60)
        value = resp.json().get("value")
        if resp.status_code >= 400:
            raise RuntimeError(f"webdriver {path}: {value}")
        return value

    def go(self, url: str) -> None:
        self._post("/url", {"url": url})

    @property
    def url(self) -> str:
        return str(self._get("/url"))

    @property
    def title(self) -> str:
        return str(self._get("/title"))

    def find(self, css: str) -> str:
        return str(self._post("/element", {"using": "css selector", "value": css})[ELEMENT])

    def find_all(self, css: str) -> list[str]:
        return [e[ELEMENT] for e in self._post("/elements", {"using": "css selector", "value": css})]

    def type(self, element: str, text: str) -> None:
        self._post(f"/element/{element}/value", {"text": text})

    def click(self, element: str) -> None:
        self._post(f"/element/{element}/click", {})

    def text(self, element: str) -> str:
        return str(self._get(f"/element/{element}/text"))

    def attribute(self, element: str, name: str) -> str | None:
        value = self._get(f"/element/{element}/attribute/{name}")
        return None if value is None else str(value)

    def screenshot(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(self._get("/screenshot")))

    def close(self) -> None:
        try:
            requests.delete(f"{self.base}/session/{self.session}", timeout=10)
        except requests.RequestException:
            pass
        self.proc.terminate()
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()

    def __enter__(self) -> Browser:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
