"""A real, small tmpfs for disk-full and read-only tests.

Why a real file system: SQLite's behaviour on ENOSPC/EROFS (journal, WAL, checkpoints) is what the
outbox must survive, and only the kernel produces it faithfully; a mocked ``write`` would not.
Mounting needs root (the test machines and CI run as root); elsewhere the test is skipped, saying why.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def mounted_tmpfs(target: Path, size: str) -> Iterator[Path]:
    """Mount a tmpfs of ``size`` (``"8m"``, ``"600k"``) on ``target`` for the block, then unmount it."""
    target.mkdir(parents=True, exist_ok=True)
    reason = f"needs root (and mount) to mount a real {size} tmpfs"
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip(reason)
    res = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(target)], capture_output=True
    )
    if res.returncode != 0:
        pytest.skip(reason)
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], check=False)
