"""Making a rename durable: ``fsync`` the folder that holds the renamed file.

Why its own module: both the queue export (``offline_queue.exchange``) and the kiosk's small state files
(``kiosk.atomic_file``) replace a file by renaming a fully written temporary one; the rename survives a
power cut only once the folder's entry is on disk too.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def fsync_dir(folder: Path) -> None:
    """Flush ``folder``'s entries to disk; a no-op where folders cannot be synced (Windows)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
