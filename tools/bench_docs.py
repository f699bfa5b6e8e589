"""Runs every benchmark once and writes the figure tables of docs/benchmarks.md (`make bench`).

Only the regions between `<!-- bench:PART:start -->` and `<!-- bench:PART:end -->` are rewritten; the
hand-written prose around them stays as it is. Each region says when, on which commit and under which
load its figures were measured, so a figure in the docs is never older than the code it describes.

    python tools/bench_docs.py              # all parts at full size, rewrite docs/benchmarks.md
    python tools/bench_docs.py --quick      # small sizes, a smoke run (stamped as such)
    python tools/bench_docs.py --check      # exit 1 when the docs' figures are older than HEAD's code
    python tools/bench_docs.py --from-json figures.json --doc /tmp/copy.md   # rewrite only, no run
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "benchmarks.md"
PARTS = ("warehouse", "nlp", "extractors", "ui", "lapor", "dags")
DAGS_POSTS, DAGS_POSTS_QUICK = 10_000, 1_000
STAMP_RE = re.compile(r"commit `(?P<commit>[0-9a-f]{4,40})`(?P<dirty> \+ uncommitted changes)?")

UI_PAGES = {
    "queue": "Antrian draf (queue)",
    "detail": "Detail draf",
    "dashboard": "Isu viral (dashboard)",
    "dashboard_filtered": "Isu viral with filters (period, category, kecamatan)",
    "csv": "CSV downloads (queue and dashboard tables)",
    "lapor": "Tiket LAPOR!",
    "lapor_uncached": "Tiket LAPOR! after a write",
    "csv_lapor_uncached": "lapor.csv after a write",
}


class MarkerError(ValueError):
    """The document lacks a part's markers, or has them twice or in the wrong order."""


# --- measuring --------------------------------------------------------------------------------------


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=REPO, check=True, capture_output=True, text=True).stdout.strip()


def stamp(quick: bool = False) -> dict[str, Any]:
    """When, on which code and under which load: taken before the run."""
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": _git("rev-parse", "--short", "HEAD"),
        "dirty": bool(_git("status", "--porcelain")),
        "load": [round(x, 2) for x in os.getloadavg()],
        "quick": quick,
    }


def _last_json_object(output: str) -> dict:
    """The last top-level JSON object a command printed (log lines may come before it)."""
    lines = output.splitlines()
    for start in range(len(lines) - 1, -1, -1):
        if lines[start] == "{":
            try:
                return json.loads("\n".join(lines[start:]))
            except json.JSONDecodeError:
                continue
    raise ValueError("the command printed no JSON object; its output ends with:\n" + "\n".join(lines[-20:]))


def run_benches(quick: bool) -> dict[str, Any]:
    """`siaga bench` (all parts) and one daily run through Airflow; progress goes to stderr."""
    bin_dir = Path(sys.executable).parent
    siaga = [str(bin_dir / "siaga"), "bench"] + (["--quick"] if quick else [])
    out = subprocess.run(siaga, cwd=REPO, check=True, stdout=subprocess.PIPE, text=True).stdout
    figures = _last_json_object(out)
    print("bench_docs: daily run through Airflow…", file=sys.stderr, flush=True)
    dags = subprocess.run(
        [sys.executable, "-m", "tools.bench.daily_run", str(DAGS_POSTS_QUICK if quick else DAGS_POSTS)],
        cwd=REPO,
        check=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    ).stdout
    figures["dags"] = _last_json_object(dags)
    return figures


# --- rendering ----------------------------------------------------------------------------------------


def _num(value: Any, unit: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return f"{value}{unit}"
    if isinstance(value, float) and not value.is_integer():
        text = f"{value:,.3f}".rstrip("0").rstrip(".") if abs(value) < 10 else f"{value:,.1f}"
    else:
        text = f"{int(value):,}"
    return text + unit


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    return [
        "| " + " | ".join(header) + " |",
        "| " + " | ".join("---" for _ in header) + " |",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def _flat(figures: dict, prefix: str = "") -> list[tuple[str, Any]]:
    items: list[tuple[str, Any]] = []
    for key, value in figures.items():
        if isinstance(value, dict):
            items += _flat(value, f"{prefix}{key}.")
        elif not isinstance(value, list):
            items.append((prefix + key, value))
    return items


def _rest(figures: dict, shown: set[str]) -> list[str]:
    """Every figure the JSON has that no table above showed, so that a new figure is never dropped."""
    rest = [(k, v) for k, v in _flat({k: v for k, v in figures.items() if k not in shown})]
    return ["", *_table(["other figure", "value"], [[f"`{k}`", _num(v)] for k, v in rest])] if rest else []


def render_warehouse(fig: dict) -> list[str]:
    rows = [
        [
            _num(r.get("posts")),
            _num(r.get("load_s"), " s"),
            _num(r.get("load_posts_per_s"), " posts/s"),
            _num(r.get("dedupe_cluster_s"), " s"),
            _num(r.get("drafts_s"), " s"),
            _num(r.get("issues")),
            _num(r.get("copies")),
            _num(r.get("peak_rss_mib"), " MiB"),
        ]
        for r in fig.get("warehouse", [])
    ]
    lines = _table(
        ["posts", "load", "load rate", "dedupe + clustering", "drafts", "issues", "copies", "peak RSS"], rows
    )
    ratio = fig.get("cluster_time_ratio_1m_over_100k")
    if ratio is not None and len(rows) >= 2:
        lines += ["", f"Dedupe + clustering time at {rows[-1][0]} posts over {rows[0][0]} posts: {_num(ratio)}."]
    # the same staging file loaded by DuckDB alone, in the same run (tools.bench.warehouse.duckdb_limit)
    limits = [
        [
            _num(r.get("posts")),
            _num(r.get("load_posts_per_s"), " posts/s"),
            _num(r.get("duckdb_limit_posts_per_s"), " posts/s"),
            _num(r.get("load_fraction_of_duckdb_limit")),
            f"{_num(r.get('load_cpu_s'), ' s')} / {_num(r.get('duckdb_limit_cpu_s'), ' s')}",
        ]
        for r in fig.get("warehouse", [])
        if r.get("duckdb_limit_posts_per_s")
    ]
    if limits:
        lines += [
            "",
            *_table(
                [
                    "posts",
                    "our load",
                    "DuckDB's limit: read_json + one INSERT ... ON CONFLICT",
                    "ours as a fraction of the limit",
                    "CPU time: ours / the limit's",
                ],
                limits,
            ),
        ]
    # the issues against the problems the bench generated, and where the clustering's time goes
    quality = [
        [
            _num(r.get("posts")),
            _num(r.get("problems")),
            _num(r.get("issues")),
            _num(r.get("pair_precision")),
            _num(r.get("pair_recall")),
            *(_num((r.get("build_issues_timings") or {}).get(f"cluster_{stage}_cpu_s"), " s") for stage in _STAGES),
        ]
        for r in fig.get("warehouse", [])
        if r.get("problems")
    ]
    if quality:
        stage_names = [f"CPU: {stage.replace('_', ' ')}" for stage in _STAGES]
        lines += [
            "",
            *_table(["posts", "generated problems", "issues", "pair precision", "pair recall", *stage_names], quality),
        ]
    return lines + _rest(fig, {"warehouse", "cluster_time_ratio_1m_over_100k"})


# the clustering's stages in build_issues_timings, in the order they run
_STAGES = ("select", "signatures", "open_issues", "place")


def render_nlp(fig: dict) -> list[str]:
    named = [
        ("posts analysed", "nlp_posts", ""),
        ("mean tokens per post", "nlp_mean_tokens", ""),
        ("analysed posts/s", "nlp_posts_per_s", ""),
        ('bare `spacy.blank("id")` tokenisation, posts/s', "nlp_bare_tokenizer_posts_per_s", ""),
        ("ratio to bare", "nlp_ratio_to_bare", ""),
        ("model load", "nlp_model_load_s", " s"),
        ("import", "nlp_import_s", " s"),
        ("peak memory", "nlp_peak_memory_mb", " MB"),
        ("model version", "nlp_model_version", ""),
    ]
    lines = _table(["figure", "value"], [[label, _num(fig.get(key), unit)] for label, key, unit in named if key in fig])
    return lines + _rest(fig, {key for _, key, _ in named})


def render_extractors(fig: dict) -> list[str]:
    norm = fig.get("normalization", {})
    lines = _table(
        ["normalization of raw payloads", "value"],
        [
            ["raw items", _num(norm.get("raw_items"))],
            ["posts", _num(norm.get("posts"))],
            ["quarantined (with their reason)", _num(norm.get("quarantined"))],
            ["posts/s, wall clock", _num(norm.get("posts_per_s"))],
            ["posts per CPU-second", _num(norm.get("posts_per_cpu_s"))],
            ["target posts/s", _num(norm.get("target_posts_per_s"))],
        ],
    )
    daily = fig.get("daily_run", {})
    if daily:
        calls = [[platform, _num(v.get("api_calls"))] for platform, v in daily.items() if isinstance(v, dict)]
        lines += [
            "",
            *_table(
                ["API calls in one daily run of config/listening.yaml", "calls"],
                [*calls, ["**total**", _num(daily.get("total_api_calls"))]],
            ),
        ]
    return lines + _rest(fig, {"normalization", "daily_run"})


def render_ui(fig: dict) -> list[str]:
    # Every page the bench reports, the new ones included: ui_<page>_p95_ms (and _p50_ms when measured).
    pages = [m.group(1) for key in fig if (m := re.fullmatch(r"ui_(.+)_p95_ms", key)) and m.group(1) != "target"]
    has_p50 = any(f"ui_{p}_p50_ms" in fig for p in pages)
    target = fig.get("ui_target_p95_ms")
    rows = []
    for page in pages:
        p95 = fig[f"ui_{page}_p95_ms"]
        row = [UI_PAGES.get(page, page.replace("_", " "))]
        row += [_num(fig.get(f"ui_{page}_p50_ms"), " ms")] if has_p50 else []
        mark = "" if target is None or p95 is None else (" (over target)" if p95 > target else "")
        rows.append([*row, _num(p95, " ms") + mark])
    header = ["page", *(["p50"] if has_p50 else []), "p95"]
    lines = [
        f"{_num(fig.get('ui_bench_posts'))} posts, {_num(fig.get('ui_bench_issues'))} issues, "
        f"{_num(fig.get('ui_bench_rounds'))} rounds per page; target p95 {_num(target, ' ms')}.",
        "",
        *_table(header, rows),
    ]
    shown = {f"ui_{p}_{q}_ms" for p in pages for q in ("p50", "p95")}
    shown |= {"ui_target_p95_ms", "ui_bench_posts", "ui_bench_issues", "ui_bench_rounds"}
    return lines + _rest(fig, shown)


def render_lapor(fig: dict) -> list[str]:
    named = [
        ("approved drafts submitted", "lapor_drafts", ""),
        ("tickets at the fake LAPOR!", "lapor_tickets_at_fake", ""),
        ("reconciled after a timeout", "lapor_reconciled", ""),
        ("submit rate", "lapor_submit_drafts_per_s", " drafts/s"),
        ("status sync rate", "lapor_sync_tickets_per_s", " tickets/s"),
        ("SLA listing of all tickets", "lapor_tickets_with_sla_ms", " ms"),
    ]
    lines = _table(["figure", "value"], [[label, _num(fig.get(key), unit)] for label, key, unit in named if key in fig])
    return lines + _rest(fig, {key for _, key, _ in named})


def render_dags(fig: dict) -> list[str]:
    rows = [["whole run, wall clock", _num(fig.get("wall_s")) + f" (target under {_num(fig.get('target_s'))})"]]
    rows += [[f"{task} (project code)", _num(s)] for task, s in (fig.get("work_s") or {}).items()]
    rows += [[f"{task} (task instance)", _num(s)] for task, s in (fig.get("task_instance_s") or {}).items()]
    rows += [
        [f"load: {step.removesuffix('_s').replace('_', ' ')}", _num(s)]
        for step, s in (fig.get("load_breakdown_s") or {}).items()
        if isinstance(s, int | float)
    ]
    rows.append(["Airflow overhead (wall clock minus project code)", _num(fig.get("airflow_overhead_s"))])
    held = ", ".join(f"{_num(v)} {k}" for k, v in (fig.get("warehouse") or {}).items() if isinstance(v, int))
    alerts = ", ".join(f"{_num(v)} {k}" for k, v in (fig.get("alerts") or {}).items())
    lines = [
        f"{_num(fig.get('n_posts_recorded'))} replayed posts, run state `{fig.get('state')}`, "
        f"{_num(fig.get('posts_per_s_end_to_end'))} posts/s end to end; the warehouse then holds {held}"
        + (f"; alerts: {alerts}" if alerts else "")
        + ".",
        "",
        *_table(["step", "seconds"], rows),
    ]
    # load_counts are the load's own counts (what the warehouse line above sums up), not timings
    return lines + _rest(
        fig,
        {
            "bench",
            "n_posts_recorded",
            "state",
            "wall_s",
            "target_s",
            "work_s",
            "task_instance_s",
            "load_breakdown_s",
            "airflow_overhead_s",
            "posts_per_s_end_to_end",
            "warehouse",
            "alerts",
            "load_counts",
        },
    )


RENDERERS = {
    "warehouse": render_warehouse,
    "nlp": render_nlp,
    "extractors": render_extractors,
    "ui": render_ui,
    "lapor": render_lapor,
    "dags": render_dags,
}


def stamp_line(st: dict[str, Any], command: str) -> str:
    dirty = " + uncommitted changes" if st["dirty"] else ""
    quick = " **Quick smoke sizes: not the figures to quote.**" if st.get("quick") else ""
    load = " / ".join(f"{x:.2f}" for x in st["load"])
    return (
        f"_Written by `make bench` (tools/bench_docs.py, `{command}`) on {st['date']}, commit "
        f"`{st['commit']}`{dirty}, load average {load} (1, 5, 15 min) before the run._{quick}"
    )


def render(part: str, figures: dict[str, Any], st: dict[str, Any]) -> str:
    """The text of one generated region."""
    command = "python -m tools.bench.daily_run" if part == "dags" else f"siaga bench --only {part}"
    fig = figures.get(part)
    if fig is None:
        body = ["The benchmark run reported nothing for this part."]
    elif "skipped" in fig:
        body = [f"Skipped: {fig['skipped']}."]
    else:
        body = RENDERERS[part](fig)
    return "\n".join([stamp_line(st, command), "", *body])


# --- the document ---------------------------------------------------------------------------------


def _markers(part: str) -> tuple[str, str]:
    return f"<!-- bench:{part}:start -->", f"<!-- bench:{part}:end -->"


def _span(text: str, part: str) -> tuple[int, int]:
    """Where a part's region lies (between the end of its start marker and its end marker)."""
    start, end = _markers(part)
    if text.count(start) != 1 or text.count(end) != 1:
        raise MarkerError(
            f"docs need exactly one `{start}` and one `{end}` (found {text.count(start)} and "
            f"{text.count(end)}); put them around the {part} table"
        )
    begin, finish = text.index(start) + len(start), text.index(end)
    if finish < begin:
        raise MarkerError(f"`{end}` comes before `{start}`")
    return begin, finish


def replace_regions(text: str, regions: dict[str, str]) -> str:
    """The document with each part's region replaced; everything outside the markers is kept byte for byte."""
    for part in regions:
        _span(text, part)  # every marker checked before anything changes
    for part, body in regions.items():
        begin, finish = _span(text, part)
        text = text[:begin] + "\n" + body.strip("\n") + "\n" + text[finish:]
    return text


def stamps_in(text: str, parts: tuple[str, ...] = PARTS) -> dict[str, re.Match | None]:
    """Each part's stamp (commit and whether uncommitted changes were measured), None when it has none."""
    found = {}
    for part in parts:
        begin, finish = _span(text, part)
        found[part] = STAMP_RE.search(text[begin:finish])
    return found


def check(text: str) -> list[str]:
    """What makes the docs' figures older than HEAD's code (empty: they are current)."""
    head = _git("rev-parse", "HEAD")
    problems = []
    for part, match in stamps_in(text).items():
        if match is None:
            problems.append(f"{part}: no stamp; run `make bench`")
            continue
        commit = match.group("commit")
        if match.group("dirty"):
            problems.append(f"{part}: measured on uncommitted changes over {commit}; run `make bench` on a clean tree")
        elif "Quick smoke sizes" in text[slice(*_span(text, part))]:
            problems.append(f"{part}: quick smoke figures; run `make bench`")
        else:
            # The commit that carries the figures changes docs only: its code is the stamped commit's.
            try:
                changed = _git("diff", "--name-only", commit, head, "--", ".", ":(exclude)docs")
            except subprocess.CalledProcessError:
                problems.append(f"{part}: stamped commit {commit} is not in this repository")
                continue
            if changed:
                problems.append(
                    f"{part}: measured on {commit}; code changed since: " + ", ".join(changed.splitlines()[:5])
                )
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes (siaga bench --quick), a smoke run")
    parser.add_argument(
        "--check",
        action="store_true",
        help="run nothing; exit 1 when the docs' stamped commit differs from HEAD's code",
    )
    parser.add_argument("--doc", type=Path, default=DOC, help="the document to rewrite (default docs/benchmarks.md)")
    parser.add_argument("--from-json", type=Path, help="figures from this file instead of running the benchmarks")
    args = parser.parse_args(argv)
    try:
        text = args.doc.read_text(encoding="utf-8")
        if args.check:
            problems = check(text)
            for problem in problems:
                print(f"bench_docs: {problem}", file=sys.stderr)
            return 1 if problems else 0
        for part in PARTS:  # a document without markers fails now, not after ten minutes of benchmarks
            _span(text, part)
        if args.from_json:  # a saved output of this tool keeps the stamp of the run that measured it
            figures = json.loads(args.from_json.read_text(encoding="utf-8"))
            st = figures.pop("stamp", None) or stamp(args.quick)
        else:
            st = stamp(args.quick)
            figures = run_benches(args.quick)
        print(json.dumps({"stamp": st, **figures}, indent=2, ensure_ascii=False, default=str))
        args.doc.write_text(replace_regions(text, {p: render(p, figures, st) for p in PARTS}), encoding="utf-8")
    except MarkerError as exc:
        print(f"bench_docs: {args.doc}: {exc}", file=sys.stderr)
        return 2
    except (OSError, ValueError, subprocess.CalledProcessError) as exc:
        print(f"bench_docs: {exc}", file=sys.stderr)
        return 1
    print(f"bench_docs: wrote {', '.join(PARTS)} into {args.doc}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
