"""The Solr benchmark's parts that need no cluster: the raw peer's requests and rows, the
targets' verdicts, and the clean-up that leaves no process of the cluster behind."""

import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

from bench.adapter import AUTHOR, DATES, FACETS, HIGHLIGHTS, KINDS, WILDCARD, Query
from bench.engines import DEFAULT_ENGINES, ENGINES, SOLR_ENGINES
from bench.peers import RawSolr, Row, solr_row
from bench.solr import Cluster, alive, start_cluster, stop_cluster, targets_table


def test_solr_engines_are_known_but_not_measured_by_default():
    assert set(SOLR_ENGINES) <= ENGINES.keys()
    assert not set(SOLR_ENGINES) & set(DEFAULT_ENGINES)


def test_a_row_holds_what_the_engine_puts_in_each_field():
    row = Row("a-1", "comment", "  Jane   DOE ", datetime(2015, 3, 9, 12, 30), "Some words")
    assert solr_row(row) == {
        "id": "a-1",
        "f_kind": "comment",
        "f_author": "jane doe",
        "f_date": "2015-03-09",
        "f_year": "2015",
        "body": "Some words",
    }
    assert "f_author" not in solr_row(Row("a", "article", "", datetime(2015, 3, 9), "x"))


def test_each_kind_is_one_request_with_its_own_parameters():
    def params(query: Query) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for name, value in RawSolr.params(query):
            found.setdefault(name, []).append(value)
        return found

    plain = params(Query("plain", "oil prices"))
    assert plain["q"] == ["oil prices"] and plain["q.op"] == ["AND"] and plain["df"] == ["body"]
    assert "fq" not in plain and "json.facet" not in plain and "hl" not in plain
    assert params(Query(AUTHOR, "oil", author="Jane DOE"))["fq"] == ["{!term f=f_author}jane doe"]
    span = Query(DATES, "oil", None, date(2012, 1, 1), date(2012, 12, 31))
    assert params(span)["fq"] == ['f_date:["2012-01-01" TO "2012-12-31"]']
    facets = json.loads(params(Query(FACETS, "oil"))["json.facet"][0])
    assert facets["author"] == {"type": "terms", "field": "f_author", "limit": 20}
    assert facets["year"]["field"] == "f_year"
    assert params(Query(HIGHLIGHTS, "oil"))["hl.method"] == ["unified"]
    assert params(Query(WILDCARD, "gov*"))["q"] == ["gov*"]


def engine(p95: float) -> dict:
    return {"latency": {kind: {"p95": p95, "median": p95 / 2} for kind in KINDS}}


def verdicts(sizes: dict) -> dict[str, str]:
    rows = targets_table(sizes).splitlines()[2:]
    return {row.split(" | ")[0].strip("| "): row.split(" | ")[-1].strip(" |") for row in rows}


def test_targets_met_and_missed_are_told_apart():
    sizes = {
        "100000": {"engines": {"hubbub-solr": engine(14.0), "solr": engine(10.0)}},
        "1000000": {"engines": {"hubbub-solr": engine(60.0), "solr": engine(20.0)}},
    }
    assert list(verdicts(sizes).values()) == ["yes", "**no**", "**no**"]
    sizes["1000000"]["engines"]["hubbub-solr"] = engine(29.0)
    assert list(verdicts(sizes).values()) == ["yes", "yes", "yes"]


def test_a_process_of_the_cluster_left_running_is_killed(tmp_path: Path):
    sleep = [sys.executable, "-c", "import time; time.sleep(60)"]
    script = subprocess.Popen(sleep)
    left = subprocess.Popen([*sleep, str(tmp_path / "cluster")])
    try:
        cluster = Cluster(script, tmp_path / "cluster", [], [script.pid])
        assert stop_cluster(cluster) == [left.pid]
        left.wait(timeout=10)
        assert not alive(left.pid) and script.poll() is not None
    finally:
        for process in (script, left):
            if process.poll() is None:
                process.kill()


def test_a_cluster_that_does_not_start_is_reported_and_stopped(tmp_path: Path):
    script = tmp_path / "cluster"
    script.write_text("#!/bin/sh\necho 'node 1: http://127.0.0.1:1/solr pid 1'\nexit 1\n")
    script.chmod(0o755)
    try:
        start_cluster(script, tmp_path / "run", 2, "64m")
    except RuntimeError as error:
        assert "did not start" in str(error)
    else:
        raise AssertionError("a cluster that printed one node of two was taken as started")
