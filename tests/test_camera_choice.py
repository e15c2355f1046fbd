"""``camera.device`` selects the camera (issue 19): the name as the system lists it, or ``auto``."""

from __future__ import annotations

import ui.camera.qt_camera as qt_camera
from ui.camera.qt_camera import camera_state, choose_camera, set_preferred_camera

CAMS = [(b"/dev/video0", "Integrated Camera"), (b"/dev/video2", "Logitech BRIO"), (b"usb-3", "Logitech C920")]


def test_choose_camera_by_name_case_part_or_id() -> None:
    assert choose_camera(CAMS, "auto") is None and choose_camera(CAMS, "") is None
    assert choose_camera(CAMS, "Logitech BRIO") == b"/dev/video2"
    assert choose_camera(CAMS, "logitech c920") == b"usb-3"
    assert choose_camera(CAMS, "BRIO") == b"/dev/video2"  # the only one containing it
    assert choose_camera(CAMS, "Logitech") is None  # ambiguous: never a guess between two
    assert choose_camera(CAMS, "/dev/video0") == b"/dev/video0"
    assert choose_camera(CAMS, "Document camera") is None


def test_preferred_camera_is_set_from_the_setting() -> None:
    try:
        set_preferred_camera("Logitech BRIO")
        assert qt_camera._preferred_camera == "Logitech BRIO"
        set_preferred_camera("  ")
        assert qt_camera._preferred_camera == "auto"
    finally:
        set_preferred_camera("auto")


def test_camera_state_on_this_machine() -> None:
    """Whatever cameras this machine has, a name that matches none is never reported as ok."""
    assert camera_state("Kamera yang tidak ada 123") in ("none", "missing")
    assert camera_state("auto") in ("none", "ok")
