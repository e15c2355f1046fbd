"""Making a rename durable: ``fsync`` the folder that holds the renamed file.

Why its own module: both the queue export (``offline_queue.exchange``) and the kiosk's small state files
(``kiosk.atomic_file``) replace a file by renaming a fully written temporary one; the rename survives a
power cut only once the folder's entry is on disk too. :func:`replacing` is that whole sequence for the
outbox's own files (the export and the acknowledged-id ledger).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


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


@contextlib.contextmanager
def replacing(target: Path, tmp: Path) -> Iterator[BinaryIO]:
    """A file to write at ``tmp`` that then becomes ``target``: fsync, rename, fsync the folder.

    On any failure (the block's own exception included) ``tmp`` is removed and the error re-raised, so
    ``target`` keeps its old content and no half-written file is left behind.
    """
    try:
        with open(tmp, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
        fsync_dir(target.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
