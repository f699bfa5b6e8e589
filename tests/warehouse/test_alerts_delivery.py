"""warehouse.alerts delivery state: each thing said about an alert once per channel, escalation once,
failed channels tried again, digests above the threshold, spikes not repeated."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from warehouse import connect, emergencies
from warehouse.alerts import (
    detect_spikes,
    list_alerts,
    list_deliveries,
    prepare_deliveries,
    record_deliveries,
    record_emergencies,
)

CHANNELS = {
    "emergency": ["siaga_alerts_bpbd", "siaga_alerts_pusdalops"],
    "spike": ["siaga_alerts_humas"],
    "viral": ["siaga_alerts_humas"],
}
UI = "https://siaga.kutaitimurkab.go.id/siaga"


@pytest.fixture(autouse=True)
def warehouse_file(tmp_path, monkeypatch):
    path = tmp_path / "siaga.duckdb"
    monkeypatch.setenv("SIAGA_WAREHOUSE", str(path))
    return path


def add_emergency(
    n: int,
    *,
    desa: str | None = "Sepaso",
    judul: str | None = None,
    posts: int = 2,
    first_seen: datetime = datetime(2026, 11, 19, 2, 15),
) -> str:
    """Issue `em-n` (a fire in Bengalon) with its posts, as the loader and clusterer would leave it."""
    issue_id = f"em-{n}"
    with connect(write=True) as con:
        con.execute(
            """INSERT INTO issues (issue_id, category, kecamatan, desa, region_code, is_emergency, first_seen,
                                   last_seen, post_count, created_at, updated_at)
               VALUES (?, 'kebakaran', 'Bengalon', ?, '64.08.09.2001', true, ?, ?, ?, now()::TIMESTAMP,
                       now()::TIMESTAMP)""",
            [issue_id, desa, first_seen, first_seen + timedelta(minutes=30), posts],
        )
        if judul:
            con.execute(
                """INSERT INTO drafts (draft_id, issue_id, status, judul, isi, created_at, updated_at)
                   VALUES (?, ?, 'pending', ?, 'isi', now()::TIMESTAMP, now()::TIMESTAMP)""",
                [f"draft-{n}", issue_id, judul],
            )
        for i in range(posts):
            key = f"x:{n}-{i}"
            con.execute(
                """INSERT INTO posts (platform, platform_post_id, post_key, url, text, created_at, loaded_at,
                                      updated_at)
                   VALUES ('x', ?, ?, ?, 'rumah terbakar', ?, now()::TIMESTAMP, now()::TIMESTAMP)""",
                [f"{n}-{i}", key, f"https://x.com/warga_{n}/status/{n}{i}", first_seen + timedelta(minutes=i)],
            )
            con.execute(
                """INSERT INTO post_analysis (post_key, model_version, is_complaint, category, is_emergency,
                                              kecamatan, analyzed_at)
                   VALUES (?, 'test', true, 'kebakaran', true, 'Bengalon', now()::TIMESTAMP)""",
                [key],
            )
            con.execute("INSERT INTO issue_posts VALUES (?, ?, 'report', 1.0, now()::TIMESTAMP)", [key, issue_id])
    record_emergencies([f"x:{n}-{i}" for i in range(posts)])
    return issue_id


def send_all(messages, failing: tuple[str, ...] = (), now: datetime | None = None) -> dict:
    """Record every message as taken, except those of the `failing` channels."""
    return record_deliveries([(m, "HTTP 502" if m.channel in failing else None) for m in messages], now=now)


def prepare(now: datetime | None = None, **options):
    return prepare_deliveries(channels=options.pop("channels", CHANNELS), now=now, ui_base_url=UI, **options)


def test_a_new_emergency_goes_once_to_every_channel_and_the_log(warehouse_file):
    add_emergency(1)
    messages = prepare()
    assert sorted(m.channel for m in messages) == ["log", "siaga_alerts_bpbd", "siaga_alerts_pusdalops"]
    assert all(m.keys == ((list_alerts()[0]["alert_id"], "opened"),) for m in messages)
    assert send_all(messages) == {"sent": 3, "failed": 0}
    assert list_alerts()[0]["delivered_at"] is not None

    assert prepare() == [], "a second run of the same hour sends nothing"
    assert [d["status"] for d in list_deliveries()] == ["sent"] * 3


def test_the_message_says_what_where_since_when_how_many_and_links_the_page_masked():
    add_emergency(
        1, judul="[DARURAT] Kebakaran rumah, hubungi 0812-3456-7890 @budi_kutim https://x.com/budi/status/9", posts=3
    )
    (message, *_) = [m for m in prepare() if m.channel == "siaga_alerts_bpbd"]
    assert message.title == "DARURAT KEBAKARAN di Desa/Kel. Sepaso, Kec. Bengalon"
    body = message.body
    assert "[DARURAT]" not in body, "the title says it already"
    for expected in (
        "Apa: kebakaran (Kebakaran rumah,",
        "Desa/Kel. Sepaso, Kec. Bengalon",
        "kode wilayah 64.08.09.2001",
        "Sejak: 19 Nov 2026 10.15 WITA",
        "Unggahan warga: 3",
        "belum diteruskan ke 112",
        f"Buka: {UI}/darurat",
        f"{UI}/draf/draft-1",
    ):
        assert expected in body, (expected, body)
    # Personal data and the links that lead to an author never leave the UI.
    assert "0812****7890" in body and "3456" not in body
    assert "@b***" in body and "budi_kutim" not in body
    assert "x.com/..." in body and "status" not in body


def test_an_emergency_still_waiting_is_escalated_once_after_the_threshold():
    add_emergency(1)
    opened_at = datetime.now(UTC)
    send_all(prepare(now=opened_at), now=opened_at)

    assert prepare(now=opened_at + timedelta(minutes=29)) == []
    escalations = prepare(now=opened_at + timedelta(minutes=31))
    assert sorted(m.channel for m in escalations) == ["log", "siaga_alerts_bpbd", "siaga_alerts_pusdalops"]
    assert {stage for m in escalations for _, stage in m.keys} == {"escalated"}
    assert escalations[0].title == (
        "ESKALASI DARURAT KEBAKARAN di Desa/Kel. Sepaso, Kec. Bengalon: belum diteruskan ke 112"
    )
    assert "Sudah 31 menit sejak peringatan pertama" in escalations[0].body
    send_all(escalations)

    assert prepare(now=opened_at + timedelta(hours=5)) == [], "escalated once, then it stops"


def test_an_emergency_handed_over_or_dismissed_is_not_escalated():
    add_emergency(1)
    add_emergency(2, desa="Sepaso Selatan")
    opened_at = datetime.now(UTC)
    send_all(prepare(now=opened_at), now=opened_at)
    with connect(write=True) as con:  # the hand-off's state as it is kept today (alerts.handoff_status)
        con.execute("UPDATE alerts SET handoff_status = 'handed_to_112' WHERE issue_id = 'em-1'")
    escalations = prepare(now=opened_at + timedelta(hours=1))
    assert {m.title for m in escalations} == {
        "ESKALASI DARURAT KEBAKARAN di Desa/Kel. Sepaso Selatan, Kec. Bengalon: belum diteruskan ke 112"
    }
    issue_of = {a["alert_id"]: a["issue_id"] for a in list_alerts()}
    assert {issue_of[alert_id] for m in escalations for alert_id, _ in m.keys} == {"em-2"}


def test_a_decision_on_the_darurat_page_stops_the_escalation():
    add_emergency(1)
    add_emergency(2, desa="Sepaso Selatan")
    opened_at = datetime.now(UTC)
    send_all(prepare(now=opened_at), now=opened_at)
    # Through the hand-off's one writer, as a moderator's click does.
    emergencies.mark(
        "em-1", "dismissed", actor="moderator1", role="moderator", reason="Api sudah padam sebelum laporan masuk"
    )
    escalations = prepare(now=opened_at + timedelta(hours=1))
    issue_of = {a["alert_id"]: a["issue_id"] for a in list_alerts()}
    assert {issue_of[alert_id] for m in escalations for alert_id, _ in m.keys} == {"em-2"}


def test_escalations_go_to_their_own_channels_when_configured():
    add_emergency(1)
    opened_at = datetime.now(UTC)
    channels = {**CHANNELS, "escalation": ["siaga_alerts_kepala"]}
    send_all(prepare(now=opened_at, channels=channels), now=opened_at)
    escalations = prepare(now=opened_at + timedelta(minutes=45), channels=channels)
    assert sorted(m.channel for m in escalations) == ["log", "siaga_alerts_kepala"]


def test_a_failing_channel_is_tried_again_by_the_next_run_and_the_others_are_not():
    add_emergency(1)
    assert send_all(prepare(), failing=("siaga_alerts_pusdalops",)) == {"sent": 2, "failed": 1}
    assert list_alerts()[0]["delivered_at"] is None, "not delivered until every channel took it"

    again = prepare()
    assert [m.channel for m in again] == ["siaga_alerts_pusdalops"]
    send_all(again)
    assert prepare() == []
    pusdalops = next(d for d in list_deliveries() if d["channel"] == "siaga_alerts_pusdalops")
    assert (pusdalops["status"], pusdalops["attempts"]) == ("sent", 2)
    assert list_alerts()[0]["delivered_at"] is not None


def test_a_channel_down_longer_than_retry_for_hours_gives_up():
    add_emergency(1)
    send_all(prepare(), failing=("siaga_alerts_pusdalops",))
    later = prepare(now=datetime.now(UTC) + timedelta(hours=25))
    assert {stage for m in later for _, stage in m.keys} == {"escalated"}, "the opened message is not retried"
    statuses = {d["channel"]: d["status"] for d in list_deliveries() if d["stage"] == "opened"}
    assert statuses["siaga_alerts_pusdalops"] == "expired"


def test_fifty_emergencies_in_one_run_make_one_digest_per_channel():
    for n in range(50):
        add_emergency(n, desa=f"Desa Uji {n}", posts=1)
    messages = prepare(digest_threshold=10)
    digests = [m for m in messages if m.channel != "log"]
    assert sorted(m.channel for m in digests) == ["siaga_alerts_bpbd", "siaga_alerts_pusdalops"]
    assert all(len(m.keys) == 50 for m in digests)
    assert len([m for m in messages if m.channel == "log"]) == 50, "the log keeps one line per alert"
    digest = digests[0]
    assert digest.title == "Kutim Siaga: ringkasan 50 peringatan (Darurat 50)"
    assert digest.body.count("DARURAT KEBAKARAN") == 25 and "... dan 25 lainnya" in digest.body
    assert f"Buka: {UI}/darurat" in digest.body
    assert send_all(messages) == {"sent": 150, "failed": 0}
    assert {d["digest_size"] for d in list_deliveries() if d["channel"] != "log"} == {50}
    assert prepare() == []


def test_below_the_threshold_each_alert_is_its_own_message():
    for n in range(3):
        add_emergency(n, desa=f"Desa Uji {n}", posts=1)
    messages = prepare(digest_threshold=3)
    assert len([m for m in messages if m.channel == "siaga_alerts_bpbd"]) == 3


def test_with_no_channel_configured_alerts_go_to_the_log_and_the_warehouse():
    add_emergency(1)
    messages = prepare(channels={})
    assert [m.channel for m in messages] == ["log"]
    send_all(messages)
    assert list_alerts()[0]["delivered_at"] is not None
    assert prepare(channels={}) == []


def test_a_spike_found_again_the_next_day_says_nothing_new():
    end = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    with connect(write=True) as con:  # a quiet week of floods in Bengalon, then 12 posts, then 30
        for day in range(9):
            for i in range({0: 30, 1: 12}.get(day, (day % 2) + 1)):
                key = f"x:b{day}-{i}"
                created = (end - timedelta(days=day, hours=1, minutes=i)).replace(tzinfo=None)
                con.execute(
                    """INSERT INTO posts (platform, platform_post_id, post_key, text, created_at,
                                                  loaded_at, updated_at)
                               VALUES ('x', ?, ?, 'banjir', ?, now()::TIMESTAMP, now()::TIMESTAMP)""",
                    [f"b{day}-{i}", key, created],
                )
                con.execute(
                    """INSERT INTO post_analysis (post_key, model_version, is_complaint, category,
                                                          is_emergency, kecamatan, analyzed_at)
                               VALUES (?, 'test', true, 'banjir', false, 'Bengalon', now()::TIMESTAMP)""",
                    [key],
                )
    yesterday = detect_spikes(end - timedelta(days=2), end - timedelta(days=1))
    assert {(a["scope"], a["scope_key"]) for a in yesterday} == {("category", "banjir"), ("kecamatan", "Bengalon")}
    first = prepare()
    assert sorted(m.title for m in first if m.channel == "siaga_alerts_humas") == [
        "Lonjakan keluhan Kecamatan Bengalon",
        "Lonjakan keluhan kategori banjir",
    ]
    spike = next(m for m in first if m.title == "Lonjakan keluhan kategori banjir")
    assert "Unggahan dalam 24 jam: 12" in spike.body and f"Buka: {UI}/" in spike.body
    send_all(first)

    today = detect_spikes(end - timedelta(days=1), end)
    assert today and {a["alert_id"] for a in today}.isdisjoint({a["alert_id"] for a in yesterday})
    assert prepare() == [], "the same spike the next day, within repeat_after_hours: nothing new"
    suppressed = [d for d in list_deliveries() if d["suppressed_by"]]
    assert suppressed == [], "a suppressed event has no deliveries"
    with connect() as con:
        assert con.execute("SELECT count(*) FROM alert_events WHERE suppressed_by IS NOT NULL").fetchone()[0] == 2
