"""Hubbub measured through its library, as the command line and the site use it.

Each query asks `search` for what its kind asks of every engine, through the request's
own options (`/api/search` takes them as `facet=`, `facet_size=` and `highlight=`): the
top 10 and the total always, the author and year facets (top 20 authors) only for
`facets`, marked snippets only for `highlights`. The site's search page counts every
facet; `/api/search` without options does too, and the load test measures that.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bench.adapter import (
    AUTHOR,
    DATES,
    FACETS,
    HIGHLIGHTS,
    KINDS,
    TOP,
    TOP_AUTHORS,
    Answer,
    Query,
)
from indexer import Archive, Article, SearchRequest

SOURCE = "bench"


def request_for(query: Query) -> SearchRequest:
    """The search request the site would make for a query of the mix."""
    return SearchRequest(
        q=query.text,
        authors=(query.author,) if query.kind == AUTHOR and query.author else (),
        after=query.after if query.kind == DATES else None,
        before=query.before if query.kind == DATES else None,
        per_page=TOP,
        facets=("author", "year") if query.kind == FACETS else (),
        facet_size=TOP_AUTHORS,
        highlight=query.kind == HIGHLIGHTS,
    )


class Hubbub:
    """The Whoosh engine behind `hubbub index` and `hubbub serve`: `Archive.add_records`
    to build (one atomic commit, as a run over files makes per batch), `search` to query."""

    name = "Hubbub"
    kinds = KINDS

    def __init__(self) -> None:
        self._archive: Archive | None = None

    def build(self, articles: Sequence[Article], folder: Path) -> None:
        Archive.open(folder).add_records(articles, SOURCE)

    def open(self, folder: Path) -> None:
        self._archive = Archive.open(folder)
        self._archive.open_index()

    def query(self, query: Query) -> Answer:
        result = self._archive.search(request_for(query))
        extras = sum(len(values) for values in result.facets.values()) + len(result.hits)
        return Answer(result.total, tuple(hit.document.id for hit in result.hits), extras)

    def close(self) -> None:
        self._archive = None
