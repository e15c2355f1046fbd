"""A pytest plug-in that runs core tests with the Windows code paths forced (issue 20).

Use: ``pytest -p tests.support.windows_emulation tests/test_device.py …``. Linux cannot become
Windows, but the rules that broke the kiosk on Windows can be imposed on it for a whole test run:

* ``kiosk.platform.IS_WINDOWS`` is True, so every branch that asks the platform module takes the
  Windows side (ACLs instead of modes, drive letters instead of /media, ``O_BINARY`` in open flags);
* descriptors opened by ``os.open`` **without** ``O_BINARY`` behave like the Windows C runtime's text
  mode: each ``\\n`` written through them (``os.write`` or ``os.fdopen(fd, "wb")``) becomes ``\\r\\n``,
  so any binary file written the old way comes back different and its test fails;
* ``fcntl`` cannot be imported (Windows has none).

Windows' ``O_BINARY`` is 0x8000; on x86-64 Linux that bit is ``O_LARGEFILE``, harmless, and the
emulation strips it before calling the real ``os.open``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import Any

import pytest

WINDOWS_O_BINARY = 0x8000  # MSVC's value; os.O_BINARY on Windows


class TextModeFile:
    """A binary file object that writes ``\\r\\n`` for ``\\n``, as a text-mode CRT descriptor does."""

    def __init__(self, raw: Any) -> None:
        self._raw = raw

    def write(self, data: bytes) -> int:
        self._raw.write(bytes(data).replace(b"\n", b"\r\n"))
        return len(data)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)

    def __enter__(self) -> TextModeFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._raw.close()


@pytest.fixture(autouse=True)
def windows_code_paths(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Force the Windows branches and the C runtime's text-mode rule for one test."""
    from kiosk import platform

    monkeypatch.setattr(platform, "IS_WINDOWS", True)
    monkeypatch.setitem(sys.modules, "fcntl", None)  # `import fcntl` raises ImportError
    real_open, real_fdopen, real_write, real_close = os.open, os.fdopen, os.write, os.close
    text_fds: set[int] = set()

    def crt_open(path: Any, flags: int, mode: int = 0o777, *args: Any, **kw: Any) -> int:
        fd = real_open(path, flags & ~WINDOWS_O_BINARY, mode, *args, **kw)
        text_fds.discard(fd)
        if not flags & WINDOWS_O_BINARY and not os.path.isdir(path):
            text_fds.add(fd)
        return fd

    def crt_write(fd: int, data: Any) -> int:
        if fd in text_fds:
            real_write(fd, bytes(data).replace(b"\n", b"\r\n"))
            return len(data)
        return real_write(fd, data)

    def crt_fdopen(fd: int, *args: Any, **kw: Any) -> Any:
        raw = real_fdopen(fd, *args, **kw)
        mode = args[0] if args else kw.get("mode", "r")
        return TextModeFile(raw) if fd in text_fds and "b" in mode and "w" in mode else raw

    def crt_close(fd: int) -> None:
        text_fds.discard(fd)
        real_close(fd)

    monkeypatch.setattr(os, "open", crt_open)
    monkeypatch.setattr(os, "write", crt_write)
    monkeypatch.setattr(os, "fdopen", crt_fdopen)
    monkeypatch.setattr(os, "close", crt_close)
    yield
