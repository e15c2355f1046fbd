"""Importing a queue file from a USB stick: only sealed envelopes for this kiosk's server, none too big.

Why here and not in ``offline_queue``: the outbox knows nothing of envelopes (import-linter forbids it
to import ``kiosk``), so the kiosk hands it a validator. Each item of the file is checked by its
envelope header (framing, version, the submission id it was sealed for, and the server key id) before
it is stored; the outbox streams the file and skips items over :data:`kiosk.envelope.MAX_ENVELOPE_BYTES`
unread. Before (issue 18, item 16) any blob went in as "pending" — even on an unenrolled kiosk — and
one 400 MB item took the import to 1.26 GB of memory.

Only public data is read: the server's public envelope key from ``device.json``, so an import never
needs the device's secrets (keyring, passphrase).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from kiosk import device as device_store
from kiosk.envelope import MAX_ENVELOPE_BYTES, EnvelopeError, key_id, read_header
from kiosk.i18n import Message, UserFacingError
from kiosk.paths import KioskPaths
from offline_queue.outbox import ImportReport, ImportValidator, Outbox

NOT_ENROLLED_FOR_IMPORT = Message(
    "Perangkat ini belum terdaftar, jadi tidak dapat memeriksa berkas antrean. Daftarkan perangkat dulu, "
    "lalu impor lagi.",
    "This device is not enrolled, so it cannot check a queue file. Enrol the device first, then import "
    "again.",
)


class ImportRefused(UserFacingError):
    """The import cannot start at all (not enrolled, identity unreadable); ``message`` says why."""

    def __init__(self, message: Message) -> None:
        super().__init__(message, message.en)
        self.message = message


def server_key_id(paths: KioskPaths) -> str:
    """The key id of the server this kiosk seals for, from ``device.json`` (public data only)."""
    try:
        record = json.loads((paths.data_dir / device_store.IDENTITY_FILE).read_bytes())
        text = str(record["server_envelope_key"])
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        return key_id(X25519PublicKey.from_public_bytes(raw))
    except (OSError, ValueError, KeyError, TypeError, RecursionError):
        raise ImportRefused(NOT_ENROLLED_FOR_IMPORT) from None


def envelope_validator(expected_server_key_id: str) -> ImportValidator:
    """A validator that accepts only envelopes sealed for ``expected_server_key_id`` under their own id."""

    def validate(item_id: str, blob: bytes) -> str | None:
        try:
            header = read_header(blob)
        except EnvelopeError as exc:
            return f"{exc.message.id} / {exc.message.en} [{exc.code}]"
        if header.submission_id != item_id.lower():
            return (
                "Nomor kiriman tidak cocok dengan isi amplop. / The submission id does not match the "
                "sealed envelope. [envelope_id_mismatch]"
            )
        if header.server_key_id != expected_server_key_id:
            return (
                "Amplop disegel untuk server lain. / The envelope was sealed for another server. "
                "[envelope_wrong_server_key]"
            )
        return None

    return validate


def import_queue_file(outbox: Outbox, path: Path, paths: KioskPaths) -> ImportReport:
    """Import ``path`` into ``outbox`` with the envelope checks; refused whole on an unenrolled kiosk."""
    validate = envelope_validator(server_key_id(paths))
    return outbox.import_from(path, max_item_bytes=MAX_ENVELOPE_BYTES, validate=validate)


def rejected_in_words(report: ImportReport, limit: int = 5) -> Message:
    """The refused items of an import, short, in both languages (empty when none were refused)."""
    if not report.rejected:
        return Message("", "")
    ids = ", ".join(item_id for item_id, _ in report.rejected[:limit])
    more = len(report.rejected) - limit
    return Message(
        f"Ditolak (bukan amplop untuk server ini, rusak, atau terlalu besar): {len(report.rejected)} "
        f"({ids}{f' dan {more} lainnya' if more > 0 else ''}).",
        f"Refused (not an envelope for this server, damaged, or too large): {len(report.rejected)} "
        f"({ids}{f' and {more} more' if more > 0 else ''}).",
    )
