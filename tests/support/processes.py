"""Stopping a child process that a test started (a server, a booted container, the kiosk under cage).

Why a helper: a test must never leave its child running, even when the child ignores SIGTERM; each
copy of "terminate, wait, else kill" was one place to forget the kill or the final wait (a zombie).
"""

from __future__ import annotations

import subprocess
from typing import Any


def stop(proc: subprocess.Popen[Any], timeout: float = 10) -> None:
    """SIGTERM, wait up to ``timeout`` seconds, then SIGKILL and reap it."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)
