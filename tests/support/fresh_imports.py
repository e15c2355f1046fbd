"""Which modules an import pulls in, asked of a fresh interpreter.

Why a subprocess: the test process has long imported everything (other tests, plug-ins), so only a new
interpreter shows what importing one module costs at start-up; the start-up budget tests all ask this.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Sequence


def loaded_by_import(modules: Sequence[str], watched: Sequence[str]) -> list[str]:
    """The ``watched`` modules present after ``import`` of ``modules`` in a new (offscreen) interpreter."""
    code = (
        f"import sys, {', '.join(modules)}; "
        f"print(','.join(m for m in {tuple(watched)!r} if m in sys.modules) or 'LIGHT')"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    out = result.stdout.strip()
    assert result.returncode == 0 and out, f"the import failed: {result.stderr[-2000:]}"
    return [] if out == "LIGHT" else out.split(",")
