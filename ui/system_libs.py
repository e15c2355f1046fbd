"""Which operating-system libraries Qt's plug-ins need on Linux, and which of them are missing.

Why this module exists: a PySide6 wheel carries Qt itself but not the X11, Wayland, audio, printing
and speech libraries of the operating system. When one is missing, Qt does not say which: it prints
"Could not load the Qt platform plugin "xcb" … even though it was found" and aborts (exit 134) before
any window exists. That is what a fresh Debian machine did with ``scripts/run-demo.sh`` while every
test passed offscreen. So the set of plug-ins the kiosk really loads is declared once, here; the
install step's package list (``resources/system/debian-packages.tsv``) is derived from ``ldd`` over
exactly these files by ``scripts/qt_system_packages.py``; ``--self-test`` names a missing library and
the Debian package that brings it; and the GUI start refuses with the same words instead of aborting.

Platform note: this is the one place that knows about ELF shared objects and Debian package names.
On Windows the wheel's Qt carries everything it needs (the DLLs sit next to the plug-ins), so every
function here answers "nothing missing" there.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ui.resources import resource_path

KIOSK_PLUGINS: tuple[str, ...] = (
    # Windowing: X11 on desk PCs and field laptops, Wayland under the kiosk compositor (cage).
    "platforms/libqxcb.so",
    "platforms/libqwayland.so",
    "platforms/libqoffscreen.so",
    "xcbglintegrations/*.so",
    "wayland-shell-integration/*.so",
    "wayland-graphics-integration-client/*.so",
    "wayland-decoration-client/*.so",
    # Webcam (QtMultimedia's FFmpeg backend), read-aloud, receipt printer, images, keyboards, TLS.
    "multimedia/*.so",
    "texttospeech/libqtexttospeech_speechd.so",
    "printsupport/*.so",
    "imageformats/libqjpeg.so",
    "imageformats/libqsvg.so",
    "imageformats/libqgif.so",
    "imageformats/libqico.so",
    "platforminputcontexts/libcomposeplatforminputcontextplugin.so",
    "platforminputcontexts/libibusplatforminputcontextplugin.so",
    "iconengines/*.so",
    "tls/*.so",
)
"""Qt plug-ins (relative to Qt's plug-in directory) that the kiosk may load on Linux.

Why not every plug-in the wheel ships: the GTK 3 platform theme, the PDF image format and the EGLFS
KMS back end are never used by the kiosk, and asking for their libraries would pull GTK onto a
locked-down terminal."""

KIOSK_MODULES: tuple[str, ...] = (
    "QtCore",
    "QtGui",
    "QtWidgets",
    "QtMultimedia",
    "QtMultimediaWidgets",
    "QtTextToSpeech",
    "QtPrintSupport",
)
"""PySide6 extension modules the kiosk imports (their Qt libraries come in through ``ldd``)."""

PACKAGE_TABLE = ("system", "debian-packages.tsv")
"""Where the shared-object → Debian package table lives under ``resources/``."""


@dataclass(frozen=True, slots=True)
class MissingLibrary:
    """One shared object that a kiosk plug-in needs and the dynamic loader cannot find."""

    soname: str
    needed_by: tuple[str, ...]
    package: str | None

    def describe(self) -> str:
        where = ", ".join(self.needed_by[:3]) + ("…" if len(self.needed_by) > 3 else "")
        hint = f" (Debian: {self.package})" if self.package else ""
        return f"{self.soname}{hint} for {where}"


def is_linux() -> bool:
    return sys.platform.startswith("linux")


def qt_dirs() -> tuple[Path, Path]:
    """Qt's plug-in directory and the PySide6 package directory (source tree or frozen bundle)."""
    import PySide6
    from PySide6.QtCore import QLibraryInfo

    package = Path(PySide6.__file__).resolve().parent
    candidates = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath)), package / "Qt" / "plugins"]
    candidates += [Path(p) for p in os.environ.get("QT_PLUGIN_PATH", "").split(os.pathsep) if p]
    plugins = next((c for c in candidates if (c / "platforms").is_dir()), candidates[0])
    return plugins, package


def kiosk_qt_files() -> list[Path]:
    """Every plug-in and extension module of :data:`KIOSK_PLUGINS` / :data:`KIOSK_MODULES` present here."""
    plugins, package = qt_dirs()
    files: list[Path] = []
    for pattern in KIOSK_PLUGINS:
        files.extend(sorted(plugins.glob(pattern)))
    for module in KIOSK_MODULES:
        files.extend(sorted(package.glob(f"{module}.*so")))
    return files


def ldd(path: Path) -> dict[str, str | None]:
    """``soname → resolved path`` (``None`` when not found) for one ELF file, transitively.

    Why ``ldd`` rather than parsing ELF ourselves: it applies the loader's own search rules (RUNPATH,
    ``ld.so.cache``, ``$ORIGIN``) exactly as they will apply when Qt loads the plug-in.
    """
    exe = shutil.which("ldd")
    if exe is None:
        return {}
    try:
        out = subprocess.run([exe, str(path)], capture_output=True, text=True, timeout=30, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    found: dict[str, str | None] = {}
    for line in out.splitlines():
        name, arrow, rest = line.strip().partition(" => ")
        if not arrow:
            continue
        target = rest.split(" (")[0].strip()
        found[name] = None if target == "not found" else target
    return found


def dependency_map(files: Iterable[Path]) -> dict[str, tuple[str | None, tuple[str, ...]]]:
    """``soname → (resolved path or None, names of the files that need it)`` over ``files``."""
    needed: dict[str, list[str]] = {}
    resolved: dict[str, str | None] = {}
    for file in files:
        for soname, target in ldd(file).items():
            needed.setdefault(soname, []).append(file.name)
            if resolved.get(soname) is None:
                resolved[soname] = target
    return {name: (resolved[name], tuple(users)) for name, users in sorted(needed.items())}


def package_table() -> dict[str, tuple[str, ...]]:
    """``soname → Debian package names`` (first the Debian 12 name, then the Debian 13 one if renamed)."""
    table: dict[str, tuple[str, ...]] = {}
    path = resource_path(*PACKAGE_TABLE)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return table
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) >= 2:
            table[cells[0]] = tuple(c for c in cells[1].split("|") if c)
    return table


def missing_libraries(files: Sequence[Path] | None = None) -> list[MissingLibrary]:
    """The shared objects the kiosk's Qt plug-ins need that this machine lacks (empty off Linux)."""
    if not is_linux():
        return []
    table = package_table()
    deps = dependency_map(kiosk_qt_files() if files is None else files)
    return [
        MissingLibrary(name, users, "|".join(table.get(name, ())) or None)
        for name, (target, users) in deps.items()
        if target is None
    ]


def selected_platform(environ: os._Environ[str] | dict[str, str] | None = None) -> str | None:
    """The platform plug-in Qt will try first here (``xcb``, ``wayland``, ``offscreen`` …), or None."""
    env = os.environ if environ is None else environ
    chosen = env.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        return chosen.split(";")[0].split(":")[0] or None
    if env.get("WAYLAND_DISPLAY") and env.get("XDG_SESSION_TYPE") == "wayland":
        return "wayland"
    if env.get("DISPLAY"):
        return "xcb"
    return None


def platform_start_problem() -> list[MissingLibrary]:
    """Libraries missing for the platform plug-in Qt is about to load; empty when it will load.

    Why a trial ``dlopen`` first: it costs ~6 ms when all is well (Qt loads the same file a moment
    later), so the common path stays fast; only when it fails do we run ``ldd`` to name every
    missing library at once instead of the loader's first one.
    """
    name = selected_platform()
    if not is_linux() or name is None:
        return []
    plugins, _ = qt_dirs()
    filename = f"libq{name}.so"
    # Qt looks in QT_QPA_PLATFORM_PLUGIN_PATH before its own plug-in directory; so do we.
    override = [
        Path(p) / filename for p in os.environ.get("QT_QPA_PLATFORM_PLUGIN_PATH", "").split(os.pathsep) if p
    ]
    plugin = next((p for p in override if p.is_file()), plugins / "platforms" / filename)
    if not plugin.is_file():
        return []
    try:
        ctypes.CDLL(str(plugin), mode=os.RTLD_LAZY | os.RTLD_LOCAL)
    except OSError:
        files = [plugin, *sorted((plugins / "xcbglintegrations").glob("*.so"))] if name == "xcb" else [plugin]
        return missing_libraries(files) or [MissingLibrary(plugin.name, (plugin.name,), None)]
    return []


def start_refusal(missing: Sequence[MissingLibrary]) -> str:
    """The message printed (both languages) when the window cannot open for want of libraries."""
    names = "; ".join(m.describe() for m in missing)
    packages = " ".join(sorted({m.package.split("|")[0] for m in missing if m.package}))
    install = f"apt-get install {packages}" if packages else "scripts/setup.sh"
    return (
        "prakerja-kiosk: layar tidak dapat dibuka, pustaka sistem belum terpasang: "
        f"{names}. Jalankan scripts/setup.sh (atau: {install}) atau hubungi Dinas IT.\n"
        "prakerja-kiosk: the window cannot open, system libraries are missing: "
        f"{names}. Run scripts/setup.sh (or: {install}) or call Dinas IT."
    )
