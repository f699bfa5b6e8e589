import json
from datetime import UTC, datetime, timedelta

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
    assert lines and all(line["created_at"].startswith("2026-11-21") for line in lines if "created_at" in line)
    assert json.loads(captured.err.strip().splitlines()[-1])["posts"] == sum(1 for x in lines if "platform" in x)


def test_run_source_for_a_day_returns_counts_and_no_cursors_for_replay(tmp_path):
    result = run_source("replay", day=__import__("datetime").date(2026, 11, 20), out_path=tmp_path / "d.jsonl")
    assert result.posts > 0 and result.cursors == {} and result.api_calls == 0
    assert result.staging_path == str(tmp_path / "d.jsonl")


def test_empty_window_is_refused(capsys):
    assert main(["extract", "replay", "--since", "2026-11-22", "--until", "2026-11-21"]) == 2
    assert "window is empty" in capsys.readouterr().err


def test_siaga_extract_x_runs_through_tweepy_against_the_fake(tmp_path, monkeypatch, capsys):
    from tests.fakes.fake_x import TOKEN, FakeX, sample_data

    yesterday = (datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%d")
    with FakeX(*sample_data(relative_to_today=True)) as fake:  # the bundled sample, ending yesterday
        monkeypatch.setenv("SIAGA_X_API_BASE", fake.url)
        monkeypatch.setenv("AIRFLOW_CONN_SIAGA_X", json.dumps({"conn_type": "http", "password": TOKEN}))
        out = tmp_path / "x.jsonl"
        code = main(
            [
                "extract",
                "x",
                "--since",
                f"{yesterday}T00:00:00Z",
                "--out",
                str(out),
                "--until",
                (datetime.now(UTC)).strftime("%Y-%m-%dT00:00:00Z"),
            ]
        )
    summary = json.loads(capsys.readouterr().out)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert code == 0 and summary["api_calls"] == len(fake.requests) >= 3
    assert lines and all((line["created_at"] or yesterday).startswith(yesterday) for line in lines)
    assert summary["cursors"]["query:places"]


def test_siaga_extract_without_credentials_says_which_connection(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("AIRFLOW_CONN_SIAGA_FACEBOOK", raising=False)
    code = main(["extract", "facebook", "--out", str(tmp_path / "fb.jsonl")])
    assert code == 2 and "AIRFLOW_CONN_SIAGA_FACEBOOK" in capsys.readouterr().err


def test_enabled_sources_fall_back_to_replay(monkeypatch):
    from extractors import enabled_sources

    for name in ("X", "FACEBOOK", "INSTAGRAM", "WHATSAPP"):
        monkeypatch.delenv(f"AIRFLOW_CONN_SIAGA_{name}", raising=False)
    assert enabled_sources() == ["replay"]
    monkeypatch.setenv("AIRFLOW_CONN_SIAGA_WHATSAPP", '{"password": "s"}')
    assert enabled_sources() == ["whatsapp"]
