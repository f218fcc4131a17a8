"""The Solr engine when the cluster misbehaves: a node killed under a search load or in
the middle of indexing, and a rebuild under load. Each kill has a cluster of its own,
of two nodes holding two shards of two replicas, so every shard survives one node."""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.generate import document_count, generate, write_jsonl
from indexer import Archive, HubbubError, IndexSummary, SolrTarget
from indexer import indexing as indexing_module
from indexer import search as search_module
from indexer.engines.solr import SolrPointer
from indexer.engines.solr_cluster import SolrCluster
from indexer.layout import IndexLayout
from indexer.search import RecentResults
from tests.conftest import SolrTestCluster, start_cluster

QUERIES = ("putin", "russia OR india", "", "pakistan -putin", "putn~", "kind:comment")
READERS = 16
SETTLE_SECONDS = 1.0  # searches may fail this long after a node is killed


@pytest.fixture
def own_cluster(tmp_path: Path) -> Iterator[SolrTestCluster]:
    cluster = start_cluster(tmp_path / "cluster", 2)
    try:
        yield cluster
    finally:
        cluster.process.send_signal(signal.SIGTERM)
        cluster.process.wait(timeout=60)


@pytest.fixture(autouse=True)
def no_recent_results(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every search goes to Solr, none is answered from the results kept in memory."""
    monkeypatch.setattr(search_module, "RECENT", RecentResults(0))


def spread(cluster: SolrTestCluster) -> SolrTarget:
    return SolrTarget(urls=cluster.urls, shards=2, replicas=2)


class SearchLoad:
    """Readers searching the archive without pause, each answer checked against the
    totals the archive gave before, every failure kept with its time."""

    def __init__(self, archive: Archive, readers: int = READERS) -> None:
        self.archive = archive
        self.expected = {q: archive.search(q=q).total for q in QUERIES}
        self.failures: list[tuple[float, str]] = []
        self.answered: list[float] = []
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._read, args=(n,), daemon=True) for n in range(readers)
        ]

    def _read(self, number: int) -> None:
        turn = number
        while not self._stop.is_set():
            query = QUERIES[turn % len(QUERIES)]
            turn += 1
            try:
                total = self.archive.search(q=query).total
            except Exception as error:  # every failure is what the test counts
                self.failures.append((time.monotonic(), repr(error)))
                continue
            if total != self.expected[query]:
                self.failures.append((time.monotonic(), f"{query!r}: {total} results"))
            self.answered.append(time.monotonic())

    def __enter__(self) -> SearchLoad:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=120)

    def answered_after(self, moment: float) -> int:
        return sum(1 for when in self.answered if when > moment)


def test_a_node_killed_under_search_load_fails_no_search_after_the_first_second(
    own_cluster, tmp_path, mixed_folder, seed_path
):
    archive = Archive.open(tmp_path / "index")
    archive.index([mixed_folder, seed_path], engine="solr", solr=spread(own_cluster))

    with SearchLoad(archive) as load:
        time.sleep(2)
        killed = time.monotonic()
        os.kill(own_cluster.nodes[1].pid, signal.SIGKILL)
        time.sleep(8)

    assert [f for f in load.failures if f[0] > killed + SETTLE_SECONDS] == []
    assert load.answered_after(killed + SETTLE_SECONDS) > 100


def write_archive(folder: Path, files: int, documents: int) -> int:
    folder.mkdir(parents=True)
    articles = generate(documents)
    for number in range(files):
        write_jsonl(articles[number::files], folder / f"part-{number:02d}.jsonl")
    return document_count(articles)


def test_a_node_killed_while_indexing_leaves_a_rerun_that_indexes_every_document(
    own_cluster, tmp_path, monkeypatch
):
    expected = write_archive(tmp_path / "archive", files=12, documents=6000)
    monkeypatch.setattr(indexing_module, "BATCH_FILES", 1)
    index_dir = tmp_path / "index"
    layout = IndexLayout(index_dir)
    outcome: list[object] = []

    def first_run() -> None:
        try:
            outcome.append(
                Archive.open(index_dir).index(
                    [tmp_path / "archive"], engine="solr", solr=spread(own_cluster)
                )
            )
        except Exception as error:  # the run may fail with its node: the rerun must not
            outcome.append(error)

    run = threading.Thread(target=first_run)
    run.start()
    deadline = time.monotonic() + 120
    while not any(g.joinpath("manifest.json").exists() for g in layout.generations()):
        assert time.monotonic() < deadline and run.is_alive()
        time.sleep(0.05)
    os.kill(own_cluster.nodes[1].pid, signal.SIGKILL)
    run.join(timeout=600)
    assert len(outcome) == 1 and isinstance(outcome[0], IndexSummary | HubbubError)

    summary = Archive.open(index_dir).index([tmp_path / "archive"], solr=spread(own_cluster))
    assert summary.files_unchanged + summary.files_indexed == 12
    assert Archive.open(index_dir).search(q="").total == expected


def test_a_rebuild_under_search_load_fails_no_search_and_moves_the_alias_once(
    solr_cluster, tmp_path, mixed_folder, seed_path
):
    archive = Archive.open(tmp_path / "index")
    archive.index([mixed_folder, seed_path], engine="solr", solr=spread(solr_cluster))
    cluster = SolrCluster(solr_cluster.urls)
    alias = SolrPointer.load(IndexLayout(tmp_path / "index").current()).alias
    assert alias in cluster.aliases()
    seen: list[str] = []
    watching = threading.Event()

    def watch() -> None:
        while not watching.is_set():
            target = SolrCluster(solr_cluster.urls).aliases().get(alias, "")
            if not seen or seen[-1] != target:
                seen.append(target)
            time.sleep(0.02)

    watcher = threading.Thread(target=watch, daemon=True)
    with SearchLoad(archive, readers=8) as load:
        watcher.start()
        time.sleep(1)
        archive.index([mixed_folder, seed_path], rebuild=True)
        time.sleep(1)
    watching.set()
    watcher.join(timeout=30)

    assert load.failures == []
    assert load.answered_after(0) > 50
    assert len(seen) == 2 and seen[0] != seen[1]
