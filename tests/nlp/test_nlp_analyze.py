"""`nlp.analyze_records` and `siaga analyze`: the contract's fields, bad input per record, never a crash."""

import io
import json
import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp import analyze_records
from nlp.cli import analyze_stream

CONTRACT_FIELDS = {
    "id",
    "is_complaint",
    "complaint_score",
    "category",
    "is_emergency",
    "in_kutim",
    "kecamatan",
    "desa",
    "region_code",
    "opd",
    "lapor_classification",
    "entities",
    "model_version",
    "lat",
    "lon",
}


def test_complaint_gets_every_contract_field_with_place_and_agency():
    [result] = analyze_records(
        [
            {
                "id": "a1",
                "text": "Warga Desa Sepaso Timur, Kecamatan Bengalon, "
                "mengeluhkan jalan rusak parah yang tak kunjung diperbaiki",
            }
        ]
    )
    assert set(result) >= CONTRACT_FIELDS
    assert result["is_complaint"] is True and result["category"] == "jalan_jembatan"
    assert (result["kecamatan"], result["desa"], result["region_code"]) == ("Bengalon", "Sepaso Timur", "64.08.09.2006")
    assert result["opd"].startswith("Dinas Pekerjaan Umum")
    assert result["lapor_classification"] == "pengaduan"
    assert 0.7 < result["lat"] < 0.9
    ent = result["entities"][0]
    assert set(ent) == {"text", "label", "start", "end", "code"}


def test_fire_happening_now_is_an_emergency_for_the_fire_service():
    text = "kebakaran rumah di jl kabo jaya skrg!! api masih menyala"
    [result] = analyze_records([{"id": 2, "text": text}])
    assert result["is_emergency"] is True and result["category"] == "kebakaran"
    assert "Pemadam Kebakaran" in result["opd"]


def test_ceremony_is_not_a_complaint_and_has_no_category():
    [result] = analyze_records([{"id": 3, "text": "Bupati Kutim meresmikan gedung baru di Bukit Pelangi"}])
    assert result["is_complaint"] is False and result["category"] is None and result["opd"] is None
    assert result["in_kutim"] is True


def test_bad_records_get_an_error_and_the_others_go_on():
    results = analyze_records(
        [{"id": 1, "text": ""}, {"id": 2, "text": 5}, {"id": 3}, {"id": 4, "text": "banjir di sangatta selatan"}]
    )
    assert [r.get("error") is not None for r in results] == [True, True, True, False]
    assert results[3]["kecamatan"] == "Sangatta Selatan"


def test_odd_texts_give_a_result_not_a_crash():
    texts = [
        "😡😡😡",
        "<p>jalan <b>rusak</b> di Sangatta</p>",
        "\x00\x01\x02 binary",
        "a" * 100_000,
        "جالان روسق 道路 разбитая Sangatta",
        "   \n\t  x",
    ]
    results = analyze_records([{"id": i, "text": t} for i, t in enumerate(texts)])
    assert len(results) == len(texts)
    assert all("error" not in r for r in results)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(min_size=0, max_size=300), min_size=1, max_size=5))
def test_random_unicode_never_crashes(texts):
    results = analyze_records([{"id": i, "text": t} for i, t in enumerate(texts)])
    assert [r["id"] for r in results] == list(range(len(texts)))
    for text, result in zip(texts, results, strict=True):
        assert ("error" in result) == (not text.strip())
        for ent in result.get("entities", []):
            assert text[ent["start"] : ent["end"]] == ent["text"]


def test_analyze_stream_keeps_order_and_reports_bad_lines():
    lines = io.StringIO(
        '{"id": 1, "text": "air pdam mati di Teluk Lingga"}\nnot json\n[1,2]\n\n'
        '{"id": 5, "text": "listrik padam di Bengalon"}\n'
    )
    out = io.StringIO()
    errors = analyze_stream(lines, out)
    results = [json.loads(line) for line in out.getvalue().splitlines()]
    assert errors == 3
    assert [r.get("id") for r in results] == [1, None, None, None, 5]
    assert "not valid JSON" in results[1]["error"]
    assert "empty line" in results[3]["error"]
    assert results[4]["category"] == "listrik"


def test_siaga_analyze_command_reads_stdin_and_writes_jsonl():
    stdin = '{"id": "x1", "text": "sampah menumpuk di Desa Sangkima"}\n{"id": "x2"}\n'
    done = subprocess.run(
        [sys.executable, "-m", "siaga", "analyze"], input=stdin, capture_output=True, text=True, timeout=120, check=True
    )
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert results[0]["desa"] == "Sangkima" and results[0]["category"] == "lingkungan_sampah"
    assert results[1] == {"id": "x2", "error": "missing 'text'"}
