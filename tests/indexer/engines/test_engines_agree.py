"""Whoosh, tantivy and Solr give the same totals and facet counts on one archive of every
input format: whichever engine serves it, a reader sees the same numbers."""

from __future__ import annotations

from datetime import date
from operator import attrgetter
from pathlib import Path

import pytest

from indexer import Archive, SearchRequest
from indexer.documents import votes_rank
from indexer.engines import ENGINES
from indexer.engines.solr import SolrSnapshot, SolrTarget
from indexer.records import Article, Comment

QUERIES = [
    "",
    "putin",
    "russia OR india",
    "pakistan -putin",
    '"foreign policy"',
    "putn~",
    "russ*",
    "kind:comment",
    "author:umairpk",
    "title:entente",
    "year:2012",
]
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
VOTED = [
    FIXTURES / "reddit" / "RS_sample.ndjson",
    FIXTURES / "reddit" / "RC_sample.ndjson",
    FIXTURES / "hackernews" / "items.ndjson",
]
FILTERS = [
    {},
    {"kinds": ("comment",)},
    {"years": (2012,)},
    {"authors": ("Umairpk", "pakistan")},
    {"after": date(2012, 3, 9), "before": date(2013, 1, 1)},
]


@pytest.fixture(scope="module")
def archives(
    tmp_path_factory: pytest.TempPathFactory, mixed_folder: Path, seed_path: Path, solr_cluster
) -> dict[str, Archive]:
    """The mixed fixtures, the seed and threads with votes, indexed once by each engine;
    Solr's collection has two shards of two replicas, so its counts are merged across
    shards."""
    found = {}
    for engine in ENGINES:
        index_dir = tmp_path_factory.mktemp(f"agree-{engine}")
        archive = Archive.open(index_dir)
        archive.index(
            [mixed_folder, seed_path, *VOTED], engine=engine, solr=SolrTarget(shards=2, replicas=2)
        )
        found[engine] = archive
    return found


def counted(archive: Archive, request: SearchRequest) -> tuple[int, dict]:
    result = archive.search(request)
    facets = {
        name: sorted((value.value, value.count) for value in values)
        for name, values in result.facets.items()
    }
    return result.total, facets


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f) or "none")
def test_every_engine_counts_the_same_totals_and_facets(archives, query, filters):
    request = SearchRequest(q=query, **filters)
    answers = {engine: counted(archive, request) for engine, archive in archives.items()}
    whoosh = answers["whoosh"]
    assert whoosh[0] > 0 or query or filters
    assert answers == {engine: whoosh for engine in answers}


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_every_engine_orders_by_date_alike(archives, sort):
    orders = {
        engine: [hit.document.id for hit in archive.search(q="", sort=sort, per_page=100).hits]
        for engine, archive in archives.items()
    }
    assert len(orders["whoosh"]) > 20
    assert orders == {engine: orders["whoosh"] for engine in orders}


@pytest.mark.parametrize("sort", ["votes", "replies", "discussed"])
@pytest.mark.parametrize("kinds", [(), ("comment",)], ids=["all", "comments"])
def test_every_engine_orders_by_a_count_alike(archives, sort, kinds):
    """Most first, the many equal counts newest first, and the second page going on
    where the first ended."""
    pages = {
        engine: [
            hit.document
            for page in (1, 2)
            for hit in archive.search(kinds=kinds, sort=sort, per_page=30, page=page).hits
        ]
        for engine, archive in archives.items()
    }
    counts = [COUNTS[sort](doc) for doc in pages["whoosh"]]
    assert len(set(counts)) > 2 and counts == sorted(counts, reverse=True)
    orders = {engine: [doc.id for doc in docs] for engine, docs in pages.items()}
    assert orders == {engine: orders["whoosh"] for engine in orders}


COUNTS = {
    "votes": votes_rank,
    "replies": attrgetter("replies"),
    "discussed": attrgetter("thread_length"),
}


@pytest.mark.parametrize("query", ["", "putin", "russ*"])
def test_relevance_pages_read_every_hit_once(archives, query):
    """Equal scores are common (an empty query asked for by relevance scores every
    document alike), and the pages of one query must still never repeat or skip a hit,
    on every engine, however often they are read; Solr answers each page from any of
    two replicas per shard."""
    for engine, archive in archives.items():
        total = archive.search(q=query).total
        for _ in range(3):
            seen = [
                hit.document.id
                for page in range(1, total // 3 + 2)
                for hit in archive.search(q=query, sort="relevance", per_page=3, page=page).hits
            ]
            assert len(seen) == len(set(seen)) == total, engine


@pytest.mark.parametrize("pattern", ["harbor*", "harbor?k", "har*r?k"])
def test_every_engine_bounds_a_wildcard_to_the_same_first_terms(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, solr_cluster, pattern: str
):
    """A wildcard stands for the first `MAX_EXPANSIONS` terms it matches in the lexicon's
    order, whichever engine serves it: the work one wildcard causes stays bounded."""
    words = [f"harbor{letter}k" for letter in "jihgfedcba"]
    thread = Article(
        title="Ports",
        body="ports",
        comments=tuple(Comment("Ola", word, number) for number, word in enumerate(words, 1)),
    )
    for engine in ENGINES:
        monkeypatch.setattr(f"indexer.engines.{engine}.MAX_EXPANSIONS", 3)
    found = {}
    for engine in ENGINES:
        archive = Archive.open(tmp_path / engine)
        archive.add_records([thread], "ports", engine=engine)
        found[engine] = sorted(hit.document.body for hit in archive.search(q=pattern).hits)
    assert found == {engine: ["harborak", "harborbk", "harborck"] for engine in found}


def test_a_solr_search_past_its_time_is_partial_with_what_it_found(archives, monkeypatch):
    """Solr stops at `timeAllowed` (the search's budget) and says so in its answer, as the
    other engines stop at their deadline: the hits found by then come back, marked."""
    ask = SolrSnapshot.ask

    def out_of_time(snapshot: SolrSnapshot, params) -> dict:
        answer = ask(snapshot, params)
        answer["responseHeader"]["partialResults"] = True
        return answer

    monkeypatch.setattr(SolrSnapshot, "ask", out_of_time)
    result = archives["solr"].search(q="putin", per_page=7)
    assert result.partial and result.to_json()["partial"] is True
    assert result.total == len(result.hits) > 0
