"""The fleet as the centre sees it (issue 19): token renewal, health heartbeats, the supervisor's view.

Why a module (and tables) of its own: device routes, submissions and the database schema are worked on
by others; the fleet features only *add* tables (``create_all`` creates them on an existing database
without a migration, like ``DeviceRevocation``) and read the shared ones.

* :func:`verify_device_request` — a request signed with the device's enrolment key
  (``kiosk.signed_request``): the device must exist and not be revoked, ``sent_at`` must be within
  :data:`FRESH_WINDOW` of the server clock and newer than the last accepted one of that kind (replay).
* :func:`renew_token` — a fresh bearer token (the old one stops working at once).
* :func:`store_heartbeat` — the latest report per device (:class:`DeviceHealth`) plus a bounded history
  (:class:`HeartbeatLog`, :data:`HISTORY_PER_DEVICE` rows per device).
* :func:`fleet_overview` — what the supervisor page shows.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import DateTime, Integer, String, Text, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column

from central_api.db import Base, Device, EnrolmentCode, Submission, as_utc, utcnow
from central_api.runtime import Runtime
from central_api.security import digest, new_token
from kiosk.signed_request import SignedRequestError, parse_request, verify

FRESH_WINDOW = dt.timedelta(hours=24)
"""How far a request's ``sent_at`` may be from the server clock (kiosk clocks drift; replays are
refused by the per-device sequence anyway)."""
HISTORY_PER_DEVICE = 200
STUCK_AFTER = dt.timedelta(hours=6)
"""A kiosk with items waiting longer than this, or silent for longer than this, is listed as stuck."""


class RequestSeen(Base):
    """The newest accepted ``sent_at`` per device and request kind (replay protection)."""

    __tablename__ = "fleet_requests_seen"
    device_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    sent_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class DeviceHealth(Base):
    """The latest heartbeat of one device (no applicant data: counts, versions, states)."""

    __tablename__ = "fleet_device_health"
    device_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    office: Mapped[str] = mapped_column(String(120), default="")
    app_version: Mapped[str] = mapped_column(String(40), default="")
    report_json: Mapped[str] = mapped_column(Text)


class HeartbeatLog(Base):
    """Past heartbeats (bounded per device) for looking back at a kiosk's history."""

    __tablename__ = "fleet_heartbeats"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    device_id: Mapped[str] = mapped_column(String(40), index=True)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    report_json: Mapped[str] = mapped_column(Text)


class HeartbeatReport(BaseModel):
    """What a kiosk reports. ``extra="forbid"``: nothing else (in particular no applicant data) is stored."""

    model_config = ConfigDict(extra="forbid")

    app_version: str = Field(max_length=40)
    office: str = Field(default="", max_length=120)
    bank_id: str | None = Field(default=None, max_length=80)
    bank_version: int | None = Field(default=None, ge=0)
    bank_age_s: float | None = Field(default=None, ge=0)
    waiting: int = Field(ge=0)
    attention: int = Field(ge=0)
    quarantined: int = Field(ge=0)
    oldest_waiting_age_s: float | None = Field(default=None, ge=0)
    last_delivery_at: dt.datetime | None = None
    disk_free_bytes: int | None = Field(default=None, ge=0)
    camera: str = Field(default="unknown", max_length=40)
    printer: str = Field(default="unknown", max_length=40)
    audit_head: str | None = Field(default=None, max_length=200)
    auth_error: str | None = Field(default=None, max_length=80)


class FleetRefusal(Exception):
    """A signed device request refused: ``status`` (401/403/422) and ``code`` for the API error."""

    def __init__(self, status: int, code: str) -> None:
        super().__init__(code)
        self.status = status
        self.code = code


def verify_device_request(
    rt: Runtime, doc: Any, kind: str, *, now: dt.datetime | None = None
) -> tuple[str, dict[str, Any]]:
    """``(device_id, body)`` of a valid, fresh, not replayed request from an enrolled, active device."""
    now = now or utcnow()
    try:
        device_id, sent_at, body, signed, signature = parse_request(doc, kind)
    except SignedRequestError as exc:
        raise FleetRefusal(422, "signed_request_invalid") from exc
    if abs(now - sent_at) > FRESH_WINDOW:
        raise FleetRefusal(401, "signed_request_stale")
    with rt.session() as s:
        device = s.get(Device, device_id)
        if device is None:
            raise FleetRefusal(401, "auth_invalid")
        try:
            verify(signed, signature, Ed25519PublicKey.from_public_bytes(device.public_key))
        except (SignedRequestError, ValueError) as exc:
            raise FleetRefusal(401, "auth_invalid") from exc
        if device.revoked:
            raise FleetRefusal(403, "device_revoked")
        seen = s.get(RequestSeen, (device_id, kind))
        if seen is not None and sent_at <= as_utc(seen.sent_at):
            raise FleetRefusal(401, "signed_request_replayed")
        if seen is None:
            s.add(RequestSeen(device_id=device_id, kind=kind, sent_at=sent_at))
        else:
            seen.sent_at = sent_at
    return device_id, body


def renew_token(rt: Runtime, device_id: str) -> tuple[str, dt.datetime]:
    """Issue a new bearer token for ``device_id``; the previous token is invalid from now on."""
    token = new_token()
    expires = utcnow() + dt.timedelta(days=rt.settings.device_token_days)
    with rt.session() as s:
        device = s.get(Device, device_id)
        if device is None or device.revoked:
            raise FleetRefusal(403, "device_revoked")
        device.token_hash = digest(token)
        device.token_expires_at = expires
    return token, expires


def store_heartbeat(rt: Runtime, device_id: str, report: HeartbeatReport) -> None:
    """Keep the report as the device's latest and in its bounded history."""
    now = utcnow()
    text = report.model_dump_json()
    with rt.session() as s:
        row = s.get(DeviceHealth, device_id)
        if row is None:
            s.add(
                DeviceHealth(
                    device_id=device_id,
                    received_at=now,
                    office=report.office,
                    app_version=report.app_version,
                    report_json=text,
                )
            )
        else:
            row.received_at, row.office, row.app_version, row.report_json = (
                now,
                report.office,
                report.app_version,
                text,
            )
        s.add(HeartbeatLog(device_id=device_id, received_at=now, report_json=text))
        s.flush()
        cutoff = s.execute(
            select(HeartbeatLog.id)
            .where(HeartbeatLog.device_id == device_id)
            .order_by(HeartbeatLog.id.desc())
            .offset(HISTORY_PER_DEVICE)
            .limit(1)
        ).scalar_one_or_none()
        if cutoff is not None:
            s.execute(
                delete(HeartbeatLog).where(HeartbeatLog.device_id == device_id, HeartbeatLog.id <= cutoff)
            )


# ------------------------------------------------------------------------------------ supervisor
@dataclass(frozen=True, slots=True)
class KioskRow:
    """One kiosk on the supervisor page."""

    device_id: str
    label: str
    office: str
    revoked: bool
    last_seen: dt.datetime | None
    app_version: str
    bank: str
    waiting: int
    attention: int
    quarantined: int
    oldest_waiting_age_s: float | None
    last_delivery_at: dt.datetime | None
    stuck_reasons: tuple[str, ...]

    @property
    def stuck(self) -> bool:
        return bool(self.stuck_reasons)


@dataclass(frozen=True, slots=True)
class FleetOverview:
    """Kiosks (stuck first), registrations per day per office, enrolment codes issued."""

    kiosks: list[KioskRow]
    per_day: list[tuple[str, str, int]]  # (day, office, count), newest day first
    codes: list[dict[str, Any]]
    generated_at: dt.datetime


def _stuck_reasons(
    last_seen: dt.datetime | None, report: dict[str, Any], revoked: bool, now: dt.datetime
) -> tuple[str, ...]:
    reasons: list[str] = []
    if revoked:
        return ()
    if last_seen is None:
        reasons.append("never reported")
    elif now - last_seen > STUCK_AFTER:
        reasons.append("silent")
    oldest = report.get("oldest_waiting_age_s")
    if isinstance(oldest, int | float) and oldest > STUCK_AFTER.total_seconds():
        reasons.append("queue stuck")
    if report.get("attention") or report.get("quarantined"):
        reasons.append("needs attention")
    if report.get("auth_error"):
        reasons.append("refused by server")
    return tuple(reasons)


def fleet_overview(rt: Runtime, *, days: int = 14, now: dt.datetime | None = None) -> FleetOverview:
    """Everything the supervisor page shows, read in one session."""
    now = now or utcnow()
    with rt.session() as s:
        devices = s.execute(select(Device)).scalars().all()
        health = {h.device_id: h for h in s.execute(select(DeviceHealth)).scalars().all()}
        kiosks: list[KioskRow] = []
        office_of: dict[str, str] = {}
        for d in devices:
            h = health.get(d.id)
            report: dict[str, Any] = json.loads(h.report_json) if h is not None else {}
            last_seen = as_utc(h.received_at) if h is not None else None
            office = (h.office if h is not None and h.office else "") or d.label or "—"
            office_of[d.id] = office
            bank = f"{report['bank_id']} v{report.get('bank_version')}" if report.get("bank_id") else "—"
            delivered = report.get("last_delivery_at")
            kiosks.append(
                KioskRow(
                    device_id=d.id,
                    label=d.label,
                    office=office,
                    revoked=d.revoked,
                    last_seen=last_seen,
                    app_version=str(report.get("app_version", "—")),
                    bank=bank,
                    waiting=int(report.get("waiting", 0)),
                    attention=int(report.get("attention", 0)),
                    quarantined=int(report.get("quarantined", 0)),
                    oldest_waiting_age_s=report.get("oldest_waiting_age_s"),
                    last_delivery_at=dt.datetime.fromisoformat(delivered) if delivered else None,
                    stuck_reasons=_stuck_reasons(last_seen, report, d.revoked, now),
                )
            )
        kiosks.sort(
            # Stuck first, the longest-held queue at the top; the page groups by office in this
            # order, so the office with the worst kiosk comes first and stuck kiosks lead each office.
            key=lambda k: (not k.stuck, k.revoked, -(k.oldest_waiting_age_s or 0), k.office, k.device_id)
        )
        since = now - dt.timedelta(days=days)
        day = func.date(Submission.received_at)
        rows = s.execute(
            select(day, Submission.device_id, func.count())
            .where(Submission.received_at >= since)
            .group_by(day, Submission.device_id)
        ).all()
        counts: dict[tuple[str, str], int] = {}
        for d_day, device_id, n in rows:
            key = (str(d_day), office_of.get(device_id, "—"))
            counts[key] = counts.get(key, 0) + int(n)
        per_day = sorted(
            ((d, o, n) for (d, o), n in counts.items()), key=lambda r: (r[0], r[1]), reverse=False
        )
        per_day.sort(key=lambda r: r[0], reverse=True)
        codes = [
            {
                "label": c.label,
                "created_at": as_utc(c.created_at),
                "expires_at": as_utc(c.expires_at),
                "used_at": as_utc(c.used_at) if c.used_at else None,
                "device_id": c.device_id,
            }
            for c in s.execute(
                select(EnrolmentCode).order_by(EnrolmentCode.created_at.desc()).limit(200)
            ).scalars()
        ]
    return FleetOverview(kiosks, per_day, codes, now)


# ------------------------------------------------------------------------------ central settings
class CentralSettingsDoc(Base):
    """The kiosk settings the centre publishes (one row; ``version`` grows with every change)."""

    __tablename__ = "fleet_settings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    settings_json: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


def set_central_settings(rt: Runtime, settings: dict[str, Any]) -> int:
    """Replace the published settings (checked by ``kiosk.fleet_settings.check_central``); new version."""
    from kiosk.fleet_settings import check_central

    checked = check_central(settings)  # ValueError naming the key
    with rt.session() as s:
        row = s.get(CentralSettingsDoc, 1)
        if row is None:
            row = CentralSettingsDoc(id=1, version=0, settings_json="{}", updated_at=utcnow())
            s.add(row)
        row.version += 1
        row.settings_json = json.dumps(checked, sort_keys=True)
        row.updated_at = utcnow()
        return row.version


def central_settings_document(rt: Runtime) -> bytes | None:
    """The exact bytes to sign and publish, or ``None`` when nothing was set."""
    from kiosk.fleet_settings import make_document

    with rt.session() as s:
        row = s.get(CentralSettingsDoc, 1)
        if row is None:
            return None
        return make_document(row.version, json.loads(row.settings_json), as_utc(row.updated_at))
