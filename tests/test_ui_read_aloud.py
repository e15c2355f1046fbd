"""Read-aloud ("Bacakan") in Bahasa Indonesia with the real engine and voice (issue 16).

Runs against speech-dispatcher + espeak-ng where they are installed (Debian packages
``speech-dispatcher``, ``speech-dispatcher-espeak-ng``, ``espeak-ng``); elsewhere each test is skipped
and says why. Actually producing sound needs an audio device: without one speech-dispatcher's output
module blocks on the sound server, so the test that speaks is skipped there too (with that reason).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, Qt
from pytestqt.qtbot import QtBot

from ui.app import GuiOptions, KioskShell, create_application
from ui.controller import WizardController
from ui.worker import wait_for_background_work

INSTALL = "install speech-dispatcher, speech-dispatcher-espeak-ng and espeak-ng"


def _indonesian_engine() -> tuple[str | None, str]:
    """The first engine with an Indonesian voice, or None and why not (in the skip reason).

    Tried three times a second apart: speech-dispatcher is started on demand for each test's own home,
    and on a loaded machine its first answer can come after the engine has already reported an error.
    """
    import time

    from PySide6.QtTextToSpeech import QTextToSpeech

    from ui.widgets.read_aloud import speech_engines

    create_application()
    why = f"no engine at all ({INSTALL})"
    for attempt in range(3):
        if attempt:
            time.sleep(1.0)
        for name in speech_engines():
            engine = QTextToSpeech(name)
            try:
                if engine.state() == QTextToSpeech.State.Error:
                    why = f"{name}: {engine.errorString() or 'error'}"
                elif any(loc.language() == QLocale.Language.Indonesian for loc in engine.availableLocales()):
                    return name, ""
                else:
                    why = f"{name} has no Indonesian voice ({INSTALL})"
            finally:
                engine.deleteLater()
    return None, why


def _has_audio_device() -> bool:
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    return (
        Path("/dev/snd").exists()
        or bool(os.environ.get("PULSE_SERVER"))
        or (bool(runtime) and Path(runtime, "pulse", "native").exists())
    )


@pytest.fixture
def voiced(qtbot: QtBot) -> Iterator[tuple[KioskShell, WizardController]]:
    engine, why = _indonesian_engine()
    if engine is None:
        pytest.skip(f"no text-to-speech engine with an Indonesian voice here: {why}")
    shell = KioskShell(create_application(), GuiOptions(windowed=True), speech_engines=[engine])
    qtbot.addWidget(shell.window)
    ctl = WizardController(shell.window, shell.welcome, shell.languages, None)
    shell.window.show()
    yield shell, ctl
    ctl.shutdown()
    wait_for_background_work(3000)


def test_bacakan_offers_the_real_indonesian_voice_and_reads_question_and_error_summary(
    qtbot: QtBot, voiced: tuple[KioskShell, WizardController]
) -> None:
    shell, ctl = voiced
    shell.languages.set_language("id")
    button = shell.window.read_aloud_button
    assert button.available() and button.isVisible()  # shown on Indonesian screens
    speaker = button._speaker
    assert speaker is not None and speaker.locale().language() == QLocale.Language.Indonesian
    assert "indonesian" in speaker.voice().name().lower() or speaker.voice().locale().language() == (
        QLocale.Language.Indonesian
    )
    # The contact step with no method chosen: what "Bacakan" reads is the step, the question and the
    # error summary, in Bahasa Indonesia.
    ctl.start()
    qtbot.mouseClick(ctl.contact.next_button, Qt.MouseButton.LeftButton)
    text = shell.window._current_spoken_text()
    assert text.startswith("Langkah 1 dari")
    assert ctl.contact.title_label.text() in text
    lines = [line.text().lstrip("⚠ ").rstrip(".") for line in ctl.contact.summary_lines if line.isVisible()]
    assert lines and all(line in text for line in lines)
    shell.languages.set_language("en")
    assert button.available() and button._speaker is not None
    assert button._speaker.locale().language() == QLocale.Language.English


def test_the_real_indonesian_voice_speaks(qtbot: QtBot, voiced: tuple[KioskShell, WizardController]) -> None:
    if not _has_audio_device():
        pytest.skip("no audio output device: speech-dispatcher's output module would block on it")
    shell, _ctl = voiced
    shell.languages.set_language("id")
    speaker = shell.window.read_aloud_button._speaker
    assert speaker is not None
    from PySide6.QtTextToSpeech import QTextToSpeech

    states: list[QTextToSpeech.State] = []
    speaker.stateChanged.connect(states.append)
    shell.window.read_aloud_button.speak("Selamat datang di Pendaftaran Kartu Prakerja.")
    qtbot.waitUntil(lambda: QTextToSpeech.State.Speaking in states, timeout=10_000)
    speaker.stop()


def test_the_self_test_reports_the_indonesian_voice() -> None:
    from ui.selftest import check_indonesian_voice

    create_application()
    result = check_indonesian_voice()
    if _indonesian_engine()[0] is None:
        assert not result.ok and "speech-dispatcher" in result.detail
    else:
        assert result.ok and result.detail.startswith("yes")
