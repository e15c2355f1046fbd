"""Rotating log files with personal data masked before anything is written.

The rule for everyone writing log calls: **log ids and codes, never values.** A log line may say
``submission 0190… sealed``, ``field nik invalid (code nik.checksum)``, ``operator op-17 logged in``; it
never carries what an applicant typed. Masking is the safety net for mistakes, not the design:

* :class:`PiiFilter`, attached to every handler :func:`setup_logging` installs, rewrites each record
  before a handler formats it: the message with its args merged, the exception text (tracebacks and
  exception messages), the stack text and every ``extra=`` field. Args and ``exc_info`` are dropped after
  rendering so no later formatter can re-render the raw values.
* Pattern masking (:func:`scrub`) catches what has a shape: NIKs (16+ digit runs, also written with
  spaces, dots or dashes), Indonesian mobile numbers (``+62``/``62``/``08`` forms) and e-mail addresses.
* Names have no shape, so the flow registers the current applicant's values (name, mother's name,
  place of birth, address…) with :data:`pii_registry` as they are typed and clears it when the session
  ends; the filter masks those values wherever they appear, case-insensitively and with any spacing.

Uncaught exceptions (main thread and worker threads) are logged through the same filter by
:func:`install_excepthook`, and ``warnings`` are routed into logging, so no path bypasses the mask.

One log file per kind of process: the kiosk window writes ``kiosk.log``, the headless commands
(``sync`` from a scheduled task, ``status``, ``export`` …) write ``kiosk-cli.log``. Why: on Windows a
file another process holds open cannot be renamed, so two processes sharing one
``RotatingFileHandler`` file made every rotation fail. The handler also tolerates a failed rotation
(:class:`_TolerantRotatingFileHandler`): it keeps appending and tries again a minute later instead of
printing a traceback per line. Under systemd (``JOURNAL_STREAM`` set) the same masked lines also go to
stderr, i.e. to the journal.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import re
import sys
import threading
import time
import traceback
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

MASK_NIK = "[NIK]"
MASK_PHONE = "[PHONE]"
MASK_EMAIL = "[EMAIL]"
MASK_VALUE = "[REDACTED]"

_EMAIL_RE = re.compile(r"[\w.+\-%]+@[\w\-]+(?:\.[\w\-]+)+", re.UNICODE)
# 16 or more digits, optionally one space/dot/dash between digits (NIK 3171 0123 4567 0001, 31.71.01…).
_NIK_RE = re.compile(r"(?<!\d)\d(?:[ .\-]?\d){15,}(?!\d)")
# Indonesian mobiles: +62 8…, 62 8…, 08…; 8–13 more digits with optional separators and brackets.
_PHONE_RE = re.compile(r"(?<![\w+])(?:\(?\+62\)?|62|0)[\s.\-]?8(?:[\s.\-]?\d){7,12}(?!\d)")

# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD_ATTRS = frozenset(
    vars(logging.LogRecord("x", logging.INFO, "x", 0, "x", None, None)).keys()
    | {"message", "asctime", "taskName"}
)
_HANDLER_TAG = "_prakerja_kiosk_handler"
_MIN_REGISTERED_LEN = 3


class PiiRegistry:
    """Values of the current session that must never appear in a log (names, mother's name, address).

    Thread-safe. The flow calls :meth:`add` as values are entered and :meth:`clear` when the session
    ends. Values shorter than 3 characters are ignored (masking "a" everywhere would destroy the log
    without protecting anyone).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: set[str] = set()
        self._pattern: re.Pattern[str] | None = None

    def add(self, value: str | None) -> None:
        """Register one sensitive value (whitespace-normalised, matched case-insensitively)."""
        if not value:
            return
        normalised = " ".join(str(value).split())
        if len(normalised) < _MIN_REGISTERED_LEN:
            return
        with self._lock:
            if normalised.casefold() not in {v.casefold() for v in self._values}:
                self._values.add(normalised)
                self._pattern = None

    def add_all(self, values: Iterable[str | None]) -> None:
        """Register several values."""
        for value in values:
            self.add(value)

    def clear(self) -> None:
        """Forget every value (end of an applicant's session)."""
        with self._lock:
            self._values.clear()
            self._pattern = None

    def __len__(self) -> int:
        with self._lock:
            return len(self._values)

    def _compiled(self) -> re.Pattern[str] | None:
        with self._lock:
            if self._pattern is None and self._values:
                # Longest first so "Siti Nurhaliza Binti" wins over "Siti Nurhaliza"; any whitespace run
                # between words matches, so a name split over a line break is still caught.
                parts = [
                    r"\s+".join(re.escape(word) for word in value.split())
                    for value in sorted(self._values, key=len, reverse=True)
                ]
                self._pattern = re.compile("|".join(parts), re.IGNORECASE)
            return self._pattern

    def scrub(self, text: str) -> str:
        """``text`` with every registered value replaced by ``[REDACTED]``."""
        pattern = self._compiled()
        return pattern.sub(MASK_VALUE, text) if pattern is not None else text


pii_registry = PiiRegistry()
"""The process-wide registry the flow fills for the current applicant."""


def scrub(text: str, registry: PiiRegistry | None = None) -> str:
    """Mask registered values, e-mail addresses, NIK-like digit runs and Indonesian mobile numbers."""
    text = (registry or pii_registry).scrub(text)
    text = _EMAIL_RE.sub(MASK_EMAIL, text)
    text = _NIK_RE.sub(MASK_NIK, text)
    return _PHONE_RE.sub(MASK_PHONE, text)


def contains_pii(text: str, registry: PiiRegistry | None = None) -> bool:
    """True when :func:`scrub` would change ``text`` (used to refuse PII in the audit log)."""
    return scrub(text, registry) != text


def _safe_str(value: Any) -> str:
    try:
        return value if isinstance(value, str) else repr(value)
    except Exception:  # a broken __repr__ must not break logging
        return f"<unprintable {type(value).__name__}>"


class PiiFilter(logging.Filter):
    """Masks personal data in every part of a record before any handler formats it. Never drops a record."""

    def __init__(self, registry: PiiRegistry | None = None) -> None:
        super().__init__()
        self.registry = registry

    def _scrub(self, text: str) -> str:
        return scrub(text, self.registry)

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_pii_scrubbed", False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # wrong args for the format string: keep what we can, masked
            message = f"{_safe_str(record.msg)} (args: {_safe_str(record.args)})"
        record.msg = self._scrub(message)
        record.args = None
        if record.exc_info:
            if not record.exc_text:
                record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
            record.exc_info = None
        if record.exc_text:
            record.exc_text = self._scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = self._scrub(record.stack_info)
        for key, value in list(vars(record).items()):
            if key in _STANDARD_ATTRS or key.startswith("_"):
                continue
            if isinstance(value, bool | int | float) or value is None:
                continue
            setattr(record, key, self._scrub(_safe_str(value)))
        record._pii_scrubbed = True
        return True


class _ExtraFormatter(logging.Formatter):
    """Standard line plus any ``extra=`` fields as ``key=value`` (already masked by the filter)."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extras = {k: v for k, v in vars(record).items() if k not in _STANDARD_ATTRS and not k.startswith("_")}
        if extras:
            first, sep, rest = line.partition("\n")
            fields = " ".join(f"{k}={v}" for k, v in sorted(extras.items()))
            line = f"{first} [{fields}]{sep}{rest}"
        return line


LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"


CLI_PROCESS = "cli"
"""``process`` name of the headless commands; their log is ``kiosk-cli.log``."""
JOURNAL_FORMAT = "%(levelname)s %(name)s [%(threadName)s] %(message)s"
"""The journal stamps time and unit itself."""
ROTATE_RETRY_S = 60.0

_process_name: str | None = None


def set_process_name(name: str | None) -> None:
    """Name the log of this process (``None``: the kiosk window's ``kiosk.log``) for later setups."""
    global _process_name
    _process_name = name


def log_file_name(process: str | None = None) -> str:
    """``kiosk.log`` for the kiosk window, ``kiosk-<process>.log`` for any other process kind."""
    from kiosk.paths import LOG_FILE_NAME

    name = process if process is not None else _process_name
    if not name:
        return LOG_FILE_NAME
    safe = re.sub(r"[^a-z0-9_-]", "", name.lower()) or "process"
    stem, _dot, ext = LOG_FILE_NAME.rpartition(".")
    return f"{stem}-{safe}.{ext}"


class _TolerantRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating file whose failed rotation is not an error: keep writing, retry a minute later.

    Why: on Windows, renaming ``kiosk.log`` fails while any other process (an overlapping ``sync``, an
    editor, a backup agent) has it open. The standard handler then reports the error on every record
    and may lose the stream; this one reopens the current file and appends until a rename succeeds.
    """

    _next_attempt = 0.0

    def shouldRollover(self, record: logging.LogRecord) -> int:
        if time.monotonic() < self._next_attempt:
            return 0
        return int(super().shouldRollover(record))

    def doRollover(self) -> None:
        try:
            super().doRollover()
        except OSError:
            self._next_attempt = time.monotonic() + ROTATE_RETRY_S
            if self.stream is None:
                self.stream = self._open()


def under_journal() -> bool:
    """Whether stderr is connected to the systemd journal (systemd sets ``JOURNAL_STREAM``)."""
    return bool(os.environ.get("JOURNAL_STREAM"))


def _remove_our_handlers(logger: logging.Logger) -> None:
    for handler in list(logger.handlers):
        if getattr(handler, _HANDLER_TAG, False):
            logger.removeHandler(handler)
            handler.close()


def setup_logging(
    log_dir: Path,
    *,
    level: str = "INFO",
    max_bytes: int = 1_000_000,
    backup_count: int = 5,
    console: bool = False,
    registry: PiiRegistry | None = None,
    process: str | None = None,
) -> Path:
    """Install the rotating file handler (and optionally stderr) on the root logger; returns the file.

    Idempotent: calling it again replaces the handlers it installed before. Every handler carries a
    :class:`PiiFilter`. The log file is created 0600 (on Windows the log dir's ACL keeps it private).
    ``process`` picks the file (:func:`log_file_name`); under systemd records also go to the journal.
    """
    from kiosk.paths import ensure_dir
    from kiosk.platform import open_private

    ensure_dir(log_dir)
    path = log_dir / log_file_name(process)
    if not path.exists():
        fd = open_private(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND)
        os.close(fd)
    root = logging.getLogger()
    _remove_our_handlers(root)
    pii_filter = PiiFilter(registry)
    formatter = _ExtraFormatter(LOG_FORMAT)

    file_handler = _TolerantRotatingFileHandler(
        path, maxBytes=max_bytes, backupCount=backup_count, encoding="utf-8"
    )
    handlers: list[logging.Handler] = [file_handler]
    if under_journal():
        journal_handler = logging.StreamHandler(sys.stderr)
        journal_handler.setFormatter(_ExtraFormatter(JOURNAL_FORMAT))
        handlers.append(journal_handler)
    elif console:
        console_handler = logging.StreamHandler(sys.stderr)
        console_handler.setLevel(logging.WARNING)
        handlers.append(console_handler)
    for handler in handlers:
        handler.addFilter(pii_filter)
        if handler.formatter is None:
            handler.setFormatter(formatter)
        setattr(handler, _HANDLER_TAG, True)
        root.addHandler(handler)
    root.setLevel(getattr(logging, level.upper(), logging.INFO))
    logging.captureWarnings(True)
    return path


def shutdown_logging() -> None:
    """Remove and close the handlers :func:`setup_logging` installed (tests, wipe)."""
    _remove_our_handlers(logging.getLogger())


_log = logging.getLogger("kiosk.uncaught")


def _log_uncaught(
    exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None, where: str
) -> None:
    _log.critical("uncaught exception in %s: %s", where, exc_type.__name__, exc_info=(exc_type, exc, tb))
    # stderr gets one masked line only: a full traceback may quote applicant data.
    sys.stderr.write(
        scrub(f"prakerja-kiosk: unexpected error ({exc_type.__name__}: {exc}); see the log file\n")
    )


def install_excepthook() -> None:
    """Route uncaught exceptions (main thread and threads) through the masked log instead of stderr."""

    def main_hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        _log_uncaught(exc_type, exc, tb, "main thread")

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        name = args.thread.name if args.thread is not None else "thread"
        _log_uncaught(args.exc_type, args.exc_value, args.exc_traceback, name)

    sys.excepthook = main_hook
    threading.excepthook = thread_hook
