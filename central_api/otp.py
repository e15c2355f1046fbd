"""OTP delivery: a pluggable sender; the reference sender appends to an outbox file.

Why an outbox file: the reference server has no SMS gateway or mail server. The demo and the tests
need to read the code that "was sent"; the file (JSON lines in the data dir) and the admin endpoint
``GET /v1/admin/otp-outbox`` show it. The contact is not written in clear: the line holds a masked form
for people and a keyed digest so a test can find the code for the number it used.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import threading
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

OUTBOX_FILE = "otp-outbox.jsonl"
SHORT_DESTINATION = 12
"""Characters in the shortest E.164 Indonesian mobile (``+62812345678``): below it, mask harder."""


def mask_destination(destination: str) -> str:
    """``+6281234567890`` → ``+6281*****7890``; ``budi@example.id`` → ``b***@example.id``.

    Shorter than a full mobile number (``SHORT_DESTINATION``): only the last two characters show, so
    a short or mistyped number is never written to the outbox whole.
    """
    if "@" in destination:
        local, _, domain = destination.partition("@")
        return f"{local[:1]}***@{domain}"
    if len(destination) < SHORT_DESTINATION:
        return "*" * max(3, len(destination) - 2) + destination[-2:]
    return destination[:5] + "*" * max(0, len(destination) - 9) + destination[-4:]


def normalise_destination(channel: str, destination: str) -> str:
    """The one canonical form of a contact: E.164 for an Indonesian mobile, a lower-cased e-mail.

    Why before any limit or digest: the send limits used to key on the raw string, so ``0812…``,
    ``+62 812-…`` and ``62812…`` were three contacts with three allowances. Raises
    :class:`kiosk.contacts.ContactError` (with a bilingual message) for anything that is not one.
    The rules are the kiosk's own (``kiosk.contacts``), so what a kiosk accepts the server accepts.
    """
    from kiosk.contacts import normalise_email, normalise_mobile

    if channel == "sms":
        return normalise_mobile(destination)
    return normalise_email(destination).lower()


def destination_digest(key: bytes, destination: str) -> str:
    """Keyed digest of a contact (HMAC-SHA256 with a server secret): comparable, not reversible."""
    return hmac.new(key, destination.strip().lower().encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class OtpMessage:
    """One delivered code as recorded in the reference outbox."""

    challenge_id: str
    channel: str
    destination_masked: str
    destination_digest: str
    code: str
    sent_at: str


class OtpSender(Protocol):
    """Delivers a code. A real deployment plugs an SMS/e-mail gateway in here."""

    def send(self, message: OtpMessage) -> None: ...


class OutboxFileSender:
    """Reference sender: one JSON line per message in ``<data-dir>/otp-outbox.jsonl`` (mode 0600)."""

    def __init__(self, data_dir: Path) -> None:
        self.path = data_dir / OUTBOX_FILE
        self._lock = threading.Lock()

    def send(self, message: OtpMessage) -> None:
        line = json.dumps(asdict(message), sort_keys=True) + "\n"
        with self._lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with os.fdopen(fd, "a", encoding="utf-8") as fh:
                fh.write(line)

    def messages(self) -> Iterator[OtpMessage]:
        """Every message in the file, oldest first; damaged lines are skipped."""
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return
        for line in lines:
            try:
                yield OtpMessage(**json.loads(line))
            except (ValueError, TypeError):
                continue
