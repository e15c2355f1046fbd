"""What the GUI loads before its first window, through the real start path (not only ``import ui.app``).

Why: the one-kiosk-per-data-dir lock imported ``kiosk.demo`` for a path helper, which pulled the HTTP
client and the crypto stack onto the first frame (start-up ratio 3.8 instead of 1.8). The welcome screen's
own import test did not see it because the lock is taken in ``run_gui``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

HEAVY = ("kiosk.demo", "requests", "cryptography", "cv2", "numpy", "pydantic", "rapidocr", "onnxruntime")

CODE = """
import sys
from ui.app import GuiOptions, _take_instance_lock, create_application
create_application()
lock = _take_instance_lock(GuiOptions(demo=True, windowed=True))
assert lock is not None
print(",".join(m for m in {heavy!r} if m in sys.modules))
"""


def test_taking_the_demo_instance_lock_loads_nothing_heavy(tmp_path: Path) -> None:
    env = {**os.environ, "PRAKERJA_KIOSK_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", CODE.format(heavy=HEAVY)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"loaded before the first window: {result.stdout.strip()}"
