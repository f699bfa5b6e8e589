"""`siaga train`: rebuilds the model deterministically from the shipped examples (nlp/data/train.jsonl).

Two bag-of-words text classifiers over normalised words are trained: `category` (the 14 categories, on
the complaints only) and `signals` (complaint, emergency; on every example). Fixed seeds, a fixed shuffle
and CPU-only thinc make two runs give the same weights. The dev set (nlp/data/dev.jsonl) is never used
for training; it is scored at the end for information.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import sys
import time
from pathlib import Path
from typing import TextIO

from spacy.training import Example
from spacy.util import fix_random_seed, minibatch

from nlp import pipeline
from nlp.rules import CATEGORIES

DATA_DIR = Path(__file__).resolve().parent / "data"
SEED = 0
EPOCHS = 12
BATCH_SIZE = 32


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def data_fingerprint(path: Path) -> str:
    """Short hash of the training file, part of the model version."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:8]


def _examples(nlp, records: list[dict]) -> tuple[list[Example], list[Example]]:
    """(examples for `signals`, examples for `category`)."""
    normalizer = nlp.get_pipe("kutim_normalizer")
    signals, categories = [], []
    for record in records:
        doc = normalizer(nlp.make_doc(record["text"]))
        complaint = bool(record["is_complaint"])
        cats = {"complaint": float(complaint), "emergency": float(bool(record["is_emergency"]))}
        signals.append(Example.from_dict(doc, {"cats": cats}))
        if complaint and record.get("category") in CATEGORIES:
            doc = normalizer(nlp.make_doc(record["text"]))
            cats = {label: float(label == record["category"]) for label in CATEGORIES}
            categories.append(Example.from_dict(doc, {"cats": cats}))
    return signals, categories


def train(out_dir: str | Path | None = None, epochs: int = EPOCHS, data_dir: Path = DATA_DIR,
          log: TextIO = sys.stdout) -> Path:
    """Trains and saves the pipeline to `out_dir` (default nlp/model); returns the folder."""
    started = time.perf_counter()
    out = Path(out_dir or pipeline.MODEL_DIR)
    train_path = data_dir / "train.jsonl"
    records = _read(train_path)
    fix_random_seed(SEED)
    nlp = pipeline.build_blank(with_textcat=True)
    nlp.meta["kutim"] = {"train_examples": len(records), "train_sha256_8": data_fingerprint(train_path)}
    signals, categories = _examples(nlp, records)
    print(f"dilatih dari {len(records)} contoh ({len(categories)} keluhan berkategori)", file=log)
    # Each classifier gets its own labels explicitly; left to itself, `signals` would also take the category
    # labels from the examples and overwrite the category scores in doc.cats with untrained ones.
    nlp.config["initialize"]["components"] = {
        "category": {"labels": list(CATEGORIES)},
        "signals": {"labels": ["complaint", "emergency"]},
    }
    optimizer = nlp.initialize(lambda: categories[:50])
    rng = random.Random(SEED)
    for epoch in range(1, epochs + 1):
        losses: dict[str, float] = {}
        rng.shuffle(signals)
        rng.shuffle(categories)
        for batch in minibatch(signals, size=BATCH_SIZE):
            nlp.update(batch, sgd=optimizer, losses=losses, exclude=["category"])
        for batch in minibatch(categories, size=BATCH_SIZE):
            nlp.update(batch, sgd=optimizer, losses=losses, exclude=["signals"])
        print(
            f"epoch {epoch:>2}/{epochs}: loss category {losses.get('category', 0):.3f}, "
            f"signals {losses.get('signals', 0):.3f}",
            file=log,
        )
    if out.exists():
        shutil.rmtree(out)
    nlp.to_disk(out)
    print(f"model disimpan di {out} ({time.perf_counter() - started:.1f} s)", file=log)
    from nlp import analyze

    analyze.reset()
    dev_path = data_dir / "dev.jsonl"
    if dev_path.exists():
        from nlp.evaluate import evaluate_file, format_report

        print(format_report(evaluate_file(dev_path, nlp=pipeline.load(out))), file=log)
    return out
