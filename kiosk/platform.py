"""Every Windows-versus-POSIX difference the kiosk core and UI depend on, in one module.

Why one module: the kiosk ships to Debian kiosks and to Windows 10/11 laptops and desk PCs, and each
difference (text-mode file descriptors, file modes that Windows ignores, where USB sticks appear,
which file names are allowed, whether glibc's allocator can be tuned) used to be an assumption
scattered over the code that nobody could review at once. Code elsewhere asks this module instead of
testing ``os.name``; ``scripts/check_portability.py`` (run by ``tests/test_platform_lint.py``) flags a
POSIX-only call anywhere else in ``kiosk/``, ``offline_queue/``, ``ui/`` and ``scripts/``.

Each function takes an optional ``windows`` flag so the tests run the Windows branch on Linux wherever
the branch is pure computation (flags, names, paths via :mod:`ntpath`, the ``icacls`` command line).
Branches that need the Windows API itself (drive types, ``icacls`` actually running) are marked
"verified by review" in README.

Crash-dump and core-file settings belong to :mod:`kiosk.platform_guard` (security); this module does
not duplicate them.
"""

from __future__ import annotations

import ntpath
import os
import posixpath
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Final

IS_WINDOWS: Final = os.name == "nt"
"""True on Windows (the kiosk supports Windows 10/11 and Debian 12/13)."""

PRIVATE_DIR_MODE: Final = 0o700
PRIVATE_FILE_MODE: Final = 0o600

POSIX_USB_ROOTS: Final[tuple[Path, ...]] = (Path("/media"), Path("/run/media"), Path("/mnt"))
"""Where Debian desktops (udisks) and administrators mount USB sticks: ``/media/USER/LABEL`` etc."""

_WINDOWS_RESERVED_NAMES: Final = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)
_WINDOWS_BAD_CHARS: Final = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_ADMINISTRATORS_SID: Final = "*S-1-5-32-544"
_SYSTEM_SID: Final = "*S-1-5-18"
_DRIVE_REMOVABLE: Final = 2  # GetDriveTypeW


def _is_windows(windows: bool | None) -> bool:
    return IS_WINDOWS if windows is None else windows


# ------------------------------------------------------------------------------------ file opening


def binary_flag(*, windows: bool | None = None) -> int:
    """``os.O_BINARY`` on Windows, 0 elsewhere.

    Why: a descriptor from ``os.open`` on Windows is in *text* mode unless ``O_BINARY`` is given, and
    ``os.fdopen(fd, "wb")`` does not undo that: every ``\\n`` byte written becomes ``\\r\\n``. A 32-byte
    random secret contains a 0x0A byte about 12 % of the time, came back 33 bytes long and made the
    device report itself corrupt. ``windows=True`` on Linux returns the Windows value (``0x8000``, the
    MSVC constant) so the flag arithmetic is tested here too.
    """
    if not _is_windows(windows):
        return 0
    return int(getattr(os, "O_BINARY", 0x8000))


def open_flags(flags: int, *, windows: bool | None = None) -> int:
    """``flags`` plus what the platform needs for a binary descriptor (``O_BINARY`` on Windows).

    Python already makes every descriptor non-inheritable (PEP 446), so only the text/binary mode
    differs between the platforms.
    """
    return flags | binary_flag(windows=windows)


def open_private(path: Path | str, flags: int, mode: int = PRIVATE_FILE_MODE) -> int:
    """``os.open`` with :func:`open_flags` and an owner-only mode (the mode is ignored on Windows)."""
    return os.open(path, open_flags(flags), mode)


# ------------------------------------------------------------------------------ private file access


def icacls_command(path: Path | str, *, user: str | None = None, directory: bool = True) -> list[str]:
    """The ``icacls`` command that restricts ``path`` to ``user``, SYSTEM and Administrators.

    Why ACLs: Windows ignores POSIX modes (``chmod 0700`` only toggles the read-only bit), so a data
    dir created under a shared desk PC would be readable by every local account through the inherited
    ``Users`` entry. ``/inheritance:r`` drops inherited entries; ``(OI)(CI)`` passes the grant on to
    the files created inside a folder later. The account is the one the kiosk runs under.
    """
    if user is None:
        import getpass

        name = os.environ.get("USERNAME") or getpass.getuser()
        domain = os.environ.get("USERDOMAIN")  # a domain account is DOMAIN\name, a local one PC\name
        user = f"{domain}\\{name}" if domain else name
    who = user
    inherit = "(OI)(CI)" if directory else ""
    return [
        "icacls",
        str(path),
        "/inheritance:r",
        "/grant:r",
        f"{who}:{inherit}F",
        "/grant:r",
        f"{_ADMINISTRATORS_SID}:{inherit}F",
        "/grant:r",
        f"{_SYSTEM_SID}:{inherit}F",
        "/q",
    ]


def restrict_to_owner(path: Path, *, directory: bool = True) -> bool:
    """Make ``path`` readable by its owner only: mode 0700/0600 on POSIX, an ACL on Windows.

    Returns True when the restriction was applied. Never raises: a folder on a shared mount or a FAT
    stick cannot carry either, and the caller's own write check decides whether that matters.
    """
    if IS_WINDOWS:
        try:
            # icacls is part of every Windows since Vista; no shell, a fixed argument list.
            result = subprocess.run(
                icacls_command(path, directory=directory),
                capture_output=True,
                timeout=30,
                check=False,
                creationflags=int(getattr(subprocess, "CREATE_NO_WINDOW", 0)),
            )
        except (OSError, subprocess.SubprocessError):
            return False
        return result.returncode == 0
    try:
        path.chmod(PRIVATE_DIR_MODE if directory else PRIVATE_FILE_MODE)
    except OSError:
        return False
    return True


def is_private(path: Path) -> bool:
    """Whether ``path`` is closed to other accounts, as far as this platform can tell cheaply.

    On Windows the mode bits say nothing about the ACL, so the answer is True (the ACL is set when
    the folder is created by :func:`restrict_to_owner`); on POSIX it checks group/other bits.
    """
    if IS_WINDOWS:
        return True
    try:
        return path.stat().st_mode & 0o077 == 0
    except OSError:
        return False


# -------------------------------------------------------------------------------------- file names


def safe_file_name(name: str, *, replacement: str = "_") -> str:
    """``name`` made valid on Windows and POSIX alike (the stricter rules of Windows apply everywhere).

    Why everywhere: a receipt PDF or an export written on a Debian kiosk is copied to a Windows PC on
    a USB stick; ``PK-0KJT-FDWH-8RAG-*.pdf`` (``*`` is a reference check symbol) cannot exist there.
    Replaces ``<>:"/\\|?*`` and control characters, strips trailing dots and spaces, and prefixes a
    reserved device name (``CON``, ``NUL``, ``COM1`` …) whatever its extension.
    """
    cleaned = _WINDOWS_BAD_CHARS.sub(replacement, name).rstrip(" .")
    stem = cleaned.split(".", 1)[0].upper()
    if stem in _WINDOWS_RESERVED_NAMES:
        cleaned = replacement + cleaned
    return cleaned or replacement


def is_valid_windows_name(name: str) -> bool:
    """Whether ``name`` (one path component) can be created on NTFS/FAT by Windows."""
    return bool(name) and safe_file_name(name) == name


def path_module(*, windows: bool | None = None) -> ModuleType:
    """:mod:`ntpath` or :mod:`posixpath`, so path joining is testable for Windows on Linux."""
    return ntpath if _is_windows(windows) else posixpath


# ------------------------------------------------------------------------------------- USB volumes


def _windows_removable_drives() -> list[Path]:
    """Drive roots Windows reports as removable (USB sticks, SD cards). Windows only."""
    import ctypes

    windll = getattr(ctypes, "windll", None)
    if windll is None:
        return []
    kernel32 = windll.kernel32
    mask = int(kernel32.GetLogicalDrives())
    drives: list[Path] = []
    for index in range(26):
        if mask & (1 << index):
            root = f"{chr(ord('A') + index)}:\\"
            if int(kernel32.GetDriveTypeW(root)) == _DRIVE_REMOVABLE:
                drives.append(Path(root))
    return drives


def usb_roots(*, windows: bool | None = None) -> tuple[Path, ...]:
    """Folders under which removable drives appear, for the Qt-free fallback of USB discovery.

    The UI asks Qt (``QStorageInfo``) first, which knows real mounts on both systems; this list is what
    the headless core and the fallback search. On Windows the removable drive roots themselves.
    """
    if _is_windows(windows):
        return tuple(_windows_removable_drives()) if IS_WINDOWS else ()
    return POSIX_USB_ROOTS


def removable_candidates(roots: Sequence[Path]) -> list[Path]:
    """Writable folders for an export under ``roots``: the roots' children two levels deep.

    Linux desktops mount sticks at ``/media/USER/LABEL`` or ``/run/media/USER/LABEL``; a Windows drive
    root (``E:\\``) is a candidate itself.
    """
    found: list[Path] = []
    for root in roots:
        if root.anchor == str(root) and root.drive:  # a Windows drive root: the stick itself
            found.append(root)
            continue
        try:
            level1 = sorted(p for p in root.iterdir() if p.is_dir())
        except OSError:
            continue
        for entry in level1:
            try:
                children = sorted(p for p in entry.iterdir() if p.is_dir())
            except OSError:
                children = []
            found.extend(children or [entry])
    return [p for p in found if os.access(p, os.W_OK | os.X_OK)]


# ----------------------------------------------------------------------------------------- memory


def malloc_tuning_reason() -> str | None:
    """Why glibc's arena cap and ``malloc_trim`` cannot apply here, or None when they can.

    The memory cap/trim in :mod:`kiosk.memory` is glibc-only by nature: Windows' heap and macOS's
    allocator return freed pages themselves and have no such knobs; musl has no ``malloc_trim``.
    """
    if not sys.platform.startswith("linux"):
        return f"not Linux ({sys.platform}): the system allocator has no glibc arenas"
    libc_name, _version = _libc_ver()
    if libc_name != "glibc":
        return f"C library is {libc_name or 'unknown'}, not glibc"
    return None


def _libc_ver() -> tuple[str, str]:
    import platform as std_platform

    try:
        return std_platform.libc_ver()
    except OSError:
        return ("", "")


GLIBC_SONAME: Final = "libc.so.6"
"""The glibc shared object loaded by :mod:`kiosk.memory` (Linux/glibc only)."""


_SYSTEM_FS_TYPES: Final = frozenset(
    {"tmpfs", "devtmpfs", "proc", "sysfs", "overlay", "squashfs", "ramfs", "autofs", "efivarfs", "nsfs"}
)


def is_removable_mount(root: str, device: str, fs_type: str, *, windows: bool | None = None) -> bool:
    """Whether a mounted volume (as Qt's ``QStorageInfo`` describes it) looks like a USB stick.

    Qt reports every mount but not whether it is removable. On Windows the drive type decides (the
    caller passes the removable drive letters through :func:`usb_roots`; here: not the system drive).
    On Debian, a stick is a block device (``/dev/sd*``, ``/dev/mmcblk*``) mounted under the usual
    removable roots, never a system file system.
    """
    if _is_windows(windows):
        system_drive = (os.environ.get("SystemDrive") or "C:").rstrip("\\/").upper()
        drive = ntpath.splitdrive(root)[0].upper()
        return bool(drive) and drive != system_drive
    if fs_type.lower() in _SYSTEM_FS_TYPES or not device.startswith("/dev/"):
        return False
    return any(root == str(r) or root.startswith(f"{r}/") for r in POSIX_USB_ROOTS)
