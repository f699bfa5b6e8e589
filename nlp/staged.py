"""Analysis of staged posts in chunks, on any worker, beside the staging file; the writer only reads it.

    plan_chunks(staging files, chunk_posts)   -> one chunk per `chunk_posts` lines (byte ranges)
    analyse_chunk(chunk)                      -> <day>/<source>.analysis/<first line>-<lines>.parquet
    StagedAnalyses(parquet files)             -> an Analyzer for warehouse.ingest: the stored result
                                                 when post key, text and model version all match,
                                                 the NLP itself for anything else

A chunk file is written aside and renamed when complete, holds one model version (in its Parquet
metadata, with the digest of the lines it read), and is rewritten when either differs: a re-run
changes nothing, a chunk analysed by an older model is analysed again, never mixed with a newer one.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

ANALYSIS_BATCH = 2_000
SCHEMA_KEYS = (b"model_version", b"input_sha256", b"staging_path", b"first_line", b"lines")


def current_model_version(model_dir: Path | None = None) -> str:
    """What `nlp.pipeline.model_version` will say for the model on disk, read from its meta.json
    without loading spaCy (the writer must not pay for the pipeline only to check a version)."""
    from nlp.pipeline import MODEL_DIR, PIPELINE_NAME, PIPELINE_VERSION

    folder = Path(model_dir or MODEL_DIR)
    if not (folder / "config.cfg").exists():
        return f"{PIPELINE_NAME}-{PIPELINE_VERSION}-rules"
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    version = f"{meta.get('name', PIPELINE_NAME)}-{meta.get('version', PIPELINE_VERSION)}"
    fingerprint = (meta.get("kutim") or {}).get("train_sha256_8")
    return f"{version}+{fingerprint}" if fingerprint else version


def text_digest(text: str) -> str:
    """The text a result belongs to: a post edited between analysis and load is analysed again."""
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def post_key(post: dict) -> str | None:
    """The warehouse's key (`platform:platform_post_id`, trimmed as the loader trims), or None for a
    line the loader will refuse anyway."""
    platform, post_id = post.get("platform"), post.get("platform_post_id")
    if not isinstance(platform, str) or isinstance(post_id, bool) or not isinstance(post_id, (str, int)):
        return None
    return f"{platform.strip(' ')}:{str(post_id).strip(' ')}"


def chunk_path(staging_path: str | Path, first_line: int, lines: int) -> Path:
    """Beside the staging file: <day>/<source>.analysis/<first line>-<lines>.parquet."""
    staging_path = Path(staging_path)
    return staging_path.with_name(staging_path.stem + ".analysis") / f"{first_line:09d}-{lines}.parquet"


def plan_chunks(staging_paths: Iterable[str], chunk_posts: int) -> list[dict[str, Any]]:
    """Cut each staging file into chunks of at most `chunk_posts` lines, as byte ranges so that a
    worker reads only its own part. Missing files (a source that failed) give no chunk."""
    if chunk_posts < 1:
        raise ValueError(f"chunk_posts must be at least 1, got {chunk_posts}")
    chunks: list[dict[str, Any]] = []
    for path in staging_paths:
        if not path or not Path(path).exists():
            continue
        offset = start = first_line = line_no = 0
        with open(path, "rb") as handle:
            for line in handle:
                line_no += 1
                offset += len(line)
                if line_no - first_line == chunk_posts:
                    chunks.append(_chunk(path, len(chunks), first_line + 1, line_no - first_line, start, offset))
                    start, first_line = offset, line_no
        if line_no > first_line:
            chunks.append(_chunk(path, len(chunks), first_line + 1, line_no - first_line, start, offset))
    return chunks


def _chunk(path: str, index: int, first_line: int, lines: int, start: int, end: int) -> dict[str, Any]:
    return {
        "staging_path": str(path),
        "source": Path(path).stem,
        "chunk": index,
        "first_line": first_line,
        "lines": lines,
        "offset": start,
        "length": end - start,
    }


def _read_range(path: str, offset: int, length: int) -> bytes:
    with open(path, "rb") as handle:
        handle.seek(offset)
        data = handle.read(length)
    if len(data) != length:
        raise ValueError(f"{path} is shorter than planned ({offset}+{length} bytes): re-run the extract and the plan")
    return data


def _stored_meta(path: Path) -> dict[str, str] | None:
    import pyarrow.parquet as pq

    try:
        meta = pq.read_schema(path).metadata or {}
    except (OSError, ValueError):
        return None  # unreadable: analysed again
    return {k.decode(): v.decode() for k, v in meta.items() if k in SCHEMA_KEYS}


def analyse_chunk(
    staging_path: str, first_line: int, lines: int, offset: int, length: int, analyze=None, **_: Any
) -> dict[str, Any]:
    """Analyse one chunk of a staging file into its Parquet file; returns what a writer needs to use it.
    Skips the work when the file already holds this chunk's lines analysed by the current model."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    data = _read_range(staging_path, offset, length)
    digest = hashlib.sha256(data).hexdigest()
    out = chunk_path(staging_path, first_line, lines)
    version = current_model_version()
    stored = _stored_meta(out) if out.exists() else None
    if stored and stored.get("model_version") == version and stored.get("input_sha256") == digest:
        rows = pq.read_metadata(out).num_rows
        log.info("analysis chunk %s: already analysed by %s (%d posts), kept", out, version, rows)
        return {"path": str(out), "posts": rows, "model_version": version, "reused": True}
    if stored:
        log.info(
            "analysis chunk %s: made by %s for other lines or model, analysed again with %s",
            out,
            stored.get("model_version"),
            version,
        )

    records, keys = [], []
    for raw in data.decode("utf-8", errors="replace").splitlines():
        try:
            post = json.loads(raw)
        except ValueError:
            continue  # the loader quarantines it with the reason
        if not isinstance(post, dict) or post.get("_quarantine"):
            continue
        key, text = post_key(post), post.get("text")
        if key is None or not isinstance(text, str) or not text.strip():
            continue
        keys.append((key, text_digest(text)))
        records.append({"id": key, "text": text})
    if analyze is None:
        from nlp import analyze_records as analyze  # heavy: loads the spaCy pipeline
    results: list[dict] = []
    for start in range(0, len(records), ANALYSIS_BATCH):
        results.extend(analyze(records[start : start + ANALYSIS_BATCH]))
    kept = [(k, r) for k, r in zip(keys, results, strict=True) if "error" not in r]
    made_by = {r.get("model_version") for _, r in kept}
    if made_by - {version}:
        # the pipeline in memory is not the one on disk (trained while running): store nothing
        raise RuntimeError(f"the loaded model says {sorted(made_by)}, the model on disk {version}; run again")
    table = pa.table(
        {
            "post_key": pa.array([k[0] for k, _ in kept], pa.string()),
            "text_sha1": pa.array([k[1] for k, _ in kept], pa.string()),
            "model_version": pa.array([version] * len(kept), pa.string()),
            "analysis": pa.array([json.dumps(r, ensure_ascii=False) for _, r in kept], pa.string()),
        }
    ).replace_schema_metadata(
        {
            "model_version": version,
            "input_sha256": digest,
            "staging_path": str(staging_path),
            "first_line": str(first_line),
            "lines": str(lines),
        }
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + f".{os.getpid()}.part")
    pq.write_table(table, partial)
    partial.replace(out)
    log.info("analysis chunk %s: %d posts of %d lines analysed by %s", out, len(kept), lines, version)
    return {"path": str(out), "posts": len(kept), "model_version": version, "reused": False}


class StagedAnalyses:
    """An Analyzer (records {"id", "text"} in, analyses out) that answers from chunk files made by the
    current model for the same post and text, and runs the NLP only for the rest (a chunk that failed,
    a file from an older model, an edited text). The answers are the same either way."""

    def __init__(self, paths: Iterable[str], model_version: str | None = None):
        import pyarrow.parquet as pq

        self.model_version = model_version or current_model_version()
        self.rows: dict[tuple[str, str], int] = {}
        self.analyses: list[str] = []
        self.stale = self.hits = self.misses = 0
        for path in paths:
            if not path or not Path(path).exists():
                continue
            table = pq.read_table(path)
            made_by = ((table.schema.metadata or {}).get(b"model_version") or b"").decode()
            if made_by != self.model_version:
                self.stale += 1
                log.info("analysis file %s made by %s, not %s: not used", path, made_by, self.model_version)
                continue
            keys, digests = table.column("post_key").to_pylist(), table.column("text_sha1").to_pylist()
            base = len(self.analyses)
            self.analyses.extend(table.column("analysis").to_pylist())
            self.rows.update(((k, d), base + i) for i, (k, d) in enumerate(zip(keys, digests, strict=True)))

    def __call__(self, records: list[dict]) -> list[dict]:
        results: list[dict | None] = []
        missing: list[int] = []
        for index, record in enumerate(records):
            text = record.get("text")
            row = self.rows.get((record.get("id"), text_digest(text))) if isinstance(text, str) else None
            if row is None:
                missing.append(index)
                results.append(None)
            else:
                results.append({**json.loads(self.analyses[row]), "id": record.get("id")})
        if missing:
            from nlp import analyze_records

            for index, result in zip(missing, analyze_records([records[i] for i in missing]), strict=True):
                results[index] = result
        self.hits += len(records) - len(missing)
        self.misses += len(missing)
        return results  # type: ignore[return-value]

    def summary(self) -> dict[str, int]:
        return {"analysis_reused": self.hits, "analysis_inline": self.misses, "analysis_files_stale": self.stale}
