"""Process hardening and removable-media roots: every Linux-vs-Windows branch of issue 18 in one place.

Why core dumps are switched off at start: a dump of the kiosk holds whatever was in memory — the NIKs,
names and photos of the current applicant, the device's signing key and API token. A crash on a
kiosk must not leave that in ``/var/lib/systemd/coredump`` or ``%LOCALAPPDATA%\\CrashDumps``.

* Linux: ``prctl(PR_SET_DUMPABLE, 0)`` (no core file, and other processes of the same user can no
  longer ``ptrace`` the kiosk or read its ``/proc/PID/mem``) and ``RLIMIT_CORE`` 0 (the limit child
  processes inherit too).
* Windows: ``SetErrorMode`` without the crash dialog (a frozen dialog on a kiosk is also a way out)
  and ``WerAddExcludedApplication`` for this executable, so Windows Error Reporting neither uploads
  nor keeps local dumps of it. Machine-wide ``LocalDumps`` policies set by an administrator are not
  overridden (docs/security.md says so).

Every other Windows-versus-POSIX difference (file modes, USB volumes, file names) is in
:mod:`kiosk.platform`; this module holds only the crash-dump side, which is security.

Everything here is best effort and never raises: a kiosk that cannot harden itself still runs, and
:func:`harden_process` reports what it did for the log and the self-test.
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

PR_SET_DUMPABLE = 4
PR_GET_DUMPABLE = 3
SEM_FAILCRITICALERRORS = 0x0001
SEM_NOGPFAULTERRORBOX = 0x0002


@dataclass(frozen=True, slots=True)
class Hardening:
    """What :func:`harden_process` managed to do (for the log and the self-test)."""

    done: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when every step for this platform worked."""
        return bool(self.done) and not self.failed


def harden_process() -> Hardening:
    """Disable core dumps / crash dumps for this process (see the module docstring); never raises."""
    result = Hardening()
    if sys.platform.startswith("linux"):
        _harden_linux(result)
    elif sys.platform == "win32":
        _harden_windows(result)
    else:  # macOS and others: the resource limit is what is portable
        _limit_core(result)
    if result.failed:
        log.warning("process hardening incomplete: %s", ", ".join(result.failed))
    return result


def _limit_core(result: Hardening) -> None:
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        result.done.append("RLIMIT_CORE=0")
    except (ImportError, OSError, ValueError):
        result.failed.append("RLIMIT_CORE")


def _harden_linux(result: Hardening) -> None:
    _limit_core(result)
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl")
        result.done.append("PR_SET_DUMPABLE=0")
    except (OSError, AttributeError):
        result.failed.append("PR_SET_DUMPABLE")


def is_dumpable() -> bool | None:
    """Linux: whether the process may still dump core (None elsewhere or when it cannot be asked)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return bool(ctypes.CDLL(None).prctl(PR_GET_DUMPABLE, 0, 0, 0, 0))
    except (OSError, AttributeError):
        return None


def _harden_windows(result: Hardening) -> None:  # pragma: no cover - exercised on Windows only
    windll = getattr(ctypes, "windll", None)
    if windll is None:
        result.failed.append("windll")
        return
    try:
        kernel32 = windll.kernel32
        previous = kernel32.SetErrorMode(SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX)
        kernel32.SetErrorMode(previous | SEM_FAILCRITICALERRORS | SEM_NOGPFAULTERRORBOX)
        result.done.append("SetErrorMode(no fault dialog)")
    except (OSError, AttributeError):
        result.failed.append("SetErrorMode")
    try:
        wer = windll.wer
        exe = ctypes.c_wchar_p(os.path.basename(sys.executable))
        hresult = wer.WerAddExcludedApplication(exe, False)  # per user: no admin right needed
        if hresult != 0:
            raise OSError(hresult, "WerAddExcludedApplication")
        result.done.append("WER excluded")
    except (OSError, AttributeError):
        result.failed.append("WerAddExcludedApplication")
