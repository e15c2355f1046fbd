"""Oversized request bodies: does the reference API's memory stay put? (issue 18, item 12)

``python -m bench.body_limit [--mb 150]``

The review sent one 150 MB POST to the unauthenticated ``/v1/devices/enrol`` and watched the server go
from 108 MB to 563 MB. This bench starts ``prakerja-central-api`` as a real subprocess on 127.0.0.1 and
sends, on raw sockets, the same size twice: once with a declared ``Content-Length`` and once chunked
(no length). It reports the server's RSS growth over both, and as a baseline the growth over the same
number of normal enrolment attempts (small JSON bodies) measured in the same run. Target: 413 for both,
``growth_mb`` within a few MB of ``baseline_growth_mb`` (it was ~450 MB before the limit).
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil


def _start(data_dir: Path, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    cmd = [sys.executable, "-m", "central_api.cli", "--data-dir", str(data_dir), "--port", "0"]
    cmd += ["--log-level", "warning", "--enrol-rate", "0"]
    with log.open("wb") as err:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err)
    deadline = time.monotonic() + 60
    while True:
        match = re.search(r": listening on http://127\.0\.0\.1:(\d+)", log.read_text(errors="replace"))
        if match:
            return proc, int(match.group(1))
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(log.read_text(errors="replace")[-2000:])
        time.sleep(0.05)


def _send(port: int, head: bytes, total: int, chunked: bool) -> bytes:
    """Send ``head`` then up to ``total`` body bytes; return the status line (empty if none came)."""
    block = b" " * (1 << 20)
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head)
        sent = 0
        try:
            while sent < total:
                sock.sendall(f"{len(block):x}\r\n".encode() + block + b"\r\n" if chunked else block)
                sent += len(block)
        except OSError:
            pass  # the server answered and closed: what the limit is for
        sock.settimeout(10)
        try:
            return sock.recv(64).split(b"\r\n", 1)[0]
        except OSError:
            return b""


def _rss(proc: psutil.Process) -> float:
    return proc.memory_info().rss / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=150, help="size of each oversized body")
    args = parser.parse_args(argv)
    total = args.mb << 20
    with tempfile.TemporaryDirectory() as tmp:
        server, port = _start(Path(tmp) / "api", Path(tmp) / "api.log")
        try:
            proc = psutil.Process(server.pid)
            time.sleep(0.5)
            small = json.dumps({"code": "AAAA-BBBB-CCCC", "public_key": "A" * 43}).encode()
            head = b"POST /v1/devices/enrol HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            start = _rss(proc)
            for _ in range(2):
                _send(port, head + b"Content-Length: %d\r\n\r\n" % len(small) + small, 0, False)
            baseline = _rss(proc) - start
            start = _rss(proc)
            declared = _send(port, head + b"Content-Length: %d\r\n\r\n" % total, total, False)
            chunked = _send(port, head + b"Transfer-Encoding: chunked\r\n\r\n", total, True)
            growth = _rss(proc) - start
        finally:
            server.terminate()
            server.wait(10)
    print(
        json.dumps(
            {
                "body_mb": args.mb,
                "declared_status": declared.decode(errors="replace"),
                "chunked_status": chunked.decode(errors="replace"),
                "growth_mb": round(growth, 1),
                "baseline_growth_mb": round(baseline, 1),
                "growth_over_baseline_mb": round(growth - baseline, 1),
            }
        )
    )
    return 0 if b"413" in declared and b"413" in chunked else 1


if __name__ == "__main__":
    sys.exit(main())
