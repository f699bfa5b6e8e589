"""Config and formatting: the small parts every page relies on."""

from __future__ import annotations

import datetime as dt

import pytest

from siaga_ui.config import ConfigError, load_config, parse_config
from siaga_ui.formatting import hari_kerja, mask_name, safe_link, tanggal, waktu


def test_default_role_mapping_makes_viewer_humas_and_the_others_moderators():
    load_config.cache_clear()
    config = load_config()
    assert config.role_for("siapa", "viewer") == "humas"
    assert {config.role_for("siapa", role) for role in ("user", "op", "admin", "Admin")} == {"moderator"}
    assert config.role_for("siapa", None) is None


def test_a_username_override_wins_over_the_airflow_role():
    config = parse_config({"roles": {"viewer": "humas"}, "users": {"kabag_humas": "moderator"}})
    assert config.role_for("kabag_humas", "viewer") == "moderator"
    assert config.role_for("staf", "viewer") == "humas"


@pytest.mark.parametrize(
    "data, message",
    [
        ({"roles": {"viewer": "admin"}}, "roles.viewer"),
        ({"roles": {}, "page_size": 0}, "page_size"),
        ({"roles": {}, "pagesize": 10}, "pagesize: not a known setting"),
        # The UI's own SLA knob went with its duplicate clock: LAPOR!'s clocks live in the bridge.
        ({"roles": {}, "lapor_sla_working_days": 5}, "no longer a setting.*extractors/lapor/sla.py"),
    ],
)
def test_a_bad_ui_config_says_what_is_wrong(data, message):
    with pytest.raises(ConfigError, match=message):
        parse_config(data)


def test_dates_are_indonesian_and_times_in_wita():
    assert tanggal(dt.date(2026, 11, 22)) == "22 Nov 2026"
    assert tanggal(dt.datetime(2026, 8, 16, 20, 0)) == "17 Agu 2026"  # 04:00 WITA next day
    assert waktu(dt.datetime(2026, 5, 1, 1, 5)) == "1 Mei 2026 09:05 WITA"
    assert waktu(None) == "-"


def test_author_names_are_masked_and_only_web_links_are_kept():
    assert mask_name("Budi Santoso") == "B*** S***"
    assert mask_name(None) == "(tanpa nama)"
    assert safe_link("https://x.com/i/web/status/1") == "https://x.com/i/web/status/1"
    assert safe_link("javascript:alert(1)") is None


def test_the_lapor_bridges_iso_dates_show_as_indonesian_dates_in_wita():
    assert tanggal("2026-11-18") == "18 Nov 2026"  # a due date is a WITA calendar day already
    assert waktu("2026-11-13T03:05:02") == "13 Nov 2026 11:05 WITA"  # naive UTC, as stored
    assert waktu("2026-08-16") == "16 Agu 2026"
    assert tanggal("") == waktu(None) == "-"


def test_an_sla_clock_reads_as_working_days_left_due_today_or_late():
    assert hari_kerja(3) == "sisa 3 hari kerja"
    assert hari_kerja(0) == "tenggat hari ini"
    assert hari_kerja(-2) == "lewat 2 hari kerja"
    assert hari_kerja(None) == "-"


def test_chart_axis_ticks_are_round_integers():
    from siaga_ui.charts import nice_ticks

    assert nice_ticks(3) == [0, 1, 2, 3, 4, 5]
    assert nice_ticks(1) == [0, 1]
    assert nice_ticks(1253) == [0, 400, 800, 1200, 1600, 2000]


def test_concurrent_reads_and_writes_in_one_server_process_take_turns(warehouse_path):
    """DuckDB refuses mixed read-only/read-write connections in one process; the UI serialises them."""
    from concurrent.futures import ThreadPoolExecutor

    from warehouse import moderation

    def read(_):
        with moderation.reading():
            return moderation.list_drafts(moderation.DraftFilters()).total

    def write(draft_id):
        return moderation.approve(draft_id, actor="moderator", role="moderator")["status"]

    with ThreadPoolExecutor(max_workers=6) as pool:
        reads = [pool.submit(read, n) for n in range(12)]
        writes = [pool.submit(write, d) for d in ("drf-004", "drf-005", "drf-006")]
        assert all(8 >= f.result() >= 5 for f in reads)
        assert [f.result() for f in writes] == ["approved"] * 3


def test_merging_refuses_decided_drafts_and_changes_nothing(warehouse_path):
    from tests.plugins.helpers import draft_row
    from warehouse import moderation

    moderation.approve("drf-001", actor="moderator", role="moderator")
    with pytest.raises(moderation.AlreadyDecided, match="masih menunggu"):
        moderation.merge_issues("isu-007", "isu-001", actor="moderator", role="moderator")
    with pytest.raises(moderation.AlreadyDecided, match="tidak dapat digabung"):
        moderation.merge_issues("isu-001", "isu-007", actor="moderator", role="moderator")
    assert draft_row("drf-007")["status"] == "pending"
    with pytest.raises(moderation.InvalidChange, match="dirinya sendiri"):
        moderation.merge_issues("isu-007", "isu-007", actor="moderator", role="moderator")
