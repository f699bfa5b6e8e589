"""Speed figures for `siaga bench`: the full analysis against bare `spacy.blank("id")` tokenisation.

The posts are the shipped examples of social-media length (at most 280 characters), each made unique (two
words swapped, a number appended) so caches do not flatter the figures. Everything runs in this process
on one core; the bare tokeniser sees the very same posts in the same run, chunk by chunk in turn. Rates
are posts per second of this process's CPU time (time.process_time), so that other jobs on a shared
machine do not count against either side; load time is wall-clock time.
"""

from __future__ import annotations

import json
import random
import resource
import time
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "train.jsonl"
BATCH = 1000
CHUNK = 10_000


def make_posts(n: int, seed: int = 7) -> list[str]:
    """`n` distinct posts of social-media length built from the shipped examples."""
    lines = DATA.read_text(encoding="utf-8").splitlines()
    texts = [json.loads(line)["text"] for line in lines if line.strip()]
    texts = [text for text in texts if len(text) <= 280]
    rng = random.Random(seed)
    posts = []
    for i in range(n):
        words = texts[i % len(texts)].split(" ")
        if len(words) > 3:
            a, b = rng.randrange(len(words)), rng.randrange(len(words))
            words[a], words[b] = words[b], words[a]
        posts.append(" ".join(words) + f" {i}")
    return posts


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run(n: int = 100_000) -> dict[str, Any]:
    """Runs the benchmark on `n` posts and returns the figures."""
    started = time.perf_counter()
    import spacy

    from nlp import analyze, pipeline

    import_s = time.perf_counter() - started
    posts = make_posts(n)
    records = [{"id": i, "text": text} for i, text in enumerate(posts)]

    analyze.reset()
    started = time.perf_counter()
    nlp = pipeline.load()
    load_s = time.perf_counter() - started
    memory_after_load = _peak_mb()

    blank = spacy.blank("id")
    # Bare tokenisation and the full analysis take turns on the same chunks, so that a change in the load
    # of a shared machine during the run weighs on both alike.
    bare_s = full_s = 0.0
    tokens = analysed = 0
    for start in range(0, n, CHUNK):
        chunk = posts[start : start + CHUNK]
        started = time.process_time()
        for doc in blank.pipe(chunk, batch_size=BATCH):
            tokens += len(doc)
        bare_s += time.process_time() - started
        started = time.process_time()
        for offset in range(start, start + len(chunk), BATCH):
            batch = records[offset : min(offset + BATCH, start + CHUNK)]
            analysed += len(analyze.analyze_records(batch, nlp=nlp))
        full_s += time.process_time() - started

    full_rate = analysed / full_s if full_s else 0.0
    bare_rate = n / bare_s if bare_s else 0.0
    return {
        "nlp_posts": n,
        "nlp_mean_chars": round(sum(map(len, posts)) / max(n, 1), 1),
        "nlp_tokens": tokens,
        "nlp_posts_per_s": round(full_rate, 1),
        "nlp_bare_tokenizer_posts_per_s": round(bare_rate, 1),
        "nlp_ratio_to_bare": round(full_rate / bare_rate, 3) if bare_rate else None,
        "nlp_import_s": round(import_s, 3),
        "nlp_model_load_s": round(load_s, 3),
        "nlp_peak_memory_after_load_mb": memory_after_load,
        "nlp_peak_memory_mb": _peak_mb(),
        "nlp_model_version": pipeline.model_version(nlp),
    }
