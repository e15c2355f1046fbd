"""Where the kiosk's bundled resources live (QSS theme, translations, icons).

Why a helper: the same code runs from a source checkout (``resources/`` next to the packages) and from
a one-folder PyInstaller bundle (``sys._MEIPASS/resources``). Every UI module asks here instead of
building paths from ``__file__`` itself, so the bundle layout is decided in one place (``build.spec``).
"""

from __future__ import annotations

import sys
from pathlib import Path


def resource_root() -> Path:
    """The ``resources/`` directory for this run (checkout or frozen bundle)."""
    frozen_base = getattr(sys, "_MEIPASS", None)
    if frozen_base is not None:
        return Path(frozen_base) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """A path below ``resources/``; existence is the caller's business (files may be build outputs)."""
    return resource_root().joinpath(*parts)
