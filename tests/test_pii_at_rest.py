"""Personal data at rest: 50 registrations through the real wizard leave no personal value on disk.

The wizard is the real one (``ui.app.KioskShell`` + ``ui.controller.WizardController``, real screens,
typed with Qt key events, photos imported through the photo screens, sealed by the runtime into the
real outbox, delivered by the real sync engine to a live reference API). Each registration uses
distinct, recognisable values (``tests.support.applicants.applicant_values``). Logging is on at DEBUG
into the kiosk's log dir and ``TMPDIR`` points at a fresh dir for the test.

Then every file under the kiosk home (config, data, outbox, log, cache), the temp dir and the log dir
is read and searched for each NIK, name, phone, e-mail and mother's name: as UTF-8, UTF-16-LE/BE,
base64 of those (at every byte alignment) and URL-encoded. Expected hits: 0.

The reference API's own data dir is outside the searched dirs on purpose: it is the central system,
which receives the data by design.
"""

from __future__ import annotations

import base64
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.flow import Step
from kiosk.logging_setup import setup_logging, shutdown_logging
from kiosk.paths import kiosk_paths
from offline_queue.outbox import DELIVERED
from tests.support.applicants import applicant_values
from tests.support.live_api import LiveApi
from tests.support.wizard_driver import config, enrolled_runtime, register
from ui.app import GuiOptions, KioskShell, create_application
from ui.controller import WizardController
from ui.worker import wait_for_background_work

REGISTRATIONS = int(os.environ.get("PII_REGISTRATIONS", "50"))
LEFT = Qt.MouseButton.LeftButton

pytestmark = pytest.mark.slow


def _secrets(index: int) -> dict[str, str]:
    v = applicant_values(index)
    phone = str(v[Step.CONTACT]["phone"])
    return {
        "nik": str(v[Step.IDENTITY]["nik"]),
        "full_name": str(v[Step.PERSONAL]["full_name"]),
        "mother": str(v[Step.PERSONAL]["mother_maiden_name"]),
        "phone": phone,
        "phone_nsn": phone.lstrip("0"),  # the national number, inside +62… as well
        "email": str(v[Step.CONTACT]["email"]),
    }


def _b64_fragments(data: bytes) -> list[bytes]:
    """The base64 characters fully determined by ``data`` when it starts at byte offset 0, 1 or 2."""
    out = []
    for shift in range(3):
        encoded = base64.b64encode(b"\0" * shift + data)
        first_group = -(-shift // 3)
        last_group = (shift + len(data)) // 3
        fragment = encoded[first_group * 4 : last_group * 4]
        if len(fragment) >= 8:
            out.append(fragment)
    return out


def encodings(value: str) -> dict[str, list[bytes]]:
    forms: dict[str, list[bytes]] = {
        "utf-8": [value.encode()],
        "utf-16-le": [value.encode("utf-16-le")],
        "utf-16-be": [value.encode("utf-16-be")],
        "url": sorted({quote(value).encode(), quote_plus(value).encode()}),
    }
    for name in ("utf-8", "utf-16-le", "utf-16-be"):
        forms[f"base64({name})"] = [f for raw in forms[name] for f in _b64_fragments(raw)]
    return forms


def scan(roots: list[Path], values: dict[str, str]) -> list[str]:
    """Every (file, value, encoding) where a value is found; the files searched are listed too."""
    needles = [(label, enc, n) for label, v in values.items() for enc, ns in encodings(v).items() for n in ns]
    hits = []
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            data = path.read_bytes()
            for label, enc, needle in needles:
                if needle in data:
                    hits.append(f"{path}: {label} as {enc}")
    return hits


def test_scanner_finds_what_it_looks_for(tmp_path: Path) -> None:
    """Guard against a scanner that can never fail."""
    value = "BUDI UJICOBA ZZ"
    for i, (_enc, needles) in enumerate(encodings(value).items()):
        (tmp_path / f"f{i}").write_bytes(b"xx" + needles[0] + b"yy")
    (tmp_path / "b64").write_bytes(base64.b64encode(b"a" + value.encode("utf-16-le")))
    hits = scan([tmp_path], {"name": value})
    assert len(hits) >= len(encodings(value)) + 1


@pytest.fixture
def fresh_tmpdir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("tmpdir")
    monkeypatch.setenv("TMPDIR", str(path))
    monkeypatch.setattr(tempfile, "tempdir", None)  # re-read TMPDIR
    assert tempfile.gettempdir() == str(path)
    yield path
    tempfile.tempdir = None


def test_fifty_registrations_leave_no_personal_data_at_rest(
    qtbot: QtBot, live_api: LiveApi, fresh_tmpdir: Path, isolated_home: Path, tmp_path: Path
) -> None:
    paths = kiosk_paths().ensure()
    setup_logging(paths.log_dir, level="DEBUG")
    runtime = enrolled_runtime(live_api, label="pii-at-rest")
    shell = KioskShell(create_application(), GuiOptions(windowed=True), speech_engines=[])
    qtbot.addWidget(shell.window)
    receipts = tmp_path / "receipts"
    ctl = WizardController(
        shell.window, shell.welcome, shell.languages, runtime, config=config(), receipt_dir=receipts
    )
    shell.window.resize(1024, 600)
    shell.window.show()
    photos = tmp_path / "photo-source"  # stands for the camera: outside the searched dirs
    photos.mkdir()
    try:
        references = [
            register(qtbot, shell, ctl, i, photos, end="idle" if i % 5 == 4 else "done")
            for i in range(REGISTRATIONS)
        ]
        assert len(set(references)) == REGISTRATIONS
        qtbot.waitUntil(
            lambda: sum(1 for i in runtime.outbox.items() if i.state == DELIVERED) == REGISTRATIONS,
            timeout=30000,
        )
    finally:
        ctl.shutdown()
        wait_for_background_work(3000)
        runtime.close()
        shutdown_logging()

    # The values really were typed in and travelled: the central system holds them (a scan that finds
    # nothing because nothing was entered would prove nothing).
    central = " ".join(str(r[0]) for r in live_api.sql("SELECT payload_json FROM submissions"))
    for i in (0, REGISTRATIONS - 1):
        assert _secrets(i)["nik"] in central and _secrets(i)["mother"] in central

    roots = [isolated_home, fresh_tmpdir, paths.log_dir, paths.data_dir]
    files = [p for r in roots for p in r.rglob("*") if p.is_file()]
    assert any(p.suffix.startswith(".sqlite") or "outbox" in p.name for p in files), files
    assert (paths.log_dir).exists() and any(paths.log_dir.iterdir())
    secrets: dict[str, str] = {}
    for i in range(REGISTRATIONS):
        secrets.update({f"{k}#{i}": v for k, v in _secrets(i).items()})
    hits = scan(list({str(r): r for r in roots}.values()), secrets)
    assert hits == [], "personal data found at rest:\n" + "\n".join(hits[:50])
    assert os.listdir(fresh_tmpdir) == [] or all(not n.endswith(".jpg") for n in os.listdir(fresh_tmpdir))
