"""Keeping a kiosk process that runs for weeks from holding on to memory it no longer uses (glibc).

Why: every applicant session decodes photos, compresses JPEGs, seals envelopes and builds PDFs, on the
GUI thread and on several worker threads. glibc's allocator gives each allocating thread an arena of
its own (up to eight per core) and keeps freed blocks inside those arenas; the process's resident size
then creeps up session after session although Python has released everything (``bench.soak`` measured
this: Python's own allocations grew ~150 KB over 60 sessions while RSS grew by megabytes). Two standard
remedies, both cheap and both no-ops where they do not apply (not Linux, not glibc, or an administrator
who set ``MALLOC_ARENA_MAX`` already):

* :func:`limit_malloc_arenas` caps the number of arenas (what ``MALLOC_ARENA_MAX=2`` does), at start-up;
* :func:`release_free_memory` asks glibc to give free pages back (``malloc_trim(0)``), after a session
  is wiped, when nobody is waiting for the kiosk.

Both are glibc-only, on purpose: Windows' heap and other C libraries have no arenas to cap and no
``malloc_trim``. There they are skipped cleanly — each function returns False, and the reason
(:func:`skip_reason`, from :func:`kiosk.platform.malloc_tuning_reason`) is logged once at start-up so
nobody reading a Windows log wonders why the memory figures differ.
"""

from __future__ import annotations

import ctypes
import logging
import os
from functools import cache

from kiosk import platform

log = logging.getLogger(__name__)

M_ARENA_MAX = -8  # glibc <malloc.h>
DEFAULT_ARENAS = 2


def skip_reason() -> str | None:
    """Why the cap and trim do nothing on this machine, or None when they apply (Linux with glibc)."""
    reason = platform.malloc_tuning_reason()
    if reason is None and _glibc() is None:
        reason = f"{platform.GLIBC_SONAME} has no mallopt/malloc_trim"
    return reason


@cache
def _glibc() -> ctypes.CDLL | None:
    """glibc's C library, or None where there is none (macOS, Windows, musl without malloc_trim)."""
    reason = platform.malloc_tuning_reason()
    if reason is not None:
        log.info("memory cap/trim skipped: %s", reason)
        return None
    try:
        libc = ctypes.CDLL(platform.GLIBC_SONAME, use_errno=True)
    except OSError:
        log.info("memory cap/trim skipped: %s cannot be loaded", platform.GLIBC_SONAME)
        return None
    if not (hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim")):
        log.info("memory cap/trim skipped: %s has no mallopt/malloc_trim", platform.GLIBC_SONAME)
        return None
    libc.mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    libc.mallopt.restype = ctypes.c_int
    libc.malloc_trim.argtypes = [ctypes.c_size_t]
    libc.malloc_trim.restype = ctypes.c_int
    return libc


def limit_malloc_arenas(count: int = DEFAULT_ARENAS) -> bool:
    """Cap glibc's arenas at ``count`` for threads that allocate from now on; True when applied.

    Call it before worker threads start. An explicit ``MALLOC_ARENA_MAX`` in the environment wins
    (glibc has read it at start-up), so Dinas IT can still tune it without a code change.
    """
    if os.environ.get("MALLOC_ARENA_MAX"):
        return False
    libc = _glibc()
    if libc is None:
        return False
    applied = bool(libc.mallopt(M_ARENA_MAX, max(1, count)))
    if not applied:
        log.warning("could not limit malloc arenas")
    return applied


def release_free_memory() -> bool:
    """Return free heap pages of every arena to the operating system; True when some were released."""
    libc = _glibc()
    if libc is None:
        return False
    return bool(libc.malloc_trim(0))
