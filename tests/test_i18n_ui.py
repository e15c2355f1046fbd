"""UI translations: catalogues complete, placeholders consistent, runtime switch keeps input."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout
from pytestqt.qtbot import QtBot

from ui.app import GuiOptions, KioskShell, create_application
from ui.i18n import qm_path
from ui.screens.base import Screen
from ui.widgets.labeled_field import LabeledField

ROOT = Path(__file__).resolve().parent.parent
TS_DIR = ROOT / "resources" / "translations"
PLACEHOLDER = re.compile(r"%(?:\d+|n|L\d+)|\{[A-Za-z_][A-Za-z0-9_]*\}")


def _messages(language: str) -> list[ET.Element]:
    return list(ET.parse(TS_DIR / f"prakerja_{language}.ts").getroot().iter("message"))


def _translations(message: ET.Element) -> list[str]:
    translation = message.find("translation")
    assert translation is not None
    if message.get("numerus") == "yes":
        return [form.text or "" for form in translation.findall("numerusform")]
    return [translation.text or ""]


@pytest.mark.parametrize("language", ["en", "id"])
def test_catalogue_has_no_unfinished_message(language: str) -> None:
    messages = _messages(language)
    assert messages, "empty catalogue: run scripts/build_translations.py"
    problems = []
    for message in messages:
        translation = message.find("translation")
        source = message.findtext("source", "")
        if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete"):
            problems.append(source)
        elif not all(text.strip() for text in _translations(message)):
            problems.append(source)
    assert problems == []


@pytest.mark.parametrize("language", ["en", "id"])
def test_placeholders_match_between_source_and_translation(language: str) -> None:
    for message in _messages(language):
        source = message.findtext("source", "")
        expected = sorted(PLACEHOLDER.findall(source))
        for text in _translations(message):
            assert sorted(PLACEHOLDER.findall(text)) == expected, (source, text)


def test_english_numerus_has_singular_and_plural() -> None:
    numerus = [m for m in _messages("en") if m.get("numerus") == "yes"]
    assert numerus
    for message in numerus:
        assert len(_translations(message)) == 2


def test_catalogues_cover_every_tr_call_in_ui() -> None:
    """Every literal ``tr("...")`` in ui/ is in the English catalogue (lupdate was run)."""
    sources = {m.findtext("source", "") for m in _messages("en")}
    literal = re.compile(r"""\.tr\(\s*"((?:[^"\\]|\\.)*)\"""")
    found = set()
    for path in (ROOT / "ui").rglob("*.py"):
        for match in literal.finditer(path.read_text(encoding="utf-8")):
            found.add(match.group(1).encode().decode("unicode_escape").encode("latin-1").decode("utf-8"))
    assert found and found <= sources, sorted(found - sources)


def test_no_fstring_or_concatenation_inside_tr() -> None:
    """``tr(f"...")`` or ``tr("a" + b)`` cannot be extracted by lupdate nor translated."""
    bad = re.compile(r"""\.tr\(\s*(?:f"|f'|"[^"]*"\s*\+|[A-Za-z_])""")
    offenders = []
    for path in (ROOT / "ui").rglob("*.py"):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if bad.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


class FormScreen(Screen):
    screen_name = "form"
    step = 2

    def __init__(self) -> None:
        super().__init__()
        self.field = LabeledField()
        QVBoxLayout(self).addWidget(self.field)
        self.retranslations = 0
        self.retranslate()

    def retranslate(self) -> None:
        self.retranslations += 1
        self.field.set_label(self.tr("Nama lengkap"))


@pytest.fixture
def shell(qtbot: QtBot) -> KioskShell:
    assert qm_path("en").is_file(), "compiled catalogue missing: run scripts/build_translations.py"
    kiosk = KioskShell(create_application(), GuiOptions(windowed=True))
    qtbot.addWidget(kiosk.window)
    return kiosk


def test_switch_to_english_and_back_at_runtime(shell: KioskShell, qtbot: QtBot) -> None:
    welcome = shell.welcome
    assert welcome.start_button.text() == "Daftar"
    assert welcome.language_buttons["id"].isChecked()
    qtbot.mouseClick(welcome.language_buttons["en"], Qt.MouseButton.LeftButton)
    assert shell.languages.language() == "en"
    assert welcome.start_button.text() == "Register"
    assert welcome.status_button.text() == "Check Status"
    assert welcome.title_label.text() == "Welcome to Kartu Prakerja Registration"
    assert welcome.language_buttons["en"].isChecked()
    assert shell.window.windowTitle() == "Kartu Prakerja Registration"
    shell.languages.set_language("id")
    assert welcome.start_button.text() == "Daftar"
    assert welcome.title_label.text() == "Selamat datang di Pendaftaran Kartu Prakerja"
    assert welcome.language_buttons["id"].isChecked()


def test_switch_keeps_typed_input_and_error(shell: KioskShell) -> None:
    screen = FormScreen()
    shell.window.add_screen(screen)
    shell.window.show_screen("form")
    screen.field.line_edit.setText("SITI AMINAH")
    screen.field.line_edit.setCursorPosition(4)
    screen.field.set_error("Nama terlalu pendek")
    before = screen.retranslations
    shell.languages.set_language("en")
    assert screen.retranslations > before
    assert shell.window.step_indicator.text() == "Step 2 of 12"
    assert screen.field.text() == "SITI AMINAH"
    assert screen.field.line_edit.cursorPosition() == 4
    assert screen.field.error() == "Nama terlalu pendek"
    shell.languages.set_language("id")
    assert shell.window.step_indicator.text() == "Langkah 2 dari 12"
    assert screen.field.text() == "SITI AMINAH"


def test_missing_catalogue_falls_back_to_source_with_warning(
    qtbot: QtBot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    kiosk = KioskShell(create_application(), GuiOptions(windowed=True), translations_dir=tmp_path)
    qtbot.addWidget(kiosk.window)
    with caplog.at_level("WARNING", logger="ui.i18n"):
        assert kiosk.languages.set_language("en")
    assert kiosk.welcome.start_button.text() == "Daftar"  # source text, still usable
    assert any("missing" in record.getMessage() for record in caplog.records)
    assert not kiosk.languages.set_language("fr")  # unknown language refused, current one kept
    assert kiosk.languages.language() == "en"


def test_corrupt_catalogue_does_not_crash(qtbot: QtBot, tmp_path: Path) -> None:
    (tmp_path / "prakerja_en.qm").write_bytes(b"\x00not a qm file" * 10)
    kiosk = KioskShell(create_application(), GuiOptions(windowed=True), translations_dir=tmp_path)
    qtbot.addWidget(kiosk.window)
    assert kiosk.languages.set_language("en")
    assert kiosk.welcome.start_button.text() == "Daftar"


def test_build_translations_release_only_builds_qm(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_translations.py"), "--release-only"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert qm_path("en").is_file() and qm_path("id").is_file()
