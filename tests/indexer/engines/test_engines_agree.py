"""Whoosh, tantivy and Solr give the same totals and facet counts on one archive of every
input format: whichever engine serves it, a reader sees the same numbers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from indexer import Archive, SearchRequest
from indexer.engines import ENGINES
from indexer.engines.solr import SolrTarget

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
    """The mixed fixtures and the seed, indexed once by each engine; Solr's collection has
    two shards of two replicas, so its counts are merged across shards."""
    found = {}
    for engine in ENGINES:
        index_dir = tmp_path_factory.mktemp(f"agree-{engine}")
        archive = Archive.open(index_dir)
        archive.index(
            [mixed_folder, seed_path], engine=engine, solr=SolrTarget(shards=2, replicas=2)
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


@pytest.mark.parametrize("query", ["", "putin", "russ*"])
def test_relevance_pages_read_every_hit_once(archives, query):
    """Equal scores are common (an empty query scores every document alike), and the
    pages of one query must still never repeat or skip a hit, on every engine, however
    often they are read; Solr answers each page from any of two replicas per shard."""
    for engine, archive in archives.items():
        total = archive.search(q=query).total
        for _ in range(3):
            seen = [
                hit.document.id
                for page in range(1, total // 3 + 2)
                for hit in archive.search(q=query, per_page=3, page=page).hits
            ]
            assert len(seen) == len(set(seen)) == total, engine
