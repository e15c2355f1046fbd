"""Fleet surge on PostgreSQL: 200 kiosks holding 10 registrations each reconnect at once.

``python -m bench.surge [--kiosks 200] [--per-kiosk 10] [--max-concurrent 8] [--ingest 3000]``

What runs, all real and on 127.0.0.1:
- Debian's PostgreSQL server, started by the bench in a temp dir (``tests/support/postgres.py``).
- The reference API as a subprocess (``python -m central_api.cli``, one uvicorn process) on that
  database, its capacity limited with ``--max-concurrent`` (503 + ``Retry-After`` beyond it).
- 200 kiosks in this process, each with its own enrolled device (``kiosk.api_client.ApiClient.enrol``),
  its own outbox file holding 10 sealed envelopes, its own ``SyncEngine`` and ``HttpTransport``. They
  are all started at the same instant. A thin recording wrapper around each real ``HttpTransport``
  notes when every request starts and the Retry-After of every reply, per kiosk.

Measured: ``delivered`` (expected ids present in the server's database), ``duplicates`` (rows beyond
one per id, or ids nobody sent), ``early_retries`` (a kiosk's request started before the Retry-After
it was given had passed), ``server_errors`` (5xx other than the deliberate 503 of the capacity limit,
plus transport-level failures). Then, against a second API process on a fresh database without the
limit, ``ingest_per_s``: small sealed submissions stored per second by concurrent uploaders, compared
with the opening-day record of 80,000 registrations in one minute (1,333/s) — ``ingest_ratio_to_record``.
The uploaders share the 2 cores with the server and PostgreSQL, so this is a floor, not a ceiling.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bench._common import emit, log, rss_mb
from kiosk.api_client import ApiClient
from kiosk.envelope import seal
from kiosk.http_transport import HttpTransport
from offline_queue.outbox import Outbox
from offline_queue.policy import RetryPolicy
from offline_queue.sync import SyncEngine
from offline_queue.transport import Delivery
from tests.support.payloads import make_payload
from tests.support.postgres import PostgresCluster

RECORD_PER_S = 80_000 / 60
ADMIN_TOKEN = "surge-admin-" + uuid.uuid4().hex
ADMIN_URLS: dict[str, str] = {}
"""Public URL -> admin listener URL of each API process (the CLI serves admin routes separately)."""
POLICY = RetryPolicy(base_s=1.0, cap_s=20.0, poll_s=5.0, probe_base_s=1.0, probe_cap_s=10.0)
SMALL_PHOTOS = {"ktp.jpg": b"\xff\xd8\xff\xe0" + b"k" * 2000, "selfie.jpg": b"\xff\xd8\xff\xe0" + b"s" * 2000}


@contextmanager
def api_process(base: Path, database_url: str, max_concurrent: int) -> Iterator[str]:
    """The reference API as a real subprocess on a free port; yields its base URL."""
    data_dir = base / f"api-{uuid.uuid4().hex[:6]}"
    err = base / f"{data_dir.name}.log"
    token_file = base / f"{data_dir.name}.admin-token"
    token_file.write_text(ADMIN_TOKEN)
    token_file.chmod(0o600)
    cmd = [
        sys.executable,
        "-m",
        "central_api.cli",
        "--port",
        "0",
        "--data-dir",
        str(data_dir),
        "--database-url",
        database_url,
        "--admin-token-file",
        str(token_file),
        "--admin-port",
        "0",
        "--enrol-rate",
        "0",  # 200 kiosks enrol from this one address
        "--max-concurrent",
        str(max_concurrent),
        "--log-level",
        "warning",
    ]
    with open(err, "wb") as err_file:
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err_file)
    try:
        deadline = time.monotonic() + 60
        while True:
            text = err.read_text(errors="replace")
            match = re.search(r"listening on (http://\S+)", text)
            if match and "admin listening on" in text:
                break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the API did not start: {err.read_text(errors='replace')[-2000:]}")
            time.sleep(0.05)
        admin = re.search(r"admin listening on (http://\S+)", err.read_text(errors="replace"))
        ADMIN_URLS[match.group(1)] = admin.group(1) if admin else match.group(1)
        yield match.group(1)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def enrolment_codes(url: str, count: int) -> list[str]:
    codes: list[str] = []
    while len(codes) < count:
        n = min(100, count - len(codes))
        resp = requests.post(
            ADMIN_URLS.get(url, url) + "/v1/admin/enrolment-codes",
            json={"count": n},
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
            timeout=30,
        )
        resp.raise_for_status()
        codes += resp.json()["codes"]
    return codes


@dataclass
class Kiosk:
    """One simulated kiosk: device, outbox, transport, engine, and what its requests saw."""

    index: int
    client: ApiClient
    key: Ed25519PrivateKey
    outbox: Outbox
    transport: RecordingTransport | None = None
    engine: SyncEngine | None = None
    ids: list[str] = field(default_factory=list)


class RecordingTransport:
    """Wraps the real ``HttpTransport``: times every request and checks it against the last Retry-After."""

    def __init__(self, inner: HttpTransport) -> None:
        self.inner = inner
        self.lock = threading.Lock()
        self.not_before = 0.0
        self.early = 0
        self.statuses: Counter[str] = Counter()
        self.retry_afters: list[float] = []

    def send(self, item_id: str, blob: bytes) -> Delivery:
        started = time.time()
        with self.lock:
            if started < self.not_before:
                self.early += 1
        delivery = self.inner.send(item_id, blob)
        replied = time.time()
        with self.lock:
            self.statuses[str(delivery.status) if delivery.status else delivery.outcome.name] += 1
            if delivery.retry_after is not None:
                self.retry_afters.append(delivery.retry_after)
                self.not_before = max(self.not_before, replied + delivery.retry_after)
        return delivery


def make_kiosk(index: int, url: str, code: str, folder: Path, per_kiosk: int) -> Kiosk:
    key = Ed25519PrivateKey.generate()
    client = ApiClient(url, timeout=30)
    enrolment = client.enrol(code, key, f"surge-{index}")
    kiosk = Kiosk(index, client, key, Outbox(folder / f"kiosk-{index}.sqlite3"))
    for _ in range(per_kiosk):
        sid = str(uuid.uuid4())
        payload = make_payload(submission_id=sid, device_id=enrolment.device_id, photos=SMALL_PHOTOS)
        blob = seal(
            payload,
            SMALL_PHOTOS,
            submission_id=sid,
            device_id=enrolment.device_id,
            device_key=key,
            server_key=enrolment.envelope_key(),
        )
        kiosk.outbox.enqueue(sid, blob, {"kind": "registration"})
        kiosk.ids.append(sid)
    kiosk.transport = RecordingTransport(HttpTransport(url, enrolment.token, min_read_timeout=60))
    kiosk.engine = SyncEngine(kiosk.outbox, kiosk.transport, policy=POLICY)
    return kiosk


def surge(
    pg: PostgresCluster, base: Path, kiosks_n: int, per_kiosk: int, max_concurrent: int
) -> dict[str, object]:
    db_url = pg.new_database_url("surge")
    with api_process(base, db_url, max_concurrent) as url:
        codes = enrolment_codes(url, kiosks_n)
        folder = base / "kiosks"
        folder.mkdir()
        log(f"surge: enrolling {kiosks_n} kiosks and sealing {kiosks_n * per_kiosk} registrations …")
        with ThreadPoolExecutor(8) as pool:
            kiosks = list(
                pool.map(lambda i: make_kiosk(i, url, codes[i], folder, per_kiosk), range(kiosks_n))
            )
        expected = {sid for k in kiosks for sid in k.ids}
        log("surge: all kiosks reconnect now")
        t0 = time.monotonic()
        for k in kiosks:
            assert k.engine is not None
            k.engine.start()
        deadline = t0 + 300
        while time.monotonic() < deadline:
            waiting = sum(k.outbox.stats().waiting for k in kiosks)
            if waiting == 0:
                break
            time.sleep(0.5)
        elapsed = time.monotonic() - t0
        peak_rss = rss_mb()
        for k in kiosks:
            assert k.engine is not None and k.transport is not None
            k.engine.stop(timeout=5)
            k.transport.inner.close()
            k.client.close()
            k.outbox.close()
    with psycopg.connect(db_url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        rows = [r[0] for r in conn.execute("SELECT id FROM submissions").fetchall()]
    counts = Counter(rows)
    statuses: Counter[str] = Counter()
    for k in kiosks:
        assert k.transport is not None
        statuses.update(k.transport.statuses)
    server_errors = sum(
        n for s, n in statuses.items() if (s.isdigit() and int(s) >= 500 and s != "503") or not s.isdigit()
    )
    retry_afters = [ra for k in kiosks if k.transport for ra in k.transport.retry_afters]
    return {
        "kiosks": kiosks_n,
        "registrations": len(expected),
        "delivered": len(expected & set(counts)),
        "duplicates": sum(n - 1 for n in counts.values()) + len(set(counts) - expected),
        "early_retries": sum(k.transport.early for k in kiosks if k.transport),
        "server_errors": server_errors,
        "over_capacity_503": statuses.get("503", 0),
        "retry_after_given_s": sorted(set(retry_afters))[:5],
        "requests": sum(statuses.values()),
        "statuses": dict(statuses),
        "surge_seconds": round(elapsed, 2),
        "client_peak_rss_mb": round(peak_rss, 1),
    }


def ingest_rate(pg: PostgresCluster, base: Path, count: int, uploaders: int) -> dict[str, object]:
    db_url = pg.new_database_url("ingest")
    with api_process(base, db_url, 0) as url:
        key = Ed25519PrivateKey.generate()
        client = ApiClient(url)
        enrolment = client.enrol(enrolment_codes(url, 1)[0], key, "ingest")
        server_key = enrolment.envelope_key()
        blobs = []
        for _ in range(count):
            sid = str(uuid.uuid4())
            payload = make_payload(submission_id=sid, device_id=enrolment.device_id, photos=SMALL_PHOTOS)
            blobs.append(
                (
                    sid,
                    seal(
                        payload,
                        SMALL_PHOTOS,
                        submission_id=sid,
                        device_id=enrolment.device_id,
                        device_key=key,
                        server_key=server_key,
                    ),
                )
            )
        size = sum(len(b) for _, b in blobs) / len(blobs)
        log(f"ingest: {count} sealed submissions of ~{size / 1024:.1f} KiB, {uploaders} uploaders …")
        local = threading.local()
        headers = {"Authorization": f"Bearer {enrolment.token}", "Content-Type": "application/octet-stream"}

        def put(item: tuple[str, bytes]) -> int:
            session = getattr(local, "session", None)
            if session is None:
                session = local.session = requests.Session()
            resp = session.put(f"{url}/v1/submissions/{item[0]}", data=item[1], headers=headers, timeout=60)
            return resp.status_code

        t0 = time.perf_counter()
        with ThreadPoolExecutor(uploaders) as pool:
            codes = Counter(pool.map(put, blobs))
        elapsed = time.perf_counter() - t0
        client.close()
    stored = codes.get(201, 0)
    return {
        "ingest_per_s": round(stored / elapsed, 1),
        "ingest_ratio_to_record": round(stored / elapsed / RECORD_PER_S, 3),
        "ingest_statuses": {str(k): v for k, v in codes.items()},
        "ingest_envelope_bytes": round(size),
        "ingest_uploaders": uploaders,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.surge", description=__doc__.splitlines()[0])
    parser.add_argument("--kiosks", type=int, default=200)
    parser.add_argument("--per-kiosk", type=int, default=10)
    parser.add_argument("--max-concurrent", type=int, default=8)
    parser.add_argument("--ingest", type=int, default=3000, help="submissions for the ingest-rate phase")
    parser.add_argument("--uploaders", type=int, default=16)
    args = parser.parse_args(argv)
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    with (
        tempfile.TemporaryDirectory(prefix="bench-surge-") as tmp,
        PostgresCluster(settings=["max_connections=200"]) as pg,
    ):
        base = Path(tmp)
        result = surge(pg, base, args.kiosks, args.per_kiosk, args.max_concurrent)
        result.update(ingest_rate(pg, base, args.ingest, args.uploaders))
    result["max_concurrent"] = args.max_concurrent
    result["retry_policy"] = {
        "base_s": POLICY.base_s,
        "cap_s": POLICY.cap_s,
        "concurrency": POLICY.concurrency,
    }
    result["record_per_s"] = round(RECORD_PER_S, 1)
    ordered = {
        k: result.pop(k)
        for k in (
            "delivered",
            "duplicates",
            "early_retries",
            "server_errors",
            "ingest_per_s",
            "ingest_ratio_to_record",
        )
    }
    emit({**ordered, **result})
    return 0


if __name__ == "__main__":
    sys.exit(main())
