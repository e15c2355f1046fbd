"""The portability lint (scripts/check_portability.py, issue 20): the tree is clean, and the lint
would have caught each Windows defect the issue listed (the old code is fed to it as source text)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parent.parent


def _lint() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "check_portability", REPO / "scripts" / "check_portability.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_no_unguarded_posix_only_call_outside_the_platform_module() -> None:
    findings = _lint().check_tree()
    assert not findings, "\n".join(str(f) for f in findings)


def test_every_allowlist_entry_still_matches_a_line() -> None:
    """A stale entry would silently allow a future call on a similar line."""
    lint = _lint()
    for path, fragment in lint.load_allowlist():
        assert fragment in (REPO / path).read_text(encoding="utf-8"), (
            f"stale allowlist entry {path}: {fragment}"
        )


OLD_ATOMIC = """
import os
def write_atomic(path, data, mode=0o600):
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
"""
OLD_USB = """
from pathlib import Path
USB_ROOTS = (Path("/media"), Path("/run/media"), Path("/mnt"))
"""
OLD_PATHS = """
def ensure_dir(path):
    path.chmod(0o700)
"""
OLD_PID = """
import os
def alive(pid):
    os.kill(pid, 0)
"""


def test_the_lint_catches_the_defects_the_issue_listed() -> None:
    lint = _lint()
    assert [f.what for f in lint.check_source("kiosk/atomic_file.py", OLD_ATOMIC)] == [
        "os.open without O_BINARY (text mode on Windows): use kiosk.platform"
    ]
    assert len(lint.check_source("kiosk/console_model.py", OLD_USB)) == 3
    assert "chmod" in lint.check_source("kiosk/paths.py", OLD_PATHS)[0].what
    assert lint.check_source("offline_queue/outbox.py", OLD_PID)[0].what == "os.kill is POSIX-only"
    assert lint.check_source("kiosk/x.py", "import fcntl\n")[0].what == "POSIX-only module fcntl"


def test_platform_guards_and_markers_are_accepted() -> None:
    lint = _lint()
    guarded = """
import os, sys
def alive(pid):
    if sys.platform == "win32":
        return None
    os.kill(pid, 0)
def other(pid):
    if os.name == "posix":
        os.kill(pid, 0)
def marked(fd):
    os.fchmod(fd, 0o600)  # posix-only: only reached from the Debian installer
"""
    assert lint.check_source("kiosk/x.py", guarded) == []
    assert lint.check_source("kiosk/platform.py", OLD_PID) == []
