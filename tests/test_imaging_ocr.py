"""On-device NIK reading (kiosk.imaging.legible, RapidOCR's recogniser) and the capture gate in the
camera worker: a KTP photo is kept only with 16 legible digits that agree with the typed NIK; the OCR
is never imported before it is needed."""

from __future__ import annotations

import os
import random
import subprocess
import sys

import pytest
from pytestqt.qtbot import QtBot

from kiosk.imaging.analysis import PhotoKind, analyse_ktp
from kiosk.imaging.card import find_card, flatten_card
from kiosk.imaging.guidance import MESSAGES, Guidance
from kiosk.imaging.legible import (
    NikReading,
    NikVerdict,
    check_nik,
    nik_from_text,
    plausible_nik,
    shared_reader,
)
from tests.support import ktp_scenes as K
from tests.support.fresh_imports import loaded_by_import
from ui.camera.analyser import RejectedCapture
from ui.camera.view import CameraView


def _scenes(condition: str, count: int, seed: int) -> list[K.Scene]:
    rng = random.Random(seed)
    return [K.ktp_scene(condition, rng) for _ in range(count)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NIK :3174015708900001", "3174015708900001"),
        ("NIK : 3174 0157 0890 0001", "3174015708900001"),
        ("NIK:31740I57O89OOOO1", "3174015708900001"),  # I/O read for 1/0
        ("NIK :317401570890001", None),  # 15 digits: never a guess
        ("NIK :31740157089000012", None),
        ("NIK :3174015708 90 0001 7", None),  # more digits than one NIK
        ("", None),
        ("Nama : SITI", None),
    ],
)
def test_nik_from_text(text: str, expected: str | None) -> None:
    assert nik_from_text(text) == expected


def test_plausible_and_check() -> None:
    assert plausible_nik("3174015708900001") and plausible_nik("3174015708900001".replace("57", "17"))
    assert not plausible_nik("3174019908900001")  # day 99
    assert not plausible_nik("3174015713900001")  # month 13
    assert not plausible_nik("3174015708900000")  # serial 0000
    reading = NikReading("3174015708900001", 0.98, 0.01)
    assert check_nik(reading, None) is NikVerdict.OK
    assert check_nik(reading, "3174015708900001") is NikVerdict.OK
    assert check_nik(reading, "3174015708900002") is NikVerdict.MISMATCH
    assert check_nik(NikReading(None, 0.5, 0.01), None) is NikVerdict.UNREADABLE
    assert "3174" not in repr(reading)  # never in a log line


@pytest.mark.parametrize("condition", ["wood", "white_desk", "thumb_corner", "dim"])
def test_legible_nik_is_read_exactly(condition: str) -> None:
    reader = shared_reader()
    for scene in _scenes(condition, 3, 4100 + len(condition)):
        result = find_card(scene.frame)
        assert result.corners is not None
        reading = reader.read_nik(flatten_card(scene.frame, result.corners))
        assert reading.nik == scene.data.nik


@pytest.mark.parametrize("condition", ["thumb_nik", "glare_nik", "motion_blur", "defocus"])
def test_covered_or_smeared_nik_is_never_read_as_16_digits(condition: str) -> None:
    reader = shared_reader()
    for scene in _scenes(condition, 3, 4200 + len(condition)):
        result = find_card(scene.frame)
        if result.corners is None:
            continue
        assert reader.read_nik(flatten_card(scene.frame, result.corners)).nik is None


def _view(qtbot: QtBot) -> CameraView:
    view = CameraView(PhotoKind.KTP)
    qtbot.addWidget(view)
    return view


def test_capture_with_a_thumb_over_the_nik_is_refused_with_words(qtbot: QtBot) -> None:
    scene = _scenes("thumb_nik", 1, 77)[0]
    view = _view(qtbot)
    try:
        kept: list[bytes] = []
        view.captured.connect(kept.append)
        with qtbot.waitSignal(view.analyser.rejected, timeout=20_000) as blocker:
            view.analyser.request_capture(scene.frame, analyse_ktp(scene.frame))
        assert isinstance(blocker.args[0], RejectedCapture)
        assert blocker.args[0].reason is Guidance.NIK_UNREADABLE
        qtbot.waitUntil(lambda: view.guidance_text() == MESSAGES[Guidance.NIK_UNREADABLE].id, timeout=5_000)
        assert view.photo is None and kept == []
        assert view.capture_button.isEnabled()
    finally:
        view.shutdown()


def test_capture_keeps_a_legible_nik_only_when_it_matches_the_typed_one(qtbot: QtBot) -> None:
    scene = _scenes("wood", 1, 78)[0]
    view = _view(qtbot)
    try:
        wrong = scene.data.nik[:-1] + ("1" if scene.data.nik[-1] != "1" else "2")
        view.set_expected_nik(wrong)
        with qtbot.waitSignal(view.analyser.rejected, timeout=20_000) as blocker:
            view.analyser.request_capture(scene.frame, None)
        assert blocker.args[0].reason is Guidance.NIK_MISMATCH
        view.set_expected_nik(scene.data.nik)
        with qtbot.waitSignal(view.captured, timeout=20_000):
            view.analyser.request_capture(scene.frame, None)
        assert view.last_capture is not None
        assert view.last_capture.nik == scene.data.nik and view.last_capture.nik_checked
        assert scene.data.nik not in repr(view.last_capture)
    finally:
        view.shutdown()


def test_ocr_is_not_loaded_at_start_up() -> None:
    """The OCR (~0.6 s, ~60 MB) must not slow the welcome screen or the camera step's first frame."""
    loaded = loaded_by_import(
        ["ui.app", "kiosk.imaging.analysis", "kiosk.imaging.legible", "ui.camera.view"],
        ["rapidocr", "onnxruntime"],
    )
    assert loaded == []


def test_reading_writes_nothing_to_the_temp_dir(tmp_path: os.PathLike[str]) -> None:
    """onnxruntime ≥ 1.29 writes a telemetry session file on import; the pinned version must not."""
    code = (
        "import numpy as np; from kiosk.imaging.legible import NikReader; "
        "from kiosk.imaging.specimen import render_specimen; "
        "print(NikReader().read_nik(render_specimen()).nik is not None)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "TMPDIR": str(tmp_path), "TEMP": str(tmp_path), "TMP": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stdout.strip() == "True", result.stderr
    assert list(os.scandir(tmp_path)) == []


def test_a_broken_ocr_install_is_reported_once_not_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.imaging.legible import NikReader, OcrUnavailable
    from kiosk.imaging.specimen import render_specimen

    monkeypatch.setitem(sys.modules, "rapidocr", None)  # the import now fails, as in a broken bundle
    reader = NikReader()
    with pytest.raises(OcrUnavailable):
        reader.read_nik(render_specimen())
    assert reader.unavailable and not reader.loaded
    monkeypatch.delitem(sys.modules, "rapidocr")
    with pytest.raises(OcrUnavailable):  # not retried on every frame
        reader.warm_up()


def test_parse_fields_from_rows() -> None:
    from kiosk.imaging.legible import parse_fields

    lines = [
        (25.0, 100.0, 30.0, "NIK :3174015708900001"),
        (26.0, 160.0, 18.0, "Nama"),
        (204.0, 161.0, 18.0, ": SITI AMINAH"),
        (27.0, 190.0, 18.0, "Tempat/Tgl Lahir"),
        (200.0, 190.0, 18.0, ":JAKARTA,17-08-1990"),
        (27.0, 220.0, 18.0, "Jenis Kelamin"),
        (202.0, 219.0, 18.0, ": PEREMPUAN"),
        (27.0, 249.0, 18.0, "Alamat : JL. MAWAR NO. 12"),
        (27.0, 276.0, 18.0, "RT/RW"),
        (202.0, 276.0, 18.0, ":O01/0O2"),
        (27.0, 304.0, 18.0, "Kel/Desa"),
        (204.0, 305.0, 18.0, ": SUKAMAJU"),
        (27.0, 335.0, 18.0, "Kecamatan"),
        (213.0, 335.0, 18.0, "TEBET"),
        (675.0, 444.0, 18.0, "JAKARTA"),  # under the portrait: not a field
    ]
    assert parse_fields(lines, 856.0) == {
        "name": "SITI AMINAH",
        "birth_place": "JAKARTA",
        "birth_date": "17-08-1990",
        "sex": "PEREMPUAN",
        "address": "JL. MAWAR NO. 12",
        "rt_rw": "001/002",
        "village": "SUKAMAJU",
        "district": "TEBET",
    }


def test_fields_are_read_off_a_generated_card() -> None:
    from kiosk.imaging.legible import read_fields

    scene = _scenes("white_desk", 1, 4300)[0]
    result = find_card(scene.frame)
    assert result.corners is not None
    fields = read_fields(flatten_card(scene.frame, result.corners))
    truth = scene.data.fields()
    exact = sum(fields.values.get(name) == truth[name] for name in truth if name != "nik")
    assert exact >= 7, fields.values  # one slip allowed; the person checks every field anyway
    assert scene.data.name not in repr(fields)
