"""The one way a field's problem is written under it: a warning sign and the text, or nothing.

Why one function: every field-like widget (text fields, choice groups, region pickers, photo panels)
shows its problem the same way, so applicants learn one sign; the sign is text, not only colour.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

WARNING_SIGN = "⚠ "


def show_error(label: QLabel, message: str | None) -> None:
    """Show ``message`` in ``label`` behind the warning sign; None or "" clears and hides it."""
    if message:
        label.setText(WARNING_SIGN + message)
        label.show()
    else:
        label.clear()
        label.hide()
