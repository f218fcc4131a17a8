"""Hubbub measured through its library, as the command line and the site use it.

Every Hubbub search counts all five facets over every matching document and
highlights the page, whatever the query kind asks for: `search` has no switch to do
less, so the `plain`, `facets` and `highlights` rows measure the same work.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bench.adapter import AUTHOR, DATES, TOP, Answer, Query
from indexer.archive import open_engine
from indexer.engine import Engine
from indexer.indexing import index_records
from indexer.records import Article
from indexer.search import SearchRequest, search

SOURCE = "bench"


def request_for(query: Query) -> SearchRequest:
    """The search request the site would make for a query of the mix."""
    return SearchRequest(
        q=query.text,
        authors=(query.author,) if query.kind == AUTHOR and query.author else (),
        after=query.after if query.kind == DATES else None,
        before=query.before if query.kind == DATES else None,
        per_page=TOP,
    )


class Hubbub:
    """The Whoosh engine behind `hubbub index` and `hubbub serve`: `index_records` to
    build (one atomic commit, as a run over files makes per batch), `search` to query."""

    name = "Hubbub"

    def __init__(self) -> None:
        self._engine: Engine | None = None

    def build(self, articles: Sequence[Article], folder: Path) -> None:
        index_records(articles, folder, SOURCE)

    def open(self, folder: Path) -> None:
        self._engine = open_engine(folder)

    def query(self, query: Query) -> Answer:
        result = search(self._engine, request_for(query))
        extras = sum(len(values) for values in result.facets.values()) + len(result.hits)
        return Answer(result.total, tuple(hit.document.id for hit in result.hits), extras)

    def close(self) -> None:
        self._engine = None
