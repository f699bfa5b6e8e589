"""LAPOR!'s clocks count working days: weekends, national holidays and cuti bersama do not count."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.lapor import sla


def test_holidays_and_cuti_bersama_are_not_working_days():
    assert not sla.is_working_day(date(2026, 8, 17))  # Hari Kemerdekaan, a Monday
    assert not sla.is_working_day(date(2026, 3, 23))  # cuti bersama Idul Fitri, a Monday
    assert not sla.is_working_day(date(2026, 11, 28))  # Saturday
    assert sla.is_working_day(date(2026, 11, 23))


def test_verification_deadline_skips_the_independence_day_weekend():
    # Reported Friday 14 Aug 2026: Sat, Sun, Mon 17 Aug do not count -> Tue, Wed, Thu.
    assert sla.add_working_days(date(2026, 8, 14), sla.VERIFICATION_DAYS) == date(2026, 8, 20)


def test_lebaran_stretches_a_three_day_clock_over_ten_calendar_days():
    # Tue 17 Mar 2026: Nyepi, cuti bersama and Idul Fitri close offices until Wed 25 Mar.
    assert sla.add_working_days(date(2026, 3, 17), 3) == date(2026, 3, 27)
    assert sla.working_days_between(date(2026, 3, 17), date(2026, 3, 27)) == 3


def test_timestamps_are_counted_on_kutim_time():
    # 17:30 UTC on Friday is already Saturday 01:30 in WITA.
    assert sla.local_date(datetime(2026, 11, 27, 17, 30)) == date(2026, 11, 28)


def test_ticket_waiting_for_verification_becomes_overdue_after_three_working_days():
    submitted = datetime(2026, 11, 23, 2, 0)  # Monday morning WITA
    on_time = sla.ticket_clocks({"submitted_at": submitted}, date(2026, 11, 26))
    assert (on_time["stage"], on_time["deadline"], on_time["working_days_left"]) == ("verifikasi", "2026-11-26", 0)
    assert not on_time["overdue"]
    late = sla.ticket_clocks({"submitted_at": submitted}, date(2026, 11, 30))
    assert late["overdue"] and late["working_days_left"] == -2  # Fri 27 and Mon 30


def test_follow_up_clock_starts_at_verification_and_closing_after_the_response():
    milestones = {
        "submitted_at": datetime(2026, 11, 23, 2, 0),
        "verified_at": datetime(2026, 11, 24, 3, 0),
        "followed_up_at": datetime(2026, 12, 4, 3, 0),  # Fri: one working day after the 5-day limit
    }
    clocks = sla.ticket_clocks(milestones, date(2026, 12, 7))
    assert clocks["stages"]["tindak_lanjut"]["deadline"] == "2026-12-01"
    assert clocks["stages"]["tindak_lanjut"]["overdue"]  # answered late: stays on record
    assert clocks["stage"] == "penutupan" and not clocks["overdue"]
    assert clocks["ever_overdue"]
    assert clocks["stages"]["penutupan"]["deadline"] == "2026-12-18"


@settings(max_examples=200, deadline=None)
@given(start=st.dates(min_value=date(2025, 1, 1), max_value=date(2028, 12, 31)), days=st.integers(1, 15))
def test_a_deadline_is_a_working_day_exactly_n_working_days_later(start, days):
    due = sla.add_working_days(start, days)
    assert sla.is_working_day(due)
    assert sla.working_days_between(start, due) == days
    assert sla.working_days_between(start, due - timedelta(days=1)) == days - 1
