"""The console controller has one way to run an action and keeps to public interfaces (issue 21, item 4).

Before: eight near-copies of run-in-background + audit + outcome, a read of ``audit_log._OPERATOR_RE``
and the wipe reaching into buttons of the screen and its pages.
"""

from __future__ import annotations

import ast
from pathlib import Path

from kiosk.audit import is_loggable_operator

SOURCE = Path(__file__).resolve().parent.parent / "ui" / "console" / "controller.py"
TREE = ast.parse(SOURCE.read_text(encoding="utf-8"))


def _methods() -> dict[str, ast.FunctionDef]:
    (cls,) = [n for n in TREE.body if isinstance(n, ast.ClassDef) and n.name == "ConsoleController"]
    return {n.name: n for n in cls.body if isinstance(n, ast.FunctionDef)}


def test_actions_go_through_one_audited_runner() -> None:
    methods = _methods()
    for name in (
        "retry",
        "export_items",
        "export_to",
        "import_from",
        "save_settings",
        "purge",
        "check_audit",
    ):
        calls = {
            n.func.attr
            for n in ast.walk(methods[name])
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
        }
        assert "_audited_action" in calls, name
        called_by_name = {
            n.func.id
            for n in ast.walk(methods[name])
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
        }
        assert "run_in_background" not in called_by_name, name


def test_no_private_names_of_other_modules_and_no_widget_reach_in() -> None:
    for node in ast.walk(TREE):
        if isinstance(node, ast.Attribute):
            base = node.value
            if isinstance(base, ast.Name) and base.id in ("audit_log",):
                assert not node.attr.startswith("_"), node.attr
            assert node.attr not in ("purge_button", "wipe_button", "nav_buttons", "leave_button"), (
                node.lineno
            )


def test_operator_names_the_log_takes() -> None:
    assert is_loggable_operator("budi")
    assert not is_loggable_operator("budi santoso")  # a space: not a user name
    assert not is_loggable_operator("3171014101900001")  # a NIK is personal data
    assert not is_loggable_operator("")


def test_dead_seams_stay_gone() -> None:
    """Code kept only for tests or for nobody (issue 21, item 8) in the files this issue could touch."""
    import kiosk.envelope
    import offline_queue.outbox
    import ui.console.gesture
    import ui.console.screen

    assert not hasattr(kiosk.envelope, "sha256_hex")
    assert not hasattr(ui.console.gesture.CornerHoldGesture, "is_pending")
    assert not hasattr(ui.console.screen.ConsoleScreen, "current_page")
    assert not hasattr(offline_queue.outbox.Outbox, "_quarantine")
