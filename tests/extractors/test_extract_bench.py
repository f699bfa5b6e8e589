from tools.bench.extractors import bench


def test_bench_reports_throughput_and_daily_api_calls_per_source():
    figures = bench(n=2_000)
    normalization = figures["normalization"]
    assert normalization["raw_items"] == 2_000 and normalization["posts"] > 1_500
    assert normalization["posts_per_s"] > 0 and normalization["target_posts_per_s"] == 20_000
    daily = figures["daily_run"]
    for source in ("x", "facebook", "instagram"):
        assert daily[source]["api_calls"] >= 1 and daily[source]["complete"], source
    assert daily["whatsapp"]["api_calls"] == 0
    assert daily["total_api_calls"] == sum(daily[s]["api_calls"] for s in ("x", "facebook", "instagram"))
