"""Drain through a real bottleneck: registrations of 130 KB, 300 KB and 1.5 MB over 64 kbit/s–1 Mbit/s.

``python -m bench.netns_drain [--quick] [--rates 64000,128000,...] [--sizes 130000,...]`` (root, Linux).
Each rate gets its own :class:`bench.netns.ThrottledLink` (namespaces, a router shaping both directions
with ``tbf`` and a 30-packet dropping queue, MTU 1500) and its own kiosk outbox holding one sealed
registration of each size; the sync engine with the kiosk's real ``HttpTransport`` drains it to the
reference API listening inside the server namespace. The rates run side by side (separate links), so
the whole run takes about as long as the slowest rate alone (64 kbit/s: ~4 min); ``--quick`` (the CI
test) runs 1 Mbit/s with all three sizes and 256 kbit/s with the two small ones (~20 s).

Baseline, measured in the same terms: ``floor_seconds`` = envelope bytes × 8 ÷ the link's rate, what a
perfect sender would need. ``ratio`` = drain seconds ÷ floor. Target: every size delivered at every
rate, ratio <= 1.15 at 256 kbit/s. One JSON line per rate, then a summary line (the last line).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench.drain import _photos
from bench.netns import ThrottledLink, serve, unavailable_reason
from kiosk.http_transport import HttpTransport
from offline_queue.events import ItemFailed, SyncEvent
from offline_queue.outbox import Outbox
from offline_queue.policy import RetryPolicy
from offline_queue.sync import SyncEngine

RATES = (64_000, 128_000, 256_000, 1_000_000)
SIZES = (130_000, 300_000, 1_500_000)
QUICK: dict[int, tuple[int, ...]] = {1_000_000: SIZES, 256_000: (130_000, 300_000)}
TARGET_RATE = 256_000
TARGET_RATIO = 1.15


def drain_over(
    link: ThrottledLink,
    api: Any,
    device: Any,
    blobs: list[tuple[str, bytes]],
    workdir: Path,
    *,
    timeout: float,
    concurrency: int = 1,
) -> dict[str, Any]:
    """Enqueue ``blobs`` in a fresh outbox and drain them through ``link``; what happened, in numbers."""
    outbox = Outbox(workdir / "outbox.sqlite3")
    for sid, blob in blobs:
        outbox.enqueue(sid, blob)
    nbytes = sum(len(b) for _, b in blobs)
    failures: list[str] = []

    def on_event(event: SyncEvent) -> None:
        if isinstance(event, ItemFailed):
            failures.append(event.reason)

    drops_before = link.drops()
    with serve(api.server.app, link.listen_socket()) as url:
        transport = HttpTransport(url, device.token)
        engine = SyncEngine(outbox, transport, on_event=on_event, policy=RetryPolicy(concurrency=concurrency))
        started = time.monotonic()
        report = engine.drain(wait=True, timeout=timeout)
        seconds = time.monotonic() - started
        transport.close()
    outbox.close()
    ids = [sid for sid, _ in blobs]
    on_server = sum(1 for sid in ids if api.sql("SELECT id FROM submissions WHERE id = :sid", sid=sid))
    floor = nbytes * 8 / link.rate_bps
    return {
        "rate_bps": link.rate_bps,
        "sizes": [len(b) for _, b in blobs],
        "items": len(blobs),
        "delivered": report.delivered,
        "on_server": on_server,
        "seconds": round(seconds, 2),
        "bytes": nbytes,
        "floor_seconds": round(floor, 2),
        "ratio": round(seconds / floor, 3),
        "bytes_sent": transport.bytes_sent,
        "failed_attempts": len(failures),
        "failure_reasons": sorted(set(failures)),
        "router_drops": link.drops() - drops_before,
        "queue_packets": link.queue_packets,
        "delay_ms": link.delay_ms,
    }


def run(
    plan: dict[int, tuple[int, ...]], workdir: Path, *, delay_ms: float, queue: int
) -> list[dict[str, Any]]:
    """Drain one outbox per rate, the rates side by side; one result per rate (in ``plan`` order)."""
    from tests.support.live_api import LiveApi

    (workdir / "api").mkdir()
    api = LiveApi(workdir / "api")
    try:
        device = api.enrol_device("bench-netns")
        jobs: dict[int, list[tuple[str, bytes]]] = {
            rate: [api.seal_submission(device, photos=_photos(size - 2_000)) for size in sizes]
            for rate, sizes in plan.items()
        }
        results: dict[int, dict[str, Any]] = {}

        def one(rate: int) -> None:
            floor = sum(len(b) for _, b in jobs[rate]) * 8 / rate
            try:
                with ThrottledLink(rate, queue_packets=queue, delay_ms=delay_ms) as link:
                    (workdir / str(rate)).mkdir()
                    results[rate] = drain_over(
                        link, api, device, jobs[rate], workdir / str(rate), timeout=max(60.0, 2.5 * floor)
                    )
            except Exception as exc:  # reported in the JSON, not a traceback on one thread
                results[rate] = {"rate_bps": rate, "error": f"{type(exc).__name__}: {exc}"}

        threads = [threading.Thread(target=one, args=(rate,), name=f"rate-{rate}") for rate in plan]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        with contextlib.suppress(Exception):
            api.stop()
    return [results[rate] for rate in plan]


def summary(results: list[dict[str, Any]]) -> dict[str, Any]:
    """The last line: everything delivered? the ratio at the target rate against the target."""
    at_target = [r for r in results if r.get("rate_bps") == TARGET_RATE and "ratio" in r]
    all_delivered = all(r.get("on_server") == r.get("items") for r in results)
    ratio = at_target[0]["ratio"] if at_target else None
    return {
        "bench": "netns_drain",
        "all_delivered": all_delivered,
        "delivered": sum(r.get("on_server", 0) for r in results),
        "items": sum(r.get("items", 0) for r in results),
        "ratio_at_256k": ratio,
        "target_ratio": TARGET_RATIO,
        "ok": all_delivered and ratio is not None and ratio <= TARGET_RATIO,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="drain through a real throttled router (netns + tc)")
    parser.add_argument("--quick", action="store_true", help="1 Mbit/s and 256 kbit/s only (~20 s)")
    parser.add_argument("--rates", help="comma-separated bit/s (default 64000,128000,256000,1000000)")
    parser.add_argument("--sizes", help="comma-separated envelope bytes (default 130000,300000,1500000)")
    parser.add_argument("--delay-ms", type=float, default=0.0, help="one-way router delay (netem)")
    parser.add_argument("--queue", type=int, default=30, help="router queue in packets")
    args = parser.parse_args(argv)
    reason = unavailable_reason()
    if reason:
        print(json.dumps({"bench": "netns_drain", "skipped": reason}))
        return 2
    sizes = tuple(int(s) for s in args.sizes.split(",")) if args.sizes else SIZES
    rates = tuple(int(r) for r in args.rates.split(",")) if args.rates else RATES
    plan = dict(QUICK) if args.quick else {rate: sizes for rate in rates}
    with tempfile.TemporaryDirectory(prefix="bench-netns-") as tmp:
        results = run(plan, Path(tmp), delay_ms=args.delay_ms, queue=args.queue)
    for result in results:
        print(json.dumps(result), flush=True)
    final = summary(results)
    print(json.dumps(final), flush=True)
    sys.stdout.flush()
    return 0 if final["all_delivered"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
