"""Health heartbeats to the centre (issue 19): what Dinas IT needs to see which kiosk is stuck.

A heartbeat is a small request signed with the device key (``kiosk.signed_request``, kind
``heartbeat``) holding only counts, versions and states — never applicant data: app version, office,
bank id/version/age, queue counts (waiting, needs attention, quarantined, oldest waiting age), last
successful delivery, free disk space, camera and printer state, the audit log's head hash and the
server's last refusal reason. The server keeps the latest per device and a short history
(``central_api.fleet``). :class:`FleetAgent` (``kiosk.fleet_agent``) sends one after each sync round and
at least hourly when idle.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import logging
import shutil
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict

from kiosk import audit as audit_log
from kiosk.api_client import ApiClient, ApiError
from kiosk.bank_sync import BankStatus
from kiosk.device import DeviceIdentity
from kiosk.paths import KioskPaths
from kiosk.signed_request import sign_request
from kiosk.version_notice import VersionNotice
from offline_queue.outbox import ATTENTION, QUARANTINED, OutboxStats

log = logging.getLogger(__name__)


def app_version() -> str:
    """The installed kiosk version (``pyproject.toml``'s, via the package metadata)."""
    try:
        return importlib.metadata.version("prakerja-kiosk")
    except importlib.metadata.PackageNotFoundError:  # a frozen bundle without metadata
        return "0+unknown"


@dataclass
class HardwareState:
    """Set by the UI (the only layer that can see Qt's cameras and printers); read by heartbeats."""

    camera: str = "unknown"  # "ok", "none", "demo", "error", "unknown"
    printer: str = "unknown"  # "pdf" (no printer configured), "ok", "missing", "unknown"
    extra: dict[str, str] = field(default_factory=dict)


def build_report(
    *,
    stats: OutboxStats,
    paths: KioskPaths,
    bank: BankStatus | None,
    hardware: HardwareState,
    office: str = "",
    version: str | None = None,
) -> dict[str, Any]:
    """The heartbeat body; every field is a count, a version or a state (tested for PII)."""
    try:
        free: int | None = shutil.disk_usage(paths.data_dir).free
    except OSError:
        free = None
    try:
        head = audit_log.head_header(paths.audit_file)
    except Exception:  # an unreadable head is reported as missing, never a crash
        head = None
    last = stats.last_success_at
    return {
        "app_version": version or app_version(),
        "office": office[:120],
        "bank_id": bank.bank_id if bank else None,
        "bank_version": bank.version if bank else None,
        "bank_age_s": round(bank.age_s, 1) if bank and bank.age_s is not None else None,
        "waiting": stats.waiting,
        "attention": stats.counts.get(ATTENTION, 0),
        "quarantined": stats.counts.get(QUARANTINED, 0),
        "oldest_waiting_age_s": (
            round(stats.oldest_waiting_age_s, 1) if stats.oldest_waiting_age_s is not None else None
        ),
        "last_delivery_at": dt.datetime.fromtimestamp(last, dt.UTC).isoformat() if last else None,
        "disk_free_bytes": free,
        "camera": hardware.camera[:40],
        "printer": hardware.printer[:40],
        "audit_head": head[:200] if head else None,
        "auth_error": stats.auth_error[:80] if stats.auth_error else None,
    }


class _Stored(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    stored: bool
    server_time: dt.datetime
    min_version: str | None = None
    latest_version: str | None = None


def send_heartbeat(api: ApiClient, identity: DeviceIdentity, report: dict[str, Any]) -> VersionNotice | None:
    """POST one signed heartbeat; the centre's version policy from the reply, ``None`` when offline
    or refused (logged, never raised)."""
    doc = sign_request("heartbeat", identity.device_id, identity.signing_key, report)
    try:
        answer = api._call("POST", "/v1/devices/heartbeat", _Stored, json=doc, auth=False)
    except ApiError as exc:
        log.info("heartbeat not sent (%s %s)", type(exc).__name__, exc.code or "")
        return None
    return VersionNotice(
        str(report.get("app_version", app_version())), answer.min_version, answer.latest_version
    )
