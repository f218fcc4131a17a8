"""The one query function that the command line and the web both call.

`search(index, request)` parses the query, applies the filters, counts the facets
(each with every filter but its own) and returns one page of highlighted hits.
`SearchResult.to_json()` is the shape shared by `hubbub search --json` and
`/api/search`. The engine's snapshot does the matching and counting; this module
reads requests, orders and labels the counts, and keeps recent results.
"""

from __future__ import annotations

import calendar
import math
import re
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import Protocol, TypeVar

from indexer.documents import KINDS, Document
from indexer.engines.base import (
    Engine,
    Filters,
    Matches,
    PageWanted,
    QuerySyntaxError,
    Snapshot,
    cache_entries,
)
from indexer.errors import HubbubError
from indexer.facets import ALL_VALUES, BY_NAME, COPIED, FACET_LIMIT, FACETS, Facet, FacetValue
from indexer.query import lift_terms
from indexer.snippets import Passage, excerpt, marked

SORTS = ("relevance", "newest", "oldest", "votes", "replies", "discussed")
"""Relevance; date; votes; a document's direct replies; its thread's comments. Ties go
newest first."""
MAX_PER_PAGE = 100
MAX_QUERY_LENGTH = 1000
EXPORT_CAP = 10_000
MAX_RESULT_WINDOW = 10_000  # the deepest hit a page may reach, as in Elasticsearch
MAX_FACET_VALUES = ALL_VALUES
CACHED_RESULTS = 256  # recent results kept per process, for each snapshot they came from
QUERY_SECONDS = 5.0  # each search's time budget; past it, what was found is returned
SUGGEST_BELOW = 3  # a did-you-mean is offered when a query finds fewer hits than this
DATE_BOUND = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
QUERY_BOUND = re.compile(r"(?<!\S)(after|before):(\S*)")
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
# Query fields whose terms every hit must match are the same choice as their facet's
# filter: a request lifts them out of its query, into the attribute named here.
LIFTED_FIELDS = {"author": "authors", "kind": "kinds", "year": "years"}


class InvalidRequest(HubbubError, ValueError):
    """A search request a user got wrong; the message says how to put it right."""


def date_bound(text: str, end: bool = False) -> date:
    """A date range's bound from `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.

    A partial date stands for its whole period: as a start it means the first day,
    as an `end` the last, so `before:2012` takes in all of 2012.

    :raise InvalidRequest: when the text is no such date.
    """
    match = DATE_BOUND.match(text.strip())
    if not match:
        raise InvalidRequest(f"A date is written YYYY, YYYY-MM or YYYY-MM-DD, not {text!r}.")
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        if month is None:
            return date(year, 12, 31) if end else date(year, 1, 1)
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return date(year, month, last) if end else date(year, month, 1)
        return date(year, month, day)
    except ValueError as error:
        raise InvalidRequest(f"There is no date {text!r}.") from error


def filter_takes(field: str, value: str) -> bool:
    """Whether a query term's value is one its filter takes: a kind, or a year of 4 digits."""
    if field == "kind":
        return value in KINDS
    if field == "year":
        return bool(re.fullmatch(r"[0-9]{4}", value))
    return True


@dataclass(frozen=True)
class SearchRequest:
    """Everything that decides a page of results; the web's query string maps onto it."""

    q: str = ""
    authors: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    articles: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    months: tuple[str, ...] = ()
    signed: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    copies: bool = False  # only comments posted more than once
    after: date | None = None
    before: date | None = None
    sort: str | None = None  # None: relevance for a query, newest for an empty one
    page: int = 1
    per_page: int = 20
    facets: tuple[str, ...] | None = None  # the facets to count; None: those a page shows
    facet_size: int = FACET_LIMIT  # values kept per facet counted by frequency
    highlight: bool = True  # False: plain excerpts, for callers that show no snippets

    def __post_init__(self) -> None:
        for name in self.facets or ():
            if name not in BY_NAME:
                raise InvalidRequest(f"Unknown facet {name!r}: use one of {', '.join(BY_NAME)}.")
        if len(self.q) > MAX_QUERY_LENGTH:
            raise InvalidRequest(f"The query is too long: at most {MAX_QUERY_LENGTH} characters.")
        self._lift_query_filters()
        for kind in self.kinds:
            if kind not in KINDS:
                raise InvalidRequest(f"Unknown kind {kind!r}: use 'article' or 'comment'.")
        for month in self.months:
            if not MONTH.match(month):
                raise InvalidRequest(f"A month is written YYYY-MM, not {month!r}.")
        if self.sort is not None and self.sort not in SORTS:
            raise InvalidRequest(f"Unknown sort {self.sort!r}: use one of {', '.join(SORTS)}.")
        if self.page < 1:
            raise InvalidRequest("The page number starts at 1.")
        if not 1 <= self.per_page <= MAX_PER_PAGE:
            raise InvalidRequest(f"The page size must be between 1 and {MAX_PER_PAGE}.")
        if self.page * self.per_page > MAX_RESULT_WINDOW:
            raise InvalidRequest(
                f"Pages reach the first {MAX_RESULT_WINDOW:,} results only: narrow the search "
                "with a filter or dates, or download it as an export."
            )
        if not 1 <= self.facet_size <= FACET_LIMIT:
            raise InvalidRequest(f"The facet size must be between 1 and {FACET_LIMIT}.")

    @property
    def effective_sort(self) -> str:
        """The sort asked for; without one, relevance, or newest first for a query with no
        words (dates aside), which scores every document alike."""
        if self.sort is not None:
            return self.sort
        return "relevance" if split_date_bounds(self.q)[0] else "newest"

    def _lift_query_filters(self) -> None:
        """Move the query's top-level `author:`, `kind:` and `year:` terms into the filters,
        so that a term typed and a facet value ticked are one choice: two authors either
        way OR together, and every engine and caller sees the same request."""
        lifted = lift_terms(self.q, LIFTED_FIELDS, filter_takes)
        if not lifted.values:
            return
        object.__setattr__(self, "q", lifted.text)
        for name, values in lifted.values.items():
            attribute, facet = LIFTED_FIELDS[name], BY_NAME[name]
            chosen = getattr(self, attribute)
            by_key = {facet.key(str(value)): value for value in chosen}
            for value in values:
                by_key.setdefault(facet.key(value), int(value) if name == "year" else value)
            object.__setattr__(self, attribute, tuple(by_key.values()))


@dataclass(frozen=True)
class Hit:
    document: Document
    passage: Passage | None = None  # the engine's best passages and their matches

    @cached_property
    def shown(self) -> Passage:
        """The passages, or the start of the text when the engine placed none (made only
        when shown: many callers read the documents alone)."""
        return self.passage or excerpt(self.document.body)

    @cached_property
    def snippet(self) -> str:
        """HTML: the passage shown, escaped, its matches in <mark>."""
        return marked(self.shown)

    def to_json(self) -> dict:
        return {**self.document.to_json(), "snippet": self.snippet}


@dataclass(frozen=True)
class SearchResult:
    request: SearchRequest
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    notice: str | None = None  # e.g. why the query was read as plain words
    suggestion: str | None = None  # did-you-mean, from the index's own words
    partial: bool = False  # the time budget ran out: counts and hits are those found by then
    count_articles: Callable[[], int] = field(default=lambda: 0, repr=False, compare=False)
    count_page_articles: Callable[[], dict[str, int]] = field(
        default=dict, repr=False, compare=False
    )
    count_facet_keys: Callable[[str], int] = field(
        default=lambda name: 0, repr=False, compare=False
    )
    _facet_totals: dict[str, int] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def article_count(self) -> int:
        """Articles the hits belong to: counted when first asked, as few pages show it."""
        return self.count_articles()

    @cached_property
    def article_counts(self) -> dict[str, int]:
        """Selected documents per article of the page: only pages grouping hits by
        article show them, so they are counted when first asked for."""
        return self.count_page_articles()

    def listed_total(self, name: str) -> int | None:
        """How many values a facet has in all, when its list tells without counting: None
        when the list was cut at the request's facet size."""
        values = self.facets.get(name, [])
        listed = sum(1 for value in values if value.count)
        if listed < self.request.facet_size or not BY_NAME[name].limit_by_count:
            return len(values)
        return None

    def facet_total(self, name: str) -> int:
        """How many values a facet has in all: those listed, unless the list was cut at
        the request's facet size; then the engine counts them, once, when first asked.
        Counting costs as much as the search again, so only a facet's own page asks."""
        known = self.listed_total(name)
        if known is not None:
            return known
        if name not in self._facet_totals:
            self._facet_totals[name] = self.count_facet_keys(name)
        return self._facet_totals[name]

    @property
    def page_count(self) -> int:
        """The pages that can be shown: those holding the first MAX_RESULT_WINDOW hits."""
        per_page = self.request.per_page
        return max(1, min(math.ceil(self.total / per_page), MAX_RESULT_WINDOW // per_page))

    def to_json(self, keys: Collection[str] | None = None) -> dict:
        """The result as JSON, or only its `keys`: what is left out is not worked out, so
        a page without the article count does not have it counted."""
        parts: dict[str, Callable[[], object]] = {
            "query": lambda: self.request.q,
            "total": lambda: self.total,
            "page": lambda: self.request.page,
            "per_page": lambda: self.request.per_page,
            "sort": lambda: self.request.effective_sort,
            "hits": lambda: [hit.to_json() for hit in self.hits],
            "facets": lambda: {
                name: [v.to_json() for v in values] for name, values in self.facets.items()
            },
            "facet_totals": lambda: {name: self.listed_total(name) for name in self.facets},
            "notice": lambda: self.notice,
            "suggestion": lambda: self.suggestion,
            "article_count": lambda: self.article_count,
            "partial": lambda: self.partial,
        }
        return {key: part() for key, part in parts.items() if keys is None or key in keys}


def plain_words(text: str) -> str:
    """A query with its syntax taken out: what an unparsable query is searched as.

    Lower case, so that AND, OR and NOT are words again rather than operators.
    """
    return " ".join(re.findall(r"\w+", text)).lower()


def split_date_bounds(text: str) -> tuple[str, dict[str, date], list[str]]:
    """Take `after:` and `before:` out of a query string.

    :return: the rest of the query, the bounds read, and the ones that could not be read.
    """
    bounds: dict[str, date] = {}
    unread: list[str] = []
    for name, value in QUERY_BOUND.findall(text):
        try:
            bounds[name] = date_bound(value, end=name == "before")
        except InvalidRequest:
            unread.append(f"{name}:{value}")
    return QUERY_BOUND.sub(" ", text).strip(), bounds, unread


@dataclass(frozen=True)
class Selection:
    """The documents a request selects, before ranking: what pages and exports share."""

    snapshot: Snapshot
    query: str
    matches: Matches
    facets: dict[str, list[FacetValue]]
    notice: str | None
    deadline: float

    @property
    def total(self) -> int:
        return self.matches.total

    @property
    def article_count(self) -> int:
        return self.matches.article_count()

    @property
    def counts(self) -> Mapping[str, Mapping[str, int]]:
        return self.matches.counts


class Answer(Protocol):
    """What the recent results keep: an answer that says whether it ran out of time."""

    partial: bool


AnswerT = TypeVar("AnswerT", bound=Answer)


class RecentResults:
    """A bounded LRU of results, keyed by the snapshot they came from and the request.

    Entries hold their snapshot weakly: a result is only reused for the very
    snapshot that made it, and an old snapshot is not kept alive by the cache.
    A partial result is not kept, so the next asker gets the whole one.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple, tuple[weakref.ref, Answer]] = OrderedDict()

    def get(self, snapshot: Snapshot, key: tuple, compute: Callable[[], AnswerT]) -> AnswerT:
        """The answer kept for `snapshot` and `key`, else `compute`'s, which must have
        come from that same snapshot."""
        full = (id(snapshot), *key)
        with self._lock:
            entry = self._entries.get(full)
            if entry is not None and entry[0]() is snapshot:
                self._entries.move_to_end(full)
                return entry[1]
        value = compute()
        if self.size and not value.partial:
            with self._lock:
                self._entries[full] = (weakref.ref(snapshot), value)
                while len(self._entries) > self.size:
                    self._entries.popitem(last=False)
        return value


RECENT = RecentResults(cache_entries(CACHED_RESULTS))


def filters_of(request: SearchRequest, bounds: dict[str, date]) -> Filters:
    """The request's filters as facet keys, with the date range of the request and of
    `after:`/`before:` in its query together (the narrower bound wins)."""
    values = {
        "author": request.authors,
        "kind": request.kinds,
        "article": request.articles,
        "year": [str(year) for year in request.years],
        "month": request.months,
        "signed": request.signed,
        "site": request.sites,
        "copies": (COPIED,) if request.copies else (),
    }
    return Filters(
        chosen={
            name: frozenset(BY_NAME[name].key(v) for v in found) for name, found in values.items()
        },
        after=max(filter(None, (request.after, bounds.get("after"))), default=None),
        before=min(filter(None, (request.before, bounds.get("before"))), default=None),
    )


def shown_facets(
    snapshot: Snapshot, matches: Matches, filters: Filters, limits: Mapping[str, int]
) -> dict[str, list[FacetValue]]:
    """Each shown facet's counted values, ordered, labelled and cut to its limit."""
    found = {}
    for facet in FACETS:
        if facet.name not in limits:
            found[facet.name] = []
            continue
        counts = matches.counts.get(facet.name, {})
        chosen = filters.chosen.get(facet.name, frozenset())
        if facet.fixed_labels is not None:
            labels = facet.fixed_labels
        elif facet.labelled:
            labels = snapshot.labels(facet.name, set(counts) | chosen)
        else:
            labels = {}
        found[facet.name] = facet.values(counts, chosen, labels, limits[facet.name])
    return found


def counted_facets(request: SearchRequest) -> list[Facet]:
    """The facets a request counts: those it names, or those a search page shows."""
    if request.facets is not None:
        return [facet for facet in FACETS if facet.name in request.facets]
    return [facet for facet in FACETS if facet.name != "month" or request.years or request.months]


def select(
    engine: Engine,
    request: SearchRequest,
    facet_limit: int | None = None,
    counted: Collection[str] = (),
    snapshot: Snapshot | None = None,
    page: PageWanted | None = None,
) -> Selection:
    """Match the query, apply every filter and count the facets.

    The facets counted are those the request names; without a list, every facet but
    the month, which is counted once a year or month is chosen. A query the engine
    cannot parse is searched as its plain words, and the selection's `notice` says why.

    :param facet_limit: values kept per facet counted by frequency; the request's own
        `facet_size` unless given.
    :param counted: more facets to count but not show ("date", "own_date"), all values.
    :param snapshot: the engine's snapshot to select from, if the caller holds one.
    :param page: the page the caller ranks next, for an engine that fetches it at once.
    """
    facet_limit = facet_limit or request.facet_size
    snapshot = snapshot or engine.snapshot()
    deadline = time.monotonic() + QUERY_SECONDS
    q, bounds, unread = split_date_bounds(request.q)
    notices = []
    if unread:
        unread_text = ", ".join(unread)
        notices.append(f"Could not read {unread_text}: write dates YYYY, YYYY-MM or YYYY-MM-DD.")
    filters = filters_of(request, bounds)
    shown = {
        facet.name: facet_limit if facet.limit_by_count else ALL_VALUES
        for facet in counted_facets(request)
    }
    wanted = shown | {name: ALL_VALUES for name in counted}
    try:
        matches = snapshot.select(q, filters, wanted, deadline, page)
    except QuerySyntaxError as problem:
        q = plain_words(q)
        notices.append(f"Could not read the query: {problem}. Searched for {q!r} instead.")
        try:
            matches = snapshot.select(q, filters, wanted, deadline)
        except QuerySyntaxError:  # plain words are always readable; this is a last resort
            q = ""
            matches = snapshot.select(q, filters, wanted, deadline)
    facets = shown_facets(snapshot, matches, filters, {name: facet_limit for name in shown})
    return Selection(snapshot, q, matches, facets, " ".join(notices) or None, deadline)


def search(engine: Engine, request: SearchRequest) -> SearchResult:
    """Run one search: match, filter, count facets, rank one page.

    When the query finds little, the result carries a did-you-mean `suggestion`
    made from the index's own words. Recent results are reused while the index
    has not changed.
    """
    snapshot = engine.snapshot()
    return RECENT.get(snapshot, ("search", request), lambda: run_search(engine, request, snapshot))


def run_search(
    engine: Engine, request: SearchRequest, snapshot: Snapshot | None = None
) -> SearchResult:
    """One page of a search; a page past the last hit is empty, and the engine is not
    asked for its hits (a deep offset costs memory in the engine, whatever it finds)."""
    offset = (request.page - 1) * request.per_page
    sort = request.effective_sort
    wanted = PageWanted(sort, offset, request.per_page, request.highlight)
    selection = select(engine, request, snapshot=snapshot, page=wanted)
    snapshot = selection.snapshot
    if offset and offset >= selection.total:
        page, ranked_in_time = [], True
    else:
        page, ranked_in_time = selection.matches.ranked(
            sort, offset, request.per_page, selection.deadline, request.highlight
        )
    partial = not (selection.matches.complete and ranked_in_time)
    suggestion = None
    if selection.total < SUGGEST_BELOW and selection.query.strip():
        suggestion = snapshot.suggest(selection.query, selection.deadline)
        partial = partial or time.monotonic() > selection.deadline
    return SearchResult(
        request=request,
        total=selection.total,
        hits=[Hit(document=doc, passage=passage) for doc, passage in page],
        facets=selection.facets,
        notice=selection.notice,
        suggestion=suggestion,
        count_articles=selection.matches.article_count,
        count_page_articles=lambda: article_counts(selection, {doc.article_id for doc, _ in page}),
        count_facet_keys=selection.matches.distinct,
        partial=partial,
    )


def article_counts(selection: Selection, article_ids: set[str]) -> dict[str, int]:
    """Selected documents per article of a page: from the article facet's counts where
    they hold the article (counted with the article filter's own keys, if any, which
    are the only articles selected then), from the engine for the rest."""
    known = selection.counts.get("article", {})
    found = {key: known[key] for key in article_ids if key in known}
    missing = article_ids - found.keys()
    return found | (selection.matches.article_counts(missing) if missing else {})


@dataclass(frozen=True)
class FacetValues:
    """Every value of one facet in a selection, and whether the time ran out counting."""

    values: list[FacetValue]
    partial: bool


def facet_values(
    engine: Engine,
    request: SearchRequest,
    name: str,
    contains: str = "",
    limit: int = 500,
    offset: int = 0,
) -> tuple[list[FacetValue], int]:
    """One facet's values past the usual top ones, narrowed to labels holding `contains`.

    :return: up to `limit` values from the `offset`-th on (the chosen ones past them kept)
        and how many matched in all.
    """
    snapshot = engine.snapshot()

    def every_value() -> FacetValues:
        selection = select(engine, request, facet_limit=MAX_FACET_VALUES, snapshot=snapshot)
        return FacetValues(selection.facets[name], not selection.matches.complete)

    values = RECENT.get(snapshot, ("facet", request, name), every_value).values
    needle = contains.strip().casefold()
    found = [v for v in values if v.selected or needle in v.label.casefold()]
    shown = found[offset : offset + limit]
    return shown + [v for v in found[offset + limit :] if v.selected], len(found)


@dataclass(frozen=True)
class Newest:
    """The newest documents a search selects: what a feed shows."""

    total: int
    documents: list[Document]
    partial: bool  # the time budget ran out: not kept with the recent results


def newest_documents(engine: Engine, request: SearchRequest, count: int) -> Newest:
    """The `count` newest documents a search selects, whatever its sort. Feed readers ask
    for the same feed again and again, so answers are kept while the index is unchanged:
    sorting a large archive by date costs far more than reading a kept list."""
    snapshot = engine.snapshot()
    request = replace(request, sort="newest")

    def newest() -> Newest:
        selection = select(engine, request, snapshot=snapshot)
        documents = list(selection.matches.documents("newest", count))
        return Newest(selection.total, documents, not selection.matches.complete)

    return RECENT.get(snapshot, ("newest", request, count), newest)


def export_documents(
    engine: Engine, request: SearchRequest, cap: int = EXPORT_CAP
) -> tuple[int, Iterator[Document]]:
    """Every document a search selects (up to `cap`), in its sort order, for export.

    :return: the number selected (which may exceed the cap) and the documents.
    """
    selection = select(engine, request)
    return selection.total, selection.matches.documents(request.effective_sort, cap)
