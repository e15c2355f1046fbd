"""ui."""

# Before any Qt call: PySide6 6.12 on CPython 3.11 drops a reference to None per void call (see module).
from ui.none_guard import protect_none as _protect_none

_protect_none()
