"""Query figures taken over several passes: one slow spell moves the spread, not the figure."""

from __future__ import annotations

from bench.measure import Latency
from bench.report import p95_with_spread


def test_one_slow_pass_moves_the_spread_not_the_p95():
    steady = [0.001 * (1 + i % 4) for i in range(40)]
    paused = [*steady[:-3], 0.5, 0.5, 0.5]
    runs = [vars(Latency.of(seconds, hits=[1] * 40)) for seconds in (steady, paused)]
    latency = Latency.combined([runs[0], runs[0], runs[1], runs[0], runs[0]])
    assert latency.passes == 5 and latency.count == 40 and latency.hits == [1] * 40
    assert latency.p95 == Latency.of(steady, hits=[]).p95
    assert latency.p95_low == latency.p95 < latency.p95_high == 500.0
    assert p95_with_spread(vars(latency)) == "4.00 [4.00–500]"


def test_a_single_pass_reports_its_p95_alone():
    latency = Latency.of([0.002] * 10, hits=[3] * 10)
    assert p95_with_spread(vars(latency)) == "2.00"


def test_each_texts_first_run_is_reported_apart_from_its_repeats():
    texts = ["gov*", "mar*", "gov*", "mar*", "gov*", "pol*", "pol*"]
    seconds = [0.009, 0.007, 0.001, 0.001, 0.001, 0.005, 0.001]
    latency = Latency.of(seconds, hits=[1] * 7, texts=texts)
    assert latency.first_median == 7.0
    assert latency.median == 1.0
