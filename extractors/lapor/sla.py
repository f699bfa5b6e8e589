"""LAPOR!'s service clocks in working days (Monday to Friday, minus Indonesian national holidays
and cuti bersama, from the maintained `holidays` package).

The admin verifies and forwards within 3 working days of the report, the agency follows up
within 5 working days of the forward, and a ticket closes 10 working days after a response
with no reply. A deadline is the end of its day in Kutim (WITA).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache, lru_cache

import holidays

from core.domain import WITA_OFFSET
from extractors.lapor.mapping import WITA

VERIFICATION_DAYS = 3
FOLLOW_UP_DAYS = 5
CLOSING_DAYS = 10

# (stage, working days, milestone that starts it, milestone that ends it)
STAGES = (
    ("verifikasi", VERIFICATION_DAYS, "submitted_at", "verified_at"),
    ("tindak_lanjut", FOLLOW_UP_DAYS, "verified_at", "followed_up_at"),
    ("penutupan", CLOSING_DAYS, "followed_up_at", "closed_at"),
)


@cache
def _holidays_of(year: int) -> dict[date, str]:
    found = holidays.country_holidays("ID", years=year, language="id", categories=("public", "government"))
    return dict(found)


def holiday_name(day: date) -> str | None:
    return _holidays_of(day.year).get(day)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and holiday_name(day) is None


def local_date(moment: datetime) -> date:
    """The WITA calendar day of a naive-UTC (or aware) timestamp."""
    if moment.tzinfo is None:
        return (moment + WITA_OFFSET).date()  # WITA has no daylight saving: naive UTC + 8 hours
    return moment.astimezone(WITA).date()


# The clocks of every ticket are computed on each page view (thousands of tickets, a few hundred distinct
# days): the day arithmetic is pure, so it is remembered per (day, days).
@cache
def add_working_days(start: date, days: int) -> date:
    """The day on which `days` working days after `start` have passed (`start` itself not counted)."""
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


@cache
def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]; negative when end is before start."""
    if end < start:
        return -working_days_between(end, start)
    return sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + timedelta(days=n)))


def stage_clock(started_at: datetime | None, done_at: datetime | None, days: int, today: date) -> dict:
    """One stage's clock: due date, whether done, how many working days are left or late."""
    if started_at is None:
        return {"started": None, "deadline": None, "done": None, "overdue": False, "working_days_left": None}
    return dict(_day_clock(local_date(started_at), local_date(done_at) if done_at else None, days, today))


# A clock depends only on its days, and tens of thousands of tickets share a few hundred of them: right after
# a write or on a new day every ticket's clocks are recomputed, mostly from here.
@lru_cache(maxsize=1 << 17)  # bounded: `today` moves every day
def _day_clock(start_day: date, done_day: date | None, days: int, today: date) -> dict:
    due = add_working_days(start_day, days)
    if done_day is not None:
        late = done_day > due
        left = None
    else:
        late = today > due
        left = working_days_between(today, due) if today <= due else -working_days_between(due, today)
    return {
        "started": start_day.isoformat(),
        "deadline": due.isoformat(),
        "done": done_day.isoformat() if done_day else None,
        "overdue": late,
        "working_days_left": left,
    }


def ticket_clocks(milestones: dict, today: date) -> dict:
    """All three clocks of a ticket plus the current stage, from its milestone timestamps.

    `milestones` holds submitted_at, verified_at, followed_up_at, closed_at (naive UTC or None).
    """
    clocks = {}
    current = None
    for stage, days, start_key, end_key in STAGES:
        clock = stage_clock(milestones.get(start_key), milestones.get(end_key), days, today)
        clocks[stage] = clock
        if current is None and clock["started"] and not clock["done"]:
            current = stage
    current_clock = clocks.get(current) if current else None
    return {
        "stage": current or ("selesai" if milestones.get("closed_at") else None),
        "deadline": current_clock["deadline"] if current_clock else None,
        "working_days_left": current_clock["working_days_left"] if current_clock else None,
        "overdue": bool(current_clock and current_clock["overdue"]),
        "ever_overdue": any(c["overdue"] for c in clocks.values()),
        "stages": clocks,
    }
