"""Kill -9 proof: every enqueued registration reaches the server exactly once, whatever the kills.

``python -m bench.kill --kills 200`` starts the reference API, then repeatedly starts
``bench.kill_worker`` (which enqueues sealed registrations and syncs them) and SIGKILLs it at a random
moment of one of three kinds — during enqueueing, in the middle of uploads, and in the window between
the server's reply and the local commit (the engine's test hook pauses there and announces it).
A fresh worker resumes each time. At the end a last worker runs to completion and the server's
database and the outbox are compared. The last line is a JSON object with ``kills``, ``enqueued``,
``delivered``, ``lost``, ``duplicates``.

Baseline for the numbers: the ideal is ``lost == 0`` and ``duplicates == 0`` with ``delivered ==
enqueued``; ``enqueued`` counts items the outbox holds (every ``enqueue`` that returned is among them).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from kiosk.envelope import b64e
from offline_queue.outbox import DELIVERED, Outbox
from offline_queue.sync import TEST_HOOK_ENV

REPO = Path(__file__).resolve().parents[1]
MODES = ("enqueue", "upload", "after-reply")


@dataclass
class KillRun:
    kills: int = 0
    modes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(MODES, 0))
    acknowledged: set[str] = field(default_factory=set)
    runs: int = 0


def _reader(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    for line in stream:
        lines.put(line.rstrip("\n"))
    lines.put(None)


def _start(config_path: Path, pause: float) -> tuple[subprocess.Popen[str], queue.Queue[str | None]]:
    env = dict(os.environ)
    env.pop(TEST_HOOK_ENV, None)
    if pause:
        env[TEST_HOOK_ENV] = str(pause)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.Popen(
        [sys.executable, "-m", "bench.kill_worker", str(config_path)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: queue.Queue[str | None] = queue.Queue()
    assert proc.stdout is not None
    threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True).start()
    return proc, lines


def _wait_for(lines: queue.Queue[str | None], prefix: str, run: KillRun, timeout: float) -> bool:
    """Consume lines until one starts with ``prefix``; False on end of output or timeout."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            return False
        if line is None:
            return False
        if line.startswith("enqueued "):
            run.acknowledged.add(line.split(" ", 1)[1])
        if line.startswith(prefix):
            return True


def _drain_lines(lines: queue.Queue[str | None], run: KillRun) -> list[str]:
    out = []
    while True:
        try:
            line = lines.get(timeout=2)
        except queue.Empty:
            return out
        if line is None:
            return out
        out.append(line)
        if line.startswith("enqueued "):
            run.acknowledged.add(line.split(" ", 1)[1])


def run_kills(
    *,
    url: str,
    token: str,
    device_id: str,
    device_key: bytes,
    envelope_key: bytes,
    server_db: Path,
    workdir: Path,
    kills: int,
    seed: int = 1,
    items_per_run: int = 3,
) -> dict[str, Any]:
    """Run the kill loop against a running API; returns the result dict (see the module docstring)."""
    rng = random.Random(seed)
    outbox_path = workdir / "kill-outbox.sqlite3"
    config_path = workdir / "kill-worker.json"
    config: dict[str, Any] = {
        "outbox": str(outbox_path),
        "url": url,
        "token": token,
        "device_id": device_id,
        "device_key": b64e(device_key),
        "envelope_key": b64e(envelope_key),
        "namespace": str(uuid.UUID(int=rng.getrandbits(128))),
        "total": 0,
        "enqueue_gap_s": 0.01,
    }
    run = KillRun()
    started = time.monotonic()
    attempts = 0
    while run.kills < kills and attempts < kills * 4:
        attempts += 1
        config["total"] += items_per_run
        config_path.write_text(json.dumps(config))
        mode = MODES[run.kills % len(MODES)] if rng.random() < 0.5 else rng.choice(MODES)
        proc, lines = _start(config_path, pause=0.4 if mode == "after-reply" else 0.0)
        run.runs += 1
        try:
            if mode == "enqueue":
                hit = _wait_for(lines, "enqueued ", run, 20)
                if hit:
                    time.sleep(rng.uniform(0, 0.015))
            elif mode == "upload":
                hit = _wait_for(lines, "ready", run, 20)
                if hit:
                    time.sleep(rng.uniform(0.0, 0.3))
            else:
                hit = _wait_for(lines, "after-reply ", run, 20)
            if hit and proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                run.kills += 1
                run.modes[mode] += 1
        finally:
            if proc.poll() is None and not hit:
                proc.kill()
            proc.wait()
            _drain_lines(lines, run)
    # A last worker runs to the end: everything must be delivered.
    config_path.write_text(json.dumps(config))
    proc, lines = _start(config_path, pause=0.0)
    tail = _drain_lines(lines, run)
    final_rc = proc.wait()
    return _verify(outbox_path, server_db, run, time.monotonic() - started, final_rc, tail)


def _verify(
    outbox_path: Path, server_db: Path, run: KillRun, seconds: float, final_rc: int, tail: list[str]
) -> dict[str, Any]:
    with Outbox(outbox_path) as ob:
        items = ob.items()
    outbox_ids = {i.id: i for i in items}
    conn = sqlite3.connect(f"file:{server_db}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT id, sha256 FROM submissions").fetchall()
    finally:
        conn.close()
    server: dict[str, list[str]] = {}
    for sid, sha in rows:
        server.setdefault(str(sid), []).append(str(sha))
    lost = {sid for sid in set(outbox_ids) | run.acknowledged if sid not in server}
    duplicates = sum(len(v) - 1 for v in server.values()) + len(set(server) - set(outbox_ids))
    mismatched = [sid for sid, info in outbox_ids.items() if sid in server and server[sid] != [info.sha256]]
    not_marked = [i.id for i in items if i.state != DELIVERED]
    return {
        "kills": run.kills,
        "kills_by_moment": run.modes,
        "worker_runs": run.runs + 1,
        "enqueued": len(outbox_ids),
        "acknowledged_enqueues": len(run.acknowledged),
        "acknowledged_missing_from_outbox": len(run.acknowledged - set(outbox_ids)),
        "delivered": sum(1 for sid in outbox_ids if sid in server),
        "lost": len(lost),
        "duplicates": duplicates + len(mismatched),
        "outbox_not_delivered": len(not_marked),
        "final_worker_rc": final_rc,
        "final_worker_tail": tail[-1:] if tail else [],
        "seconds": round(seconds, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--kills", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    from tests.support.live_api import LiveApi

    with tempfile.TemporaryDirectory(prefix="bench-kill-") as tmp:
        workdir = Path(tmp)
        (workdir / "api").mkdir()
        api = LiveApi(workdir / "api")
        try:
            device = api.enrol_device("bench-kill")
            from kiosk.envelope import raw_public

            result = run_kills(
                url=api.url,
                token=device.token,
                device_id=device.device_id,
                device_key=device.private_key.private_bytes_raw(),
                envelope_key=raw_public(device.envelope_key),
                server_db=workdir / "api" / "central.sqlite3",
                workdir=workdir,
                kills=args.kills,
                seed=args.seed,
            )
        finally:
            with contextlib.suppress(Exception):
                api.stop()
    print(json.dumps(result))
    return 0 if result["lost"] == 0 and result["duplicates"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
