"""Resumable uploads under connection resets: bytes sent against the envelope's size, v1 vs v2.

``python -m bench.resume [--size BYTES] [--rate BPS] [--timeout S]``. One sealed registration of
``--size`` (1.5 MB) goes through ``bench.slowlink`` (1 Mbit/s, 50 ms one way) that resets the connection
every ~90 % of the envelope's size carried (±10 %; ``--reset-fraction``): the mobile-tethering case of issue 22. The sync engine
with the kiosk's real ``HttpTransport`` drains it twice, to the same reference API: once with contract
v1 only (``resumable_threshold=None``, the baseline: every attempt resends the whole envelope and is cut
again near its end) and once with the resumable contract v2 (the next attempt sends only what the server
does not hold). ``bytes_ratio`` = request body bytes the kiosk sent ÷ envelope size (ideal 1.0);
``wire_ratio`` = bytes the link carried upward ÷ envelope size. One JSON line per mode, then a summary.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.drain import _photos
from bench.slowlink import SlowLinkProxy
from kiosk.http_transport import RESUMABLE_THRESHOLD, HttpTransport
from offline_queue.outbox import Outbox
from offline_queue.policy import RetryPolicy
from offline_queue.sync import SyncEngine


def one(
    api: Any, device: Any, workdir: Path, *, size: int, rate: int, timeout: float, v2: bool, fraction: float
) -> dict[str, Any]:
    """Drain one registration of ``size`` bytes through the resetting link; what it cost."""
    sid, blob = api.seal_submission(device, photos=_photos(size - 2_000))
    proxy = SlowLinkProxy(
        ("127.0.0.1", api.server.port),
        rate_bps=rate,
        latency_s=0.05,
        reset_every=int(fraction * len(blob)),
        seed=3,
    ).start()
    outbox = Outbox(workdir / f"outbox-{'v2' if v2 else 'v1'}.sqlite3")
    outbox.enqueue(sid, blob)
    transport = HttpTransport(
        proxy.url, device.token, resumable_threshold=RESUMABLE_THRESHOLD if v2 else None
    )
    # Short backoff so the figure is about bytes, not about waiting (the same for both modes).
    engine = SyncEngine(outbox, transport, policy=RetryPolicy(base_s=0.5, cap_s=2.0))
    started = time.monotonic()
    try:
        report = engine.drain(wait=True, timeout=timeout)
    finally:
        seconds = time.monotonic() - started
        transport.close()
        proxy.stop()
        outbox.close()
    return {
        "mode": "v2 resumable" if v2 else "v1 whole envelope",
        "envelope_bytes": len(blob),
        "delivered": report.delivered,
        "on_server": len(api.sql("SELECT id FROM submissions WHERE id = :sid", sid=sid)),
        "seconds": round(seconds, 2),
        "bytes_sent": transport.bytes_sent,
        "bytes_ratio": round(transport.bytes_sent / len(blob), 3),
        "wire_up_bytes": proxy.stats.up_bytes,
        "wire_ratio": round(proxy.stats.up_bytes / len(blob), 3),
        "resets": proxy.stats.resets,
        "link": {"rate_bps": rate, "latency_s": 0.05, "reset_every_bytes": int(fraction * len(blob))},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="resumable uploads under connection resets")
    parser.add_argument("--size", type=int, default=1_500_000)
    parser.add_argument("--rate", type=int, default=1_000_000)
    parser.add_argument("--timeout", type=float, default=90.0, help="per mode; v1 may never finish")
    parser.add_argument("--reset-fraction", type=float, default=0.9, help="reset every this x envelope")
    args = parser.parse_args(argv)
    from tests.support.live_api import LiveApi

    with tempfile.TemporaryDirectory(prefix="bench-resume-") as tmp:
        (Path(tmp) / "api").mkdir()
        api = LiveApi(Path(tmp) / "api")
        try:
            device = api.enrol_device("bench-resume")
            results = [
                one(
                    api,
                    device,
                    Path(tmp),
                    size=args.size,
                    rate=args.rate,
                    timeout=args.timeout,
                    v2=v2,
                    fraction=args.reset_fraction,
                )
                for v2 in (False, True)
            ]
        finally:
            with contextlib.suppress(Exception):
                api.stop()
    for result in results:
        print(json.dumps(result), flush=True)
    v1, v2 = results
    print(
        json.dumps(
            {
                "bench": "resume",
                "v2_delivered": v2["on_server"] == 1,
                "v2_bytes_ratio": v2["bytes_ratio"],
                "baseline_v1_bytes_ratio": v1["bytes_ratio"],
                "baseline_v1_delivered": v1["on_server"] == 1,
                "ratio_v2_to_v1_bytes": round(v2["bytes_sent"] / max(1, v1["bytes_sent"]), 3),
            }
        ),
        flush=True,
    )
    return 0 if v2["on_server"] == 1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
