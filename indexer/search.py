"""The one query function that the command line and the web both call.

`search(index, request)` parses the query, applies the filters, counts the facets
(each with every filter but its own) and returns one page of highlighted hits.
`SearchResult.to_json()` is the shape shared by `hubbub search --json` and
`/api/search`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field, replace

from indexer.documents import KINDS, Document
from indexer.engine import Engine, QuerySyntaxError
from indexer.facets import FacetValue, facet_counts

SORTS = ("relevance", "newest", "oldest")
MAX_PER_PAGE = 100
MAX_QUERY_LENGTH = 1000


class InvalidRequest(ValueError):
    """A search request a user got wrong; the message says how to put it right."""


@dataclass(frozen=True)
class SearchRequest:
    """Everything that decides a page of results; the web's query string maps onto it."""

    q: str = ""
    authors: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20

    def __post_init__(self) -> None:
        if len(self.q) > MAX_QUERY_LENGTH:
            raise InvalidRequest(f"The query is too long: at most {MAX_QUERY_LENGTH} characters.")
        for kind in self.kinds:
            if kind not in KINDS:
                raise InvalidRequest(f"Unknown kind {kind!r}: use 'article' or 'comment'.")
        if self.sort not in SORTS:
            raise InvalidRequest(f"Unknown sort {self.sort!r}: use one of {', '.join(SORTS)}.")
        if self.page < 1:
            raise InvalidRequest("The page number starts at 1.")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise InvalidRequest(f"The page size must be between 1 and {MAX_PER_PAGE}.")

    def with_page(self, page: int) -> SearchRequest:
        return replace(self, page=page)


@dataclass(frozen=True)
class Hit:
    document: Document
    snippet: str  # HTML: the text escaped, matches in <mark>

    def to_json(self) -> dict:
        return {**self.document.to_json(), "snippet": self.snippet}


@dataclass(frozen=True)
class SearchResult:
    request: SearchRequest
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    notice: str | None = None  # e.g. why the query was read as plain words

    @property
    def page_count(self) -> int:
        return max(1, math.ceil(self.total / self.request.per_page))

    def to_json(self) -> dict:
        return {
            "query": self.request.q,
            "total": self.total,
            "page": self.request.page,
            "per_page": self.request.per_page,
            "hits": [hit.to_json() for hit in self.hits],
            "facets": {name: [v.to_json() for v in values] for name, values in self.facets.items()},
            "notice": self.notice,
        }


def plain_words(text: str) -> str:
    """A query with its syntax taken out: what an unparsable query is searched as."""
    return " ".join(re.findall(r"\w+", text))


def search(engine: Engine, request: SearchRequest) -> SearchResult:
    """Run one search: match, filter, count facets, rank one page.

    A query the engine cannot parse is searched as its plain words, and the
    result's `notice` says so.
    """
    q, notice = request.q, None
    try:
        matched = engine.matching(q)
    except QuerySyntaxError:
        q = plain_words(request.q)
        notice = f"Could not read {request.q!r} as a query; searched for the words {q!r} instead."
        matched = engine.matching(q)
    selected = {
        "author": request.authors,
        "kind": request.kinds,
        "article": request.articles,
        "year": [str(year) for year in request.years],
    }
    passing, facets = facet_counts(engine.facet_columns(), matched, selected)
    offset = (request.page - 1) * request.per_page
    page = engine.ranked(q, passing, request.sort, offset, request.per_page)
    return SearchResult(
        request=request,
        total=len(passing),
        hits=[Hit(document=doc, snippet=snippet) for doc, snippet in page],
        facets=facets,
        notice=notice,
    )
