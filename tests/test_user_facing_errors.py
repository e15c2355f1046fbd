"""Errors shown to people carry their words one way (issue 21, finding 6).

Before, the API client kept a class attribute, the envelope a classmethod and the outbox
``id_text``/``en_text``, so the UI guessed with ``getattr(error, "message", …)`` and a second branch
for the outbox. Now each is a ``UserFacingError`` with ``message: Message``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from kiosk.api_client import ApiError
from kiosk.cli import EXIT_FAILED, _error_message
from kiosk.demo import DemoError
from kiosk.device import DeviceError, DeviceLocked
from kiosk.envelope import EnvelopeError, EnvelopeTooLarge
from kiosk.i18n import Message, UserFacingError, message_of
from offline_queue.bilingual import UserFacingError as QueueUserFacingError
from offline_queue.errors import OutboxCorrupted, OutboxError, OutboxFull

ROOT = Path(__file__).resolve().parent.parent
WORDS = Message("Disk penuh.", "The disk is full.")


def test_one_base_for_the_kiosk_and_the_queue() -> None:
    assert UserFacingError is QueueUserFacingError


@pytest.mark.parametrize(
    "error",
    [
        OutboxFull("The disk is full.", "Disk penuh.", needed_bytes=10),
        OutboxCorrupted("The disk is full.", "Disk penuh.", moved_to=Path("/tmp/x")),
        ApiError(WORDS, status=503, code="busy"),
        DeviceError(WORDS),
        DeviceLocked(WORDS),
        DemoError(WORDS),
    ],
)
def test_every_documented_error_says_its_words_the_same_way(error: UserFacingError) -> None:
    assert isinstance(error, UserFacingError)
    assert error.message == WORDS
    assert message_of(error, Message("x", "x")) == WORDS
    assert _error_message(error) == (WORDS, EXIT_FAILED)


def test_defaults_and_log_text() -> None:
    envelope = EnvelopeTooLarge("12 MB")
    assert isinstance(envelope, UserFacingError) and isinstance(envelope, EnvelopeError | ValueError)
    assert envelope.message.id == "Data terlalu besar." and "12 MB" in str(envelope)
    api = ApiError(status=500)
    assert api.message == ApiError.default_message and "500" in str(api)
    queue = OutboxError("English only")
    assert queue.message == Message("English only", "English only") and str(queue) == "English only"


def test_anything_else_gets_the_fallback() -> None:
    fallback = Message("Tidak berhasil.", "That did not work.")
    assert message_of(RuntimeError("boom"), fallback) is fallback


@pytest.mark.parametrize("path", ["ui/app.py", "ui/console/controller.py", "kiosk/cli.py"])
def test_no_guessing_for_a_message_attribute(path: str) -> None:
    """No ``getattr(x, "message", …)`` and no ``id_text``/``en_text`` rebuilt into a Message."""
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr":
            args = node.args
            assert not (
                len(args) >= 2 and isinstance(args[1], ast.Constant) and args[1].value == "message"
            ), f"{path}:{node.lineno}"
        if isinstance(node, ast.Attribute):
            assert node.attr not in ("id_text", "en_text"), f"{path}:{node.lineno}"


def test_every_kiosk_error_with_words_is_user_facing() -> None:
    """The errors the shell and the console show (they were found by the ``getattr`` guess before)."""
    from kiosk.applicant import KtpNameError
    from kiosk.audit import AuditError
    from kiosk.cli import CliError
    from kiosk.config import ConfigError
    from kiosk.console_model import WipeError
    from kiosk.contacts import ContactError
    from kiosk.fleet_settings import SettingsRefused
    from kiosk.instance_lock import AlreadyRunning
    from kiosk.operator_auth import OperatorLoginError
    from kiosk.paths import DirectoryError
    from kiosk.queue_import import ImportRefused
    from kiosk.reference import ReferenceNumberError
    from kiosk.regions import RegionTableError
    from kiosk.testbank import BankError

    made = [
        KtpNameError(WORDS),
        AuditError(WORDS),
        CliError(WORDS),
        ConfigError(WORDS, source="x.toml"),
        WipeError(WORDS),
        ContactError(WORDS),
        SettingsRefused(WORDS),
        OperatorLoginError(WORDS),
        ImportRefused(WORDS),
        ReferenceNumberError(WORDS),
        BankError(WORDS),
    ]
    for error in made:
        assert isinstance(error, UserFacingError) and error.message == WORDS, type(error)
    directory = DirectoryError(Path("/nowhere"), "read-only")
    assert (
        isinstance(directory, OSError) and "/nowhere" in directory.message.id and "/nowhere" in str(directory)
    )
    running = AlreadyRunning(Path("/data/kiosk.lock"), {"role": "kiosk", "pid": 7})
    assert "7" in running.message.en and str(running) == running.message.en
    assert "region" in RegionTableError("gone").message.en
