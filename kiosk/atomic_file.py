"""Replace a small file all at once: the old content or the new, never half of either.

Why one helper: the device identity, the operators' offline verifiers, the test-bank cache, the audit
head and the settings file are each rewritten whole, and a power cut in the middle (common in the
offices this kiosk serves) must leave a readable file. The recipe is the usual one: write a temporary
file in the same folder (so the rename stays on one file system), created with the final permissions
so a secret is never readable in between, flush and ``fsync`` it, ``os.replace`` it over the target,
then ``fsync`` the folder so the rename itself survives. A failure removes the temporary file.

The descriptor is opened in binary mode (:func:`kiosk.platform.open_flags`): on Windows a plain
``os.open`` gives a text-mode descriptor that turns every ``\\n`` byte into ``\\r\\n``, which corrupted
one ``machine.secret`` in eight. The file mode is POSIX only; on Windows the data dir's ACL (set by
:func:`kiosk.platform.restrict_to_owner`) is what keeps the file private.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from kiosk.platform import open_flags
from offline_queue.durable_dir import fsync_dir


def write_atomic(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Atomically replace ``path`` with ``data`` (created with ``mode``), durable when this returns."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, open_flags(os.O_WRONLY | os.O_CREAT | os.O_EXCL), mode)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def write_text_atomic(path: Path, text: str, *, mode: int = 0o600) -> None:
    """:func:`write_atomic` for UTF-8 text."""
    write_atomic(path, text.encode("utf-8"), mode=mode)
