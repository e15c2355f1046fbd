"""GUI responsiveness: the longest gap of a heartbeat timer on the GUI thread under the kiosk's real load.

``python -m bench.stall [--interval-ms 5] [--baseline-s 3] [--items 20]``

A ``QTimer`` on the GUI thread fires every ``interval`` ms and records how late each beat is. Two
phases in the same process:

- baseline: the window with the camera view shown, nothing running;
- load: the camera view plays the demo clip (``ui.camera.demo.demo_source``) through the real frame
  analyser, auto-capturing (and compressing) a photo, retaking, capturing again…, while the real sync
  engine (``offline_queue.sync.SyncEngine`` with ``kiosk.http_transport.HttpTransport``) drains 20
  sealed registrations (photos from ``resources/demo``) to a live reference API. The API runs as a
  separate process, as the real central system would.

A stall is how much later than scheduled a beat fires. Keys: ``max_stall_ms``, ``p99_stall_ms`` (load)
and ``baseline_max_stall_ms``, ``baseline_p99_stall_ms``. Target: ``max_stall_ms`` <= 50.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from bench._common import emit, log, percentile
from bench.surge import api_process, enrolment_codes
from kiosk.api_client import ApiClient
from kiosk.envelope import seal
from kiosk.http_transport import HttpTransport
from kiosk.imaging.analysis import PhotoKind
from offline_queue.events import ItemDelivered
from offline_queue.outbox import Outbox
from offline_queue.policy import RetryPolicy
from offline_queue.sync import SyncEngine
from tests.support.payloads import make_payload
from ui.camera.demo import demo_source
from ui.camera.view import CameraView

DEMO = Path(__file__).resolve().parents[1] / "resources" / "demo"


class Heartbeat:
    """Records how late each beat of a precise timer fires."""

    def __init__(self, interval_ms: int) -> None:
        self.interval = interval_ms / 1000
        self.stalls_ms: list[float] = []
        self._last = 0.0
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._beat)

    def start(self) -> None:
        self.stalls_ms = []
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> list[float]:
        self.timer.stop()
        return self.stalls_ms

    def _beat(self) -> None:
        now = time.perf_counter()
        self.stalls_ms.append(max(0.0, (now - self._last - self.interval) * 1000))
        self._last = now


def run_for(app: QApplication, seconds: float, until: object = None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        if callable(until) and until():
            return
        time.sleep(0.001)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.stall", description=__doc__.splitlines()[0])
    parser.add_argument("--interval-ms", type=int, default=5)
    parser.add_argument("--baseline-s", type=float, default=3.0)
    parser.add_argument("--min-load-s", type=float, default=5.0)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument(
        "--only", choices=["camera", "sync"], help="diagnosis: run one of the two loads alone"
    )
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    photos = {
        "ktp.jpg": (DEMO / "ktp_specimen.jpg").read_bytes(),
        "selfie.jpg": (DEMO / "portrait_eileen_collins.jpg").read_bytes(),
    }
    with tempfile.TemporaryDirectory(prefix="bench-stall-") as tmp:
        base = Path(tmp)
        with api_process(base, f"sqlite:///{base / 'central.sqlite3'}", 0) as url:
            key = Ed25519PrivateKey.generate()
            client = ApiClient(url)
            enrolment = client.enrol(enrolment_codes(url, 1)[0], key, "stall")
            outbox = Outbox(base / "outbox.sqlite3")
            for _ in range(args.items):
                sid = str(uuid.uuid4())
                payload = make_payload(submission_id=sid, device_id=enrolment.device_id, photos=photos)
                blob = seal(
                    payload,
                    photos,
                    submission_id=sid,
                    device_id=enrolment.device_id,
                    device_key=key,
                    server_key=enrolment.envelope_key(),
                )
                outbox.enqueue(sid, blob, {"kind": "registration"})
            transport = HttpTransport(url, enrolment.token)
            delivered = threading.Event()
            count = [0]

            def on_event(event: object) -> None:
                if isinstance(event, ItemDelivered):
                    count[0] += 1
                    if count[0] >= args.items:
                        delivered.set()

            engine = SyncEngine(
                outbox, transport, on_event=on_event, policy=RetryPolicy(base_s=0.5, cap_s=5.0)
            )

            view = CameraView(PhotoKind.KTP)
            view.resize(1024, 600)
            view.set_source(demo_source(PhotoKind.KTP, view))
            captures = 0

            def on_captured(_jpeg: bytes) -> None:
                nonlocal captures
                captures += 1
                QTimer.singleShot(50, view.retake)  # keep the analysis running for the whole phase

            view.captured.connect(on_captured)
            view.show()
            run_for(app, 0.5)

            beat = Heartbeat(args.interval_ms)
            log("stall: baseline (idle window) …")
            beat.start()
            run_for(app, args.baseline_s)
            baseline = beat.stop()

            log(f"stall: load (camera analysis + draining {args.items} registrations) …")
            beat.start()
            t0 = time.monotonic()
            if args.only != "sync":
                view.start()
            if args.only != "camera":
                engine.start()
            # Completion is counted from the engine's own events (its thread), not by querying the outbox
            # from the GUI thread: such a query would wait on the engine's fsync and be a stall of ours.
            run_for(
                app,
                120,
                until=lambda: (
                    (delivered.is_set() or args.only == "camera") and time.monotonic() - t0 > args.min_load_s
                ),
            )
            load = beat.stop()
            load_s = time.monotonic() - t0
            drained = outbox.stats().waiting == 0
            engine.stop(timeout=5)
            view.shutdown()
            transport.close()
            client.close()
            outbox.close()
    emit(
        {
            "max_stall_ms": round(max(load), 1),
            "p99_stall_ms": round(percentile(load, 99), 2),
            "baseline_max_stall_ms": round(max(baseline), 1),
            "baseline_p99_stall_ms": round(percentile(baseline, 99), 2),
            "beats": len(load),
            "interval_ms": args.interval_ms,
            "load_seconds": round(load_s, 2),
            "registrations_drained": drained,
            "registrations": args.items,
            "envelope_kib": round(sum(len(p) for p in photos.values()) / 1024),
            "photos_captured": captures,
            "load": args.only or "camera+sync",
            "target_max_stall_ms": 50,
        }
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
