"""`siaga train`: rebuilds the model deterministically from the shipped examples (nlp/data/train.jsonl).

One bag-of-words text classifier over normalised words is trained (`textcat`, multi-label: the 14
categories, set only on complaints, plus complaint and emergency). Fixed seeds, a fixed shuffle
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


def _examples(nlp, records: list[dict]) -> list[Example]:
    """One example per record: its category (complaints only), complaint and emergency labels."""
    examples = []
    for record in records:
        doc = nlp.make_doc(record["text"])
        complaint = bool(record["is_complaint"])
        category = record.get("category") if complaint else None
        cats = {label: float(label == category) for label in CATEGORIES}
        cats["complaint"] = float(complaint)
        cats["emergency"] = float(bool(record["is_emergency"]))
        examples.append(Example.from_dict(doc, {"cats": cats}))
    return examples


def train(
    out_dir: str | Path | None = None, epochs: int = EPOCHS, data_dir: Path = DATA_DIR, log: TextIO = sys.stdout
) -> Path:
    """Trains and saves the pipeline to `out_dir` (default nlp/model); returns the folder."""
    started = time.perf_counter()
    out = Path(out_dir or pipeline.MODEL_DIR)
    train_path = data_dir / "train.jsonl"
    records = _read(train_path)
    fix_random_seed(SEED)
    nlp = pipeline.build_blank(with_textcat=True)
    nlp.meta["kutim"] = {"train_examples": len(records), "train_sha256_8": data_fingerprint(train_path)}
    examples = _examples(nlp, records)
    print(f"dilatih dari {len(records)} contoh", file=log)
    nlp.config["initialize"]["components"] = {"textcat": {"labels": list(pipeline.TEXTCAT_LABELS)}}
    optimizer = nlp.initialize(lambda: examples[:50])
    rng = random.Random(SEED)
    for epoch in range(1, epochs + 1):
        losses: dict[str, float] = {}
        rng.shuffle(examples)
        for batch in minibatch(examples, size=BATCH_SIZE):
            nlp.update(batch, sgd=optimizer, losses=losses)
        print(f"epoch {epoch:>2}/{epochs}: loss {losses.get('textcat', 0):.3f}", file=log)
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
