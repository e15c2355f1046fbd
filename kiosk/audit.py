"""Append-only, hash-chained and device-signed audit log of operator actions, with no personal data.

Why a hash chain in JSON lines: it is readable with any text tool, appending is one ``write`` + fsync,
and every line commits to the one before it, so editing, inserting or deleting a line breaks the chain
at that point. Deleting the *last* lines leaves a valid shorter chain, so a separate head file records
the sequence number and hash of the newest line; :func:`verify` compares the two.

Why signed by the device key (issue 18): a bare hash chain can be recomputed by anyone who can write
the files — cutting the last lines and rewriting the head gave "intact". On an enrolled kiosk every
entry's hash and the head are signed with the device's Ed25519 key, which lives in sealed storage
(keyring / TPM / staff passphrase, see ``kiosk.device``); without it no valid line or head can be made.
The first entry signed by a key carries that public key (``key``) and is chained to everything before
it, so a re-enrolled kiosk's old lines stay verifiable. :func:`verify_kiosk` also checks that the
newest key is the one in ``device.json`` and that an enrolled kiosk *has* a log. Signatures rather than
an HMAC so that ``audit verify`` and the central API can check the log with the public key alone.

Limits (also in ``docs/security.md``): someone holding the unlocked device key can still write a valid
log, and a local administrator who saved an old copy of the log *and* its head can roll both back to
that point; only a copy held elsewhere catches that — :func:`read_head` gives the head
(:meth:`AuditHead.header_value`) for the sync transport to send to the API.

No personal data: ``operator`` is an operator id, ``action`` a code, ``reference`` a submission id or
reference number; values that look like a NIK, phone number, e-mail or a registered applicant value
are refused with :class:`AuditError` instead of being written.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.atomic_file import write_atomic
from kiosk.i18n import Message, UserFacingError
from kiosk.logging_setup import contains_pii
from kiosk.platform import open_flags

if TYPE_CHECKING:  # cryptography is imported when a signature is made or checked, not at import time
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

GENESIS = "0" * 64
HEAD_SUFFIX = ".head"
_OPERATOR_RE = re.compile(r"^[A-Za-z0-9_.:@-]{1,64}$")


def is_loggable_operator(name: str) -> bool:
    """Whether ``name`` may stand as the operator of an entry (a user name, never personal data).

    Why public: the console records failed logins under the typed name only when the log would take
    it; it asked the private pattern before (issue 21, finding 4).
    """
    return bool(_OPERATOR_RE.match(name)) and not contains_pii(name)


_ACTION_RE = re.compile(r"^[a-z][a-z0-9_.]{0,63}$")
_REFERENCE_RE = re.compile(r"^[A-Za-z0-9_.:/-]{1,80}$")
_FIELDS = ("seq", "time", "operator", "action", "reference", "prev", "hash")
_SIGNED_FIELDS = (*_FIELDS, "sig")
_KEYED_FIELDS = (*_FIELDS, "key", "sig")
_ENTRY_DOMAIN = b"prakerja-audit-entry\x00"
_HEAD_DOMAIN = b"prakerja-audit-head\x00"


class AuditError(UserFacingError):
    """The entry was refused or the log cannot be written. ``message`` is bilingual."""

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(message, message.en)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the log."""

    seq: int
    time: str
    operator: str
    action: str
    reference: str | None
    prev: str
    hash: str
    key: str | None = None
    """The signing key's public half (base64url), on the first entry a key signs."""
    sig: str | None = None
    """Ed25519 signature of ``hash`` by the device key (base64url); ``None`` before enrolment."""


@dataclass(frozen=True, slots=True)
class AuditHead:
    """The newest entry's sequence number and hash, signed: what the API may be sent and compare."""

    seq: int
    hash: str
    key: str | None = None
    sig: str | None = None

    def header_value(self) -> str:
        """``SEQ:HASH`` for the ``X-Audit-Head`` request header the reference API checks (a head
        whose ``seq`` goes down, or the same ``seq`` with another hash, is a cut or rewritten log).

        :attr:`sig` (when signed) is the device key's Ed25519 signature, base64url without padding, of
        ``b"prakerja-audit-head\\x00" + f"{seq}:{hash}".encode()``: checkable with the public key the
        server already holds for the device, should the API also want proof the head is the kiosk's.
        """
        return f"{self.seq}:{self.hash}"


@dataclass(frozen=True, slots=True)
class AuditProblem:
    """Where the chain breaks (1-based line number) and why, in plain words."""

    line: int
    kind: str
    detail: str
    detail_id: str = ""


@dataclass(frozen=True, slots=True)
class AuditReport:
    """Result of :func:`verify`."""

    path: Path
    entries: int
    problems: list[AuditProblem] = field(default_factory=list)
    head_checked: bool = False
    signed: bool = False
    """True when the newest entries and the head carry valid device-key signatures."""

    @property
    def ok(self) -> bool:
        """True when the chain and the head agree and nothing was changed."""
        return not self.problems

    def summary(self) -> Message:
        """One line for the CLI and the console."""
        if self.ok:
            note = "" if self.head_checked else " (no head file: deleted last lines would not show)"
            note_id = (
                ""
                if self.head_checked
                else " (tanpa berkas head: baris terakhir yang dihapus tak terdeteksi)"
            )
            if self.signed:
                note, note_id = ", signed by the device key", ", ditandatangani kunci perangkat"
            return Message(
                f"Log audit utuh: {self.entries} entri{note_id}.",
                f"Audit log intact: {self.entries} entries{note}.",
            )
        first = self.problems[0]
        if first.kind == "missing":
            return Message(
                f"Log audit HILANG: {first.detail_id}",
                f"Audit log MISSING: {first.detail}",
            )
        return Message(
            f"Log audit RUSAK di baris {first.line}: {first.kind} ({len(self.problems)} masalah).",
            f"Audit log TAMPERED at line {first.line}: {first.kind} - {first.detail} ({len(self.problems)} problem(s)).",
        )


def _entry_hash(fields: dict[str, Any]) -> str:
    body = {k: fields[k] for k in _FIELDS if k != "hash"}
    if fields.get("key"):  # the key a new signer introduces is part of what the chain commits to
        body["key"] = fields["key"]
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def _b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64d(text: str) -> bytes:
    if not isinstance(text, str):
        raise ValueError("not a string")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def public_key_text(signer: Ed25519PrivateKey) -> str:
    """The signer's raw public key, base64url (how entries and ``device.json`` name a key)."""
    from cryptography.hazmat.primitives import serialization

    raw = signer.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return _b64e(raw)


def _head_message(seq: int, digest: str) -> bytes:
    return _HEAD_DOMAIN + f"{seq}:{digest}".encode("ascii")


def _signature_ok(key_text: str, signature: str | None, message: bytes) -> bool:
    """True when ``signature`` is ``key_text``'s Ed25519 signature of ``message`` (never raises)."""
    if not signature:
        return False
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(_b64d(key_text)).verify(_b64d(signature), message)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True


def _head_path(path: Path) -> Path:
    return path.with_name(path.name + HEAD_SUFFIX)


def _refuse(what: str) -> AuditError:
    return AuditError(
        Message(
            f"Entri audit ditolak: {what} tidak boleh berisi data pribadi atau teks bebas.",
            f"Audit entry refused: {what} must not hold personal data or free text.",
        )
    )


class AuditLog:
    """Appends entries to ``path`` (thread-safe within the process; one kiosk process writes it).

    ``signer`` is the device's Ed25519 key once the kiosk is enrolled: every entry and the head are
    then signed with it. Without one (not enrolled yet) entries are only chained.
    """

    def __init__(self, path: Path, signer: Ed25519PrivateKey | None = None) -> None:
        self.path = path
        self.signer = signer
        self._signer_key = public_key_text(signer) if signer is not None else None
        self._lock = threading.Lock()

    def _tail(self) -> tuple[int, str, str | None]:
        """Sequence number, hash and signing key of the last valid line (0, GENESIS, None if empty)."""
        head = _read_full_head(_head_path(self.path))
        if head is not None and head.seq >= 0:
            return head.seq, head.hash, head.key
        last: tuple[int, str, str | None] = (0, GENESIS, None)
        key: str | None = None
        for _, entry, _ in _iter_lines(self.path):
            if entry is not None:
                key = entry.key or (key if entry.sig else None)
                last = (entry.seq, entry.hash, key)
        return last

    def head(self) -> AuditHead | None:
        """The current head (what the sync transport sends), or None before the first entry."""
        return read_head(self.path)

    def ensure_signed(self, operator: str = "system") -> AuditEntry | None:
        """Append an ``audit.key`` entry when the log's newest key is not this signer's (enrolment,
        re-enrolment, a log written before signing existed); None when nothing was needed."""
        if self.signer is None:
            return None
        with self._lock:
            current = self._tail()[2]
        if current == self._signer_key:
            return None
        return self.append(operator, "audit.key")

    def append(self, operator: str, action: str, reference: str | None = None) -> AuditEntry:
        """Write one entry durably (fsync) and move the head; returns it."""
        if not is_loggable_operator(operator):
            raise _refuse("operator")
        if not _ACTION_RE.match(action):
            raise _refuse("action")
        if reference is not None and (not _REFERENCE_RE.match(reference) or contains_pii(reference)):
            raise _refuse("reference")
        with self._lock:
            try:
                self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                seq, prev, current_key = self._tail()
                fields: dict[str, Any] = {
                    "seq": seq + 1,
                    "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "operator": operator,
                    "action": action,
                    "reference": reference,
                    "prev": prev,
                }
                names: tuple[str, ...] = _FIELDS
                if self.signer is not None:
                    names = _SIGNED_FIELDS
                    if current_key != self._signer_key:
                        fields["key"] = self._signer_key
                        names = _KEYED_FIELDS
                fields["hash"] = _entry_hash(fields)
                if self.signer is not None:
                    fields["sig"] = _b64e(self.signer.sign(_ENTRY_DOMAIN + fields["hash"].encode("ascii")))
                line = json.dumps({k: fields[k] for k in names}, separators=(",", ":")) + "\n"
                fd = os.open(self.path, open_flags(os.O_WRONLY | os.O_CREAT | os.O_APPEND), 0o600)
                try:
                    os.write(fd, line.encode("ascii"))
                    os.fsync(fd)
                finally:
                    os.close(fd)
                head_sig = (
                    _b64e(self.signer.sign(_head_message(fields["seq"], fields["hash"])))
                    if self.signer is not None
                    else None
                )
                _write_head(
                    _head_path(self.path),
                    fields["seq"],
                    fields["hash"],
                    self._signer_key if self.signer is not None else None,
                    head_sig,
                )
            except OSError as exc:
                raise AuditError(
                    Message(
                        f"Log audit {self.path} tidak bisa ditulis ({exc.strerror}).",
                        f"Audit log {self.path} cannot be written ({exc.strerror}).",
                    )
                ) from None
        return AuditEntry(**fields)


def _write_head(path: Path, seq: int, digest: str, key: str | None = None, sig: str | None = None) -> None:
    record: dict[str, Any] = {"seq": seq, "hash": digest}
    if sig is not None:
        record.update(key=key, sig=sig)
    write_atomic(path, json.dumps(record).encode("ascii"))


def _read_full_head(path: Path) -> AuditHead | None:
    """The head file; None when absent, ``seq`` -1 when unreadable (damaged or planted)."""
    try:
        data = json.loads(path.read_bytes())
        key, sig = data.get("key"), data.get("sig")
        return AuditHead(
            int(data["seq"]),
            str(data["hash"]),
            key if isinstance(key, str) else None,
            sig if isinstance(sig, str) else None,
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError, OverflowError):
        return AuditHead(-1, "unreadable")


def _read_head(path: Path) -> tuple[int, str] | None:
    head = _read_full_head(path)
    return None if head is None else (head.seq, head.hash)


def head_header(path: Path) -> str | None:
    """The ``X-Audit-Head`` value for the log at ``path`` (None before the first entry): what the sync
    transport sends with each upload so the API keeps the highest head per device."""
    head = read_head(path)
    return head.header_value() if head is not None else None


def read_head(path: Path) -> AuditHead | None:
    """The log's current head (``None`` before the first entry or when it is unreadable)."""
    head = _read_full_head(_head_path(path))
    return head if head is not None and head.seq >= 0 else None


_LINE_SHAPES = (set(_FIELDS), set(_SIGNED_FIELDS), set(_KEYED_FIELDS))


def _iter_lines(path: Path) -> Iterator[tuple[int, AuditEntry | None, str]]:
    """(line number, entry or None, problem) for each line; a missing file yields nothing."""
    try:
        fh = path.open("rb")
    except FileNotFoundError:
        return
    with fh:
        for number, raw in enumerate(fh, start=1):
            try:
                data = json.loads(raw)
                if not isinstance(data, dict) or set(data) not in _LINE_SHAPES:
                    raise ValueError("fields")
                entry = AuditEntry(**data)
                if not isinstance(entry.seq, int) or not isinstance(entry.hash, str):
                    raise ValueError("types")
                if not isinstance(entry.key, str | None) or not isinstance(entry.sig, str | None):
                    raise ValueError("types")
            except (ValueError, TypeError, RecursionError):  # RecursionError: absurdly deep nesting
                yield number, None, "not a valid audit line"
                continue
            yield number, entry, ""


def verify(path: Path, *, device_key: str | None = None, enrolled: bool = False) -> AuditReport:
    """Walk the chain, the signatures and the head; report every edited, inserted, deleted or garbled line.

    ``device_key`` (base64url public key from ``device.json``) and ``enrolled``: the kiosk's own log
    must exist, end with entries signed by that key and have a head signed by it (:func:`verify_kiosk`).
    Without them the log is checked on its own terms (signatures against the keys it introduces).
    """
    problems: list[AuditProblem] = []
    expected_prev = GENESIS
    expected_seq = 1
    count = 0
    last_line = 0
    current_key: str | None = None
    for number, entry, problem in _iter_lines(path):
        last_line = number
        if entry is None:
            problems.append(AuditProblem(number, "garbled", problem))
            continue
        count += 1
        data = {k: getattr(entry, k) for k in _FIELDS}
        data["key"] = entry.key
        if _entry_hash(data) != entry.hash:
            problems.append(AuditProblem(number, "edited", "the line's content does not match its hash"))
        if entry.prev != expected_prev:
            problems.append(
                AuditProblem(
                    number, "chain broken", "a line before this one was changed, inserted or deleted"
                )
            )
        if entry.seq != expected_seq:
            kind = "deleted" if entry.seq > expected_seq else "inserted or reordered"
            problems.append(AuditProblem(number, kind, f"sequence {entry.seq}, expected {expected_seq}"))
        if entry.key:
            current_key = entry.key
        if current_key is not None:
            message = _ENTRY_DOMAIN + entry.hash.encode("ascii", "replace")
            if entry.sig is None:
                problems.append(
                    AuditProblem(number, "unsigned", "a line after signing began carries no signature")
                )
            elif not _signature_ok(current_key, entry.sig, message):
                problems.append(
                    AuditProblem(number, "bad signature", "the line was not signed by the device key")
                )
        elif entry.sig is not None:
            problems.append(AuditProblem(number, "bad signature", "a signature without a known key"))
        expected_prev = entry.hash
        expected_seq = entry.seq + 1

    head_file = _head_path(path)
    head = _read_full_head(head_file)
    if head is not None:
        if head.seq < 0:
            problems.append(AuditProblem(last_line + 1, "head unreadable", f"{head_file.name} is damaged"))
        elif (head.seq, head.hash) != (expected_seq - 1, expected_prev if expected_seq > 1 else GENESIS):
            if head.seq > expected_seq - 1:
                detail = (
                    f"the head says {head.seq} entries, the file ends at {expected_seq - 1}: "
                    "last line(s) deleted"
                )
                kind = "deleted at end"
            else:
                detail = "the last line does not match the head"
                kind = "edited at end"
            problems.append(AuditProblem(last_line + 1, kind, detail))
        elif current_key is not None and not (
            head.key == current_key
            and _signature_ok(current_key, head.sig, _head_message(head.seq, head.hash))
        ):
            problems.append(
                AuditProblem(
                    last_line + 1,
                    "head not signed",
                    f"{head_file.name} was rewritten without the device key (lines cut or replaced)",
                )
            )
    elif count:
        problems.append(AuditProblem(last_line + 1, "head missing", f"{head_file.name} was removed"))
    if enrolled:
        if count == 0:
            problems.insert(
                0,
                AuditProblem(
                    1,
                    "missing",
                    f"{path.name} is missing or empty on an enrolled device (deleted?)",
                    f"{path.name} tidak ada atau kosong padahal perangkat terdaftar (dihapus?)",
                ),
            )
        elif device_key is not None and current_key != device_key:
            problems.append(
                AuditProblem(
                    last_line + 1,
                    "not signed by this device",
                    "the newest entries are not signed by this device's key (log replaced?)",
                )
            )
    signed = current_key is not None and not problems
    return AuditReport(
        path=path, entries=count, problems=problems, head_checked=head is not None, signed=signed
    )


def enrolled_device_key(data_dir: Path) -> str | None:
    """The enrolled device's public key from ``device.json`` (no secret is unlocked); None if absent.

    Read here rather than through ``kiosk.device`` so ``audit verify`` needs neither the keyring nor
    the staff passphrase. An unreadable ``device.json`` counts as enrolled with an unknown key.
    """
    from kiosk.device import IDENTITY_FILE

    try:
        record = json.loads((data_dir / IDENTITY_FILE).read_bytes())
    except FileNotFoundError:
        return None
    except (OSError, ValueError, RecursionError):
        return ""
    key = record.get("device_public_key") if isinstance(record, dict) else None
    return key if isinstance(key, str) else ""


def verify_kiosk(audit_file: Path, data_dir: Path) -> AuditReport:
    """Verify this kiosk's own log: on an enrolled device a missing log, or one not signed by the
    device key, is a failure (deleting both files used to read "intact: 0 entries")."""
    key = enrolled_device_key(data_dir)
    return verify(audit_file, device_key=key or None, enrolled=key is not None)
