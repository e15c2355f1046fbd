"""Cold start of ``prakerja-kiosk --demo`` until the welcome screen accepts input, against a bare window.

``python -m bench.startup [--runs 7]``

Subject: the installed entry point ``prakerja-kiosk --demo`` (offscreen), each run with a fresh, empty
kiosk home (so the demo starts its reference API, creates keys and enrols the kiosk from nothing). It
is "ready" when it prints ``PRAKERJA_KIOSK_READY`` — ``ui.app`` does so (only when
``PRAKERJA_KIOSK_READY_STDOUT`` is set) from the event loop once the welcome screen is shown with its
buttons enabled, i.e. when a tap is taken (a tap before the wizard is bound is kept and carried out
when it is). The run goes on until ``PRAKERJA_KIOSK_SERVICES_READY`` — the wizard bound to the outbox,
the sync engine and the demo API that started and enrolled this kiosk — reported as
``services_median_s`` (what the first applicant's "Daftar" may wait for; no target).
Our packages are byte-compiled first, as a wheel install or the bundle ships them.
Baseline: a bare PySide6 program (QApplication, one window with one button, shown) that prints the same
line from its event loop. Runs are interleaved (A B A B …), 7 each, medians. ``rss_mb`` is the kiosk's
resident memory (with any child processes) at the moment it is ready. Target: ``ratio`` <= 2.5.
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from pathlib import Path

import psutil

from bench._common import emit, interleaved, log, median

READY = "PRAKERJA_KIOSK_READY"
SERVICES_READY = "PRAKERJA_KIOSK_SERVICES_READY"
SERVICES_FAILED = "PRAKERJA_KIOSK_SERVICES_FAILED"
BASELINE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QPushButton, QVBoxLayout, QWidget
app = QApplication(sys.argv)
w = QWidget(); QVBoxLayout(w).addWidget(QPushButton("Daftar")); w.resize(1024, 600); w.show()
QTimer.singleShot(0, lambda: print("PRAKERJA_KIOSK_READY", flush=True))
app.exec()
"""


def _tree_rss_mb(pid: int) -> float:
    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
        return sum(p.memory_info().rss for p in procs) / (1024 * 1024)
    except psutil.Error:
        return 0.0


def time_to_ready(
    cmd: list[str],
    env: dict[str, str],
    *,
    then: str | None = None,
    fail: str | None = None,
    timeout: float = 60.0,
) -> tuple[float, float, float | None]:
    """Seconds from spawn to the ready line, RSS (MiB) then, and seconds to the ``then`` line (if any).

    Raises ``RuntimeError`` naming the line that did not come when the process exits, prints ``fail``,
    or ``timeout`` seconds pass (stdout is read on a thread, so a silent process cannot hold this up).
    The process and its children are killed afterwards.
    """
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for raw in proc.stdout:
            lines.put(raw.strip())
        lines.put(None)  # end of output: the process has exited

    threading.Thread(target=pump, name="ready-reader", daemon=True).start()
    ready: float | None = None
    rss = 0.0
    deadline = t0 + timeout
    try:
        while True:
            waiting_for = READY if ready is None else then
            try:
                line = lines.get(timeout=max(0.0, deadline - time.perf_counter()))
            except queue.Empty:
                raise RuntimeError(f"{cmd[0]}: no {waiting_for} within {timeout:.0f} s") from None
            if line is None:
                raise RuntimeError(f"{cmd[0]} exited (code {proc.wait(10)}) before {waiting_for}")
            if fail is not None and line == fail:
                raise RuntimeError(f"{cmd[0]} printed {fail} (see its log)")
            if line == READY and ready is None:
                ready = time.perf_counter() - t0
                rss = _tree_rss_mb(proc.pid)
                if then is None:
                    return ready, rss, None
            elif then is not None and line == then and ready is not None:
                return ready, rss, time.perf_counter() - t0
    finally:
        for child in psutil.Process(proc.pid).children(recursive=True) if proc.poll() is None else []:
            child.kill()
        proc.kill()
        proc.wait(10)


def fresh_home_env(base_env: dict[str, str], *, prefix: str) -> tuple[str, dict[str, str]]:
    """A new empty kiosk home (the caller removes it) and the environment that points the kiosk at it,
    with the readiness lines switched on."""
    home = tempfile.mkdtemp(prefix=prefix)
    return home, {
        **base_env,
        "PRAKERJA_KIOSK_HOME": home,
        "PRAKERJA_KIOSK_READY_STDOUT": "1",
        "XDG_CONFIG_HOME": f"{home}/xdg-config",
        "XDG_DATA_HOME": f"{home}/xdg-data",
        "XDG_CACHE_HOME": f"{home}/xdg-cache",
    }


def _entry_point_command() -> list[str]:
    """What the ``prakerja-kiosk`` console script runs, read from pyproject.toml.

    Why not the script file in the venv: it is generated at install time and goes stale when the entry
    point moves; the declared entry point is the product's definition of ``prakerja-kiosk``.
    """
    project = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
    module, _, func = project["project"]["scripts"]["prakerja-kiosk"].partition(":")
    return [sys.executable, "-c", f"import sys; from {module} import {func}; sys.exit({func}())"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    kiosk_cmd = _entry_point_command()
    base_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONDONTWRITEBYTECODE": "1"}
    rss: list[float] = []
    services: list[float] = []
    root = Path(__file__).resolve().parents[1]
    subprocess.run(
        [
            sys.executable,
            "-m",
            "compileall",
            "-q",
            *(str(root / p) for p in ("kiosk", "ui", "offline_queue")),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )

    def kiosk() -> float:
        home, env = fresh_home_env(base_env, prefix="bench-startup-")
        try:
            seconds, mb, bound = time_to_ready(
                [*kiosk_cmd, "--demo"], env, then=SERVICES_READY, fail=SERVICES_FAILED
            )
        finally:
            shutil.rmtree(home, ignore_errors=True)
        rss.append(mb)
        assert bound is not None
        services.append(bound)
        log(f"kiosk   {seconds:.3f} s  {mb:.0f} MiB  (wizard bound to services at {bound:.2f} s)")
        return seconds

    def bare() -> float:
        seconds, _mb, _ = time_to_ready([sys.executable, "-c", BASELINE], base_env)
        log(f"bare Qt {seconds:.3f} s")
        return seconds

    bare()  # warm the OS file cache for PySide6 once, for both sides alike
    kiosk_runs, bare_runs = interleaved(args.runs, kiosk, bare)
    m, b = median(kiosk_runs), median(bare_runs)
    emit(
        {
            "median_s": round(m, 3),
            "baseline_median_s": round(b, 3),
            "ratio": round(m / b, 2),
            "rss_mb": round(median(rss), 1),
            "services_median_s": round(median(services), 3),
            "runs": args.runs,
            "kiosk_runs_s": [round(x, 3) for x in kiosk_runs],
            "baseline_runs_s": [round(x, 3) for x in bare_runs],
            "target_ratio": 2.5,
        }
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
