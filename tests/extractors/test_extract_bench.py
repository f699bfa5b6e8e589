from extractors.replay import sample_dir
from tools.bench.extractors import _raw_items, normalization_throughput
from tools.bench.extractors import run as bench


def test_bench_reports_throughput_and_daily_api_calls_per_source():
    figures = bench(n=2_000)
    normalization = figures["normalization"]
    assert normalization["raw_items"] == 2_000 and normalization["posts"] > 1_500
    assert normalization["posts_per_s"] > 0
    assert normalization["quarantined"] > 0  # the sample's malformed records are counted, not skipped
    daily = figures["daily_run"]
    for source in ("x", "facebook", "instagram"):
        assert daily[source]["api_calls"] >= 1 and daily[source]["complete"], source
    assert daily["whatsapp"]["api_calls"] == 0
    assert daily["total_api_calls"] == sum(daily[s]["api_calls"] for s in ("x", "facebook", "instagram"))


def test_throughput_normalizes_every_item_of_every_pass_over_the_sample():
    one_pass = len(_raw_items(sample_dir()))
    single, triple = normalization_throughput(one_pass), normalization_throughput(3 * one_pass)
    assert single["posts"] >= one_pass - single["quarantined"]  # a Facebook post brings its comments
    assert (triple["posts"], triple["quarantined"]) == (3 * single["posts"], 3 * single["quarantined"])
