#!/usr/bin/env python3
"""Render the operator console's pages into docs/screens/console_*.png (both sizes, both languages).

Why a real set-up rather than hand-filled widgets: the pictures must show what the console really
shows — a temporary reference API on 127.0.0.1, a kiosk enrolled in a temporary PRAKERJA_KIOSK_HOME,
fake registrations sealed through the real flow, one refused by the server (needs attention), some
delivered, one waiting — so wording, numbers and layout are checked together.

    .venv/bin/python scripts/console_screenshots.py [--out docs/screens]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SIZES = ((1366, 768), (1024, 600))
LANGUAGES = ("id", "en")
PAGES = ("dashboard", "attention", "status", "fieldwork", "settings", "maintenance")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screens")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="console-shots-") as tmp:
        os.environ["PRAKERJA_KIOSK_HOME"] = str(Path(tmp) / "home")
        os.environ["PRAKERJA_KIOSK_KEYRING"] = "off"
        os.environ["PRAKERJA_KIOSK_ALLOW_KEY_FILE"] = "1"  # a throwaway home: no passphrase prompt
        written = render(Path(tmp), args.out)
    print("\n".join(str(p) for p in written))
    return 0


def render(tmp: Path, out: Path) -> list[Path]:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication

    from kiosk import device as device_store
    from kiosk.api_client import ApiClient
    from kiosk.config import KioskConfig
    from kiosk.flow import Flow
    from kiosk.runtime import KioskRuntime
    from tests.support.applicants import fill_flow
    from tests.support.live_api import LiveApi
    from ui.app import create_application
    from ui.console.controller import ConsoleController
    from ui.i18n import LanguageManager
    from ui.main_window import MainWindow
    from ui.screens.welcome import WelcomeScreen
    from ui.worker import wait_for_background_work

    api = LiveApi(tmp / "api")
    runtime = None
    try:
        with ApiClient(api.url) as client:
            device_store.enrol(client, api.create_enrolment_code())
        api.create_operator("sari", "246810", "supervisor", display_name="Sari Supervisor")
        runtime = KioskRuntime.open(KioskConfig(), start_sync=False)
        sealed = []
        for index in range(4):
            flow = Flow(online=False)
            fill_flow(flow, index=index)
            sealed.append(runtime.seal_and_enqueue(flow))
        other = api.enrol_device("other")
        sid, blob = api.seal_submission(other, submission_id=sealed[0].submission_id)
        api.put_submission(other, sid, blob)
        assert runtime.engine is not None
        runtime.engine.drain()
        api.set_submission_status(sealed[1].submission_id, "rejected", reason_code="ktp_photo_unclear")
        flow = Flow(online=False)
        fill_flow(flow, index=9)
        runtime.seal_and_enqueue(flow)
        runtime.online = True

        app = create_application()
        languages = LanguageManager(app)
        window = MainWindow()
        window.add_screen(WelcomeScreen())
        console = ConsoleController(window, runtime, languages, kiosk_mode=False, purge_on_start=False)
        window.show()
        window.set_queue_status(runtime.queue_stats().waiting, True)
        login = console.auth.login("sari", "246810")
        console._logged_in(login)
        out.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []

        def settle() -> None:
            for _ in range(20):
                wait_for_background_work(3000)
                app.processEvents()

        for language in LANGUAGES:
            languages.set_language(language)
            console.screen.status.reference.setText(sealed[1].reference)
            console.check_status(sealed[1].reference)
            console.screen.fieldwork.set_result(
                console.tr("%n pendaftaran diekspor ke %1.", "", 2).replace(
                    "%1", "/media/petugas/USB/prakerja.oqx"
                )
            )
            settle()
            for name in (*PAGES, "login"):
                if name == "login":
                    console.screen.show_page("dashboard")
                    console.login_dialog.start()
                    console.login_dialog.username.setText("sari")
                else:
                    console.login_dialog.hide()
                    console.screen.show_page(name)
                    if name == "attention":
                        console.screen.attention.table.selectRow(0)
                settle()
                for width, height in SIZES:
                    window.setMinimumSize(1, 1)
                    window.resize(width, height)
                    if name == "login":
                        console.login_dialog.resize(min(width - 40, 980), min(height - 40, 560))
                    settle()
                    path = out / f"console_{name}_{language}_{width}.png"
                    target = console.login_dialog if name == "login" else window
                    # 256-colour PNG like scripts/screenshots.py: UI flats compress ~5x with no visible loss.
                    image = (
                        target.grab()
                        .toImage()
                        .convertToFormat(
                            QImage.Format.Format_Indexed8,
                            Qt.ImageConversionFlag.ThresholdDither | Qt.ImageConversionFlag.AvoidDither,
                        )
                    )
                    if not image.save(str(path), "PNG", 9):
                        raise SystemExit(f"console_screenshots: cannot write {path}")
                    written.append(path)
        console.login_dialog.hide()
        console.shutdown()
        wait_for_background_work(3000)
        QApplication.processEvents()
        return written
    finally:
        if runtime is not None:
            runtime.close()
        api.stop()


if __name__ == "__main__":
    raise SystemExit(main())
