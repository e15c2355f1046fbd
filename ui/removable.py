"""Finding a USB stick for an export or import: ask Qt for the mounted volumes, then the core fallback.

Why Qt first: ``QStorageInfo.mountedVolumes()`` knows the real mounts on Debian and Windows alike
(drive letters, udisks mounts anywhere), while the old search only looked under ``/media``,
``/run/media`` and ``/mnt``. Qt does not say which volume is removable; :func:`kiosk.platform.
is_removable_mount` decides from the mount point, device and file system, and on Windows the drive
type from :func:`kiosk.platform.usb_roots` wins. When Qt finds nothing the Qt-free
:func:`kiosk.console_model.usb_export_dir` still searches the platform's usual roots.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QStorageInfo

from kiosk import platform
from kiosk.console_model import usb_export_dir


def removable_volumes() -> list[Path]:
    """Writable, ready removable volumes Qt reports, in mount order."""
    found: list[Path] = []
    windows_drives = {str(p).upper() for p in platform.usb_roots()} if platform.IS_WINDOWS else None
    for volume in QStorageInfo.mountedVolumes():
        if not (volume.isValid() and volume.isReady()) or volume.isReadOnly() or volume.isRoot():
            continue
        root = volume.rootPath()
        device = bytes(volume.device().data()).decode("utf-8", "replace")
        fs_type = bytes(volume.fileSystemType().data()).decode("utf-8", "replace")
        if windows_drives is not None:
            removable = root.replace("/", "\\").upper() in windows_drives
        else:
            removable = platform.is_removable_mount(root, device, fs_type)
        if removable and os.access(root, os.W_OK | os.X_OK):
            found.append(Path(root))
    return found


def removable_export_dir() -> Path | None:
    """The first removable volume (Qt), else the core's search of the usual roots, else None."""
    volumes = removable_volumes()
    return volumes[0] if volumes else usb_export_dir()
