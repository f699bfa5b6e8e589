"""`siaga analyze` answers every input line with one valid JSON line, in order, whatever the line holds."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nlp.cli import MAX_DEPTH, run_analyze

SIAGA = [sys.executable, "-m", "siaga"]
REPO = Path(__file__).resolve().parents[2]
COMPLAINT = "Jalan poros Sangatta Utara rusak parah, mohon segera diperbaiki"


def _input_lines(data: bytes) -> list[bytes]:
    """The lines a reader of the bytes sees: split at b"\\n", a last line without one counts too."""
    parts = data.split(b"\n")
    return parts[:-1] if parts[-1] == b"" else parts


def _no_constants(name: str):
    raise ValueError(f"{name} is not JSON")


def _depth(text: str) -> int:
    """How deep brackets nest outside JSON strings."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            escaped, in_string = (False, True) if escaped else (char == "\\", char != '"')
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _expected_id(line: bytes, first: bool):
    """The id the line carries when it is a strict JSON object nested at most MAX_DEPTH deep, else None
    (a BOM may open the input)."""
    text = line.decode("utf-8", errors="replace")
    if _depth(text) > MAX_DEPTH:
        return None
    try:
        record = json.loads(text.removeprefix("\ufeff") if first else text, parse_constant=_no_constants)
    except (ValueError, RecursionError):
        return None
    return record.get("id") if isinstance(record, dict) else None


def _check(data: bytes, out: bytes) -> list[dict]:
    """One output line per input line, each valid strict JSON (no NaN), ids back in the same order."""
    lines_in = _input_lines(data)
    assert out.endswith(b"\n") or not lines_in
    lines_out = out.split(b"\n")[:-1] if out else []
    assert len(lines_out) == len(lines_in)
    results = []
    for number, (raw_in, raw_out) in enumerate(zip(lines_in, lines_out, strict=True)):
        text = raw_out.decode("utf-8")  # strict: every output line is UTF-8
        result = json.loads(text, parse_constant=_no_constants)
        assert isinstance(result, dict) and "id" in result
        expected = _expected_id(raw_in, first=number == 0)
        if "error" not in result or expected is not None:
            assert result["id"] == expected
        assert ("error" in result) or set(result) >= {"is_complaint", "category", "opd", "model_version"}
        results.append(result)
    return results


def _analyze(data: bytes) -> bytes:
    out = io.BytesIO()
    run_analyze(io.BytesIO(data), out)  # what `siaga analyze` runs on stdin and stdout
    return out.getvalue()


def _siaga_analyze(data: bytes) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*SIAGA, "analyze"],
        input=data,
        capture_output=True,
        cwd=REPO,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "LANG": "C"},
    )


# -- the two reported crashes, through the real command ----------------------------------------------------


def test_json_nested_ten_thousand_deep_loses_no_line():
    lines = [json.dumps({"id": i, "text": COMPLAINT}) for i in range(23)]
    lines.insert(11, "[" * 10_000 + "]" * 10_000)
    lines.append(json.dumps({"id": "deep-text", "text": {"a": "[" * 5_000}}))
    lines.append('{"id": "deep-value", "text": ' + "[" * 10_000 + "]" * 10_000 + "}")
    data = ("\n".join(lines) + "\n").encode()
    proc = _siaga_analyze(data)
    assert proc.returncode == 0, proc.stderr.decode()
    results = _check(data, proc.stdout)
    assert len(results) == 26
    assert "nested more than" in results[11]["error"]
    assert "error" in results[24] and results[24]["id"] == "deep-text"
    assert results[25] == {"id": None, "error": f"line 26: JSON nested more than {MAX_DEPTH} deep"}
    assert sum("error" in r for r in results) == 3


def test_a_lone_surrogate_in_the_text_or_the_id_loses_no_line():
    lines = [json.dumps({"id": i, "text": COMPLAINT}) for i in range(611)]
    lines[520] = '{"id": 520, "text": "jalan \\ud800 rusak di Sangatta Utara"}'
    lines[600] = '{"id": "x\\udfff", "text": "banjir di Sangatta Selatan"}'
    lines[610] = '{"id": "\\ud800", "text": "\\udc00"}'
    data = ("\n".join(lines) + "\n").encode()
    proc = _siaga_analyze(data)
    assert proc.returncode == 0, proc.stderr.decode()
    results = _check(data, proc.stdout)
    assert len(results) == 611
    assert results[520]["category"] == "jalan_jembatan" and "error" not in results[520]
    assert results[600]["id"] == "x\udfff" and results[600]["kecamatan"] == "Sangatta Selatan"
    assert results[610]["id"] == "\ud800"  # the id comes back as given, as a JSON escape
    assert all("error" not in r for r in results)


def test_bom_nan_huge_numbers_and_bad_bytes_each_get_their_line():
    data = b"".join(
        [
            b'\xef\xbb\xbf{"id": "bom", "text": "air pdam mati di Teluk Lingga"}\n',
            b'{"id": NaN, "text": "x"}\n',
            b'{"id": ' + b"9" * 5000 + b', "text": "x"}\n',
            b'{"id": "bytes", "text": "listrik padam \xff\xfe di Bengalon"}\r\n',
            b"\n",
            b'{"id": "no newline at the end", "text": "sampah menumpuk"}',
        ]
    )
    results = _check(data, _analyze(data))
    assert [r["id"] for r in results] == ["bom", None, None, "bytes", None, "no newline at the end"]
    assert ["error" in r for r in results] == [False, True, True, False, True, False]


# -- anything at all ---------------------------------------------------------------------------------------

# Any code point, lone surrogates included.
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=60)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(ANY_TEXT, inner, max_size=4),
    max_leaves=12,
)
RECORDS = st.fixed_dictionaries(
    {"id": JSON_VALUES, "text": st.one_of(ANY_TEXT, st.just(COMPLAINT), JSON_VALUES)},
    optional={"platform": ANY_TEXT},
)


def _as_line(value, ensure_ascii: bool) -> bytes:
    text = json.dumps(value, ensure_ascii=ensure_ascii)
    return text.encode("utf-8", errors="surrogatepass")  # raw surrogates become bytes that are not UTF-8


LINES = st.one_of(
    st.builds(_as_line, RECORDS, st.booleans()),
    st.builds(_as_line, JSON_VALUES, st.booleans()),
    st.integers(1, 20_000).map(lambda d: b"[" * d + b"]" * d),
    st.integers(1, 3_000).map(lambda d: b'{"id": 1, "text": ' + b"[" * d + b"]" * d + b"}"),
    st.integers(MAX_DEPTH - 3, MAX_DEPTH + 3).map(lambda d: b'{"id": 2, "text": ' + b"[" * d + b"]" * d + b"}"),
    st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"")),
    ANY_TEXT.map(lambda t: t.replace("\n", "").encode("utf-8", errors="surrogatepass")),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(LINES, min_size=1, max_size=12), st.booleans())
def test_random_json_and_unicode_get_one_valid_line_each_in_order(lines, final_newline):
    data = b"\n".join(lines) + (b"\n" if final_newline else b"")
    _check(data, _analyze(data))


def test_a_record_the_pipeline_fails_on_costs_only_its_own_line(monkeypatch):
    from nlp import analyze

    real_fill = analyze._fill

    def fill(results, records, good, docs, version):
        if any("meledak" in text for _, text in good):
            raise RuntimeError("a component failed")
        real_fill(results, records, good, docs, version)

    monkeypatch.setattr(analyze, "_fill", fill)
    data = "".join(
        json.dumps({"id": i, "text": t}) + "\n"
        for i, t in enumerate(
            ["banjir di Sangatta Selatan", "trafo meledak di Bengalon", "air pdam mati di Teluk Lingga"]
        )
    ).encode()
    results = _check(data, _analyze(data))
    assert [("error" in r) for r in results] == [False, True, False]
    assert results[1] == {"id": 1, "error": "could not be analysed (RuntimeError)"}
