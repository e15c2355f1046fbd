"""The office's time zone (WIB/WITA/WIT) for everything a person reads: receipts, console, warnings.

Why one place (issue 19): receipt times were hard-coded "WIB", wrong for offices in Makassar (WITA) or
Jayapura (WIT). Indonesia has no daylight saving, so fixed offsets are exact; the zone comes from the
``kiosk.time_zone`` setting.
"""

from __future__ import annotations

import datetime as dt

ZONES: dict[str, dt.timezone] = {
    "WIB": dt.timezone(dt.timedelta(hours=7), "WIB"),
    "WITA": dt.timezone(dt.timedelta(hours=8), "WITA"),
    "WIT": dt.timezone(dt.timedelta(hours=9), "WIT"),
}


def office_zone(name: str | None) -> dt.timezone:
    """The zone for a ``kiosk.time_zone`` value (WIB when unknown)."""
    return ZONES.get((name or "WIB").upper(), ZONES["WIB"])


def local(moment: dt.datetime, zone: str | None) -> dt.datetime:
    """``moment`` (naive = UTC) in the office's zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(office_zone(zone))


def format_local(moment: dt.datetime, zone: str | None) -> str:
    """``30-11-2026 15:05 WITA``: date, time and the zone's name."""
    shown = local(moment, zone)
    return f"{shown.strftime('%d-%m-%Y %H:%M')} {shown.tzname()}"
