"""`analyze_records`: posts in, the `siaga analyze` contract's objects out (one per record, same order)."""

from __future__ import annotations

import gc
import logging
import re
import threading
from typing import Any

from spacy.language import Language

from nlp import pipeline

# Longer texts are analysed on their first part only, so one huge post cannot stall a batch.
MAX_CHARS = 20_000
BATCH_SIZE = 1024
GC_CHUNK = 4096

log = logging.getLogger(__name__)
# A lone surrogate (JSON "\ud800") has no UTF-8 form and stops spaCy's tokenizer: it is read as U+FFFD,
# one character for one, so entity offsets still point into the text as given.
_SURROGATE = re.compile("[\ud800-\udfff]")

_lock = threading.Lock()
_nlp: Language | None = None


def get_nlp() -> Language:
    """The pipeline, loaded once per process."""
    global _nlp
    if _nlp is None:
        with _lock:
            if _nlp is None:
                _nlp = pipeline.load()
    return _nlp


def reset() -> None:
    """Forget the loaded pipeline (after `siaga train` wrote a new one)."""
    global _nlp
    with _lock:
        _nlp = None


def _problem(record: Any) -> str | None:
    if not isinstance(record, dict):
        return f"record must be a JSON object, got {type(record).__name__}"
    text = record.get("text")
    if text is None:
        return "missing 'text'"
    if not isinstance(text, str):
        return f"'text' must be a string, got {type(text).__name__}"
    if not text.strip():
        return "empty 'text'"
    return None


def _make_doc(nlp: Language, text: str):
    doc = nlp.make_doc(text)
    doc.user_data["text"] = text  # so components need not rebuild the text from tokens
    return doc


def analyze_records(records: list[dict], nlp: Language | None = None) -> list[dict]:
    """One contract object per record; a bad record gives {"id", "error"} and the others go on."""
    nlp = nlp or get_nlp()
    version = pipeline.model_version(nlp)
    results: list[dict | None] = [None] * len(records)
    good: list[tuple[int, str]] = []
    for index, record in enumerate(records):
        problem = _problem(record)
        record_id = record.get("id") if isinstance(record, dict) else None
        if problem:
            results[index] = {"id": record_id, "error": problem}
        else:
            good.append((index, _SURROGATE.sub("\ufffd", record["text"][:MAX_CHARS])))
    # A batch makes many short-lived, acyclic objects; the cyclic garbage collector's passes over them
    # cost 5-20 % of the time, so it waits until each chunk is done (reference counting still frees).
    for start in range(0, len(good), GC_CHUNK):
        chunk = good[start : start + GC_CHUNK]
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            docs = [_make_doc(nlp, text) for _, text in chunk]
            _fill(results, records, chunk, pipeline.process(nlp, docs, batch_size=BATCH_SIZE), version)
        except Exception:
            # one text the pipeline cannot take must not cost the others their analysis
            log.warning("analysis failed on a batch of %d; analysing its records one by one", len(chunk))
            _fill_one_by_one(results, records, chunk, nlp, version)
        finally:
            if gc_was_enabled:
                gc.enable()
    return results  # type: ignore[return-value]


def _fill(results: list, records: list[dict], good: list[tuple[int, str]], docs, version: str) -> None:
    for (index, _), doc in zip(good, docs, strict=True):
        place = pipeline.doc_place(doc)
        results[index] = {
            "id": records[index].get("id"),
            **pipeline.doc_analysis(doc),
            **pipeline.place_fields(place),
            "entities": pipeline.entities(place),
            "model_version": version,
        }


def _fill_one_by_one(
    results: list, records: list[dict], good: list[tuple[int, str]], nlp: Language, version: str
) -> None:
    for item in good:
        try:
            _fill(results, records, [item], nlp.pipe([_make_doc(nlp, item[1])]), version)
        except Exception as exc:
            results[item[0]] = {
                "id": records[item[0]].get("id"),
                "error": f"could not be analysed ({type(exc).__name__})",
            }
