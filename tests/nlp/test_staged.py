"""Analysis in chunks beside the staging file (nlp.staged): the writer gets the same analyses as if it
had run the NLP itself, a re-run reuses a chunk, an older model's chunk is analysed again."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from nlp import analyze_records
from nlp.analyze import get_nlp
from nlp.pipeline import model_version
from nlp.staged import StagedAnalyses, analyse_chunk, chunk_path, current_model_version, plan_chunks

POSTS = [
    {"platform": "x", "platform_post_id": "1", "text": "Jalan poros Sangatta Utara rusak parah, mohon diperbaiki"},
    {"platform": "facebook", "platform_post_id": 22, "text": "Banjir merendam rumah warga di Bengalon sejak subuh"},
    "not json at all",
    {"platform": "x", "platform_post_id": "3", "text": "   "},
    {"platform": "x", "platform_post_id": "4", "text": "Air PDAM mati tiga hari di Muara Wahau"},
    {"platform": "instagram", "platform_post_id": "5", "text": "Kebakaran rumah di Sangkulirang, tolong damkar!"},
]


def write_staging(path: Path, posts: list) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join((p if isinstance(p, str) else json.dumps(p)) + "\n" for p in posts), encoding="utf-8")
    return path


def test_model_version_on_disk_is_what_the_loaded_pipeline_says():
    assert current_model_version() == model_version(get_nlp())


def test_chunks_cover_every_line_once(tmp_path):
    staging = write_staging(tmp_path / "2026-11-23" / "replay.jsonl", POSTS)
    chunks = plan_chunks([str(staging), str(tmp_path / "missing.jsonl")], 4)
    assert [(c["first_line"], c["lines"]) for c in chunks] == [(1, 4), (5, 2)]
    data = staging.read_bytes()
    assert b"".join(data[c["offset"] : c["offset"] + c["length"]] for c in chunks) == data
    with pytest.raises(ValueError):
        plan_chunks([str(staging)], 0)


def test_writer_gets_the_same_analyses_as_running_the_nlp(tmp_path):
    staging = write_staging(tmp_path / "replay.jsonl", POSTS)
    outs = [analyse_chunk(**chunk) for chunk in plan_chunks([str(staging)], 2)]
    assert sum(o["posts"] for o in outs) == 4  # the bad line and the blank text are the loader's to refuse
    analyses = StagedAnalyses([o["path"] for o in outs])
    records = [
        {"id": "x:1", "text": POSTS[0]["text"]},
        {"id": "facebook:22", "text": POSTS[1]["text"]},
        {"id": "x:4", "text": "Air PDAM mati tiga hari di Muara Wahau, sudah diedit"},
    ]
    assert analyses(records) == analyze_records(records)
    # the edited text was analysed by the NLP, not answered with the stale result
    assert analyses.summary() == {"analysis_reused": 2, "analysis_inline": 1, "analysis_files_stale": 0}


def test_rerun_keeps_the_chunk_and_an_older_model_is_analysed_again(tmp_path, monkeypatch):
    staging = write_staging(tmp_path / "replay.jsonl", POSTS)
    chunk = plan_chunks([str(staging)], 100)[0]
    first = analyse_chunk(**chunk)
    stamp = Path(first["path"]).stat().st_mtime_ns
    again = analyse_chunk(**chunk, analyze=lambda records: pytest.fail("a current chunk is not analysed again"))
    assert again["reused"] and Path(again["path"]).stat().st_mtime_ns == stamp

    monkeypatch.setattr("nlp.staged.current_model_version", lambda: "kutim_siaga-0.0.1")
    assert StagedAnalyses([first["path"]]).summary()["analysis_files_stale"] == 1  # never mixed in
    monkeypatch.undo()
    # a file an older model wrote is rewritten by the current one, whole
    table = pq.read_table(first["path"])
    pq.write_table(table.replace_schema_metadata({**table.schema.metadata, b"model_version": b"old"}), first["path"])
    redone = analyse_chunk(**chunk)
    assert not redone["reused"]
    rewritten = pq.read_table(redone["path"])
    assert set(rewritten.column("model_version").to_pylist()) == {current_model_version()}
    assert rewritten.schema.metadata[b"model_version"].decode() == current_model_version()
    assert Path(redone["path"]) == chunk_path(staging, 1, len(POSTS))
