"""Enqueue benchmark: our outbox against persist-queue's ``SQLiteAckQueue`` on the same payloads.

``python -m bench.queue [--items N]``. Payloads are real sealed registrations of about 300 KB (two
random 150 KB "photos" plus a valid payload JSON, sealed with ``kiosk.envelope.seal`` for a freshly
generated server key). The timed operation is the kiosk's whole job for one registration: **seal +
durable store** — ours: ``seal`` then ``Outbox.enqueue`` (one ``BEGIN IMMEDIATE`` transaction, WAL,
``synchronous=FULL``, fsync on commit); the baseline: ``seal`` then ``SQLiteAckQueue.put`` (persist-queue
pickles the bytes into its own WAL-mode SQLite, committing each put). ``store_only_*`` keys give the
store step alone for both. The two alternate item by item in the same folder, so disk state and cache
are shared fairly.
The last line is a JSON object; targets: ``p99_ms`` <= 30 and ``throughput_ratio`` >= 1.0.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from kiosk.envelope import seal
from offline_queue.outbox import Outbox
from tests.support.payloads import make_payload

PHOTO_BYTES = 150_000


def _photos() -> dict[str, bytes]:
    return {
        "ktp.jpg": b"\xff\xd8\xff\xe0" + os.urandom(PHOTO_BYTES - 6) + b"\xff\xd9",
        "selfie.jpg": b"\xff\xd8\xff\xe0" + os.urandom(PHOTO_BYTES - 6) + b"\xff\xd9",
    }


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def run(items: int, folder: Path) -> dict[str, Any]:
    from persistqueue import SQLiteAckQueue

    device_key = Ed25519PrivateKey.generate()
    server_key = X25519PrivateKey.generate().public_key()
    device_id = "bench-device"
    jobs = []
    for _ in range(items):
        sid = str(uuid.uuid4())
        photos = _photos()
        jobs.append((sid, make_payload(submission_id=sid, device_id=device_id, photos=photos), photos))

    def sealed(job: tuple[str, dict[str, Any], dict[str, bytes]]) -> bytes:
        sid, payload, photos = job
        return seal(
            payload,
            photos,
            submission_id=sid,
            device_id=device_id,
            device_key=device_key,
            server_key=server_key,
        )

    outbox = Outbox(folder / "ours.sqlite3")
    baseline = SQLiteAckQueue(str(folder / "persist-queue"), auto_commit=True, multithreading=False)
    warm = sealed(jobs[0])  # warm-up outside the measurement (first pages, imports)
    outbox.enqueue("warm-up", warm)
    baseline.put(warm)

    ours: list[float] = []
    ours_store: list[float] = []
    base: list[float] = []
    base_store: list[float] = []
    sizes: list[int] = []
    for job in jobs:
        t0 = time.perf_counter()
        blob = sealed(job)
        t1 = time.perf_counter()
        outbox.enqueue(job[0], blob)
        t2 = time.perf_counter()
        other = sealed(job)
        t3 = time.perf_counter()
        baseline.put(other)
        t4 = time.perf_counter()
        ours.append(t2 - t0)
        ours_store.append(t2 - t1)
        base.append(t4 - t2)
        base_store.append(t4 - t3)
        sizes.append(len(blob))
    outbox.close()

    def ms(values: list[float], q: float) -> float:
        return round(_percentile(values, q) * 1000, 2)

    ours_tp = len(ours) / sum(ours)
    base_tp = len(base) / sum(base)
    return {
        "items": items,
        "blob_bytes": round(statistics.mean(sizes)),
        "p50_ms": ms(ours, 0.50),
        "p99_ms": ms(ours, 0.99),
        "throughput_per_s": round(ours_tp, 1),
        "baseline_p50_ms": ms(base, 0.50),
        "baseline_p99_ms": ms(base, 0.99),
        "baseline_throughput_per_s": round(base_tp, 1),
        "throughput_ratio": round(ours_tp / base_tp, 2),
        "store_only_p50_ms": ms(ours_store, 0.50),
        "store_only_p99_ms": ms(ours_store, 0.99),
        "baseline_store_only_p50_ms": ms(base_store, 0.50),
        "baseline_store_only_p99_ms": ms(base_store, 0.99),
        "store_only_throughput_ratio": round(sum(base_store) / sum(ours_store), 2),
        "measured": "seal (encrypt+sign) + durable store per item, both sides; store_only_* without the seal",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="outbox enqueue benchmark vs persist-queue")
    parser.add_argument("--items", type=int, default=200)
    parser.add_argument("--dir", type=Path, default=None, help="folder to write in (default: a temp dir)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-queue-", dir=args.dir) as tmp:
        result = run(args.items, Path(tmp))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
