"""Append-only, hash-chained audit log of operator actions, with no personal data.

Why a hash chain in JSON lines: it is readable with any text tool, appending is one ``write`` + fsync,
and every line commits to the one before it, so editing, inserting or deleting a line breaks the chain
at that point. Deleting the *last* lines leaves a valid shorter chain, so a separate head file records
the sequence number and hash of the newest line; :func:`verify` compares the two.

Limits (also in ``docs/decisions.md``): someone who can write the files can recompute the whole chain
and the head. The chain proves the log was not changed *by accident or by a careless edit*; against a
determined local administrator only a copy held elsewhere helps (the head hash is small enough to
print on a receipt or send to the API).

No personal data: ``operator`` is an operator id, ``action`` a code, ``reference`` a submission id or
reference number; values that look like a NIK, phone number, e-mail or a registered applicant value
are refused with :class:`AuditError` instead of being written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kiosk.atomic_file import write_atomic
from kiosk.i18n import Message
from kiosk.logging_setup import contains_pii

GENESIS = "0" * 64
HEAD_SUFFIX = ".head"
_OPERATOR_RE = re.compile(r"^[A-Za-z0-9_.:@-]{1,64}$")
_ACTION_RE = re.compile(r"^[a-z][a-z0-9_.]{0,63}$")
_REFERENCE_RE = re.compile(r"^[A-Za-z0-9_.:/-]{1,80}$")
_FIELDS = ("seq", "time", "operator", "action", "reference", "prev", "hash")


class AuditError(Exception):
    """The entry was refused or the log cannot be written. ``message`` is bilingual."""

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(message.en)


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


@dataclass(frozen=True, slots=True)
class AuditProblem:
    """Where the chain breaks (1-based line number) and why, in plain words."""

    line: int
    kind: str
    detail: str


@dataclass(frozen=True, slots=True)
class AuditReport:
    """Result of :func:`verify`."""

    path: Path
    entries: int
    problems: list[AuditProblem] = field(default_factory=list)
    head_checked: bool = False

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
            return Message(
                f"Log audit utuh: {self.entries} entri{note_id}.",
                f"Audit log intact: {self.entries} entries{note}.",
            )
        first = self.problems[0]
        return Message(
            f"Log audit RUSAK di baris {first.line}: {first.kind} ({len(self.problems)} masalah).",
            f"Audit log TAMPERED at line {first.line}: {first.kind} - {first.detail} ({len(self.problems)} problem(s)).",
        )


def _entry_hash(fields: dict[str, Any]) -> str:
    body = {k: fields[k] for k in _FIELDS if k != "hash"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


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
    """Appends entries to ``path`` (thread-safe within the process; one kiosk process writes it)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def _tail(self) -> tuple[int, str]:
        """Sequence number and hash of the last valid line (0, GENESIS for an empty log)."""
        head = _read_head(_head_path(self.path))
        if head is not None and head[0] >= 0:
            return head
        last: tuple[int, str] = (0, GENESIS)
        for _, entry, _ in _iter_lines(self.path):
            if entry is not None:
                last = (entry.seq, entry.hash)
        return last

    def append(self, operator: str, action: str, reference: str | None = None) -> AuditEntry:
        """Write one entry durably (fsync) and move the head; returns it."""
        if not _OPERATOR_RE.match(operator) or contains_pii(operator):
            raise _refuse("operator")
        if not _ACTION_RE.match(action):
            raise _refuse("action")
        if reference is not None and (not _REFERENCE_RE.match(reference) or contains_pii(reference)):
            raise _refuse("reference")
        with self._lock:
            try:
                self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                seq, prev = self._tail()
                fields: dict[str, Any] = {
                    "seq": seq + 1,
                    "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                    "operator": operator,
                    "action": action,
                    "reference": reference,
                    "prev": prev,
                }
                fields["hash"] = _entry_hash(fields)
                line = json.dumps({k: fields[k] for k in _FIELDS}, separators=(",", ":")) + "\n"
                fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
                try:
                    os.write(fd, line.encode("ascii"))
                    os.fsync(fd)
                finally:
                    os.close(fd)
                _write_head(_head_path(self.path), fields["seq"], fields["hash"])
            except OSError as exc:
                raise AuditError(
                    Message(
                        f"Log audit {self.path} tidak bisa ditulis ({exc.strerror}).",
                        f"Audit log {self.path} cannot be written ({exc.strerror}).",
                    )
                ) from None
        return AuditEntry(**fields)


def _write_head(path: Path, seq: int, digest: str) -> None:
    write_atomic(path, json.dumps({"seq": seq, "hash": digest}).encode("ascii"))


def _read_head(path: Path) -> tuple[int, str] | None:
    try:
        data = json.loads(path.read_bytes())
        return int(data["seq"]), str(data["hash"])
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError, RecursionError, OverflowError):
        return (-1, "unreadable")


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
                if not isinstance(data, dict) or set(data) != set(_FIELDS):
                    raise ValueError("fields")
                entry = AuditEntry(**data)
                if not isinstance(entry.seq, int) or not isinstance(entry.hash, str):
                    raise ValueError("types")
            except (ValueError, TypeError, RecursionError):  # RecursionError: absurdly deep nesting
                yield number, None, "not a valid audit line"
                continue
            yield number, entry, ""


def verify(path: Path) -> AuditReport:
    """Walk the chain and the head; report every edited, inserted, deleted or garbled line."""
    problems: list[AuditProblem] = []
    expected_prev = GENESIS
    expected_seq = 1
    count = 0
    last_line = 0
    for number, entry, problem in _iter_lines(path):
        last_line = number
        if entry is None:
            problems.append(AuditProblem(number, "garbled", problem))
            continue
        count += 1
        data = {k: getattr(entry, k) for k in _FIELDS}
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
        expected_prev = entry.hash
        expected_seq = entry.seq + 1

    head = _read_head(_head_path(path))
    if head is not None:
        seq, digest = head
        if seq < 0:
            problems.append(
                AuditProblem(last_line + 1, "head unreadable", f"{_head_path(path).name} is damaged")
            )
        elif (seq, digest) != (expected_seq - 1, expected_prev if expected_seq > 1 else GENESIS):
            if seq > expected_seq - 1:
                detail = (
                    f"the head says {seq} entries, the file ends at {expected_seq - 1}: last line(s) deleted"
                )
                kind = "deleted at end"
            else:
                detail = "the last line does not match the head"
                kind = "edited at end"
            problems.append(AuditProblem(last_line + 1, kind, detail))
    elif count:
        problems.append(AuditProblem(last_line + 1, "head missing", f"{_head_path(path).name} was removed"))
    return AuditReport(path=path, entries=count, problems=problems, head_checked=head is not None)
