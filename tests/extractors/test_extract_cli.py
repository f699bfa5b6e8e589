import json

from extractors.run import run_source
from siaga import main


def test_extract_replay_without_dates_writes_every_sample_post(tmp_path, capsys):
    out = tmp_path / "sample.jsonl"
    assert main(["extract", "replay", "--out", str(out)]) == 0
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    summary = json.loads(capsys.readouterr().out)
    posts = [line for line in lines if not line.get("_quarantine")]
    assert summary["posts"] == len(posts) >= 400
    assert summary["quarantined"] == len(lines) - len(posts) > 0
    assert not (tmp_path / "sample.jsonl.part").exists()


def test_extract_replay_to_stdout_with_a_window(capsys):
    assert (
        main(
            [
                "extract",
                "replay",
                "--since",
                "2026-11-21T00:00:00Z",
                "--until",
                "2026-11-22T00:00:00Z",
                "--out",
                "-",
            ]
        )
        == 0
    )
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines()]
    assert lines and all(
        line["created_at"].startswith("2026-11-21") for line in lines if "created_at" in line
    )
    assert json.loads(captured.err.strip().splitlines()[-1])["posts"] == sum(
        1 for x in lines if "platform" in x
    )


def test_run_source_for_a_day_returns_counts_and_no_cursors_for_replay(tmp_path):
    result = run_source(
        "replay", day=__import__("datetime").date(2026, 11, 20), out_path=tmp_path / "d.jsonl"
    )
    assert result.posts > 0 and result.cursors == {} and result.api_calls == 0
    assert result.staging_path == str(tmp_path / "d.jsonl")


def test_empty_window_is_refused(capsys):
    assert main(["extract", "replay", "--since", "2026-11-22", "--until", "2026-11-21"]) == 2
    assert "window is empty" in capsys.readouterr().err
