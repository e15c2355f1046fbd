"""The wizard hands the typed NIK to the KTP camera: a KTP photo is kept only when its NIK reads the same."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from kiosk.config import KioskConfig
from kiosk.flow import Step
from ui.app import GuiOptions, KioskShell, create_application
from ui.controller import WizardController


def test_ktp_step_expects_the_typed_nik(qtbot: QtBot, tmp_path: Path) -> None:
    shell = KioskShell(create_application(), GuiOptions(windowed=True), speech_engines=[])
    qtbot.addWidget(shell.window)
    ctl = WizardController(
        shell.window,
        shell.welcome,
        shell.languages,
        None,
        config=KioskConfig(),
        receipt_dir=tmp_path / "receipts",
        camera=True,
        demo=True,
    )
    try:
        view = ctl.ktp_photo.camera_view
        assert view is not None
        assert view.analyser.expected_nik is None
        ctl.flow.applicant.nik = "3174015708900001"
        ctl._show_step(Step.PROFILE, Step.KTP_PHOTO)
        assert view.analyser.expected_nik == "3174015708900001"
    finally:
        ctl.shutdown()
