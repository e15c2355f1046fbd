"""What the operator console shows and does, without Qt: dashboard words, reasons, retention, wipe.

Why Qt-free: the numbers on the dashboard must match the outbox exactly, the reasons must be in
plain words in both languages, and the wipe must remove every secret in the right order. All three
are easier to get right — and to test — as plain functions over ``OutboxStats``/``ItemInfo`` and the
kiosk's paths; the ``ui.console`` widgets only display the :class:`~kiosk.i18n.Message` pairs built
here (Electrum keeps its user-facing messages in a Qt-free ``messages.py`` for the same reason).

No personal data: rows carry submission ids, reference numbers, counts and times only. A reason text
that came from the server is passed through :func:`kiosk.logging_setup.scrub` before it is shown, so
a NIK, phone number or e-mail echoed back by a server never reaches a console widget.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from kiosk import device as device_store
from kiosk import platform
from kiosk.bank_sync import BankStatus
from kiosk.i18n import Message, UserFacingError
from kiosk.logging_setup import scrub
from kiosk.office_time import format_local
from kiosk.paths import KioskPaths
from kiosk.reasons import SERVER_WORDED, reason_words
from kiosk.version_notice import VersionNotice
from offline_queue.outbox import ATTENTION, QUARANTINED, ItemInfo, Outbox, OutboxStats
from offline_queue.reasons import known_code

WIB = dt.timezone(dt.timedelta(hours=7), "WIB")
OPERATORS_FILE = "operators.json"
RECEIPTS_DIR = "receipts"

# ------------------------------------------------------------------------------------------- words


def _plural_en(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def age_in_words(seconds: float | None) -> Message:
    """A duration as people say it: "baru saja", "5 menit", "3 jam", "2 hari" (rounded down)."""
    if seconds is None:
        return Message("—", "—")
    s = max(0, int(seconds))
    if s < 60:
        return Message("kurang dari 1 menit", "less than a minute")
    if s < 3600:
        n = s // 60
        return Message(f"{n} menit", _plural_en(n, "minute"))
    if s < 86400:
        n = s // 3600
        return Message(f"{n} jam", _plural_en(n, "hour"))
    n = s // 86400
    return Message(f"{n} hari", _plural_en(n, "day"))


def bytes_in_words(n: int) -> Message:
    """A size with one decimal in the language's own decimal mark ("1,2 MB" / "1.2 MB")."""
    n = max(0, int(n))
    if n < 1024:
        return Message(f"{n} B", f"{n} B")
    value = float(n)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1024
        if value < 1024 or unit == "TB":
            break
    text = f"{value:.1f}"
    return Message(f"{text.replace('.', ',')} {unit}", f"{text} {unit}")


def clock_in_words(ts: float, now: float, zone: str | None = None) -> Message:
    """A past or future moment with date, time and the office's zone (``kiosk.time_zone``, issue 19):
    "21-11-2026 14:05 WITA". ``now`` is kept for callers; the date is always shown."""
    text = format_local(dt.datetime.fromtimestamp(ts, dt.UTC), zone)
    return Message(text, text)


def last_sync_in_words(ts: float | None, now: float, zone: str | None = None) -> Message:
    """When the server last accepted something: "5 menit lalu (14:05 WIB)", or "belum pernah"."""
    if ts is None:
        return Message("belum pernah", "never")
    age = age_in_words(now - ts)
    at = clock_in_words(ts, now, zone)
    return Message(f"{age.id} lalu ({at.id})", f"{age.en} ago ({at.en})")


def next_attempt_in_words(stats: OutboxStats, now: float, zone: str | None = None) -> Message:
    """When the engine will try next: "sekarang", "dalam 5 menit (14:10 WIB)", or "tidak ada"."""
    times = [t for t in (stats.next_attempt_at, stats.hold_until) if t is not None]
    if stats.waiting == 0 or not times:
        return Message("tidak ada yang menunggu", "nothing waiting")
    if stats.auth_error:
        return Message(
            "ditahan sampai perangkat didaftarkan ulang (prakerja-kiosk enrol KODE)",
            "held until the device is enrolled again (prakerja-kiosk enrol CODE)",
        )
    when = max(times)
    if when <= now + 1:
        return Message("sekarang", "now")
    age = age_in_words(when - now)
    at = clock_in_words(when, now, zone)
    return Message(f"dalam {age.id} ({at.id})", f"in {age.en} ({at.en})")


def auth_refused_in_words(reason: str) -> Message:
    """Uploads stopped because the server refused this device (revoked, token expired), with its reason.

    Why its own words: the server *answers*, so the kiosk looked "online" with no error while nothing
    was sent (issue 22); staff must read that the device needs Dinas IT, and why.
    """
    why = reason_in_words(reason)
    return Message(
        f"⊘ pengiriman dihentikan: server menolak perangkat ini — {why.id} Hubungi Dinas IT untuk "
        "mendaftarkan ulang perangkat; data tetap aman di antrean.",
        f"⊘ uploads stopped: the server refused this device — {why.en} Ask Dinas IT to enrol the "
        "device again; the data stays safe in the queue.",
    )


def connection_in_words(online: bool | None) -> Message:
    """Connectivity with a symbol as well as words (never colour alone)."""
    if online is None:
        return Message("◌ belum diketahui", "◌ not known yet")
    if online:
        return Message("● terhubung", "● online")
    return Message("○ tidak terhubung", "○ offline")


STATUS_WORDS: dict[str, Message] = {
    "received": Message("Sudah diterima server pusat.", "Received by the central server."),
    "verifying": Message("Sedang diverifikasi oleh pusat.", "Being verified centrally."),
    "accepted": Message(
        "Data diterima. Menunggu pengumuman gelombang.", "Data accepted. Waiting for the wave result."
    ),
    "rejected": Message("Pendaftaran ditolak.", "Registration rejected."),
    "passed": Message("Lolos.", "Passed."),
    "failed": Message(
        "Tidak lolos. Dapat mendaftar di gelombang berikutnya.", "Not passed. May join the next wave."
    ),
}
LOCAL_STATE_WORDS: dict[str, Message] = {
    "pending": Message(
        "Tersimpan di kiosk ini, menunggu dikirim.", "Stored on this kiosk, waiting to be sent."
    ),
    "retry": Message(
        "Tersimpan di kiosk ini; pengiriman akan dicoba lagi.",
        "Stored on this kiosk; sending will be retried.",
    ),
    "sending": Message("Sedang dikirim ke pusat.", "Being sent to the central server."),
    "attention": Message(
        "Ditolak server; perlu diperiksa petugas.", "Refused by the server; needs an operator's attention."
    ),
    "quarantined": Message(
        "Dikarantina: data di kiosk rusak; perlu diperiksa petugas.",
        "Quarantined: the stored data is damaged; needs an operator's attention.",
    ),
    "delivered": Message("Sudah terkirim ke pusat.", "Delivered to the central server."),
}


def status_in_words(status: str) -> Message:
    """A central status code (received … failed) in words; unknown codes say so."""
    return STATUS_WORDS.get(
        status, Message(f"Status tidak dikenal ({status}).", f"Unknown status ({status}).")
    )


_BILINGUAL_REASON = re.compile(r"^(?P<id>.+?) / (?P<en>.+?)(?: \[(?P<code>[a-z0-9_.\-]+)\])?$", re.DOTALL)
MAX_REASON_CHARS = 300


def reason_in_words(reason: str | None, state: str = ATTENTION, code: str | None = None) -> Message:
    """The outbox's reason as a bilingual message, with any personal data masked.

    ``code`` (``ItemInfo.reason_code``, an ``offline_queue.reasons.ReasonCode`` value) chooses the
    words when the kiosk has its own for it (``kiosk.reasons``); the sentence is then only for logs.
    Server refusals keep the server's words, ``"<id> / <en> [code]"`` (``offline_queue.transport``
    keeps both languages); anything else is shown as it is, masked and shortened.
    """
    words = reason_words(code)
    if words is not None and (known_code(code) not in SERVER_WORDED or not reason):
        return words
    if not reason:
        if state == QUARANTINED:
            return LOCAL_STATE_WORDS[QUARANTINED]
        return Message("Tanpa keterangan dari server.", "No reason given by the server.")
    text = scrub(reason.strip())[:MAX_REASON_CHARS]
    match = _BILINGUAL_REASON.match(text)
    if match:
        code = match.group("code")
        suffix = f" [{code}]" if code else ""
        return Message(match.group("id") + suffix, match.group("en") + suffix)
    return Message(f"Alasan: {text}", f"Reason: {text}")


# --------------------------------------------------------------------------------------- dashboard


@dataclass(frozen=True, slots=True)
class DashboardRow:
    """One line of the dashboard: a stable key (widget names, tests), a label and a value."""

    key: str
    label: Message
    value: Message
    warn: bool = False


DASHBOARD_KEYS: tuple[str, ...] = (
    "waiting",
    "sending",
    "delivered_today",
    "attention",
    "quarantined",
    "oldest_waiting",
    "bytes_waiting",
    "last_sync",
    "next_attempt",
    "connection",
    "device",
    "bank",
    "app_version",
    "settings",
)


def unsent_count(stats: OutboxStats) -> int:
    """Registrations not yet delivered: waiting (incl. sending), needing attention, quarantined."""
    return stats.waiting + stats.counts.get(ATTENTION, 0) + stats.counts.get(QUARANTINED, 0)


def bank_row(bank: BankStatus | None) -> DashboardRow:
    """The question bank in use: id, version, age since the centre confirmed it; ⚠ when stale/missing."""
    label = Message("Bank soal", "Test bank")
    if bank is None:
        return DashboardRow("bank", label, Message("—", "—"))
    return DashboardRow("bank", label, Message(bank.console_text("id"), bank.console_text("en")), bank.stale)


def version_row(notice: VersionNotice | None) -> DashboardRow:
    """The app version against the centre's policy (issue 19); ⚠ when outdated."""
    label = Message("Versi aplikasi", "App version")
    if notice is None:
        return DashboardRow("app_version", label, Message("—", "—"))
    return DashboardRow("app_version", label, notice.message(), notice.outdated or notice.below_minimum)


def dashboard_rows(
    stats: OutboxStats,
    *,
    online: bool | None,
    device_id: str | None,
    now: float | None = None,
    bank: BankStatus | None = None,
    version: VersionNotice | None = None,
    zone: str | None = None,
    settings: Message | None = None,
) -> list[DashboardRow]:
    """The dashboard, in :data:`DASHBOARD_KEYS` order. ``waiting`` includes items being sent."""
    now = time.time() if now is None else now
    counts = stats.counts

    def n(value: int) -> Message:
        return Message(str(value), str(value))

    attention = counts.get(ATTENTION, 0)
    quarantined = counts.get(QUARANTINED, 0)
    return [
        DashboardRow("waiting", Message("Menunggu dikirim", "Waiting to be sent"), n(stats.waiting)),
        DashboardRow("sending", Message("Sedang dikirim", "Sending now"), n(counts.get("sending", 0))),
        DashboardRow(
            "delivered_today", Message("Terkirim hari ini", "Delivered today"), n(stats.delivered_today)
        ),
        DashboardRow("attention", Message("Perlu perhatian", "Needs attention"), n(attention), attention > 0),
        DashboardRow("quarantined", Message("Dikarantina", "Quarantined"), n(quarantined), quarantined > 0),
        DashboardRow(
            "oldest_waiting",
            Message("Menunggu paling lama", "Oldest waiting"),
            age_in_words(stats.oldest_waiting_age_s),
        ),
        DashboardRow(
            "bytes_waiting", Message("Ukuran menunggu", "Size waiting"), bytes_in_words(stats.bytes_waiting)
        ),
        DashboardRow(
            "last_sync",
            Message("Terakhir terkirim", "Last delivery"),
            last_sync_in_words(stats.last_success_at, now, zone),
        ),
        DashboardRow(
            "next_attempt",
            Message("Percobaan berikutnya", "Next attempt"),
            next_attempt_in_words(stats, now, zone),
        ),
        DashboardRow(
            "connection",
            Message("Sambungan", "Connection"),
            auth_refused_in_words(stats.auth_error) if stats.auth_error else connection_in_words(online),
            online is False or bool(stats.auth_error),
        ),
        DashboardRow(
            "device",
            Message("ID perangkat", "Device id"),
            Message(device_id, device_id) if device_id else Message("belum terdaftar", "not enrolled"),
            device_id is None,
        ),
        bank_row(bank),
        version_row(version),
        DashboardRow(
            "settings", Message("Sumber pengaturan", "Settings source"), settings or Message("—", "—")
        ),
    ]


@dataclass(frozen=True, slots=True)
class AttentionRow:
    """One registration a person must look at: reference number, state and reason in words."""

    item_id: str
    reference: str
    state: str
    reason: Message
    since: Message
    attempts: int


def audit_reference(ref: str) -> str:
    """A reference number as the audit log records it: ``PK-XXXX-XXXX-XXXX`` (no check symbol).

    Why without the check symbol: it may be one of ``*~$=``, which the audit log refuses as free
    text; the 12 data symbols identify the registration exactly (the check symbol is derived from
    them) and staff still recognise the number from the receipt. Text that is not a reference is
    returned unchanged (the audit log then judges it).
    """
    from kiosk import reference

    try:
        parsed = reference.parse(ref)
    except reference.ReferenceNumberError:
        return ref
    return str(parsed)[:-2]


def item_reference(info: ItemInfo) -> str:
    """The receipt's reference from the item's metadata ("—" when an imported item has none)."""
    ref = info.meta.get("reference")
    return ref if isinstance(ref, str) and ref else "—"


def attention_rows(
    outbox: Outbox, *, now: float | None = None, zone: str | None = None
) -> list[AttentionRow]:
    """Items needing attention, then quarantined ones, oldest first (blocking: run off the GUI thread)."""
    now = time.time() if now is None else now
    rows: list[AttentionRow] = []
    for state in (ATTENTION, QUARANTINED):
        for info in outbox.items(state):
            rows.append(
                AttentionRow(
                    item_id=info.id,
                    reference=item_reference(info),
                    state=state,
                    reason=reason_in_words(info.reason or info.last_error, state, info.reason_code),
                    since=clock_in_words(info.updated_at, now, zone),
                    attempts=info.attempts,
                )
            )
    return rows


@dataclass(frozen=True, slots=True)
class DashboardSnapshot:
    """Everything the dashboard and the attention list show, read in one worker call."""

    stats: OutboxStats
    rows: list[DashboardRow]
    attention: list[AttentionRow]


def snapshot(
    outbox: Outbox,
    online: bool | None,
    device_id: str | None,
    *,
    now: float | None = None,
    bank_status: Callable[[], BankStatus] | None = None,
    version: VersionNotice | None = None,
    zone: str | None = None,
    settings_sources: Callable[[], Message] | None = None,
) -> DashboardSnapshot:
    """Read the outbox once for the dashboard and the attention list (run off the GUI thread).

    ``bank_status`` (``KioskRuntime.bank_sync.status``) is called here too: it re-verifies the cached
    bank's signature, which is disk and CPU work for the worker, not the GUI thread.
    """
    now = time.time() if now is None else now
    stats = outbox.stats()
    bank = bank_status() if bank_status is not None else None
    settings = settings_sources() if settings_sources is not None else None
    return DashboardSnapshot(
        stats=stats,
        rows=dashboard_rows(
            stats,
            online=online,
            device_id=device_id,
            now=now,
            bank=bank,
            version=version,
            zone=zone,
            settings=settings,
        ),
        attention=attention_rows(outbox, now=now, zone=zone),
    )


def export_items(outbox: Outbox, item_ids: Sequence[str], path: Path) -> int:
    """Write the named not-yet-delivered items (e.g. one needing attention) to an export file.

    The file has the same format as a field-work export (``offline_queue.exchange``), so the central
    office can import it on a connected kiosk or inspect it. Returns how many were written.
    """
    from offline_queue import exchange

    wanted = set(item_ids)
    chosen = []
    for info in outbox.items():
        if info.id in wanted:
            blob = outbox.blob(info.id)
            if blob is not None:
                chosen.append((info, blob))
    return exchange.write_export(path, chosen)


# --------------------------------------------------------------------------------------- retention


def purge_delivered(outbox: Outbox, tombstone_days: int) -> int:
    """Delete delivered tombstones older than ``tombstone_days`` (config ``retention``); how many."""
    return outbox.purge_tombstones(dt.timedelta(days=max(1, int(tombstone_days))))


# ------------------------------------------------------------------------------------- field work


USB_ROOTS: tuple[Path, ...] = platform.POSIX_USB_ROOTS
"""Kept for callers that name the POSIX roots; the search itself asks :func:`kiosk.platform.usb_roots`."""


def usb_export_dir(roots: Sequence[Path] | None = None) -> Path | None:
    """A mounted removable drive to suggest for an export (first writable one), Qt-free.

    The console asks Qt's ``QStorageInfo`` first (``ui.removable``); this is the headless fallback.
    ``roots`` default to the platform's (:func:`kiosk.platform.usb_roots`: ``/media``, ``/run/media``,
    ``/mnt`` two levels deep on Debian, the removable drive letters on Windows). ``None`` when nothing
    is mounted (the dialog then opens in the home folder).
    """
    found = platform.removable_candidates(platform.usb_roots() if roots is None else roots)
    return found[0] if found else None


def export_file_name(device_id: str | None, now: float | None = None) -> str:
    """``prakerja-<device>-<YYYYMMDD-HHMM>.oqx``: sortable, says which kiosk it came from."""
    when = dt.datetime.fromtimestamp(time.time() if now is None else now, WIB)
    short = re.sub(r"[^A-Za-z0-9]", "", device_id or "kiosk")[:12] or "kiosk"
    return f"prakerja-{short}-{when.strftime('%Y%m%d-%H%M')}.oqx"


# -------------------------------------------------------------------------------------------- wipe


class WipeError(UserFacingError):
    """The wipe was refused or could not finish; ``message`` says what to do."""

    def __init__(self, message: Message) -> None:
        super().__init__(message, message.en)
        self.message = message


class ForgetsOperators(Protocol):
    """What the wipe needs of ``kiosk.operator_auth.OperatorAuth``."""

    def forget_all(self) -> None: ...


@dataclass(frozen=True, slots=True)
class WipeReport:
    """What a wipe removed. ``discarded_unsent`` registrations were never delivered (confirmed)."""

    discarded_unsent: int
    device_removed: bool
    removed: list[str] = field(default_factory=list)


def wipe_device(
    paths: KioskPaths,
    *,
    outbox: Outbox,
    confirmed_unsent: int,
    auth: ForgetsOperators | None,
    stop_services: Callable[[], None],
) -> WipeReport:
    """Remove keys, queue and cached data, after the supervisor confirmed what is still unsent.

    Order matters: refuse if more registrations are unsent than were confirmed (one arrived since the
    question was asked); stop the sync engine and close the outbox (``stop_services``); remove the
    device keys first (a half-finished wipe must never leave keys behind), then the outbox files, the
    cached data (test bank cache, receipts PDFs) and the operators' cached verifiers. The audit log
    stays: it holds no personal data and records that the wipe happened. Blocking: run off the GUI
    thread.
    """
    unsent = unsent_count(outbox.stats())
    if unsent > confirmed_unsent:
        raise WipeError(
            Message(
                f"Ada {unsent} pendaftaran belum terkirim, lebih dari yang dikonfirmasi "
                f"({confirmed_unsent}). Periksa lagi sebelum menghapus.",
                f"{unsent} registrations are unsent, more than confirmed ({confirmed_unsent}). "
                "Check again before wiping.",
            )
        )
    stop_services()
    removed: list[str] = []
    device_removed = device_store.wipe(paths)
    if device_removed:
        removed.append("device-keys")
    # The outbox with its companions: the ledger of acknowledged ids (left behind, the next start
    # would report every id as lost), the disk reserve, and damaged files kept for inspection.
    name = paths.outbox_file.name
    companions = [paths.outbox_file.with_name(name + s) for s in ("", "-wal", "-shm", "-journal")]
    companions += [paths.outbox_file.with_name(name + s) for s in (".ledger", ".reserve")]
    companions += sorted(paths.outbox_file.parent.glob(name + ".corrupt-*"))
    for target in companions:
        if target.exists():
            target.unlink()
            removed.append(target.name)
    for folder in (paths.cache_dir, paths.data_dir / RECEIPTS_DIR):
        if folder.exists():
            for child in list(folder.iterdir()):
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child)
                else:
                    child.unlink()
                removed.append(f"{folder.name}/{child.name}")
    if auth is not None:
        auth.forget_all()
        removed.append(OPERATORS_FILE)
    else:
        with contextlib.suppress(FileNotFoundError):
            (paths.data_dir / OPERATORS_FILE).unlink()
            removed.append(OPERATORS_FILE)
    return WipeReport(discarded_unsent=unsent, device_removed=device_removed, removed=removed)


def operators_file(paths: KioskPaths) -> Path:
    """Where the operators' cached offline verifiers live (``OperatorAuth``'s store)."""
    return paths.data_dir / OPERATORS_FILE
