"""USB import on the kiosk (issue 18, item 16): only envelopes for this kiosk's server, none too big.

Before: non-envelope blobs and a 20 MB item were imported as pending on an unenrolled kiosk.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from kiosk.envelope import MAX_ENVELOPE_BYTES, b64e, raw_public, seal
from kiosk.paths import KioskPaths
from kiosk.queue_import import ImportRefused, import_queue_file, rejected_in_words
from offline_queue.outbox import Outbox
from tests.support.export_items import field_export

SERVER = X25519PrivateKey.generate()
OTHER_SERVER = X25519PrivateKey.generate()
DEVICE = Ed25519PrivateKey.generate()


def _paths(home: Path, enrolled: bool) -> KioskPaths:
    paths = KioskPaths(home / "config", home / "data", home / "log", home / "cache")
    paths.data_dir.mkdir(parents=True)
    if enrolled:
        record = {"format": 1, "server_envelope_key": b64e(raw_public(SERVER.public_key()))}
        (paths.data_dir / "device.json").write_text(json.dumps(record))
    return paths


def _sealed(server: X25519PrivateKey, sid: str | None = None) -> tuple[str, bytes]:
    sid = sid or str(uuid.uuid4())
    blob = seal(
        {"submission_id": sid, "hello": "world"},
        {"ktp.jpg": os.urandom(2000)},
        submission_id=sid,
        device_id="dev-field",
        device_key=DEVICE,
        server_key=server.public_key(),
    )
    return sid, blob


def test_only_envelopes_for_this_server_are_imported(tmp_path: Path) -> None:
    good_id, good = _sealed(SERVER)
    foreign_id, foreign = _sealed(OTHER_SERVER)
    replayed_id = str(uuid.uuid4())
    _, replayed = _sealed(SERVER)  # a real envelope put under another id
    junk_id = str(uuid.uuid4())
    huge_id = str(uuid.uuid4())
    stick = field_export(
        tmp_path,
        [
            (good_id, good),
            (foreign_id, foreign),
            (replayed_id, replayed),
            (junk_id, b"not an envelope at all"),
            (huge_id, b"PKE1" + os.urandom(MAX_ENVELOPE_BYTES + 1)),
        ],
    )
    paths = _paths(tmp_path / "office", enrolled=True)
    with Outbox(paths.outbox_file) as office:
        report = import_queue_file(office, stick, paths)
        assert report.imported == [good_id]
        reasons = dict(report.rejected)
        assert set(reasons) == {foreign_id, replayed_id, junk_id, huge_id}
        assert "another server" in reasons[foreign_id]
        assert "envelope_id_mismatch" in reasons[replayed_id]
        assert "envelope_malformed" in reasons[junk_id]
        assert "too large" in reasons[huge_id]
        assert [i.id for i in office.items()] == [good_id]
        words = rejected_in_words(report)
        assert "4" in words.id and "Ditolak" in words.id and "Refused" in words.en


def test_an_unenrolled_kiosk_imports_nothing(tmp_path: Path) -> None:
    sid, blob = _sealed(SERVER)
    stick = field_export(tmp_path, [(sid, blob)])
    paths = _paths(tmp_path / "office", enrolled=False)
    with Outbox(paths.outbox_file) as office:
        with pytest.raises(ImportRefused) as info:
            import_queue_file(office, stick, paths)
        assert "not enrolled" in info.value.message.en and "belum terdaftar" in info.value.message.id
        assert office.items() == []
