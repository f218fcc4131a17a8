"""The benchmark report's targets table, from figures whose verdicts are known, and its
cells for what an engine cannot run."""

from bench.adapter import FUZZY, KINDS, NOHIT
from bench.report import NOT_MEASURED, hits_table, latency_row, targets_table


def engine(
    docs_per_s: float, p95: float, build_s: float = 100.0, kinds: tuple[str, ...] = KINDS
) -> dict:
    return {
        "name": "engine",
        "docs_per_s": docs_per_s,
        "build_s": build_s,
        "latency": {
            kind: {"p95": p95, "median": p95 / 2, "count": 40, "hits": [3] * 40} for kind in kinds
        },
    }


def api(per_second: float, p95: float, failures: int = 0) -> dict:
    return {"per_second": per_second, "p95": p95, "failures": failures}


DUMP = "A Reddit .zst dump of 1,000,000 comments on the tantivy engine: peak memory under 1.5 GB"
WHOOSH_TERMS = "Whoosh engine, 100k: fuzzy, wildcard and no-hit p95 within the 5 s budget"
TANTIVY_TERMS = "tantivy engine, 100k: fuzzy, wildcard and no-hit p95 under 50 ms"


def verdicts(sizes: dict, dump: dict | None = None) -> dict[str, str]:
    rows = targets_table(sizes, dump).splitlines()[2:]
    return {row.split(" | ")[0].strip("| "): row.split(" | ")[-1].strip(" |") for row in rows}


def test_targets_met_and_missed_are_told_apart():
    sizes = {
        "100000": {
            "engines": {
                "hubbub": engine(1_000, 10.0),
                "whoosh": engine(700, 50.0),
                "hubbub-tantivy": engine(5_000, 0.6),
                "tantivy": engine(40_000, 0.5),
            },
            "api": {"hubbub-tantivy": api(320, 45.0)},
        }
    }
    found = verdicts(sizes)
    assert found == {
        "Whoosh engine, 100k: facet-query p95 at least 4 times plain `groupedby` Whoosh": "yes",
        "Whoosh engine, 100k: indexing at least 1.8 times the default single writer": "**no**",
        "tantivy engine, 100k: p95 within 1.5 times raw tantivy on every query type": "yes",
        "tantivy engine at 1M: indexed in under 120 s, facet-query p95 under 20 ms": "",
        WHOOSH_TERMS: "yes",
        TANTIVY_TERMS: "yes",
        "`/api/search` on the tantivy engine, 100k, 8 clients: 300 requests/s, p95 under 50 ms,"
        " no errors": "yes",
        DUMP: "",
    }


def test_a_slow_fuzzy_wildcard_or_no_hit_kind_misses_its_target():
    slow_nohit = engine(1_000, 10.0)
    slow_nohit["latency"][NOHIT]["p95"] = 6_000.0
    slow_fuzzy = engine(5_000, 0.6)
    slow_fuzzy["latency"][FUZZY]["p95"] = 51.0
    found = verdicts({"100000": {"engines": {"hubbub": slow_nohit, "hubbub-tantivy": slow_fuzzy}}})
    assert (found[WHOOSH_TERMS], found[TANTIVY_TERMS]) == ("**no**", "**no**")


def test_a_kind_an_engine_cannot_run_is_shown_as_not_measured():
    without_fuzzy = tuple(kind for kind in KINDS if kind != FUZZY)
    engines = {"whoosh": engine(700, 50.0), "sqlite": engine(900, 5.0, kinds=without_fuzzy)}
    assert latency_row(FUZZY, engines, 40) == [
        "fuzzy: median / p95 ms",
        "25.0 / 50.0",
        NOT_MEASURED,
    ]
    fuzzy_hits = next(
        row for row in hits_table({"engines": engines}).splitlines() if "fuzzy" in row
    )
    assert fuzzy_hits == f"| fuzzy | 3 | {NOT_MEASURED} |"


def test_api_target_is_missed_on_any_failure():
    sizes = {"100000": {"engines": {}, "api": {"hubbub-tantivy": api(900, 10.0, failures=1)}}}
    [api_row] = [name for name in verdicts(sizes) if name.startswith("`/api/search`")]
    assert verdicts(sizes)[api_row] == "**no**"


def test_million_targets_come_from_a_million_document_run():
    sizes = {"1000000": {"engines": {"hubbub-tantivy": engine(4_000, 25.0, build_s=110.0)}}}
    assert verdicts(sizes) == {
        "tantivy engine: 1M documents indexed in under 120 s": "yes",
        "tantivy engine: facet-query p95 under 20 ms at 1M": "**no**",
        WHOOSH_TERMS: "",
        TANTIVY_TERMS: "",
        DUMP: "",
    }


def test_the_dump_target_reads_the_peak_memory_of_the_indexing_process():
    assert verdicts({}, {"peak_mib": 1400.0, "comments": 1_000_000})[DUMP] == "yes"
    assert verdicts({}, {"peak_mib": 1600.0, "comments": 1_000_000})[DUMP] == "**no**"


def test_the_ratio_to_raw_tantivy_leaves_out_no_hit_searches_which_look_for_a_did_you_mean():
    mine = engine(5_000, 0.6)
    mine["latency"][NOHIT]["p95"] = 6.0
    found = verdicts({"100000": {"engines": {"hubbub-tantivy": mine, "tantivy": engine(9, 0.5)}}})
    assert found["tantivy engine, 100k: p95 within 1.5 times raw tantivy on every query type"] == (
        "yes"
    )
    assert found[TANTIVY_TERMS] == "yes"


def test_a_million_built_in_more_than_two_minutes_misses_its_target():
    sizes = {"1000000": {"engines": {"hubbub-tantivy": engine(4_000, 5.0, build_s=172.0)}}}
    assert verdicts(sizes)["tantivy engine: 1M documents indexed in under 120 s"] == "**no**"
