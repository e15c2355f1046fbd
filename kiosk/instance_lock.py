"""One kiosk process per data dir, and a headless ``sync`` that coordinates with it (issue 19).

Why an OS file lock in the Qt-free core rather than Qt's ``QLockFile``: the scheduled
``prakerja-kiosk sync`` (CLI, no Qt by the layer contract) must see the *same* lock the GUI holds, and
an OS lock (``fcntl.flock`` on Linux, ``msvcrt.locking`` on Windows) is released by the kernel when the
process dies — no stale-lock heuristics (QLockFile's PID + host + age guesses) are needed after a power
cut or a crash. The lock file ``<data_dir>/kiosk.lock`` holds the owner's PID and role for messages
only; the lock itself is the OS's.

Roles: the GUI takes it for its lifetime (a second GUI on the same data dir is refused with a clear
message); ``sync`` takes it for the drain and, when a kiosk already holds it, does not race that
kiosk's sync engine over the same outbox: it reports that the running kiosk delivers the queue itself
and exits successfully.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from types import TracebackType

from kiosk.i18n import Message, UserFacingError
from kiosk.platform import IS_WINDOWS, open_flags

LOCK_NAME = "kiosk.lock"


class AlreadyRunning(UserFacingError, RuntimeError):
    """Another process holds the data dir; ``owner`` is what it wrote (pid, role) when readable."""

    def __init__(self, path: Path, owner: dict[str, object]) -> None:
        self.path = path
        self.owner = owner
        role = str(owner.get("role", "kiosk"))
        pid = owner.get("pid", "?")
        self.message = Message(
            f"Kios lain ({role}, proses {pid}) sedang memakai data ini ({path.parent}). Hanya satu "
            "kios per folder data; tutup yang lain dulu.",
            f"Another kiosk ({role}, process {pid}) is using this data ({path.parent}). Only one kiosk "
            "per data folder; close the other one first.",
        )
        super().__init__(self.message, self.message.en)


def _try_lock(fd: int) -> bool:
    """Non-blocking exclusive lock on the whole file; ``False`` when another process holds it."""
    if IS_WINDOWS:
        import msvcrt

        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    if IS_WINDOWS:
        import msvcrt

        with contextlib.suppress(OSError):
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        return
    import fcntl

    with contextlib.suppress(OSError):
        fcntl.flock(fd, fcntl.LOCK_UN)


def read_owner(data_dir: Path) -> dict[str, object]:
    """What the current holder wrote (for messages); ``{}`` when unreadable."""
    try:
        text = (data_dir / LOCK_NAME).read_text(encoding="utf-8")[:500]
        owner = json.loads(text.split("\n", 1)[0] or "{}")
    except (OSError, ValueError):
        return {}
    return owner if isinstance(owner, dict) else {}


class InstanceLock:
    """``with InstanceLock(data_dir, "gui"):`` — raises :class:`AlreadyRunning` when held elsewhere."""

    def __init__(self, data_dir: Path, role: str) -> None:
        self.path = data_dir / LOCK_NAME
        self.role = role
        self._fd: int | None = None

    def acquire(self) -> InstanceLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, open_flags(os.O_RDWR | os.O_CREAT), 0o600)
        if not _try_lock(fd):
            os.close(fd)
            raise AlreadyRunning(self.path, read_owner(self.path.parent))
        owner = json.dumps({"pid": os.getpid(), "role": self.role}) + "\n"
        with contextlib.suppress(OSError):  # the owner line is for messages only
            os.ftruncate(fd, 0)
            os.lseek(fd, 0, os.SEEK_SET)
            os.write(fd, owner.encode("ascii").ljust(64))
        self._fd = fd
        return self

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        _unlock(fd)
        os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> InstanceLock:
        return self.acquire()

    def __exit__(
        self, _t: type[BaseException] | None, _e: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.release()
