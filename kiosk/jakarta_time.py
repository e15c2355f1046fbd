"""Today's date where the kiosk programme lives (Asia/Jakarta), from an injectable clock.

Why: ages and NIK centuries are decided "on today's date in Asia/Jakarta" (WIB), whatever time zone
the laptop is set to; a field officer's machine set to UTC would otherwise turn 18 seven hours late.
Every core function that needs "today" takes a clock so tests never depend on the real date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")
Clock = Callable[[], dt.datetime]


def system_clock() -> dt.datetime:
    """The real time, time-zone aware (UTC)."""
    return dt.datetime.now(dt.UTC)


def today(clock: Clock = system_clock) -> dt.date:
    """The calendar date in Jakarta at the clock's instant (naive clock values are taken as UTC)."""
    now = clock()
    if now.tzinfo is None:
        now = now.replace(tzinfo=dt.UTC)
    return now.astimezone(JAKARTA).date()


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Completed years of age on ``on``; someone born on 29 February turns a year older on 1 March
    in common years (the date they have not yet reached on 28 February)."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years
