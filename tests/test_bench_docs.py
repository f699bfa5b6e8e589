"""tools/bench_docs.py: the rewriting of docs/benchmarks.md's marked regions, without running a benchmark."""

from __future__ import annotations

import json
import subprocess

import pytest

from tools import bench_docs
from tools.bench_docs import PARTS, MarkerError, check, render, replace_regions

PROSE_BEFORE = "# Benchmarks\n\nHand-written words about the warehouse, 1.27 s in prose.\n\n"
PROSE_AFTER = "\nMore prose: the filtered dashboard was 404 ms once.\n"


def _doc(parts=PARTS, inside: str = "| old | table |\n| --- | --- |\n| 1 | 2 |") -> str:
    sections = [
        f"## {part}\n\nIntro of {part}.\n\n<!-- bench:{part}:start -->\n{inside}\n"
        f"<!-- bench:{part}:end -->\n\nAfter {part}.\n"
        for part in parts
    ]
    return PROSE_BEFORE + "\n".join(sections) + PROSE_AFTER


FIGURES = {
    "warehouse": {
        "warehouse": [
            {
                "posts": 100_000,
                "load_s": 1.5,
                "load_posts_per_s": 66_667,
                "dedupe_cluster_s": 2.25,
                "drafts_s": 0.5,
                "issues": 900,
                "copies": 20_000,
                "peak_rss_mib": 500,
            },
            {
                "posts": 1_000_000,
                "load_s": 12.0,
                "load_posts_per_s": 83_333,
                "dedupe_cluster_s": 18.0,
                "drafts_s": 1.2,
                "issues": 8_000,
                "copies": 200_000,
                "peak_rss_mib": 1900,
                "problems": 9_000,
                "pair_precision": 0.3124,
                "pair_recall": 0.875,
                "build_issues_timings": {"cluster_place_cpu_s": 11.5},
            },
        ],
        "cluster_time_ratio_1m_over_100k": 8.0,
        "pairwise_precision": 0.97,  # a figure no table knows yet
    },
    "nlp": {
        "nlp_posts": 100_000,
        "nlp_posts_per_s": 5_432.1,
        "nlp_bare_tokenizer_posts_per_s": 11_000.0,
        "nlp_ratio_to_bare": 0.494,
        "nlp_model_load_s": 0.45,
        "nlp_peak_memory_mb": 460,
    },
    "extractors": {
        "normalization": {
            "raw_items": 50_000,
            "posts": 49_000,
            "quarantined": 1_000,
            "posts_per_s": 80_000,
            "posts_per_cpu_s": 81_000,
            "target_posts_per_s": 20_000,
        },
        "daily_run": {"x": {"api_calls": 3}, "whatsapp": {"api_calls": 0, "note": "pushed"}, "total_api_calls": 3},
    },
    "ui": {
        "ui_queue_p95_ms": 88.8,
        "ui_queue_p50_ms": 40.1,
        "ui_darurat_p95_ms": 345.6,
        "ui_target_p95_ms": 300,
        "ui_bench_posts": 100_000,
        "ui_bench_issues": 10_000,
        "ui_bench_rounds": 30,
        "ui_bench_generate_s": 9.9,
    },
    "lapor": {"skipped": "needs the repository checkout (tests not found)"},
    "dags": {
        "bench": "dags_daily_run",
        "n_posts_recorded": 10_000,
        "state": "success",
        "wall_s": 11.7,
        "target_s": 120,
        "work_s": {"extract": 0.33, "load": 1.89},
        "task_instance_s": {"analyse": 2.52},
        "airflow_overhead_s": 9.16,
        "posts_per_s_end_to_end": 854.7,
    },
}
STAMP = {"date": "2026-11-29 21:00 UTC", "commit": "abc1234", "dirty": False, "load": [0.8, 1.0, 1.2], "quick": False}


def _regions(stamp=STAMP) -> dict[str, str]:
    return {part: render(part, FIGURES, stamp) for part in PARTS}


def test_regions_are_replaced_and_prose_outside_is_kept_byte_for_byte():
    doc = _doc()
    out = replace_regions(doc, _regions())
    assert "| old | table |" not in out
    assert out.startswith(PROSE_BEFORE) and out.endswith(PROSE_AFTER)
    # everything outside the markers is unchanged, in order
    strip = lambda text: [chunk.split("<!-- bench:", 1)[0] for chunk in text.split(":end -->")]  # noqa: E731
    assert strip(out) == strip(doc)
    for part in PARTS:
        assert out.count(f"<!-- bench:{part}:start -->") == 1 and out.count(f"<!-- bench:{part}:end -->") == 1
    # a second run with the same figures changes nothing (each region replaced, not appended to)
    assert replace_regions(out, _regions()) == out


def test_the_tables_show_the_figures_the_json_has():
    out = replace_regions(_doc(), _regions())
    assert "| 1,000,000 | 12 s | 83,333 posts/s | 18 s | 1.2 s | 8,000 | 200,000 | 1,900 MiB |" in out
    assert "over 100,000 posts: 8." in out
    # the quality row: only the size that has generated problems, a stage without a figure left blank
    assert "| 1,000,000 | 9,000 | 8,000 | 0.312 | 0.875 |" in out and "| 11.5 s |" in out
    assert "| 100,000 | – | 900 |" not in out and out.count("| pair precision |") == 1
    assert "`pairwise_precision` | 0.97" in out  # an unknown figure is shown, not dropped
    assert "| analysed posts/s | 5,432.1 |" in out and "| ratio to bare | 0.494 |" in out
    assert "| posts/s, wall clock | 80,000 |" in out and "| **total** | 3 |" in out
    # every UI page the bench reports, a new one included, with p50 when measured and the target called out
    assert "| Antrian draf (queue) | 40.1 ms | 88.8 ms |" in out
    assert "| darurat | – | 345.6 ms (over target) |" in out
    assert "Skipped: needs the repository checkout" in out
    assert "| whole run, wall clock | 11.7 (target under 120) |" in out and "| load (project code) | 1.89 |" in out
    assert "commit `abc1234`, load average 0.80 / 1.00 / 1.20" in out and "2026-11-29 21:00 UTC" in out


def test_stamp_says_uncommitted_changes_and_quick_runs():
    text = render("ui", FIGURES, {**STAMP, "dirty": True, "quick": True})
    assert "commit `abc1234` + uncommitted changes" in text
    assert "Quick smoke sizes" in text
    assert "uncommitted" not in render("ui", FIGURES, STAMP)


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (_doc(parts=[p for p in PARTS if p != "nlp"]), "<!-- bench:nlp:start -->"),
        (_doc().replace("<!-- bench:ui:end -->", ""), "<!-- bench:ui:end -->"),
        (_doc() + "\n<!-- bench:dags:start -->\n", "found 2 and 1"),
        (
            _doc()
            .replace("<!-- bench:lapor:start -->", "X")
            .replace("<!-- bench:lapor:end -->", "<!-- bench:lapor:start -->")
            .replace("## lapor", "<!-- bench:lapor:end -->"),
            "comes before",
        ),
    ],
)
def test_missing_or_misplaced_markers_are_a_clear_error(doc, message):
    with pytest.raises(MarkerError, match=message):
        replace_regions(doc, _regions())


def test_main_writes_from_saved_json_and_leaves_a_document_without_markers_untouched(tmp_path, capsys):
    figures = tmp_path / "figures.json"
    figures.write_text(json.dumps({"stamp": STAMP, **FIGURES}))
    doc = tmp_path / "benchmarks.md"
    doc.write_text(_doc())
    assert bench_docs.main(["--doc", str(doc), "--from-json", str(figures)]) == 0
    written = doc.read_text()
    assert "commit `abc1234`" in written and "| old | table |" not in written  # the saved run's own stamp

    broken = tmp_path / "broken.md"
    broken.write_text(_doc(parts=PARTS[:-1]))
    before = broken.read_text()
    assert bench_docs.main(["--doc", str(broken), "--from-json", str(figures)]) == 2
    assert "bench:dags:start" in capsys.readouterr().err
    assert broken.read_text() == before


def test_check_passes_on_head_and_fails_on_other_code():
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=bench_docs.REPO, check=True, capture_output=True, text=True
    ).stdout.strip()
    current = replace_regions(_doc(), _regions({**STAMP, "commit": head}))
    assert check(current) == []
    dirty = replace_regions(_doc(), _regions({**STAMP, "commit": head, "dirty": True}))
    assert len(check(dirty)) == len(PARTS) and "uncommitted changes" in check(dirty)[0]
    quick = replace_regions(_doc(), _regions({**STAMP, "commit": head, "quick": True}))
    assert "quick" in check(quick)[0]
    unknown = replace_regions(_doc(), _regions({**STAMP, "commit": "0000000"}))
    assert "not in this repository" in check(unknown)[0]
    assert "no stamp" in check(_doc())[0]
