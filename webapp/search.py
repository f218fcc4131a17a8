"""The search page, its JSON twin and the query-syntax help, all from the query string."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Blueprint, jsonify, render_template, request, url_for
from flask.typing import ResponseReturnValue

from indexer import FACET_LIMIT, SORTS, Archive, FacetValue, Hit, SearchRequest, SearchResult
from webapp import exports
from webapp.archive import require_archive
from webapp.state import (
    SearchLinks,
    bounded_page,
    chosen_filters,
    grouping,
    page_numbers,
    request_from_args,
)
from webapp.threads import thread_link

bp = Blueprint("search", __name__)

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
    """The hits of one article on this page, under its heading.

    `count` is the article's hits in the whole result, not only on this page.
    """

    article_id: str
    title: str
    count: int
    hits: list[Hit]


def grouped_by_article(result: SearchResult) -> list[ArticleGroup]:
    """The page's hits under their articles, in the order the articles first appear."""
    hits_by_article: dict[str, list[Hit]] = {}
    for hit in result.hits:
        hits_by_article.setdefault(hit.document.article_id, []).append(hit)
    return [
        ArticleGroup(
            article_id, hits[0].document.article_title, result.article_counts[article_id], hits
        )
        for article_id, hits in hits_by_article.items()
    ]


def every_author(
    archive: Archive, search_request: SearchRequest, result: SearchResult, text: str
) -> tuple[list[FacetValue], int]:
    """The authors "more…" lists, narrowed to names holding `text`, and how many in all.

    The result's facet holds the top authors only; the whole list is counted again
    only when there may be more of them.
    """
    values = result.facets.get("author", [])
    if len(values) < FACET_LIMIT and not text:
        return values, len(values)
    return archive.facet_values(search_request, "author", contains=text)


@bp.app_template_global()
def copies_url(copy_group: str) -> str:
    """The search listing every copy of a comment posted more than once."""
    return url_for("search.index", q=f"copies:'{copy_group}'")


@bp.route("/")
def index() -> ResponseReturnValue:
    """The search page: facets, hits and pagination for the query string."""
    search_request = request_from_args(request.args)
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
        chips=chosen_filters(links, result),
        groups=grouped_by_article(result) if group else None,
        author_filter=author_filter,
        all_authors=every_author(archive, search_request, result, author_filter),
        sorts=SORTS,
        facet_shown=FACET_SHOWN,
        facet_titles=FACET_COLUMN,
        export_cap=exports.EXPORT_CAP,
        pages=page_numbers(search_request.page, result.page_count),
    )
    return bounded_page(page)


@bp.route("/api/search")
def api_search() -> ResponseReturnValue:
    """The search page's data as JSON: `hubbub search --json`'s shape, each hit with the
    address of its place on the site."""
    search_request = request_from_args(request.args)
    return jsonify(result_json(require_archive().search(search_request)))


def result_json(result: SearchResult, keys: tuple[str, ...] | None = None) -> dict:
    """The result as the library gives it, each hit with its `url` on the site."""
    data = result.to_json(keys)
    for hit, shown in zip(result.hits, data.get("hits", []), strict=False):
        shown["url"] = thread_link(hit.document)
    return data


@bp.route("/help")
def help_page() -> ResponseReturnValue:
    """The query syntax, one runnable example per operator."""
    return render_template("search/help.html", examples=EXAMPLES)
