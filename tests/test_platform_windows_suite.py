"""Core tests once more with the Windows code paths forced (issue 20, "portability checks on Linux CI").

Runs the device-identity, audit-log and operator-store suites in a child pytest with the
``tests.support.windows_emulation`` plug-in: ``kiosk.platform`` on its Windows branch, descriptors
opened without ``O_BINARY`` translating ``\\n`` to ``\\r\\n`` like the Windows C runtime, no ``fcntl``.
These three write the kiosk's binary secrets and signed files through ``os.open``; any text-mode
write corrupts them and their own assertions fail. CI can run more of the core suite the same way:
``PYTHONPATH=. pytest -p tests.support.windows_emulation tests/test_device.py tests/test_audit.py
tests/test_operator_auth.py tests/test_config.py tests/test_outbox.py tests/test_outbox_export.py
tests/test_logging.py tests/test_cli.py tests/test_testbank.py
--deselect tests/test_config.py::test_ensure_dir_tightens_and_refuses_a_file`` (that one checks POSIX
modes, which the Windows branch deliberately leaves alone).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SUITES = ("tests/test_device.py", "tests/test_audit.py", "tests/test_operator_auth.py")


def test_core_suites_pass_with_the_windows_code_paths_forced() -> None:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "tests.support.windows_emulation",
            "-p",
            "no:cacheprovider",
            *SUITES,
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout
