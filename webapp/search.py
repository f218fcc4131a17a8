"""The search page, its JSON twin and the query-syntax help, all from the query string."""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Blueprint, abort, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from indexer import (
    FACET_LIMIT,
    Archive,
    FacetValue,
    Hit,
    InvalidRequest,
    SearchRequest,
    SearchResult,
)
from indexer.search import MAX_QUERY_LENGTH
from webapp import exports
from webapp.archive import require_archive
from webapp.state import (
    TYPED_DATES,
    SearchLinks,
    bounded_page,
    chosen_filters,
    grouping,
    lifted_args,
    page_numbers,
    read_request,
    request_from_args,
    whole_number,
)
from webapp.threads import thread_link

bp = Blueprint("search", __name__)

# The sort control's words for each order the library knows.
SORT_LABELS = {
    "relevance": "Relevance",
    "newest": "Newest",
    "oldest": "Oldest",
    "votes": "Votes",
    "replies": "Most answered",
    "discussed": "Most discussed",
}

# Facets longer than this show their first values and fold the whole list under "more…".
FACET_SHOWN = 10
# The facet column, top to bottom: facet name and title ("date" is years, then months).
FACET_COLUMN = (
    ("kind", "Kind"),
    ("site", "Site"),
    ("author", "Author"),
    ("signed", "Signed"),
    ("date", "Date"),
    ("article", "Article"),
    ("copies", "Copies"),
)
# Values a page of a facet's whole list shows: as many as "more…" holds.
FACET_PAGE_SIZE = FACET_LIMIT
# What a facet's values are called where the whole list is shown, page by page.
FACET_NOUNS = {
    "kind": "kinds",
    "site": "sites",
    "author": "authors",
    "signed": "names signed",
    "article": "articles",
    "copies": "values",
}


@dataclass(frozen=True)
class Example:
    """One line of the help page: an operator, a query using it, and what it finds."""

    operator: str
    query: str
    meaning: str

    @property
    def url(self) -> str:
        return url_for("search.index") + "?" + urlencode({"q": self.query})


# Each example finds something in the archive's own corpus, so every link shows hits.
EXAMPLES = (
    Example("words", "Russia Pakistan", "documents holding every word"),
    Example("\u201cphrase\u201d", '"Rex Minor"', "the words together, in this order"),
    Example("OR", "Medvedev OR Zardari", "either word"),
    Example("-exclusion", "Pakistan -India", "the first word but not the second"),
    Example("author:", "author:Umairpk", "what one author wrote, whatever the case"),
    Example("title:", "title:entente", "articles with the word in their title"),
    Example("kind:", "kind:article", "only articles (or kind:comment)"),
    Example(
        "after: before:",
        "Putin after:2012-03 before:2012",
        "dates from, to (both included): YYYY, YYYY-MM or YYYY-MM-DD",
    ),
    Example("wildcard *", "russ*", "words that begin so: Russia, Russian, …"),
    Example("fuzzy ~", "putn~", "words spelt nearly so"),
)


@dataclass(frozen=True)
class ArticleGroup:
    """The hits of one article on this page: the first stands for the article, the rest
    fold under it.

    `count` is the article's hits in the whole result, not only on this page.
    """

    article_id: str
    title: str
    count: int
    hits: list[Hit]

    @property
    def folded(self) -> list[Hit]:
        return self.hits[1:]

    @property
    def elsewhere(self) -> int:
        """The article's hits on other pages."""
        return max(0, self.count - len(self.hits))

    def to_json(self) -> dict:
        return {
            "article_id": self.article_id,
            "article_title": self.title,
            "count": self.count,
            "hits": [hit.document.id for hit in self.hits],
        }


def grouped_by_article(result: SearchResult) -> list[ArticleGroup] | None:
    """The page's hits under their articles, in the order the articles first appear;
    None when every hit comes from one article, as there is nothing to tell apart."""
    hits_by_article: dict[str, list[Hit]] = {}
    for hit in result.hits:
        hits_by_article.setdefault(hit.document.article_id, []).append(hit)
    if len(hits_by_article) < 2:
        return None
    return [
        ArticleGroup(
            article_id,
            hits[0].document.article_title,
            result.article_counts.get(article_id, len(hits)),
            hits,
        )
        for article_id, hits in hits_by_article.items()
    ]


@dataclass(frozen=True)
class FacetList:
    """What a facet's "more…" lists: some values, how many it has in all (None when the
    list was cut: more than it holds), and, when that is more than these, the address
    of the whole list page by page, which counts them."""

    values: list[FacetValue]
    total: int | None
    whole_list_url: str | None

    @property
    def count_text(self) -> str:
        return f"{self.total:,}" if self.total is not None else f"{len(self.values):,}+"


def facet_lists(
    archive: Archive, links: SearchLinks, result: SearchResult, author_filter: str
) -> dict[str, FacetList]:
    """Each facet's "more…": the values the result counted, or the authors whose names hold
    `author_filter`. A list cut at the facet size is said to hold more, and its whole list
    counts them: counting on every search would cost as much as the search again."""
    lists: dict[str, FacetList] = {}
    for name in FACET_NOUNS:
        total: int | None
        if name == "author" and author_filter:
            values, total = archive.facet_values(result.request, name, contains=author_filter)
        else:
            values, total = result.facets.get(name, []), result.listed_total(name)
        whole_list = None
        if total is None or total > len(values):
            state = links.hidden_fields("author_filter")
            if name == "author" and author_filter:
                state.append(("filter", author_filter))
            whole_list = url_for("search.facet_page", name=name) + "?" + urlencode(state)
        lists[name] = FacetList(values, total, whole_list)
    return lists


@dataclass(frozen=True)
class FacetListing:
    """One page of a facet's whole list, for the search the rest of the query string makes."""

    name: str
    search_request: SearchRequest
    search_args: MultiDict[str, str]
    text: str
    page: int
    values: list[FacetValue]
    total: int

    @property
    def page_count(self) -> int:
        return max(1, math.ceil(self.total / FACET_PAGE_SIZE))

    def to_json(self) -> dict:
        return {
            "facet": self.name,
            "filter": self.text,
            "total": self.total,
            "page": self.page,
            "per_page": FACET_PAGE_SIZE,
            "values": [value.to_json() for value in self.values],
        }


def facet_listing(name: str) -> FacetListing:
    """The page of a facet's values that `page` names, narrowed to those holding `filter`.

    :raise NotFound: for a name that is no facet with a list.
    """
    if name not in FACET_NOUNS:
        abort(404, f"There is no facet {name!r} to list: use one of {', '.join(FACET_NOUNS)}.")
    args = request.args.copy()
    page = whole_number("page", args.poplist("page")[0]) if args.get("page") else 1
    if page < 1:
        raise InvalidRequest("The page number starts at 1.")
    text = " ".join(args.poplist("filter")).strip()
    search_request = request_from_args(args)
    offset = (page - 1) * FACET_PAGE_SIZE
    values, total = require_archive().facet_values(
        search_request, name, contains=text, limit=FACET_PAGE_SIZE, offset=offset
    )
    return FacetListing(name, search_request, args, text, page, values, total)


@bp.app_template_global()
def typed_query() -> str:
    """What was typed in the search box, for a refused page to keep: a query longer than
    any search takes is not echoed back whole."""
    return request.args.get("q", "")[:MAX_QUERY_LENGTH]


@bp.app_template_global()
def copies_url(copy_group: str) -> str:
    """The search listing every copy of a comment posted more than once."""
    return url_for("search.index", q=f"copies:'{copy_group}'")


@bp.route("/")
def index() -> ResponseReturnValue:
    """The search page: facets, hits and pagination for the query string. A date that
    cannot be read is shown beside its box, with the results of the rest (a 400)."""
    search_request, field_errors = read_request(request.args)
    lifted = lifted_args(request.args, search_request)
    if lifted is not None:
        return redirect(SearchLinks(lifted).current())
    group = grouping(request.args)
    archive = require_archive()
    result = archive.search(search_request)
    links = SearchLinks(request.args)
    author_filter = request.args.get("author_filter", "").strip()
    page = render_template(
        "search/index.html",
        query=search_request.q,
        search_request=search_request,
        result=result,
        links=links,
        chips=chosen_filters(links, result, field_errors),
        field_errors=field_errors,
        groups=grouped_by_article(result) if group else None,
        grouped=group is not None,
        author_filter=author_filter,
        facet_lists=facet_lists(archive, links, result, author_filter),
        facet_nouns=FACET_NOUNS,
        facet_page_size=FACET_PAGE_SIZE,
        date_fields=TYPED_DATES,
        sorts=SORT_LABELS,
        facet_shown=FACET_SHOWN,
        facet_titles=FACET_COLUMN,
        export_cap=exports.EXPORT_CAP,
        pages=page_numbers(search_request.page, result.page_count),
    )
    return bounded_page(page), 400 if field_errors else 200


@bp.route("/api/search")
def api_search() -> ResponseReturnValue:
    """The search page's data as JSON: `hubbub search --json`'s shape, each hit with the
    address of its place on the site, and `groups` as the page folds them (each article's
    hit ids, the first shown), null when it lists the hits as they come. A date that
    cannot be read is a 400 whose `errors` hold its message under its argument's name."""
    search_request, field_errors = read_request(request.args)
    if field_errors:
        message = " ".join(field_errors.values())
        return jsonify(ok=False, error=message, status=400, errors=field_errors), 400
    group = grouping(request.args)
    result = require_archive().search(search_request)
    groups = grouped_by_article(result) if group else None
    data = result_json(result)
    data["groups"] = None if groups is None else [shown.to_json() for shown in groups]
    return jsonify(data)


def result_json(result: SearchResult, keys: tuple[str, ...] | None = None) -> dict:
    """The result as the library gives it, each hit with its `url` on the site."""
    data = result.to_json(keys)
    for hit, shown in zip(result.hits, data.get("hits", []), strict=False):
        shown["url"] = thread_link(hit.document)
    return data


@bp.route("/facets/<name>")
def facet_page(name: str) -> ResponseReturnValue:
    """A facet's whole list for a search, a hundred values a page, with a filter box."""
    listing = facet_listing(name)
    page_links = SearchLinks(request.args, "search.facet_page", name=name)
    state = [(n, v) for n, v in request.args.items(multi=True) if v]
    page = render_template(
        "search/facet.html",
        listing=listing,
        noun=FACET_NOUNS[name],
        query=listing.search_request.q,
        links=SearchLinks(listing.search_args),
        page_links=page_links,
        pages=page_numbers(listing.page, listing.page_count),
        per_page=FACET_PAGE_SIZE,
        json_url=url_for("search.api_facet", name=name) + "?" + urlencode(state),
    )
    return bounded_page(page)


@bp.route("/api/facets/<name>")
def api_facet(name: str) -> ResponseReturnValue:
    """A facet page's values as JSON."""
    return jsonify(facet_listing(name).to_json())


@bp.route("/help")
def help_page() -> ResponseReturnValue:
    """The query syntax, one runnable example per operator."""
    return render_template("search/help.html", examples=EXAMPLES)
