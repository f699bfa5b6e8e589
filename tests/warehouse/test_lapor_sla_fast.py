"""The fast LAPOR! ticket clocks give exactly what the day-by-day reckoning gives, and the tickets rebuilt
after a write are the ones a fresh build gives."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta

import pytest

import warehouse
from extractors.lapor import sla
from tests.fakes.fake_lapor import SAMPLE_DRAFTS, seed_approved_draft
from warehouse import lapor


# The reference: the clocks as the bridge first computed them, one day at a time, nothing remembered.
def _due(start: date, days: int) -> date:
    day = start
    while days > 0:
        day += timedelta(days=1)
        days -= sla.is_working_day(day)
    return day


def _between(start: date, end: date) -> int:
    if end < start:
        return -_between(end, start)
    return sum(sla.is_working_day(start + timedelta(days=n)) for n in range(1, (end - start).days + 1))


def _reference_clocks(milestones: dict, today: date) -> dict:
    clocks, current = {}, None
    for stage, days, start_key, end_key in sla.STAGES:
        started, done = milestones.get(start_key), milestones.get(end_key)
        if started is None:
            clock = {"started": None, "deadline": None, "done": None, "overdue": False, "working_days_left": None}
        else:
            due = _due(sla.local_date(started), days)
            done_day = sla.local_date(done) if done else None
            left = None if done_day else (_between(today, due) if today <= due else -_between(due, today))
            clock = {
                "started": sla.local_date(started).isoformat(),
                "deadline": due.isoformat(),
                "done": done_day.isoformat() if done_day else None,
                "overdue": done_day > due if done_day else today > due,
                "working_days_left": left,
            }
        clocks[stage] = clock
        if current is None and clock["started"] and not clock["done"]:
            current = stage
    now = clocks.get(current) if current else None
    return {
        "stage": current or ("selesai" if milestones.get("closed_at") else None),
        "deadline": now["deadline"] if now else None,
        "working_days_left": now["working_days_left"] if now else None,
        "overdue": bool(now and now["overdue"]),
        "ever_overdue": any(c["overdue"] for c in clocks.values()),
        "stages": clocks,
    }


def _milestones(rng: random.Random) -> dict:
    """Submitted any time from Dec 2025 to Jan 2027 (hours near WITA midnight included), then each later
    milestone present or not, some a few hours, some weeks after the one before."""
    moment = datetime(2025, 12, 1) + timedelta(days=rng.randrange(420), hours=rng.choice([0, 9, 15, 16, 17, 23]))
    milestones = {"submitted_at": moment}
    for key in ("verified_at", "followed_up_at", "closed_at"):
        if rng.random() < 0.3:
            break
        moment += timedelta(hours=rng.choice([1, 7, 20, 50, 150, 400, 700]))
        milestones[key] = moment
    return milestones


# holidays (Christmas, New Year, 17 August), weekends, month and year ends, a leap-less February
TODAYS = [date(2026, 12, 25), date(2026, 12, 31), date(2027, 1, 1), date(2026, 8, 17), date(2026, 2, 28)]
TODAYS += [date(2026, 11, 28), date(2026, 11, 30), date(2026, 3, 31), date(2025, 12, 24), date(2027, 2, 15)]


def test_fast_clocks_match_the_day_by_day_reckoning_over_holidays_weekends_and_month_ends():
    rng = random.Random(17)
    holiday_deadlines = 0
    for _ in range(3000):
        milestones = _milestones(rng)
        today = rng.choice(TODAYS)
        expected = _reference_clocks(milestones, today)
        assert sla.ticket_clocks(milestones, today) == expected, (milestones, today)
        start = sla.local_date(milestones["submitted_at"])
        holiday_deadlines += any(
            sla.holiday_name(start + timedelta(days=n))
            for n in range(1, (date.fromisoformat(expected["stages"]["verifikasi"]["deadline"]) - start).days + 1)
        )
    assert holiday_deadlines > 50  # the generated tickets do cross holidays


@pytest.fixture
def tickets_db(tmp_path, monkeypatch):
    """60 tickets at every state and stage, follow-ups on some."""
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(tmp_path / "siaga.duckdb"))
    rng = random.Random(4)
    with warehouse.connect(write=True) as con:
        for n in range(60):
            base = SAMPLE_DRAFTS[n % len(SAMPLE_DRAFTS)]
            draft = {**base, "draft_id": f"drf-uji-{n:02d}", "issue_id": f"iss-uji-{n:02d}", "judul": f"Laporan {n}"}
            seed_approved_draft(con, draft)
            state = ["submitted"] * 4 + ["approved", "failed_retryable", "exported"]
            milestones = _milestones(rng)
            con.execute(
                "INSERT INTO lapor_submissions (draft_id, idempotency_key, transport, state, tracking_id, "
                "attempts, submitted_at, verified_at, followed_up_at, closed_at, updated_at) "
                "VALUES (?, ?, 'http', ?, ?, 1, ?, ?, ?, ?, now()::TIMESTAMP)",
                [
                    draft["draft_id"],
                    f"KS-uji-{n:02d}",
                    state[n % len(state)],
                    str(4800000 + n),
                    milestones["submitted_at"],
                    milestones.get("verified_at"),
                    milestones.get("followed_up_at"),
                    milestones.get("closed_at"),
                ],
            )
            if "followed_up_at" in milestones:
                con.execute(
                    "INSERT INTO lapor_followups (tracking_id, seq, responded_at, responder, response_text, "
                    "observed_at) VALUES (?, 1, ?, 'Dinas terkait', 'Sedang ditangani.', now()::TIMESTAMP)",
                    [str(4800000 + n), milestones["followed_up_at"]],
                )


def _fresh(today: date) -> list[dict]:
    """The tickets as a process that never saw them builds them."""
    lapor._tickets_cache = lapor._summary_cache = lapor._followups_cache = None
    lapor._ticket_memo = {}
    return lapor.tickets_with_sla(today)


def _as_json(tickets: list[dict]) -> str:
    return json.dumps(tickets, default=str)


WRITES = [
    "UPDATE lapor_submissions SET verified_at = submitted_at + INTERVAL 30 HOUR WHERE draft_id = 'drf-uji-03'",
    "UPDATE lapor_submissions SET closed_at = NULL, followed_up_at = NULL WHERE draft_id = 'drf-uji-08'",
    "UPDATE drafts SET judul = 'Judul baru', version = version + 1 WHERE draft_id = 'drf-uji-11'",
    "UPDATE lapor_submissions SET state = 'submitted' WHERE draft_id = 'drf-uji-04'",
    "INSERT INTO lapor_followups (tracking_id, seq, responded_at, responder, response_text, observed_at) "
    "VALUES ('4800012', 7, TIMESTAMP '2026-12-01 02:00:00', 'Camat', 'Tim sudah ke lokasi.', now()::TIMESTAMP)",
    "DELETE FROM lapor_followups WHERE tracking_id = '4800012' AND seq = 7",
    "UPDATE lapor_submissions SET attempts = attempts + 1, last_error = 'batas waktu' WHERE draft_id = 'drf-uji-05'",
    "DELETE FROM lapor_submissions WHERE draft_id = 'drf-uji-13'",
]


def test_tickets_after_each_write_equal_a_fresh_build_and_unchanged_ones_are_not_rebuilt(tickets_db):
    today = date(2026, 12, 24)
    _fresh(today)
    for write in WRITES:
        before = {t["draft_id"]: t for t in lapor.tickets_with_sla(today)}
        with warehouse.connect(write=True) as con:
            con.execute(write)
        after = lapor.tickets_with_sla(today)
        summary = lapor.sla_summary(today)
        assert _as_json(after) == _as_json(_fresh(today)), write
        assert summary == lapor._summarise(after)
        kept = sum(before.get(t["draft_id"]) is t for t in after)
        assert kept >= len(after) - 2, write  # only the written ticket (and no other) was built again
    for later in (date(2026, 12, 25), date(2027, 1, 4)):  # a new day moves every clock
        assert _as_json(lapor.tickets_with_sla(later)) == _as_json(_fresh(later))
