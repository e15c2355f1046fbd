"""Drain benchmark: 10 sealed registrations of ~150 KB through a slow, lossy link to the reference API.

``python -m bench.drain [--concurrency N] [--items N]``. Between the sync engine (with the kiosk's real
``HttpTransport``) and the reference API sits ``bench.slowlink``: 256 kbit/s each way, 300 ms one-way
latency, a connection reset every ~500 KB carried. The baseline is the physical floor measured in the
same run's terms: ``floor_seconds`` = payload bytes × 8 ÷ 256 kbit/s (what a perfect sender on a
perfect link of that speed would need). ``ratio`` = ``seconds`` ÷ ``floor_seconds``; target <= 1.3.
The retry policy is the engine's default (5 s base, 15 min cap, full jitter) apart from the
concurrency, which is reported: 2 by default here, because with one upload at a time every request
leaves the link idle for a round trip (0.6 s) and every reset leaves it idle for the backoff, which
measured ratio ≈ 1.43 (``--concurrency 1``); with two, the other upload fills those gaps and what is
left is mostly the bytes a reset throws away. The last line is a JSON object.

This proxy sits on loopback, where the kernel takes a whole request body into its buffers at once: it
cannot show send timeouts or a router's dropping queue. ``bench.netns_drain`` measures through a real
throttled router (network namespaces + tc); ``bench.resume`` measures resumable uploads under resets.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.slowlink import SlowLinkProxy
from kiosk.http_transport import HttpTransport
from offline_queue.events import ItemFailed, SyncEvent
from offline_queue.outbox import Outbox
from offline_queue.policy import RetryPolicy
from offline_queue.sync import SyncEngine

RATE_BPS = 256_000
LATENCY_S = 0.3
RESET_EVERY = 500_000


def _photos(total: int) -> dict[str, bytes]:
    half = total // 2
    return {
        "ktp.jpg": b"\xff\xd8\xff\xe0" + os.urandom(half - 6) + b"\xff\xd9",
        "selfie.jpg": b"\xff\xd8\xff\xe0" + os.urandom(half - 6) + b"\xff\xd9",
    }


def run(workdir: Path, items: int, concurrency: int, seed: int) -> dict[str, Any]:
    from tests.support.live_api import LiveApi

    (workdir / "api").mkdir()
    api = LiveApi(workdir / "api")
    proxy = SlowLinkProxy(("127.0.0.1", api.server.port), RATE_BPS, LATENCY_S, RESET_EVERY, seed=seed).start()
    try:
        device = api.enrol_device("bench-drain")
        outbox = Outbox(workdir / "outbox.sqlite3")
        for _ in range(items):
            sid, blob = api.seal_submission(device, photos=_photos(148_000))
            outbox.enqueue(sid, blob)
        payload_bytes = outbox.stats().bytes_waiting
        failures: list[str] = []

        def on_event(event: SyncEvent) -> None:
            if isinstance(event, ItemFailed):
                failures.append(event.reason)

        engine = SyncEngine(
            outbox,
            HttpTransport(proxy.url, device.token),
            on_event=on_event,
            policy=RetryPolicy(concurrency=concurrency),
        )
        started = time.monotonic()
        report = engine.drain(wait=True, timeout=900)
        seconds = time.monotonic() - started
        conn = sqlite3.connect(f"file:{workdir / 'api' / 'central.sqlite3'}?mode=ro", uri=True)
        on_server = conn.execute("SELECT COUNT(DISTINCT id) FROM submissions").fetchone()[0]
        conn.close()
        outbox.close()
    finally:
        proxy.stop()
        with contextlib.suppress(Exception):
            api.stop()
    floor = payload_bytes * 8 / RATE_BPS
    return {
        "items": items,
        "delivered": report.delivered,
        "on_server": on_server,
        "seconds": round(seconds, 2),
        "bytes": payload_bytes,
        "floor_seconds": round(floor, 2),
        "ratio": round(seconds / floor, 3),
        "link": {"rate_bps": RATE_BPS, "latency_s": LATENCY_S, "reset_every_bytes": RESET_EVERY},
        "resets": proxy.stats.resets,
        "connections": proxy.stats.connections,
        "wire_up_bytes": proxy.stats.up_bytes,
        "failed_attempts": len(failures),
        "concurrency": concurrency,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="drain through a slow lossy link")
    parser.add_argument("--items", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-drain-") as tmp:
        result = run(Path(tmp), args.items, args.concurrency, args.seed)
    print(json.dumps(result))
    return 0 if result["on_server"] == args.items else 1


if __name__ == "__main__":
    raise SystemExit(main())
