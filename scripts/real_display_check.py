#!/usr/bin/env python3
"""Start the kiosk on a real X server (Xvfb, not Qt's offscreen plug-in), tap "Daftar", screenshot it.

Why: every test runs with ``QT_QPA_PLATFORM=offscreen``, which needs none of the X11 libraries that
Qt's xcb plug-in loads — so a kiosk that aborted on every real display passed CI. This check starts
the command a person runs (``scripts/run-demo.sh`` from the source tree, or the frozen bundle) with
``DISPLAY`` pointing at a fresh Xvfb, waits for the welcome screen, taps "Daftar" with ``xdotool``
(a real X pointer event), waits for the next screen, takes screenshots of the X root window with
``xwd``, checks they are neither blank nor identical, and checks the kiosk is still running.

Usage::

    python scripts/real_display_check.py --name source -- scripts/run-demo.sh
    python scripts/real_display_check.py --name bundle -- dist/prakerja-kiosk/prakerja-kiosk --demo

Needs Debian's ``xvfb``, ``xdotool`` and ``x11-apps`` (installed here when missing, as root).
Screenshots go to ``build/real-display/`` and their paths are printed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.startup import SERVICES_FAILED, SERVICES_READY, fresh_home_env  # noqa: E402

SCREEN_LINE = "PRAKERJA_KIOSK_SCREEN"
TOOLS = {"Xvfb": "xvfb", "xdotool": "xdotool", "xwd": "x11-apps"}
OUT_DIR = ROOT / "build" / "real-display"


def ensure_tools() -> None:
    missing = sorted({pkg for exe, pkg in TOOLS.items() if shutil.which(exe) is None})
    if not missing:
        return
    if os.geteuid() != 0:
        raise SystemExit(f"real_display_check: install {' '.join(missing)} (apt-get) first")
    print(f"real_display_check: installing {' '.join(missing)}", flush=True)
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", *missing], check=True, env=env, stdout=subprocess.DEVNULL
    )


def start_xvfb(size: str) -> tuple[subprocess.Popen[bytes], str]:
    """A fresh Xvfb on a free display number (Xvfb picks it and writes it to ``-displayfd``)."""
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    if not number:
        proc.kill()
        raise SystemExit("real_display_check: Xvfb did not start")
    return proc, f":{number}"


def screenshot(display: str, path: Path) -> np.ndarray:
    """The X root window as RGB pixels (``xwd``, a real read of the server's frame buffer), saved as PNG."""
    raw = subprocess.run(
        ["xwd", "-root", "-silent", "-display", display], capture_output=True, check=True, timeout=30
    ).stdout
    header = np.frombuffer(raw[:100], dtype=">u4")
    header_size, width, height = int(header[0]), int(header[4]), int(header[5])
    bits_per_pixel, bytes_per_line, ncolors = int(header[11]), int(header[12]), int(header[19])
    if bits_per_pixel != 32:
        raise SystemExit(f"real_display_check: unexpected xwd depth {bits_per_pixel}")
    start = header_size + ncolors * 12
    rows = np.frombuffer(raw[start : start + bytes_per_line * height], dtype=np.uint8)
    pixels = rows.reshape(height, bytes_per_line)[:, : width * 4].reshape(height, width, 4)
    bgr = np.ascontiguousarray(pixels[:, :, :3])  # little-endian ZPixmap: B, G, R, pad
    import cv2

    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), bgr)
    return bgr


def read_lines(proc: subprocess.Popen[str], lines: queue.Queue[str]) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        sys.stdout.write(f"    | {line}")
        lines.put(line.strip())


def wait_for(lines: queue.Queue[str], proc: subprocess.Popen[str], want: str, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise RuntimeError(f"no '{want}' within {timeout:.0f} s")
        try:
            line = lines.get(timeout=min(remaining, 1.0))
        except queue.Empty:
            if proc.poll() is not None:
                raise RuntimeError(f"the kiosk exited with code {proc.returncode} before '{want}'") from None
            continue
        if line.startswith(SERVICES_FAILED):
            raise RuntimeError("the kiosk reported PRAKERJA_KIOSK_SERVICES_FAILED")
        if line.startswith(want):
            return line


def run(cmd: list[str], name: str, size: str, expect: str) -> int:
    ensure_tools()
    xvfb, display = start_xvfb(size)
    home, env = fresh_home_env(dict(os.environ), prefix="real-display-")
    env.pop("QT_QPA_PLATFORM", None)  # the real thing: Qt picks xcb from DISPLAY
    env.pop("WAYLAND_DISPLAY", None)
    env["DISPLAY"] = display
    print(f"real_display_check[{name}]: Xvfb {display} at {size}; starting: {' '.join(cmd)}", flush=True)
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=read_lines, args=(proc, lines), daemon=True).start()
    t0 = time.monotonic()
    try:
        wait_for(lines, proc, "PRAKERJA_KIOSK_READY", timeout=300)  # first run of setup.sh may install
        print(f"real_display_check[{name}]: welcome screen at {time.monotonic() - t0:.1f} s", flush=True)
        wait_for(lines, proc, SERVICES_READY, timeout=120)
        welcome = wait_for(lines, proc, f"{SCREEN_LINE} WelcomeScreen start=", timeout=30)
        x, y = (int(v) for v in welcome.split("start=")[1].split(","))
        time.sleep(0.5)  # let the last frame reach the server before reading it back
        before = screenshot(display, OUT_DIR / f"{name}_welcome.png")
        subprocess.run(
            ["xdotool", "mousemove", "--sync", str(x), str(y), "click", "1"],
            env={**os.environ, "DISPLAY": display},
            check=True,
            timeout=30,
        )
        shown = wait_for(lines, proc, SCREEN_LINE, timeout=30).split()[1]
        if not shown.startswith(expect):
            raise RuntimeError(f"after the tap the kiosk shows {shown}, expected {expect}")
        time.sleep(1.0)
        after_path = OUT_DIR / f"{name}_after_tap.png"
        after = screenshot(display, after_path)
        if float(after.std()) < 5.0:
            raise RuntimeError("the screenshot after the tap is blank")
        if np.array_equal(before, after):
            raise RuntimeError("the screen did not change after the tap")
        time.sleep(5.0)  # and it stays up
        if proc.poll() is not None:
            raise RuntimeError(f"the kiosk exited with code {proc.returncode} after the tap")
        print(
            f"real_display_check[{name}]: OK — tapped Daftar at {x},{y}, {shown} shown; screenshots: "
            f"{OUT_DIR / f'{name}_welcome.png'} {after_path}",
            flush=True,
        )
        return 0
    except RuntimeError as exc:
        print(f"real_display_check[{name}]: FAILED: {exc}", file=sys.stderr, flush=True)
        return 1
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)
        xvfb.terminate()
        xvfb.wait(timeout=10)
        shutil.rmtree(home, ignore_errors=True)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", default="source", help="prefix of the screenshot files")
    parser.add_argument("--size", default="1024x600", help="Xvfb screen size (the binding case)")
    parser.add_argument("--expect", default="Contact", help="class-name prefix of the screen after Daftar")
    parser.add_argument("cmd", nargs=argparse.REMAINDER, help="-- the command to start")
    args = parser.parse_args(argv)
    cmd = [c for c in args.cmd if c != "--"] or ["scripts/run-demo.sh"]
    return run(cmd, args.name, args.size, args.expect)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
