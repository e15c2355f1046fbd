"""PII masking: real-looking applicant data through every log path never reaches the log file."""

from __future__ import annotations

import logging
import os
import stat
import subprocess
import sys
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.logging_setup import (
    MASK_EMAIL,
    MASK_NIK,
    MASK_PHONE,
    PiiRegistry,
    contains_pii,
    install_excepthook,
    pii_registry,
    scrub,
    setup_logging,
    shutdown_logging,
)

REPO = Path(__file__).resolve().parents[1]

NIK = "3171014507900001"
NIK_SPACED = "3171 0145 0790 0001"
NIK_DOTTED = "31.71.01.450790.0001"
NAME = "Siti Nurhaliza Rahmawati"
MOTHER = "Sumiati Wulandari"
BIRTHPLACE = "Tasikmalaya"
PHONE_FORMS = ["081234567890", "+6281234567890", "6281234567890", "+62 812-3456-7890", "0812 3456 7890"]
EMAIL = "siti.nurhaliza87@gmail.com"

SECRETS = [NIK, NIK_SPACED, NIK_DOTTED, NAME, MOTHER, BIRTHPLACE, EMAIL, *PHONE_FORMS]
# fragments that must not survive either (partial leaks)
FRAGMENTS = ["Nurhaliza", "Sumiati", "Wulandari", "Tasikmalaya", "1234567890", "450790", "gmail.com"]


@pytest.fixture
def log_file(isolated_home: Path) -> Iterator[Path]:
    path = setup_logging(isolated_home / "log", level="DEBUG")
    pii_registry.clear()
    pii_registry.add_all([NAME, MOTHER, BIRTHPLACE])
    yield path
    pii_registry.clear()
    shutdown_logging()


def _assert_clean(path: Path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    for secret in SECRETS + FRAGMENTS:
        assert secret.lower() not in text.lower(), f"{secret!r} leaked into the log"
    return text


class ApplicantError(Exception):
    pass


def test_scrub_patterns() -> None:
    registry = PiiRegistry()
    assert scrub(f"nik={NIK}", registry) == f"nik={MASK_NIK}"
    assert scrub(f"nik {NIK_SPACED} ok", registry) == f"nik {MASK_NIK} ok"
    assert scrub(NIK_DOTTED, registry) == MASK_NIK
    for phone in PHONE_FORMS:
        assert MASK_PHONE in scrub(f"hp {phone}.", registry), phone
        assert "3456" not in scrub(f"hp {phone}.", registry)
    assert scrub(f"mail <{EMAIL}>", registry) == f"mail <{MASK_EMAIL}>"
    # ids and codes that must stay readable
    for keep in (
        "submission 0190f3e2-7b1c-7cc0-9a5e-1234abcd5678 sealed",
        "code nik.checksum",
        "HTTP 503 retry in 12.5 s",
        "2024-05-01 12:00:00,123",
        "attempt 3 of 5",
    ):
        assert scrub(keep, registry) == keep


def test_registry_matches_case_and_spacing() -> None:
    registry = PiiRegistry()
    registry.add("  Siti   Nurhaliza ")
    registry.add("ab")  # too short to register
    assert len(registry) == 1
    assert scrub("name=SITI NURHALIZA!", registry) == "name=[REDACTED]!"
    assert scrub("name=siti\n nurhaliza", registry) == "name=[REDACTED]"
    assert scrub("ab cd", registry) == "ab cd"
    registry.clear()
    assert scrub("Siti Nurhaliza", registry) == "Siti Nurhaliza"


def test_contains_pii() -> None:
    assert contains_pii(NIK)
    assert not contains_pii("op-17")


def test_every_log_path_is_masked(log_file: Path) -> None:
    logger = logging.getLogger("kiosk.flow.test")
    # message text
    logger.info(f"applicant {NAME} nik {NIK} phone {PHONE_FORMS[0]} mail {EMAIL} mother {MOTHER}")
    # %-args of every type
    logger.warning("nik=%s spaced=%s dotted=%s", NIK, NIK_SPACED, NIK_DOTTED)
    logger.info("phones %s %s %s %s %s", *PHONE_FORMS)
    logger.info("record %r", {"name": NAME, "mother": MOTHER, "place": BIRTHPLACE, "nik": int(NIK)})
    logger.info("mapping %(who)s", {"who": NAME})
    # bad format args must not crash nor leak
    logger.info("broken %s %s", NAME)
    # extra fields
    logger.info("with extra", extra={"applicant": NAME, "contact": EMAIL, "ids": [NIK], "count": 3})
    # exception whose message carries PII, chained to another one
    try:
        try:
            raise ValueError(f"bad nik {NIK} for {MOTHER}")
        except ValueError as inner:
            raise ApplicantError(f"could not save {NAME} <{EMAIL}> {PHONE_FORMS[3]}") from inner
    except ApplicantError:
        logger.exception("saving failed for %s", NAME)
    # exc_info on a non-error call, and stack_info
    try:
        {}[NIK]
    except KeyError:
        logger.debug("lookup failed", exc_info=True, stack_info=True)
    # a local variable with PII in a traceback line: the source line itself holds a name
    try:
        raise RuntimeError(BIRTHPLACE)
    except RuntimeError as exc:
        logger.error("error", exc_info=exc)
    # warnings are routed into logging
    warnings.warn(f"odd value {NIK}", UserWarning, stacklevel=1)
    text = _assert_clean(log_file)
    assert MASK_NIK in text and MASK_PHONE in text and MASK_EMAIL in text and "[REDACTED]" in text
    assert "ApplicantError" in text and "Traceback" in text  # exceptions are still useful
    assert "count=3" in text


def test_uncaught_exception_in_thread_is_masked(log_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old_hook = threading.excepthook
    install_excepthook()
    try:

        def worker() -> None:
            raise ApplicantError(f"{NAME} {NIK} {EMAIL}")

        thread = threading.Thread(target=worker, name="sealer")
        thread.start()
        thread.join()
    finally:
        threading.excepthook = old_hook
        sys.excepthook = sys.__excepthook__
    text = _assert_clean(log_file)
    assert "uncaught exception in sealer" in text
    err = capsys.readouterr().err
    assert NIK not in err and EMAIL not in err


def test_uncaught_exception_in_main_thread_subprocess(tmp_path: Path) -> None:
    home = tmp_path / "home"
    code = (
        "from pathlib import Path\n"
        "from kiosk.logging_setup import setup_logging, install_excepthook, pii_registry\n"
        f"setup_logging(Path({str(home / 'log')!r}))\n"
        "install_excepthook()\n"
        f"pii_registry.add({MOTHER!r})\n"
        f"raise RuntimeError('crash for ' + {NIK!r} + ' ' + {MOTHER!r} + ' ' + {EMAIL!r})\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PRAKERJA_KIOSK_HOME": str(home)},
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    for secret in (NIK, MOTHER, EMAIL):
        assert secret not in result.stderr
    text = (home / "log" / "kiosk.log").read_text()
    assert "RuntimeError" in text
    for secret in (NIK, MOTHER, EMAIL):
        assert secret not in text


def test_log_file_is_private_and_rotates(isolated_home: Path) -> None:
    path = setup_logging(isolated_home / "log", max_bytes=10_000, backup_count=2)
    try:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        logger = logging.getLogger("kiosk.rotation")
        for i in range(600):
            logger.info("line %05d %s", i, "x" * 40)
        for handler in logging.getLogger().handlers:
            handler.flush()
        rotated = sorted(path.parent.glob("kiosk.log*"))
        assert len(rotated) == 3
        assert all(p.stat().st_size <= 10_000 for p in rotated)
    finally:
        shutdown_logging()


def test_setup_is_idempotent(isolated_home: Path) -> None:
    setup_logging(isolated_home / "log")
    setup_logging(isolated_home / "log", console=True)
    try:
        ours = [h for h in logging.getLogger().handlers if getattr(h, "_prakerja_kiosk_handler", False)]
        assert len(ours) == 2  # file + console from the second call only
    finally:
        shutdown_logging()
    assert not [h for h in logging.getLogger().handlers if getattr(h, "_prakerja_kiosk_handler", False)]
