import json
import subprocess
import sys

from nlp.evaluate import format_report, score


def test_scores_count_right_and_wrong_values_per_field():
    golds = [
        {"text": "a", "is_complaint": True, "category": "banjir", "in_kutim": True, "kecamatan": "Bengalon"},
        {"text": "b", "is_complaint": True, "category": "listrik", "in_kutim": False, "kecamatan": None},
        {"text": "c", "is_complaint": False, "category": None, "in_kutim": True, "kecamatan": None},
    ]
    preds = [
        {"is_complaint": True, "category": "banjir", "in_kutim": True, "kecamatan": "Bengalon"},
        {"is_complaint": True, "category": "banjir", "in_kutim": True, "kecamatan": None},
        {"is_complaint": True, "category": "sosial", "in_kutim": True, "kecamatan": "Telen"},
    ]
    report = score(golds, preds)
    assert report["is_complaint"]["precision"] == round(2 / 3, 4)
    assert report["is_complaint"]["recall"] == 1.0
    assert report["category"]["n"] == 2 and report["category"]["accuracy"] == 0.5
    assert report["kecamatan"]["n"] == 2 and report["kecamatan"]["accuracy"] == 0.5
    assert report["outside_marked_kutim"] == {"n": 1, "rate": 1.0}
    assert "kecamatan" in format_report(report)


def test_siaga_evaluate_prints_figures_per_field(tmp_path):
    path = tmp_path / "gold.jsonl"
    rows = [
        {
            "id": 1,
            "text": "banjir merendam rumah di Desa Sangkima",
            "is_complaint": True,
            "category": "banjir",
            "in_kutim": True,
            "kecamatan": "Sangatta Selatan",
            "desa": "Sangkima",
        },
        {"id": 2, "text": "Bupati meresmikan masjid", "is_complaint": False, "in_kutim": False},
    ]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "siaga", "evaluate", str(path), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report = json.loads(done.stdout)
    assert report["n"] == 2
    assert report["desa"]["accuracy"] == 1.0
    assert report["is_complaint"]["f1"] == 1.0
