"""Memory soak: 200 scripted sessions through the real wizard in one process; does the kiosk grow?

``python -m bench.soak [--sessions 200] [--warmup 10]``

Each session walks the real screens (``ui.controller.WizardController`` in a ``ui.app.KioskShell``,
offscreen) with ``tests.support.wizard_driver.register``: contact, OTP deferred, identity, personal
data, address, profile, both photos imported from the demo media in ``resources/demo`` (the photo
screens compress them with ``kiosk.imaging``), declaration, review, sealing into the real outbox, the
receipt — and then the session is left alone until the idle watchdog warns and wipes it. The sync
engine delivers in the background to a reference API running as a separate process (so its memory is
not counted). Every applicant has distinct values (``tests.support.applicants``).

RSS is sampled after every session. ``rss_start_mb`` is taken after ``--warmup`` sessions (one-time
costs: lazy imports, Qt's font and style caches, the region table), ``rss_end_mb`` after the last one,
both after a ``gc.collect()``; ``peak_mb`` is the largest sample. Target: ``growth_mb`` <= 15.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=10)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-soak-") as tmp:
        base = Path(tmp)
        os.environ["PRAKERJA_KIOSK_HOME"] = str(base / "kiosk-home")
        return _run(base, args.sessions, args.warmup)


def _run(base: Path, sessions: int, warmup: int) -> int:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from bench._common import emit, log, rss_mb
    from bench.surge import api_process, enrolment_codes
    from kiosk.api_client import ApiClient
    from kiosk.device import DeviceIdentity
    from kiosk.flow import Step
    from kiosk.runtime import KioskRuntime
    from offline_queue.outbox import DELIVERED
    from tests.support.wizard_driver import PlainBot, config, register
    from ui.app import GuiOptions, KioskShell, create_application
    from ui.controller import WizardController
    from ui.worker import wait_for_background_work

    demo = Path(__file__).resolve().parents[1] / "resources" / "demo"
    photo_files = {
        Step.KTP_PHOTO: demo / "ktp_specimen.jpg",
        Step.SELFIE: demo / "portrait_eileen_collins.jpg",
    }
    app = create_application()  # first, as in the kiosk: it caps malloc arenas before threads start
    with api_process(base, f"sqlite:///{base / 'central.sqlite3'}", 0) as url:
        key = Ed25519PrivateKey.generate()
        with ApiClient(url) as client:
            enrolment = client.enrol(enrolment_codes(url, 1)[0], key, "soak")
        identity = DeviceIdentity(
            device_id=enrolment.device_id,
            api_url=url,
            token=enrolment.token,
            token_expires_at=None,
            signing_key=key,
            server_envelope_key=enrolment.envelope_key(),
            server_signing_key=enrolment.signing_key(),
            enrolled_at=dt.datetime.now(dt.UTC),
            storage="encrypted-file",
        )
        cfg = config()
        runtime = KioskRuntime.open(cfg, device=identity)
        shell = KioskShell(app, GuiOptions(windowed=True), speech_engines=[])
        ctl = WizardController(
            shell.window, shell.welcome, shell.languages, runtime, config=cfg, receipt_dir=base / "receipts"
        )
        shell.window.resize(1024, 600)
        shell.window.show()
        bot = PlainBot()
        samples: list[float] = []
        start_mb = 0.0
        t0 = time.monotonic()
        try:
            for i in range(sessions):
                register(bot, shell, ctl, i, base, photo_files=photo_files, end="idle")
                samples.append(rss_mb())
                if i + 1 == warmup:
                    gc.collect()
                    wait_for_background_work(3000)  # the wipe's memory release included
                    start_mb = rss_mb()
                if (i + 1) % 25 == 0:
                    log(f"soak: {i + 1} sessions, {samples[-1]:.1f} MiB")
            gc.collect()
            wait_for_background_work(3000)
            end_mb = rss_mb()
            elapsed = time.monotonic() - t0
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                delivered = sum(1 for item in runtime.outbox.items() if item.state == DELIVERED)
                if delivered == sessions:
                    break
                app.processEvents()
                time.sleep(0.1)
        finally:
            ctl.shutdown()
            wait_for_background_work(3000)
            runtime.close()
    emit(
        {
            "rss_start_mb": round(start_mb, 1),
            "rss_end_mb": round(end_mb, 1),
            "growth_mb": round(end_mb - start_mb, 1),
            "peak_mb": round(max(samples), 1),
            "sessions": sessions,
            "warmup_sessions": warmup,
            "rss_after_first_session_mb": round(samples[0], 1),
            "delivered": delivered,
            "seconds": round(elapsed, 1),
            "path": "real wizard (ui.controller) driven by Qt key/mouse events; idle-watchdog wipe",
            "target_growth_mb": 15,
        }
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
