"""Where the kiosk keeps its configuration, data, logs and cache.

Why one module: every other part (config, logging, outbox, device keys, audit log) must agree on the
same directories, and tests must be able to move all of them at once. ``PRAKERJA_KIOSK_HOME`` overrides
the platform directories wholesale (tests set it; an office can also use it to put the kiosk's state on
a dedicated partition); otherwise ``platformdirs`` picks the per-user directories of the platform.

Directories are created on first use with mode 0700: the data dir holds sealed registrations and the
device's key material, which no other local account needs to read.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from kiosk.i18n import Message, UserFacingError

APP_NAME = "prakerja-kiosk"
ENV_HOME = "PRAKERJA_KIOSK_HOME"
DIR_MODE = 0o700

CONFIG_FILE_NAME = "config.toml"
OUTBOX_FILE_NAME = "outbox.sqlite3"
AUDIT_FILE_NAME = "audit.log"
LOG_FILE_NAME = "kiosk.log"


class DirectoryError(UserFacingError, OSError):
    """A kiosk directory cannot be created or written. ``message`` says what to do, in both languages."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        self.message = Message(
            f"Folder {path} tidak bisa ditulis ({reason}). Periksa izin folder atau atur {ENV_HOME}.",
            f"Folder {path} is not writable ({reason}). Fix its permissions or set {ENV_HOME}.",
        )
        super().__init__(self.message, self.message.en)


@dataclass(frozen=True, slots=True)
class KioskPaths:
    """The four directories the kiosk uses, plus the well-known files inside them."""

    config_dir: Path
    data_dir: Path
    log_dir: Path
    cache_dir: Path

    @property
    def config_file(self) -> Path:
        """The TOML settings file (``config init`` writes it; missing means defaults)."""
        return self.config_dir / CONFIG_FILE_NAME

    @property
    def outbox_file(self) -> Path:
        """The SQLite outbox of sealed registrations."""
        return self.data_dir / OUTBOX_FILE_NAME

    @property
    def audit_file(self) -> Path:
        """The hash-chained audit log (JSON lines)."""
        return self.data_dir / AUDIT_FILE_NAME

    @property
    def log_file(self) -> Path:
        """The current rotating log file."""
        return self.log_dir / LOG_FILE_NAME

    @property
    def demo_dir(self) -> Path:
        """Where demo mode keeps the reference API's data (never mixed with real data)."""
        return self.data_dir / "demo"

    def ensure(self) -> KioskPaths:
        """Create all four directories (0700); raise :class:`DirectoryError` when one is not writable."""
        for path in (self.config_dir, self.data_dir, self.log_dir, self.cache_dir):
            ensure_dir(path)
        return self


def kiosk_paths() -> KioskPaths:
    """The kiosk's directories, read from the environment at each call (so tests can move them)."""
    home = os.environ.get(ENV_HOME, "").strip()
    if home:
        root = Path(home).expanduser()
        return KioskPaths(
            config_dir=root / "config",
            data_dir=root / "data",
            log_dir=root / "log",
            cache_dir=root / "cache",
        )
    dirs = platformdirs.PlatformDirs(appname=APP_NAME, appauthor=False)
    return KioskPaths(
        config_dir=Path(dirs.user_config_dir),
        data_dir=Path(dirs.user_data_dir),
        log_dir=Path(dirs.user_log_dir),
        cache_dir=Path(dirs.user_cache_dir),
    )


def ensure_dir(path: Path) -> Path:
    """Create ``path`` (and parents) with mode 0700 and check it is a writable directory.

    An existing directory with looser permissions is tightened: it may hold key material. On Windows
    the mode does nothing; a directory this call creates gets an ACL for the kiosk's account, SYSTEM
    and Administrators only (:func:`kiosk.platform.restrict_to_owner`).
    """
    from kiosk import platform

    created = not path.exists()
    try:
        path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise DirectoryError(path, "bukan folder / not a directory") from exc
    except OSError as exc:
        raise DirectoryError(path, exc.strerror or type(exc).__name__) from exc
    if not path.is_dir():
        raise DirectoryError(path, "bukan folder / not a directory")
    if created or not platform.is_private(path):
        # Failure is fine here (a shared mount, a FAT stick): the access check below is what matters.
        platform.restrict_to_owner(path, directory=True)
    if not os.access(path, os.W_OK | os.X_OK):
        raise DirectoryError(path, "tanpa izin tulis / permission denied")
    return path


def demo_paths(base: KioskPaths | None = None) -> KioskPaths:
    """The demo kiosk's own directories under the real data dir's ``demo/`` (logs shared).

    Here rather than in ``kiosk.demo`` because the GUI needs it before the first window (to lock the
    demo data dir), and ``kiosk.demo`` pulls in the HTTP client and the crypto stack (~200 ms).

    The config dir is separate too: it holds the machine secret of the demo device's key file, and a
    demo wipe must never touch the real device's secret. Settings are still read from the normal file.
    """
    base = base or kiosk_paths()
    return KioskPaths(
        config_dir=base.demo_dir / "config",
        data_dir=base.demo_dir / "kiosk",
        log_dir=base.log_dir,
        cache_dir=base.cache_dir / "demo",
    )
