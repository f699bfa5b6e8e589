"""The spaCy pipeline: trained classifiers wired right, deterministic retraining, model version, bench."""

import json
from pathlib import Path

import pytest

from nlp import pipeline
from nlp.analyze import get_nlp
from nlp.train import train
from tools.bench.nlp import run as bench

TRAIN = Path(pipeline.__file__).parent / "data" / "train.jsonl"


def test_textcat_scores_every_category_and_the_complaint_and_emergency_signals():
    nlp = get_nlp()
    assert nlp.get_pipe("textcat").labels == pipeline.TEXTCAT_LABELS
    cats = nlp("air pdam mati tiga hari di teluk lingga").cats
    assert max((v, k) for k, v in cats.items() if k not in ("complaint", "emergency"))[1] == "air_bersih"
    assert cats["complaint"] > 0.5
    assert nlp("Selamat hari guru untuk semua guru hebat").cats["complaint"] < 0.5


def test_model_version_names_the_training_data():
    version = pipeline.model_version(get_nlp())
    assert version.startswith("kutim_siaga-") and "+" in version


def test_vocabulary_normalises_slang_but_keeps_place_words():
    nlp = get_nlp()
    doc = nlp("jln rusak gak diperbaiki2 di Sangata #JalanRusak")
    norms = [t.norm_ for t in doc]
    assert norms[:3] == ["jalan", "rusak", "tidak"]
    assert "sangata" in norms
    assert "jalan rusak" in norms


@pytest.mark.slow
def test_training_twice_on_the_same_data_gives_the_same_model(tmp_path):
    lines = TRAIN.read_text(encoding="utf-8").splitlines()[:240]
    data = tmp_path / "data"
    data.mkdir()
    (data / "train.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    outputs = []
    for run in ("a", "b"):
        log = tmp_path / f"{run}.log"
        with open(log, "w", encoding="utf-8") as handle:
            out = train(out_dir=tmp_path / run, epochs=2, data_dir=data, log=handle)
        outputs.append(out)
        assert "epoch  2/2" in log.read_text(encoding="utf-8")
    assert (outputs[0] / "textcat" / "model").read_bytes() == (outputs[1] / "textcat" / "model").read_bytes()
    trained = pipeline.load(outputs[0])
    assert json.loads((outputs[0] / "meta.json").read_text())["kutim"]["train_examples"] == 240
    assert trained("banjir merendam rumah warga").cats["banjir"] > 0


def test_bench_reports_speed_load_time_and_memory():
    figures = bench(300)
    for key in (
        "nlp_posts_per_s",
        "nlp_bare_tokenizer_posts_per_s",
        "nlp_ratio_to_bare",
        "nlp_model_load_s",
        "nlp_peak_memory_mb",
    ):
        assert figures[key] > 0, key
    assert figures["nlp_posts"] == 300
